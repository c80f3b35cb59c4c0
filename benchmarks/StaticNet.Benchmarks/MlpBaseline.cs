namespace StaticNet.Benchmarks;

/// <summary>
/// What the two hand-written baselines share: a multilayer perceptron of any dense layer sizes (ReLU on every hidden
/// layer, softmax cross-entropy on the logits), its parameters, gradients and Adam state in flat arrays, with the
/// generated networks' layout (per layer <c>layers.{l}.weight</c> [out, in] row-major, then <c>layers.{l}.bias</c>),
/// and the bookkeeping to copy a generated network's parameters and optimizer state. The arithmetic is in the
/// subclasses: <see cref="NaiveMlp"/> (scalar loops) and <see cref="SimdMlp"/> (TensorPrimitives and Vector256/512).
/// </summary>
public abstract class MlpBaseline
{
    /// <summary>Adam's hyperparameters: PyTorch's defaults, as the generated networks declare them.</summary>
    public const float LearningRate = 0.001f, Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;

    private readonly Dictionary<string, (int Offset, int Length)> _tensors = [];

    /// <summary>Creates the network with layer widths <paramref name="sizes"/> (inputs first, classes last), all parameters 0.</summary>
    protected MlpBaseline(IReadOnlyList<int> sizes, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2) throw new ArgumentException("At least an input and an output width are needed.", nameof(sizes));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        Sizes = [.. sizes];
        MaxBatch = maxBatch;
        Layers = Sizes.Length - 1;
        WeightOffset = new int[Layers];
        BiasOffset = new int[Layers];
        int offset = 0;
        for (int l = 0; l < Layers; l++)
        {
            WeightOffset[l] = offset;
            _tensors[$"layers.{l}.weight"] = (offset, Sizes[l + 1] * Sizes[l]);
            offset += Sizes[l + 1] * Sizes[l];
            BiasOffset[l] = offset;
            _tensors[$"layers.{l}.bias"] = (offset, Sizes[l + 1]);
            offset += Sizes[l + 1];
        }
        ParameterCount = offset;
        Parameters = new float[offset];
        Gradients = new float[offset];
        M = new float[offset];
        V = new float[offset];

