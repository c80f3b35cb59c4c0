namespace StaticNet.Reference;

/// <summary>
/// A plain, slow, double-precision implementation of a <see cref="NetworkDescription"/>, in the
/// style of llm.c's reference code: naive loops written for clarity, each layer's forward and
/// backward pass side by side. Tests use it as the independent oracle that the generated float32
/// kernels are compared against; it is not meant for training real models.
/// </summary>
/// <remarks>
/// <para>Semantics, which the generated code must match:</para>
/// <list type="bullet">
/// <item>Dense layer: <c>z[r,o] = b[o] + Σ_i x[r,i]·W[o,i]</c>, <c>W</c> row-major [out, in]; <c>a = f(z)</c>.</item>
/// <item>ReLU's derivative is 1 for <c>z &gt; 0</c> and 0 otherwise (as PyTorch).</item>
/// <item>Softmax cross-entropy: mean over rows of <c>−Σ_j t_j·log softmax(a)_j</c>, with a
/// log-sum-exp that subtracts the row maximum; its gradient is <c>(softmax(a)·Σ_j t_j − t) / rows</c>.</item>
/// <item>Mean squared error: mean over rows and outputs of <c>(a − t)²</c>, no factor ½; its gradient is
/// <c>2(a − t) / (rows·outputs)</c>.</item>
/// <item>Integer labels stand for one-hot targets, for both losses.</item>
/// <item>SGD: <c>θ ← θ − η·g</c>.</item>
/// </list>
/// <para>An instance is not thread-safe.</para>
/// </remarks>
public sealed class ReferenceNetwork
{
    private readonly double[] _layerGradientNorms;

    /// <summary>Creates a reference network for <paramref name="description"/>, with all parameters zero.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="description"/> is null.</exception>
    /// <exception cref="ArgumentException">The layers do not chain, or a tensor's shape or offset is inconsistent.</exception>
    public ReferenceNetwork(NetworkDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        Validate(description);
        Description = description;
        Parameters = new double[description.ParameterCount];
        Gradients = new double[description.ParameterCount];
        _layerGradientNorms = new double[description.Layers.Count];
    }

    /// <summary>The network this instance implements.</summary>
    public NetworkDescription Description { get; }

    /// <summary>
    /// All parameters, laid out as <see cref="NetworkDescription.Parameters"/> says. Writable: tests
    /// perturb single entries for finite differences.
    /// </summary>
    public double[] Parameters { get; }

    /// <summary>The gradient of the mean loss from the last <c>ComputeGradients</c> call, laid out like <see cref="Parameters"/>.</summary>
    public double[] Gradients { get; }

    /// <summary>
    /// The L2 norm of each layer's weight gradient (not its bias gradient) after the last
    /// <c>ComputeGradients</c> call, one entry per layer; zeros before the first call.
    /// </summary>
    public IReadOnlyList<double> LayerGradientNorms => _layerGradientNorms;

    /// <summary>Copies float parameters (for example a generated network's <see cref="INetwork.Parameters"/>) into <see cref="Parameters"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> does not hold exactly <see cref="NetworkDescription.ParameterCount"/> elements.</exception>
    public void LoadParameters(ReadOnlySpan<float> parameters)
    {
        if (parameters.Length != Parameters.Length)
        {
            throw new ArgumentException(
                $"parameters has {parameters.Length} elements; expected {Parameters.Length} (the parameter count of {Description.TypeName}).",
                nameof(parameters));
        }
        for (int i = 0; i < parameters.Length; i++)
        {
            Parameters[i] = parameters[i];
        }
    }

    /// <summary>
    /// Inference: returns row-major [rows, Outputs], the softmax probabilities for
    /// <see cref="StaticNet.Loss.SoftmaxCrossEntropy"/> and the last layer's activations otherwise.
    /// </summary>
    /// <param name="inputs">Row-major [rows, Inputs], at least one row.</param>
    public double[] Forward(ReadOnlySpan<float> inputs)
    {
        int rows = CheckInputs(inputs);
        double[][] acts = ForwardAll(ToDouble(inputs), rows, out _);
        double[] outputs = acts[^1];
        if (Description.Loss == StaticNet.Loss.SoftmaxCrossEntropy)
        {
            double[] probs = new double[outputs.Length];
            SoftmaxForward(probs, outputs, rows, Description.Outputs);
            return probs;
        }
        return (double[])outputs.Clone();
    }

