namespace StaticNet.Benchmarks;

/// <summary>
/// The baseline: the same 784 → Dense(128, ReLU) → Dense(10) network with softmax cross-entropy and
/// plain SGD as <see cref="Mlp784"/>, written by hand the way one would without thinking about SIMD:
/// scalar <c>float</c> loops over arrays, weights in PyTorch's <c>[out, in]</c> row-major layout.
/// </summary>
/// <remarks>
/// It is deliberately naive but not careless: the work buffers are allocated once for
/// <see cref="MaxBatch"/> rows (no allocation per call), inner loops walk memory contiguously, and it
/// skips the gradient with respect to the network's inputs, which nothing needs (the generated code
/// skips it too). <see cref="Verification"/> checks that it computes what the generated network computes.
/// </remarks>
public sealed class NaiveMlp
{
    public const int Inputs = 784;
    public const int Hidden = 128;
    public const int Outputs = 10;
    public const int ParameterCount = Hidden * Inputs + Hidden + Outputs * Hidden + Outputs; // 101,770

    // Parameters, [out, in] row-major weights, and their gradients.
    public readonly float[] W0 = new float[Hidden * Inputs];
    public readonly float[] B0 = new float[Hidden];
    public readonly float[] W1 = new float[Outputs * Hidden];
    public readonly float[] B1 = new float[Outputs];
    public readonly float[] GW0 = new float[Hidden * Inputs];
    public readonly float[] GB0 = new float[Hidden];
    public readonly float[] GW1 = new float[Outputs * Hidden];
    public readonly float[] GB1 = new float[Outputs];

    // Work buffers for MaxBatch rows: pre-activations, activations and their gradients.
    private readonly float[] _z0; // [rows, 128] hidden pre-activation
    private readonly float[] _a0; // [rows, 128] hidden activation, ReLU(z0)
    private readonly float[] _d0; // [rows, 128] ∂L/∂z0
    private readonly float[] _z1; // [rows, 10] logits
    private readonly float[] _d1; // [rows, 10] ∂L/∂z1

    public NaiveMlp(int maxBatch, float learningRate = 0.01f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        MaxBatch = maxBatch;
        LearningRate = learningRate;
        _z0 = new float[maxBatch * Hidden];
        _a0 = new float[maxBatch * Hidden];
        _d0 = new float[maxBatch * Hidden];
        _z1 = new float[maxBatch * Outputs];
        _d1 = new float[maxBatch * Outputs];
    }

    /// <summary>The largest batch the preallocated work buffers hold.</summary>
    public int MaxBatch { get; }

    public float LearningRate { get; set; }

    /// <summary>Copies every parameter tensor of a generated network (same names, same layout) into this one.</summary>
    public void CopyParametersFrom(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Parameter("layers.0.weight").CopyTo(W0);
        network.Parameter("layers.0.bias").CopyTo(B0);
        network.Parameter("layers.1.weight").CopyTo(W1);
        network.Parameter("layers.1.bias").CopyTo(B1);
    }

    /// <summary>Forward, backward and one SGD step on a mini-batch; returns the mean loss before the step.</summary>
    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int rows = Rows(inputs);
        if (labels.Length != rows) throw new ArgumentException($"Expected {rows} labels.", nameof(labels));

        Forward(inputs, rows);

        // Softmax cross-entropy: loss = log Σ exp z − z[y]; ∂L/∂z = (softmax(z) − onehot(y)) / rows.
        float totalLoss = 0f;
        for (int r = 0; r < rows; r++)
        {
            int y = labels[r];
            if ((uint)y >= Outputs) throw new ArgumentOutOfRangeException(nameof(labels), y, "Label out of range.");
            float max = float.NegativeInfinity;
            for (int j = 0; j < Outputs; j++) max = MathF.Max(max, _z1[r * Outputs + j]);
            float sum = 0f;
            for (int j = 0; j < Outputs; j++)
            {
                float e = MathF.Exp(_z1[r * Outputs + j] - max);
                _d1[r * Outputs + j] = e;
                sum += e;
            }
            totalLoss += MathF.Log(sum) + max - _z1[r * Outputs + y];
            for (int j = 0; j < Outputs; j++) _d1[r * Outputs + j] = _d1[r * Outputs + j] / sum / rows;
            _d1[r * Outputs + y] -= 1f / rows;
        }

