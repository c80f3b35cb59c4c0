namespace StaticNet.Reference;

/// <summary>
/// A plain, slow, double-precision implementation of a <see cref="NetworkDescription"/>, in the
/// style of llm.c's reference code: naive loops written for clarity, each stage's forward and
/// backward pass side by side. Tests use it as the independent oracle that the generated float32
/// kernels are compared against; it is not meant for training real models.
/// </summary>
/// <remarks>
/// <para>Semantics, which the generated code must match:</para>
/// <list type="bullet">
/// <item>Dense layer: <c>z[r,o] = b[o] + Σ_i x[r,i]·W[o,i]</c>, <c>W</c> row-major [out, in]. Maxout: the same affine
/// map to Pieces × Units outputs (piece k of unit u is output k·Units + u), then the largest piece per unit (the
/// first on a tie), whose gradient alone flows back.</item>
/// <item>Then batch normalization (training: the batch's mean and biased variance, running statistics updated
/// with the unbiased variance; inference: the running statistics), the activation (see
/// <see cref="ReferenceActivations"/>; softmax row-wise; a softmax output under softmax cross-entropy and a
/// sigmoid output under binary cross-entropy are fused into the loss), then dropout (training only; inverted or
/// the notes' form).</item>
/// <item>ReLU's derivative is 1 for <c>z &gt; 0</c> and 0 otherwise (as PyTorch).</item>
/// <item>Softmax cross-entropy: mean over rows of <c>−Σ_j t_j·log softmax(a)_j</c>; gradient <c>(softmax(a)·Σ_j t_j − t) / rows</c>.</item>
/// <item>Mean squared error: mean over rows and outputs of <c>(a − t)²</c>, no factor ½; gradient <c>2(a − t) / (rows·outputs)</c>.</item>
/// <item>Binary cross-entropy from logits: mean over rows and outputs of <c>max(a, 0) − a·t + ln(1 + e^−|a|)</c>.</item>
/// <item>Multiclass hinge: mean over rows of <c>Σ_{j≠y} max(0, a_j − a_y + 1)</c>, y the label (dense targets: their argmax).</item>
/// <item>Integer labels stand for one-hot targets; for binary cross-entropy with one output, the label is the target.</item>
/// <item>Training noise (dropout masks, RReLU slopes) comes from <see cref="TrainingNoise"/> with <see cref="NoiseSeed"/>
/// and <see cref="NoiseStep"/>, exactly as the generated code draws it.</item>
/// <item>SGD: <c>θ ← θ − η·g</c>.</item>
/// </list>
/// <para>An instance is not thread-safe.</para>
/// </remarks>
public sealed class ReferenceNetwork
{
    private readonly double[] _layerGradientNorms;
    private double[][] _lastOutputs = [];

    /// <summary>Creates a reference network for <paramref name="description"/>, with all parameters zero and running variances one.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="description"/> is null.</exception>
    /// <exception cref="ArgumentException">The layers do not chain, or a tensor's shape or offset is inconsistent.</exception>
    public ReferenceNetwork(NetworkDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        Validate(description);
        Description = description;
        Parameters = new double[description.ParameterCount];
        Gradients = new double[description.ParameterCount];
        Statistics = new double[description.StatisticCount];
        foreach (LayerDescription layer in description.Layers)
        {
            if (layer.BatchNorm is { } bn) Array.Fill(Statistics, 1.0, bn.RunningVariance.Offset, bn.RunningVariance.Length);
        }
        _layerGradientNorms = new double[description.Layers.Count];
    }