        // Work buffers for MaxBatch rows, per layer: z the affine output, a = ReLU(z) (hidden layers), d = ∂L/∂z.
        Z = new float[Layers][];
        A = new float[Layers][];
        D = new float[Layers][];
        for (int l = 0; l < Layers; l++)
        {
            Z[l] = new float[maxBatch * Sizes[l + 1]];
            A[l] = l < Layers - 1 ? new float[maxBatch * Sizes[l + 1]] : [];
            D[l] = new float[maxBatch * Sizes[l + 1]];
        }
    }

    /// <summary>The layer widths, inputs first.</summary>
    public int[] Sizes { get; }

    /// <summary>The number of dense layers.</summary>
    public int Layers { get; }

    /// <summary>The largest batch the preallocated work buffers hold.</summary>
    public int MaxBatch { get; }

    public int ParameterCount { get; }

    public int Inputs => Sizes[0];

    public int Outputs => Sizes[^1];

    /// <summary>All parameters, in the generated networks' order and layout.</summary>
    public float[] Parameters { get; }

    /// <summary>The gradients of the last train step, same layout.</summary>
    public float[] Gradients { get; }

    /// <summary>Adam's first and second moments (exp_avg, exp_avg_sq), same layout, zero-initialized.</summary>
    public float[] M { get; }

    /// <inheritdoc cref="M"/>
    public float[] V { get; }

    /// <summary>Adam's step counter t: the number of steps taken.</summary>
    public long Step { get; set; }

    protected int[] WeightOffset { get; }
    protected int[] BiasOffset { get; }
    protected float[][] Z { get; }
    protected float[][] A { get; }
    protected float[][] D { get; }

    /// <summary>The parameter tensor called <paramref name="name"/> (<c>layers.0.weight</c>, …).</summary>
    public Span<float> Parameter(string name) => Slice(Parameters, name);

    /// <summary>The gradient of the parameter tensor called <paramref name="name"/>.</summary>
    public Span<float> Gradient(string name) => Slice(Gradients, name);

    /// <summary>The names of the parameter tensors, in layout order.</summary>
    public IEnumerable<string> TensorNames => _tensors.Keys;

    private Span<float> Slice(float[] buffer, string name)
    {
        (int offset, int length) = _tensors.TryGetValue(name, out var t) ? t : throw new ArgumentException($"No tensor {name}.", nameof(name));
        return buffer.AsSpan(offset, length);
    }

    /// <summary>
    /// Copies every parameter tensor of a generated network, by name, and its Adam state (exp_avg, exp_avg_sq and the
    /// step counter), so that the next step of both starts from the same point.
    /// </summary>
    public void CopyStateFrom(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkDescription description = network.Description;
        if (description.Optimizer != Optimizer.Adam) throw new ArgumentException("The baselines implement Adam only.", nameof(network));
        if (description.ParameterCount != ParameterCount) throw new ArgumentException($"{description.TypeName} has {description.ParameterCount} parameters, this baseline {ParameterCount}.", nameof(network));
        Hyperparameters h = network.Hyperparameters;
        if (h.LearningRate != LearningRate || h.Beta1 != Beta1 || h.Beta2 != Beta2 || h.Epsilon != Epsilon || h.L1 != 0 || h.L2 != 0 || h.ClipNorm != 0)
            throw new ArgumentException("The baselines implement plain Adam with PyTorch's defaults.", nameof(network));
        ReadOnlySpan<float> state = network.OptimizerState;
        int count = description.ParameterCount;
        foreach (ParameterTensor tensor in description.Parameters)
        {
            (int offset, int length) = _tensors[tensor.Name];
            if (length != tensor.Length) throw new ArgumentException($"{tensor.Name}: {tensor.Length} values, expected {length}.", nameof(network));
            network.Parameter(tensor.Name).CopyTo(Parameters.AsSpan(offset, length));
            state.Slice(tensor.Offset, length).CopyTo(M.AsSpan(offset, length));
            state.Slice(count + tensor.Offset, length).CopyTo(V.AsSpan(offset, length));
        }
        Step = network.OptimizerStep;
    }

    /// <summary>Forward, softmax cross-entropy, backward and one Adam step on a mini-batch; returns the mean loss before the step.</summary>
    public abstract float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels);

    /// <summary>One Adam step from <see cref="Gradients"/> (increments <see cref="Step"/>); the last part of <see cref="TrainStep"/>.</summary>
    public abstract void AdamStep();

    /// <summary>Softmax probabilities for every row of <paramref name="inputs"/>, row-major [rows, classes].</summary>
    public abstract void Infer(ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>The bias-corrected step size η / (1 − β₁ᵗ) and the scale 1 / (1 − β₂ᵗ) of v, for step t (computed as the generated step does).</summary>
    protected static (float StepSize, float VScale) AdamScalars(long t) =>
        ((float)(LearningRate / (1.0 - Math.Pow(Beta1, t))), (float)(1.0 / (1.0 - Math.Pow(Beta2, t))));

    /// <summary>The number of rows in <paramref name="inputs"/>, checked against the buffers.</summary>
    protected int Rows(ReadOnlySpan<float> inputs)
    {
        if (inputs.Length == 0 || inputs.Length % Inputs != 0)
            throw new ArgumentException($"The inputs must be a positive multiple of {Inputs} floats.", nameof(inputs));
        int rows = inputs.Length / Inputs;
        if (rows > MaxBatch) throw new ArgumentException($"{rows} rows exceed the preallocated {MaxBatch}.", nameof(inputs));
        return rows;
    }

    /// <summary>Checks the labels of a train step.</summary>
    protected void CheckLabels(ReadOnlySpan<int> labels, int rows)
    {
        if (labels.Length != rows) throw new ArgumentException($"Expected {rows} labels.", nameof(labels));
        foreach (int y in labels)
        {
            if ((uint)y >= (uint)Outputs) throw new ArgumentOutOfRangeException(nameof(labels), y, "Label out of range.");
        }
    }
}