        // Layer 1 gradients: ∂L/∂W1[o, i] = Σ_r d1[r, o]·a0[r, i], ∂L/∂b1[o] = Σ_r d1[r, o].
        Array.Clear(GW1);
        Array.Clear(GB1);
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < Outputs; o++)
            {
                float d = _d1[r * Outputs + o];
                GB1[o] += d;
                for (int i = 0; i < Hidden; i++) GW1[o * Hidden + i] += d * _a0[r * Hidden + i];
            }
        }

        // Back through layer 1 and the ReLU: d0[r, i] = (z0[r, i] > 0) · Σ_o d1[r, o]·W1[o, i].
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < Hidden; i++)
            {
                float sum = 0f;
                for (int o = 0; o < Outputs; o++) sum += _d1[r * Outputs + o] * W1[o * Hidden + i];
                _d0[r * Hidden + i] = _z0[r * Hidden + i] > 0f ? sum : 0f;
            }
        }

        // Layer 0 gradients: ∂L/∂W0[o, i] = Σ_r d0[r, o]·x[r, i], ∂L/∂b0[o] = Σ_r d0[r, o].
        // (∂L/∂x is not needed: x is the network's input.)
        Array.Clear(GW0);
        Array.Clear(GB0);
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < Hidden; o++)
            {
                float d = _d0[r * Hidden + o];
                GB0[o] += d;
                for (int i = 0; i < Inputs; i++) GW0[o * Inputs + i] += d * inputs[r * Inputs + i];
            }
        }

        // SGD: θ ← θ − η·g.
        float lr = LearningRate;
        for (int k = 0; k < W0.Length; k++) W0[k] -= lr * GW0[k];
        for (int k = 0; k < B0.Length; k++) B0[k] -= lr * GB0[k];
        for (int k = 0; k < W1.Length; k++) W1[k] -= lr * GW1[k];
        for (int k = 0; k < B1.Length; k++) B1[k] -= lr * GB1[k];

        return totalLoss / rows;
    }

    /// <summary>Softmax probabilities for every row of <paramref name="inputs"/>, row-major [rows, 10].</summary>
    public void Infer(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int rows = Rows(inputs);
        if (outputs.Length != rows * Outputs) throw new ArgumentException($"Expected {rows * Outputs} outputs.", nameof(outputs));

        Forward(inputs, rows);

        for (int r = 0; r < rows; r++)
        {
            float max = float.NegativeInfinity;
            for (int j = 0; j < Outputs; j++) max = MathF.Max(max, _z1[r * Outputs + j]);
            float sum = 0f;
            for (int j = 0; j < Outputs; j++)
            {
                float e = MathF.Exp(_z1[r * Outputs + j] - max);
                outputs[r * Outputs + j] = e;
                sum += e;
            }
            for (int j = 0; j < Outputs; j++) outputs[r * Outputs + j] /= sum;
        }
    }

    private void Forward(ReadOnlySpan<float> x, int rows)
    {
        // Layer 0: z0[r, o] = b0[o] + Σ_i x[r, i]·W0[o, i]; a0 = ReLU(z0).
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < Hidden; o++)
            {
                float sum = 0f;
                for (int i = 0; i < Inputs; i++) sum += x[r * Inputs + i] * W0[o * Inputs + i];
                float z = sum + B0[o];
                _z0[r * Hidden + o] = z;
                _a0[r * Hidden + o] = z > 0f ? z : 0f;
            }
        }

        // Layer 1: z1[r, o] = b1[o] + Σ_i a0[r, i]·W1[o, i].
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < Outputs; o++)
            {
                float sum = 0f;
                for (int i = 0; i < Hidden; i++) sum += _a0[r * Hidden + i] * W1[o * Hidden + i];
                _z1[r * Outputs + o] = sum + B1[o];
            }
        }
    }

    private int Rows(ReadOnlySpan<float> inputs)
    {
        if (inputs.Length == 0 || inputs.Length % Inputs != 0)
            throw new ArgumentException($"The inputs must be a positive multiple of {Inputs} floats.", nameof(inputs));
        int rows = inputs.Length / Inputs;
        if (rows > MaxBatch) throw new ArgumentException($"{rows} rows exceed the preallocated {MaxBatch}.", nameof(inputs));
        return rows;
    }
}