    /// <summary>A reference network with <paramref name="network"/>'s parameters, running statistics and noise state.</summary>
    public static ReferenceNetwork Of(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var reference = new ReferenceNetwork(network.Description);
        reference.LoadParameters(network.Parameters);
        reference.LoadStatistics(network.Statistics);
        reference.NoiseSeed = network.NoiseSeed;
        reference.NoiseStep = network.NoiseStep;
        return reference;
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

    /// <summary>The running statistics, laid out as <see cref="NetworkDescription.Statistics"/> says.</summary>
    public double[] Statistics { get; }

    /// <summary>The seed of the training noise (see <see cref="TrainingNoise"/>).</summary>
    public uint NoiseSeed { get; set; }

    /// <summary>The step whose noise the next training pass draws; <c>ComputeGradients</c> advances it.</summary>
    public long NoiseStep { get; set; }

    /// <summary>
    /// The L2 norm of each layer's weight gradient (not its bias gradient) after the last
    /// <c>ComputeGradients</c> call, one entry per layer; zeros before the first call.
    /// </summary>
    public IReadOnlyList<double> LayerGradientNorms => _layerGradientNorms;

    /// <summary>Each layer's output in the last pass (after dropout in training), row-major [rows, Units].</summary>
    public IReadOnlyList<double[]> LayerOutputs => _lastOutputs;

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
        for (int i = 0; i < parameters.Length; i++) Parameters[i] = parameters[i];
    }

    /// <summary>Copies float running statistics (a generated network's <see cref="INetwork.Statistics"/>) into <see cref="Statistics"/>.</summary>
    public void LoadStatistics(ReadOnlySpan<float> statistics)
    {
        if (statistics.Length != Statistics.Length)
        {
            throw new ArgumentException($"statistics has {statistics.Length} elements; expected {Statistics.Length}.", nameof(statistics));
        }
        for (int i = 0; i < statistics.Length; i++) Statistics[i] = statistics[i];
    }

    /// <summary>
    /// Inference: returns row-major [rows, Outputs], the softmax probabilities for
    /// <see cref="StaticNet.Loss.SoftmaxCrossEntropy"/>, σ of the outputs for
    /// <see cref="StaticNet.Loss.BinaryCrossEntropy"/>, and the last layer's outputs otherwise.
    /// </summary>
    /// <param name="inputs">Row-major [rows, Inputs], at least one row.</param>
    public double[] Forward(ReadOnlySpan<float> inputs)
    {
        int rows = CheckInputs(inputs);
        Pass pass = ForwardAll(ToDouble(inputs), rows, training: false, NoiseStep, updateStatistics: false);
        double[] outputs = pass.Output;
        int n = Description.Outputs;
        double[] result = new double[outputs.Length];
        switch (Description.Loss)
        {
            case StaticNet.Loss.SoftmaxCrossEntropy:
                SoftmaxForward(result, outputs, rows, n);
                break;
            case StaticNet.Loss.BinaryCrossEntropy:
                for (int k = 0; k < outputs.Length; k++) result[k] = 1.0 / (1.0 + Math.Exp(-outputs[k]));
                break;
            default:
                Array.Copy(outputs, result, outputs.Length);
                break;
        }
        return result;
    }