    /// <summary>The mean loss of a mini-batch of class labels; leaves <see cref="Gradients"/> alone.</summary>
    /// <param name="inputs">Row-major [rows, Inputs].</param>
    /// <param name="labels">One class index in [0, Outputs) per row; treated as a one-hot target.</param>
    public double Loss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int rows = CheckInputs(inputs);
        return Run(ToDouble(inputs), OneHot(labels, rows), rows, backward: false);
    }

    /// <summary>The mean loss of a mini-batch with dense targets; leaves <see cref="Gradients"/> alone.</summary>
    /// <param name="inputs">Row-major [rows, Inputs].</param>
    /// <param name="targets">Row-major [rows, Outputs].</param>
    public double Loss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        int rows = CheckInputs(inputs);
        return Run(ToDouble(inputs), Dense(targets, rows), rows, backward: false);
    }

    /// <summary>Forward and backward on class labels: overwrites <see cref="Gradients"/> with the gradient of the mean loss and returns that loss.</summary>
    /// <param name="inputs">Row-major [rows, Inputs].</param>
    /// <param name="labels">One class index in [0, Outputs) per row.</param>
    public double ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int rows = CheckInputs(inputs);
        return Run(ToDouble(inputs), OneHot(labels, rows), rows, backward: true);
    }

    /// <summary>Forward and backward on dense targets: overwrites <see cref="Gradients"/> and returns the mean loss.</summary>
    /// <param name="inputs">Row-major [rows, Inputs].</param>
    /// <param name="targets">Row-major [rows, Outputs].</param>
    public double ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        int rows = CheckInputs(inputs);
        return Run(ToDouble(inputs), Dense(targets, rows), rows, backward: true);
    }

    /// <summary>One plain SGD step from the current <see cref="Gradients"/>: <c>θ ← θ − η·g</c>.</summary>
    /// <param name="learningRate">The learning rate η.</param>
    public void SgdStep(double learningRate)
    {
        for (int i = 0; i < Parameters.Length; i++)
        {
            Parameters[i] -= learningRate * Gradients[i];
        }
    }

    // ----------------------------------------------------------------------------------------
    // The whole pass

    /// <summary>Forward through every layer; acts[0] is the input, acts[l + 1] the output of layer l.</summary>
    private double[][] ForwardAll(double[] x, int rows, out double[][] preacts)
    {
        IReadOnlyList<LayerDescription> layers = Description.Layers;
        double[][] acts = new double[layers.Count + 1][];
        preacts = new double[layers.Count][];
        acts[0] = x;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerDescription layer = layers[l];
            preacts[l] = new double[rows * layer.Units];
            acts[l + 1] = new double[rows * layer.Units];
            DenseForward(preacts[l], acts[l], Parameters, layer, rows);
            ActivationForward(acts[l + 1], preacts[l], layer.Activation);
        }
        return acts;
    }

    private double Run(double[] x, double[] targets, int rows, bool backward)
    {
        IReadOnlyList<LayerDescription> layers = Description.Layers;
        int outputs = Description.Outputs;
        double[][] acts = ForwardAll(x, rows, out double[][] preacts);
        double[] logits = acts[^1];

        // Loss forward and its gradient with respect to the last layer's activations.
        double loss;
        double[] dOut = new double[rows * outputs];
        switch (Description.Loss)
        {
            case StaticNet.Loss.SoftmaxCrossEntropy:
                loss = SoftmaxCrossEntropyForward(logits, targets, rows, outputs);
                if (backward) SoftmaxCrossEntropyBackward(dOut, logits, targets, rows, outputs);
                break;
            case StaticNet.Loss.MeanSquaredError:
                loss = MeanSquaredErrorForward(logits, targets, rows, outputs);
                if (backward) MeanSquaredErrorBackward(dOut, logits, targets, rows, outputs);
                break;
            default:
                throw new NotSupportedException($"Loss {Description.Loss} is not supported by the reference implementation.");
        }
        if (!backward) return loss;

        Array.Clear(Gradients);
        double[] dAct = dOut;
        for (int l = layers.Count - 1; l >= 0; l--)
        {
            LayerDescription layer = layers[l];
            double[] dPre = new double[rows * layer.Units];
            ActivationBackward(dPre, dAct, preacts[l], acts[l + 1], layer.Activation);
            double[] dIn = new double[rows * layer.Inputs];
            DenseBackward(dIn, Gradients, dPre, acts[l], Parameters, layer, rows);
            dAct = dIn;
        }

        for (int l = 0; l < layers.Count; l++)
        {
            ParameterTensor w = layers[l].Weight;
            double sumSquares = 0.0;
            for (int i = 0; i < w.Length; i++)
            {
                double g = Gradients[w.Offset + i];
                sumSquares += g * g;
            }
            _layerGradientNorms[l] = Math.Sqrt(sumSquares);
        }
        return loss;
    }

    // ----------------------------------------------------------------------------------------
    // Dense layer: z[r,o] = b[o] + Σ_i x[r,i]·W[o,i]

    private static void DenseForward(double[] z, double[] x, double[] parameters, LayerDescription layer, int rows)
    {
        int nIn = layer.Inputs, nOut = layer.Units;
        int w = layer.Weight.Offset, b = layer.Bias.Offset;
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < nOut; o++)
            {
                double sum = parameters[b + o];
                for (int i = 0; i < nIn; i++)
                {
                    sum += x[r * nIn + i] * parameters[w + o * nIn + i];
                }
                z[r * nOut + o] = sum;
            }
        }
    }

    /// <summary>Accumulates dW and db into <paramref name="gradients"/> and writes dx.</summary>
    private static void DenseBackward(double[] dx, double[] gradients, double[] dz, double[] x, double[] parameters, LayerDescription layer, int rows)
    {
        int nIn = layer.Inputs, nOut = layer.Units;
        int w = layer.Weight.Offset, b = layer.Bias.Offset;
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < nOut; o++)
            {
                double d = dz[r * nOut + o];
                gradients[b + o] += d;
                for (int i = 0; i < nIn; i++)
                {
                    gradients[w + o * nIn + i] += d * x[r * nIn + i];
                    dx[r * nIn + i] += d * parameters[w + o * nIn + i];
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Activations

    private static void ActivationForward(double[] a, double[] z, Activation activation)
    {
        for (int k = 0; k < z.Length; k++)
        {
            double v = z[k];
            a[k] = activation switch
            {
                Activation.Identity => v,
                Activation.Sigmoid => 1.0 / (1.0 + Math.Exp(-v)),
                Activation.Tanh => Math.Tanh(v),
                Activation.ReLU => v > 0.0 ? v : 0.0,
                _ => throw new NotSupportedException($"Activation {activation} is not supported by the reference implementation."),
            };
        }
    }

    /// <summary>dz = da · f'(z), using the forward output <paramref name="a"/> where that is simpler.</summary>
    private static void ActivationBackward(double[] dz, double[] da, double[] z, double[] a, Activation activation)
    {
        for (int k = 0; k < z.Length; k++)
        {
            double derivative = activation switch
            {
                Activation.Identity => 1.0,
                Activation.Sigmoid => a[k] * (1.0 - a[k]),
                Activation.Tanh => 1.0 - a[k] * a[k],
                Activation.ReLU => z[k] > 0.0 ? 1.0 : 0.0,
                _ => throw new NotSupportedException($"Activation {activation} is not supported by the reference implementation."),
            };
            dz[k] = da[k] * derivative;
        }
    }

    // ----------------------------------------------------------------------------------------
    // Softmax cross-entropy: mean over rows of −Σ_j t_j·log softmax(a)_j

    private static void SoftmaxForward(double[] probs, double[] logits, int rows, int n)
    {
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < n; j++) max = Math.Max(max, logits[r * n + j]);
            double sum = 0.0;
            for (int j = 0; j < n; j++)
            {
                probs[r * n + j] = Math.Exp(logits[r * n + j] - max);
                sum += probs[r * n + j];
            }
            for (int j = 0; j < n; j++) probs[r * n + j] /= sum;
        }
    }

    private static double SoftmaxCrossEntropyForward(double[] logits, double[] targets, int rows, int n)
    {
        double total = 0.0;
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < n; j++) max = Math.Max(max, logits[r * n + j]);
            double sumExp = 0.0;
            for (int j = 0; j < n; j++) sumExp += Math.Exp(logits[r * n + j] - max);
            double logSumExp = max + Math.Log(sumExp);
            for (int j = 0; j < n; j++)
            {
                double t = targets[r * n + j];
                if (t != 0.0) total -= t * (logits[r * n + j] - logSumExp);
            }
        }
        return total / rows;
    }

    private static void SoftmaxCrossEntropyBackward(double[] dLogits, double[] logits, double[] targets, int rows, int n)
    {
        double[] probs = new double[rows * n];
        SoftmaxForward(probs, logits, rows, n);
        for (int r = 0; r < rows; r++)
        {
            double targetSum = 0.0;
            for (int j = 0; j < n; j++) targetSum += targets[r * n + j];
            for (int j = 0; j < n; j++)
            {
                dLogits[r * n + j] = (probs[r * n + j] * targetSum - targets[r * n + j]) / rows;
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Mean squared error: mean over rows and outputs of (a − t)²

    private static double MeanSquaredErrorForward(double[] a, double[] targets, int rows, int n)
    {
        double total = 0.0;
        for (int k = 0; k < rows * n; k++)
        {
            double d = a[k] - targets[k];
            total += d * d;
        }
        return total / (rows * n);
    }

    private static void MeanSquaredErrorBackward(double[] da, double[] a, double[] targets, int rows, int n)
    {
        for (int k = 0; k < rows * n; k++)
        {
            da[k] = 2.0 * (a[k] - targets[k]) / (rows * n);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Argument checks and conversions

    private int CheckInputs(ReadOnlySpan<float> inputs)
    {
        int width = Description.Inputs;
        if (inputs.Length == 0 || inputs.Length % width != 0)
        {
            throw new ArgumentException(
                $"inputs has {inputs.Length} elements; expected a positive multiple of {width} (one row of {width} values per example).",
                nameof(inputs));
        }
        return inputs.Length / width;
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        double[] result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    private double[] OneHot(ReadOnlySpan<int> labels, int rows)
    {
        int classes = Description.Outputs;
        if (labels.Length != rows)
        {
            throw new ArgumentException($"labels has {labels.Length} elements; expected {rows} (one class label per input row).", nameof(labels));
        }
        double[] targets = new double[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            if ((uint)labels[r] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[r], $"labels[{r}] is {labels[r]}; expected a class index in [0, {classes}).");
            }
            targets[r * classes + labels[r]] = 1.0;
        }
        return targets;
    }

    private double[] Dense(ReadOnlySpan<float> targets, int rows)
    {
        int expected = rows * Description.Outputs;
        if (targets.Length != expected)
        {
            throw new ArgumentException(
                $"targets has {targets.Length} elements; expected {expected} ({rows} rows of {Description.Outputs} outputs).",
                nameof(targets));
        }
        return ToDouble(targets);
    }

    private static void Validate(NetworkDescription description)
    {
        int width = description.Inputs;
        foreach (LayerDescription layer in description.Layers)
        {
            if (layer.Inputs != width)
            {
                throw new ArgumentException($"Layer {layer.Index} takes {layer.Inputs} inputs but the previous width is {width}.", nameof(description));
            }
            if (layer.Units <= 0)
            {
                throw new ArgumentException($"Layer {layer.Index} has {layer.Units} units; expected a positive number.", nameof(description));
            }
            CheckTensor(description, layer.Weight, layer.Units * layer.Inputs, layer.Index);
            CheckTensor(description, layer.Bias, layer.Units, layer.Index);
            width = layer.Units;
        }
    }

    private static void CheckTensor(NetworkDescription description, ParameterTensor tensor, int expectedLength, int layerIndex)
    {
        if (tensor.Length != expectedLength)
        {
            throw new ArgumentException($"Tensor {tensor.Name} of layer {layerIndex} has {tensor.Length} elements; expected {expectedLength}.", nameof(description));
        }
        if (tensor.Offset < 0 || tensor.Offset + tensor.Length > description.ParameterCount)
        {
            throw new ArgumentException(
                $"Tensor {tensor.Name} of layer {layerIndex} spans [{tensor.Offset}, {tensor.Offset + tensor.Length}), outside the parameter buffer of {description.ParameterCount}.",
                nameof(description));
        }
    }
}
