namespace StaticNet.Reference;

/// <summary>
/// The optimizers written plainly in double precision, one element at a time: the oracle the
/// generated step methods are compared with. Same semantics as <see cref="Optimizer"/>'s
/// documentation: global-norm clipping first, then L2 (λ₂θ) and L1 (λ₁·sign θ) added to the
/// gradient of regularized tensors (AdamW instead decays θ by ηλ₂ before its update).
/// </summary>
public sealed class ReferenceOptimizer
{
    private readonly bool[] _regularized;

    /// <summary>Creates the optimizer for <paramref name="description"/>'s parameter layout, with zero state.</summary>
    public ReferenceOptimizer(NetworkDescription description, Optimizer kind, Hyperparameters hyperparameters, bool notesForm = false)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        Kind = kind;
        Hyperparameters = hyperparameters;
        NotesForm = notesForm;
        _regularized = new bool[description.ParameterCount];
        foreach (ParameterTensor tensor in description.Parameters)
        {
            if (tensor.Regularized) Array.Fill(_regularized, true, tensor.Offset, tensor.Length);
        }
        First = new double[description.ParameterCount];
        Second = new double[description.ParameterCount];
    }

    /// <summary>Which update rule runs.</summary>
    public Optimizer Kind { get; }

    /// <summary>The hyperparameters, read at every step.</summary>
    public Hyperparameters Hyperparameters { get; }

    /// <summary>Adagrad and RMSProp in the lecture notes' form.</summary>
    public bool NotesForm { get; }

    /// <summary>The first state buffer (velocity, momentum buffer, sum, square average, or Adam's m).</summary>
    public double[] First { get; }

    /// <summary>Adam's v.</summary>
    public double[] Second { get; }

    /// <summary>Steps taken so far.</summary>
    public long Step { get; private set; }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/>.</summary>
    public void Apply(double[] parameters, ReadOnlySpan<double> gradients)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Length != First.Length || gradients.Length != First.Length)
        {
            throw new ArgumentException($"expected {First.Length} parameters and gradients, got {parameters.Length} and {gradients.Length}.");
        }
        Step++;
        long t = Step;
        Hyperparameters h = Hyperparameters;
        double lr = h.LearningRate, eps = h.Epsilon;

        double clip = 1;
        if (h.ClipNorm > 0)
        {
            double norm = 0;
            foreach (double g in gradients) norm += g * g;
            norm = Math.Sqrt(norm);
            if (norm > h.ClipNorm) clip = h.ClipNorm / norm;
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            double theta = parameters[i];
            double g = gradients[i] * clip;
            if (_regularized[i])
            {
                if (Kind != Optimizer.AdamW) g += h.L2 * theta;
                g += h.L1 * Math.Sign(theta);
            }
            switch (Kind)
            {
                case Optimizer.Sgd:
                    theta -= lr * g;
                    break;
                case Optimizer.Momentum:
                    First[i] = h.Momentum * First[i] - lr * g;
                    theta += First[i];
                    break;
                case Optimizer.Nesterov:
                    First[i] = h.Momentum * First[i] + g;
                    theta -= lr * (g + h.Momentum * First[i]);
                    break;
                case Optimizer.Adagrad:
                    First[i] += g * g;
                    theta -= lr * g / (NotesForm ? Math.Max(Math.Sqrt(First[i]), eps) : Math.Sqrt(First[i]) + eps);
                    break;
                case Optimizer.RMSProp:
                    double alpha = NotesForm && t == 1 ? 0 : h.Alpha;
                    First[i] = alpha * First[i] + (1 - alpha) * g * g;
                    theta -= lr * g / (NotesForm ? Math.Max(Math.Sqrt(First[i]), eps) : Math.Sqrt(First[i]) + eps);
                    break;
                case Optimizer.Adam:
                case Optimizer.AdamW:
                    if (Kind == Optimizer.AdamW && _regularized[i]) theta -= lr * h.L2 * theta;
                    First[i] = h.Beta1 * First[i] + (1 - h.Beta1) * g;
                    Second[i] = h.Beta2 * Second[i] + (1 - h.Beta2) * g * g;
                    double mHat = First[i] / (1 - Math.Pow(h.Beta1, t));
                    double vHat = Second[i] / (1 - Math.Pow(h.Beta2, t));
                    theta -= lr * mHat / (Math.Sqrt(vHat) + eps);
                    break;
                default:
                    throw new NotSupportedException($"optimizer {Kind}");
            }
            parameters[i] = theta;
        }
    }
}