    /// <summary>The mean loss of a mini-batch of class labels in inference mode; changes nothing.</summary>
    public double Loss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int rows = CheckInputs(inputs);
        return Run(ToDouble(inputs), OneHot(labels, rows), rows, training: false, backward: false);
    }

    /// <summary>The mean loss of a mini-batch with dense targets in inference mode; changes nothing.</summary>
    public double Loss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        int rows = CheckInputs(inputs);
        return Run(ToDouble(inputs), Dense(targets, rows), rows, training: false, backward: false);
    }

    /// <summary>
    /// The mean loss in training mode with the noise of <see cref="NoiseStep"/> and the batch's statistics, changing
    /// nothing: the function <c>ComputeGradients</c> differentiates, for finite differences.
    /// </summary>
    public double TrainingLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int rows = CheckInputs(inputs);
        return Run(ToDouble(inputs), OneHot(labels, rows), rows, training: true, backward: false);
    }

    /// <summary>As <see cref="TrainingLoss(ReadOnlySpan{float}, ReadOnlySpan{int})"/> with dense targets.</summary>
    public double TrainingLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        int rows = CheckInputs(inputs);
        return Run(ToDouble(inputs), Dense(targets, rows), rows, training: true, backward: false);
    }

    /// <summary>
    /// Training mode, forward and backward on class labels: overwrites <see cref="Gradients"/> with the gradient of the
    /// mean loss, updates the running statistics, advances <see cref="NoiseStep"/>, and returns the loss.
    /// </summary>
    public double ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int rows = CheckInputs(inputs);
        return Run(ToDouble(inputs), OneHot(labels, rows), rows, training: true, backward: true);
    }

    /// <summary>As <see cref="ComputeGradients(ReadOnlySpan{float}, ReadOnlySpan{int})"/> with dense targets.</summary>
    public double ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        int rows = CheckInputs(inputs);
        return Run(ToDouble(inputs), Dense(targets, rows), rows, training: true, backward: true);
    }

    /// <summary>One plain SGD step from the current <see cref="Gradients"/>: <c>θ ← θ − η·g</c>.</summary>
    public void SgdStep(double learningRate)
    {
        for (int i = 0; i < Parameters.Length; i++) Parameters[i] -= learningRate * Gradients[i];
    }

    // ----------------------------------------------------------------------------------------
    // The whole pass

    /// <summary>What one layer computed in a pass, for its backward pass.</summary>
    private sealed class LayerState
    {
        public double[] Input = [];
        public double[] Z = [];
        public int[] Piece = [];
        public double[] Xhat = [];
        public double[] InvStd = [];
        public double[] Pre = [];
        public double[] Act = [];
        public double[] Slopes = [];
        public double[] Mask = [];
        public double[] Out = [];
    }

    private sealed record Pass(LayerState[] Layers, double[] Output);

    private bool IsFused(LayerDescription layer) =>
        layer.Index == Description.Layers.Count - 1 &&
        ((layer.Activation == Activation.Softmax && Description.Loss == StaticNet.Loss.SoftmaxCrossEntropy) ||
         (layer.Activation == Activation.Sigmoid && Description.Loss == StaticNet.Loss.BinaryCrossEntropy));

    private Pass ForwardAll(double[] x, int rows, bool training, long step, bool updateStatistics)
    {
        IReadOnlyList<LayerDescription> layers = Description.Layers;
        bool notes = Description.DropoutForm == DropoutForm.Notes;
        double[] input = x;
        if (Description.InputDropout > 0f)
        {
            input = training
                ? ApplyDropout(x, Description.InputDropout, TrainingNoise.Key(NoiseSeed, step, TrainingNoise.InputDropoutStream), rows, Description.Inputs, out _)
                : notes ? Scale(x, 1.0 - Description.InputDropout) : x;
        }
        var states = new LayerState[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            LayerDescription layer = layers[l];
            var s = states[l] = new LayerState { Input = input };
            int units = layer.Units, pieces = layer.Pieces;

            // Affine map (to Pieces × Units values for maxout).
            s.Z = new double[rows * units * pieces];
            DenseForward(s.Z, input, Parameters, layer, rows);

            // Maxout: the largest piece, the first on a tie.
            double[] pre = s.Z;
            if (layer.IsMaxout)
            {
                pre = new double[rows * units];
                s.Piece = new int[rows * units];
                for (int r = 0; r < rows; r++)
                {
                    for (int u = 0; u < units; u++)
                    {
                        int best = 0;
                        for (int k = 1; k < pieces; k++)
                        {
                            if (s.Z[r * units * pieces + k * units + u] > s.Z[r * units * pieces + best * units + u]) best = k;
                        }
                        s.Piece[r * units + u] = best;
                        pre[r * units + u] = s.Z[r * units * pieces + best * units + u];
                    }
                }
            }

            // Batch normalization.
            if (layer.BatchNorm is { } bn)
            {
                pre = training ? BatchNormTraining(pre, bn, s, rows, units, updateStatistics) : BatchNormInference(pre, bn, rows, units);
            }
            s.Pre = pre;

            // Activation.
            s.Act = new double[rows * units];
            if (IsFused(layer) || layer.Activation == Activation.Identity)
            {
                Array.Copy(pre, s.Act, pre.Length);
            }
            else if (layer.Activation == Activation.Softmax)
            {
                SoftmaxForward(s.Act, pre, rows, units);
            }
            else
            {
                ActivationOptions options = layer.ResolvedActivationOptions;
                int count = ReferenceActivations.ParameterCount(layer.Activation, options);
                double[] p = new double[count];
                if (layer.Activation == Activation.RReLU) s.Slopes = new double[rows * units];
                uint key = TrainingNoise.Key(NoiseSeed, step, TrainingNoise.RReLUStream(l));
                for (int r = 0; r < rows; r++)
                {
                    for (int u = 0; u < units; u++)
                    {
                        int k = r * units + u;
                        if (layer.Activation == Activation.RReLU)
                        {
                            p[0] = training
                                ? options.Lower + ((double)options.Upper - options.Lower) * TrainingNoise.Uniform(key, k)
                                : ((double)options.Lower + options.Upper) / 2.0;
                            s.Slopes[k] = p[0];
                        }
                        else
                        {
                            UnitParameters(layer, u, p);
                        }
                        s.Act[k] = ReferenceActivations.Forward(layer.Activation, pre[k], options, p);
                    }
                }
            }

            // Dropout.
            s.Out = s.Act;
            if (layer.Dropout > 0f)
            {
                if (training)
                {
                    s.Out = ApplyDropout(s.Act, layer.Dropout, TrainingNoise.Key(NoiseSeed, step, TrainingNoise.DropoutStream(l)), rows, units, out s.Mask);
                }
                else if (notes)
                {
                    s.Out = Scale(s.Act, 1.0 - layer.Dropout);
                }
            }
            input = s.Out;
        }
        _lastOutputs = states.Select(st => st.Out).ToArray();
        return new Pass(states, input);
    }

    /// <summary>Layer <paramref name="layer"/>'s learned activation values for unit <paramref name="u"/>, in <see cref="ReferenceActivations"/>' order.</summary>
    private void UnitParameters(LayerDescription layer, int u, double[] p)
    {
        int k = 0;
        foreach (ParameterTensor t in layer.ActivationParameters)
        {
            int rowsOfTensor = t.Length / layer.Units;
            for (int row = 0; row < rowsOfTensor; row++) p[k++] = Parameters[t.Offset + row * layer.Units + u];
        }
    }

    private double[] ApplyDropout(double[] values, float rate, uint key, int rows, int width, out double[] mask)
    {
        double scale = Description.DropoutForm == DropoutForm.Inverted ? 1.0 / (1.0 - rate) : 1.0;
        mask = new double[rows * width];
        double[] result = new double[rows * width];
        for (int k = 0; k < result.Length; k++)
        {
            mask[k] = TrainingNoise.Uniform(key, k) >= rate ? scale : 0.0;
            result[k] = values[k] * mask[k];
        }
        return result;
    }

    private static double[] Scale(double[] values, double factor) => values.Select(v => v * factor).ToArray();

    private double[] BatchNormTraining(double[] z, BatchNormDescription bn, LayerState s, int rows, int units, bool updateStatistics)
    {
        double[] y = new double[rows * units];
        s.Xhat = new double[rows * units];
        s.InvStd = new double[units];
        for (int u = 0; u < units; u++)
        {
            double mean = 0.0;
            for (int r = 0; r < rows; r++) mean += z[r * units + u];
            mean /= rows;
            double variance = 0.0;
            for (int r = 0; r < rows; r++) variance += (z[r * units + u] - mean) * (z[r * units + u] - mean);
            variance /= rows;
            double invStd = 1.0 / Math.Sqrt(variance + bn.Epsilon);
            s.InvStd[u] = invStd;
            double gamma = Parameters[bn.Weight.Offset + u], beta = Parameters[bn.Bias.Offset + u];
            for (int r = 0; r < rows; r++)
            {
                double xhat = (z[r * units + u] - mean) * invStd;
                s.Xhat[r * units + u] = xhat;
                y[r * units + u] = gamma * xhat + beta;
            }
            if (updateStatistics)
            {
                double m = bn.Momentum;
                Statistics[bn.RunningMean.Offset + u] = (1.0 - m) * Statistics[bn.RunningMean.Offset + u] + m * mean;
                Statistics[bn.RunningVariance.Offset + u] = (1.0 - m) * Statistics[bn.RunningVariance.Offset + u] + m * variance * rows / (rows - 1.0);
            }
        }
        return y;
    }

    private double[] BatchNormInference(double[] z, BatchNormDescription bn, int rows, int units)
    {
        double[] y = new double[rows * units];
        for (int u = 0; u < units; u++)
        {
            double mean = Statistics[bn.RunningMean.Offset + u], variance = Statistics[bn.RunningVariance.Offset + u];
            double gamma = Parameters[bn.Weight.Offset + u], beta = Parameters[bn.Bias.Offset + u];
            for (int r = 0; r < rows; r++) y[r * units + u] = gamma * (z[r * units + u] - mean) / Math.Sqrt(variance + bn.Epsilon) + beta;
        }
        return y;
    }

    private double Run(double[] x, double[] targets, int rows, bool training, bool backward)
    {
        IReadOnlyList<LayerDescription> layers = Description.Layers;
        int outputs = Description.Outputs;
        long step = NoiseStep;
        Pass pass = ForwardAll(x, rows, training, step, updateStatistics: backward);
        if (backward) NoiseStep++;
        double[] logits = pass.Output;

        // Loss forward and its gradient with respect to the last layer's outputs.
        double[] dOut = new double[rows * outputs];
        double loss = Description.Loss switch
        {
            StaticNet.Loss.SoftmaxCrossEntropy => SoftmaxCrossEntropy(logits, targets, dOut, rows, outputs),
            StaticNet.Loss.MeanSquaredError => MeanSquaredError(logits, targets, dOut, rows, outputs),
            StaticNet.Loss.BinaryCrossEntropy => BinaryCrossEntropy(logits, targets, dOut, rows, outputs),
            StaticNet.Loss.MulticlassHinge => MulticlassHinge(logits, targets, dOut, rows, outputs),
            _ => throw new NotSupportedException($"Loss {Description.Loss} is not supported by the reference implementation."),
        };
        if (!backward) return loss;

        Array.Clear(Gradients);
        double[] d = dOut;
        for (int l = layers.Count - 1; l >= 0; l--)
        {
            LayerDescription layer = layers[l];
            LayerState s = pass.Layers[l];
            int units = layer.Units, pieces = layer.Pieces;

            // Dropout: only the kept units pass their gradient, scaled as in the forward pass.
            if (s.Mask.Length > 0) d = d.Select((v, k) => v * s.Mask[k]).ToArray();

            // Activation.
            double[] dPre = new double[rows * units];
            if (IsFused(layer) || layer.Activation == Activation.Identity)
            {
                Array.Copy(d, dPre, d.Length);
            }
            else if (layer.Activation == Activation.Softmax)
            {
                for (int r = 0; r < rows; r++)
                {
                    double dot = 0.0;
                    for (int j = 0; j < units; j++) dot += d[r * units + j] * s.Act[r * units + j];
                    for (int j = 0; j < units; j++) dPre[r * units + j] = s.Act[r * units + j] * (d[r * units + j] - dot);
                }
            }
            else
            {
                ActivationOptions options = layer.ResolvedActivationOptions;
                int count = ReferenceActivations.ParameterCount(layer.Activation, options);
                double[] p = new double[count];
                double[] dp = new double[count];
                for (int r = 0; r < rows; r++)
                {
                    for (int u = 0; u < units; u++)
                    {
                        int k = r * units + u;
                        if (layer.Activation == Activation.RReLU) p[0] = s.Slopes[k];
                        else UnitParameters(layer, u, p);
                        dPre[k] = d[k] * ReferenceActivations.Derivative(layer.Activation, s.Pre[k], options, p);
                        if (layer.ActivationParameters.Count > 0)
                        {
                            ReferenceActivations.ParameterDerivatives(layer.Activation, s.Pre[k], options, p, dp);
                            int q = 0;
                            foreach (ParameterTensor t in layer.ActivationParameters)
                            {
                                int tensorRows = t.Length / units;
                                for (int row = 0; row < tensorRows; row++) Gradients[t.Offset + row * units + u] += d[k] * dp[q++];
                            }
                        }
                    }
                }
            }

            // Batch normalization, through the batch statistics.
            if (layer.BatchNorm is { } bn)
            {
                double[] dIn = new double[rows * units];
                for (int u = 0; u < units; u++)
                {
                    double dGamma = 0.0, dBeta = 0.0;
                    for (int r = 0; r < rows; r++)
                    {
                        dGamma += dPre[r * units + u] * s.Xhat[r * units + u];
                        dBeta += dPre[r * units + u];
                    }
                    Gradients[bn.Weight.Offset + u] += dGamma;
                    Gradients[bn.Bias.Offset + u] += dBeta;
                    double gamma = Parameters[bn.Weight.Offset + u];
                    for (int r = 0; r < rows; r++)
                    {
                        dIn[r * units + u] = gamma * s.InvStd[u] / rows * (rows * dPre[r * units + u] - dBeta - s.Xhat[r * units + u] * dGamma);
                    }
                }
                dPre = dIn;
            }

            // Maxout: the gradient goes to the winning piece.
            double[] dz = dPre;
            if (layer.IsMaxout)
            {
                dz = new double[rows * units * pieces];
                for (int r = 0; r < rows; r++)
                {
                    for (int u = 0; u < units; u++) dz[r * units * pieces + s.Piece[r * units + u] * units + u] = dPre[r * units + u];
                }
            }

            double[] dInput = new double[rows * layer.Inputs];
            DenseBackward(dInput, Gradients, dz, s.Input, Parameters, layer, rows);
            d = dInput;
        }

        for (int l = 0; l < layers.Count; l++)
        {
            ParameterTensor w = layers[l].Weight;
            double sumSquares = 0.0;
            for (int i = 0; i < w.Length; i++) sumSquares += Gradients[w.Offset + i] * Gradients[w.Offset + i];
            _layerGradientNorms[l] = Math.Sqrt(sumSquares);
        }
        return loss;
    }

    // ----------------------------------------------------------------------------------------
    // Affine map: z[r,o] = b[o] + Σ_i x[r,i]·W[o,i], o over Pieces × Units

    private static void DenseForward(double[] z, double[] x, double[] parameters, LayerDescription layer, int rows)
    {
        int nIn = layer.Inputs, nOut = layer.Units * layer.Pieces;
        int w = layer.Weight.Offset;
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < nOut; o++)
            {
                double sum = layer.Bias is { } bias ? parameters[bias.Offset + o] : 0.0;
                for (int i = 0; i < nIn; i++) sum += x[r * nIn + i] * parameters[w + o * nIn + i];
                z[r * nOut + o] = sum;
            }
        }
    }

    /// <summary>Accumulates dW and db into <paramref name="gradients"/> and writes dx.</summary>
    private static void DenseBackward(double[] dx, double[] gradients, double[] dz, double[] x, double[] parameters, LayerDescription layer, int rows)
    {
        int nIn = layer.Inputs, nOut = layer.Units * layer.Pieces;
        int w = layer.Weight.Offset;
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < nOut; o++)
            {
                double d = dz[r * nOut + o];
                if (layer.Bias is { } bias) gradients[bias.Offset + o] += d;
                for (int i = 0; i < nIn; i++)
                {
                    gradients[w + o * nIn + i] += d * x[r * nIn + i];
                    dx[r * nIn + i] += d * parameters[w + o * nIn + i];
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Losses; each returns the mean loss and writes ∂L/∂a.

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

    private static double SoftmaxCrossEntropy(double[] logits, double[] targets, double[] d, int rows, int n)
    {
        double total = 0.0;
        double[] probs = new double[rows * n];
        SoftmaxForward(probs, logits, rows, n);
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < n; j++) max = Math.Max(max, logits[r * n + j]);
            double sumExp = 0.0;
            for (int j = 0; j < n; j++) sumExp += Math.Exp(logits[r * n + j] - max);
            double logSumExp = max + Math.Log(sumExp);
            double targetSum = 0.0;
            for (int j = 0; j < n; j++)
            {
                double t = targets[r * n + j];
                targetSum += t;
                if (t != 0.0) total -= t * (logits[r * n + j] - logSumExp);
            }
            for (int j = 0; j < n; j++) d[r * n + j] = (probs[r * n + j] * targetSum - targets[r * n + j]) / rows;
        }
        return total / rows;
    }

    private static double MeanSquaredError(double[] a, double[] targets, double[] d, int rows, int n)
    {
        double total = 0.0;
        for (int k = 0; k < rows * n; k++)
        {
            double diff = a[k] - targets[k];
            total += diff * diff;
            d[k] = 2.0 * diff / (rows * n);
        }
        return total / (rows * n);
    }

    private static double BinaryCrossEntropy(double[] a, double[] targets, double[] d, int rows, int n)
    {
        double total = 0.0;
        for (int k = 0; k < rows * n; k++)
        {
            double z = a[k], t = targets[k];
            total += Math.Max(z, 0.0) - z * t + Math.Log(1.0 + Math.Exp(-Math.Abs(z)));
            d[k] = (1.0 / (1.0 + Math.Exp(-z)) - t) / (rows * n);
        }
        return total / (rows * n);
    }

    private static double MulticlassHinge(double[] a, double[] targets, double[] d, int rows, int n)
    {
        double total = 0.0;
        for (int r = 0; r < rows; r++)
        {
            int y = 0;
            for (int j = 1; j < n; j++) if (targets[r * n + j] > targets[r * n + y]) y = j;
            int positive = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == y) continue;
                double margin = a[r * n + j] - a[r * n + y] + 1.0;
                if (margin > 0)
                {
                    total += margin;
                    d[r * n + j] = 1.0 / rows;
                    positive++;
                }
            }
            d[r * n + y] = -(double)positive / rows;
        }
        return total / rows;
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
        int outputs = Description.Outputs;
        bool binaryTarget = Description.Loss == StaticNet.Loss.BinaryCrossEntropy && outputs == 1;
        int classes = binaryTarget ? 2 : outputs;
        if (labels.Length != rows)
        {
            throw new ArgumentException($"labels has {labels.Length} elements; expected {rows} (one class label per input row).", nameof(labels));
        }
        double[] targets = new double[rows * outputs];
        for (int r = 0; r < rows; r++)
        {
            if ((uint)labels[r] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[r], $"labels[{r}] is {labels[r]}; expected a class index in [0, {classes}).");
            }
            if (binaryTarget) targets[r] = labels[r];
            else targets[r * outputs + labels[r]] = 1.0;
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
            if (layer.Pieces < 1)
            {
                throw new ArgumentException($"Layer {layer.Index} has {layer.Pieces} pieces; expected at least 1.", nameof(description));
            }
            CheckTensor(description.ParameterCount, layer.Weight, layer.Pieces * layer.Units * layer.Inputs, layer.Index);
            if (layer.Bias is not null) CheckTensor(description.ParameterCount, layer.Bias, layer.Pieces * layer.Units, layer.Index);
            int learned = ReferenceActivations.ParameterCount(layer.Activation, layer.ResolvedActivationOptions);
            if (layer.Activation != Activation.RReLU && layer.ActivationParameters.Sum(t => t.Length) != learned * layer.Units)
            {
                throw new ArgumentException($"Layer {layer.Index} ({layer.Activation}) has {layer.ActivationParameters.Sum(t => t.Length)} learned activation values; expected {learned * layer.Units}.", nameof(description));
            }
            foreach (ParameterTensor t in layer.ActivationParameters) CheckTensor(description.ParameterCount, t, t.Length, layer.Index);
            if (layer.BatchNorm is { } bn)
            {
                CheckTensor(description.ParameterCount, bn.Weight, layer.Units, layer.Index);
                CheckTensor(description.ParameterCount, bn.Bias, layer.Units, layer.Index);
                CheckTensor(description.StatisticCount, bn.RunningMean, layer.Units, layer.Index);
                CheckTensor(description.StatisticCount, bn.RunningVariance, layer.Units, layer.Index);
            }
            width = layer.Units;
        }
    }

    private static void CheckTensor(int bufferLength, ParameterTensor tensor, int expectedLength, int layerIndex)
    {
        if (tensor.Length != expectedLength)
        {
            throw new ArgumentException($"Tensor {tensor.Name} of layer {layerIndex} has {tensor.Length} elements; expected {expectedLength}.", "description");
        }
        if (tensor.Offset < 0 || tensor.Offset + tensor.Length > bufferLength)
        {
            throw new ArgumentException(
                $"Tensor {tensor.Name} of layer {layerIndex} spans [{tensor.Offset}, {tensor.Offset + tensor.Length}), outside its buffer of {bufferLength}.",
                "description");
        }
    }
}
