namespace StaticNet.Benchmarks;

/// <summary>
/// The scalar baseline: a multilayer perceptron of any dense layer sizes (ReLU hidden layers, softmax cross-entropy,
/// Adam) written by hand the way one would without thinking about SIMD: scalar <c>float</c> loops over arrays,
/// weights in PyTorch's <c>[out, in]</c> row-major layout.
/// </summary>
/// <remarks>
/// It is deliberately naive but not careless: the work buffers are allocated once for
/// <see cref="MlpBaseline.MaxBatch"/> rows (no allocation per call), most inner loops walk memory contiguously, and it
/// skips the gradient with respect to the network's inputs, which nothing needs (the generated code skips it too).
/// <see cref="Verification"/> checks that it computes what the generated network computes.
/// </remarks>
public sealed class NaiveMlp(IReadOnlyList<int> sizes, int maxBatch) : MlpBaseline(sizes, maxBatch)
{
    public override float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int rows = Rows(inputs);
        CheckLabels(labels, rows);
        Forward(inputs, rows);

        // Softmax cross-entropy: loss = log Σ exp z − z[y]; ∂L/∂z = (softmax(z) − onehot(y)) / rows.
        int classes = Outputs;
        float[] z = Z[Layers - 1], d = D[Layers - 1];
        float totalLoss = 0f;
        for (int r = 0; r < rows; r++)
        {
            int y = labels[r];
            float max = float.NegativeInfinity;
            for (int j = 0; j < classes; j++) max = MathF.Max(max, z[r * classes + j]);
            float sum = 0f;
            for (int j = 0; j < classes; j++)
            {
                float e = MathF.Exp(z[r * classes + j] - max);
                d[r * classes + j] = e;
                sum += e;
            }
            totalLoss += MathF.Log(sum) + max - z[r * classes + y];
            for (int j = 0; j < classes; j++) d[r * classes + j] = d[r * classes + j] / sum / rows;
            d[r * classes + y] -= 1f / rows;
        }

        float[] p = Parameters, g = Gradients;
        for (int l = Layers - 1; l >= 0; l--)
        {
            int nIn = Sizes[l], nOut = Sizes[l + 1], w = WeightOffset[l], b = BiasOffset[l];
            ReadOnlySpan<float> x = l == 0 ? inputs : A[l - 1];
            float[] dl = D[l];

            // ∂L/∂W[o, i] = Σ_r d[r, o]·x[r, i], ∂L/∂b[o] = Σ_r d[r, o].
            Array.Clear(g, w, nOut * nIn + nOut);
            for (int r = 0; r < rows; r++)
            {
                for (int o = 0; o < nOut; o++)
                {
                    float dro = dl[r * nOut + o];
                    g[b + o] += dro;
                    for (int i = 0; i < nIn; i++) g[w + o * nIn + i] += dro * x[r * nIn + i];
                }
            }

            // Back through this layer and the previous layer's ReLU: dPrev[r, i] = (zPrev[r, i] > 0) · Σ_o d[r, o]·W[o, i].
            // (Not for layer 0: ∂L/∂x is not needed, x is the network's input.)
            if (l == 0) break;
            float[] dPrev = D[l - 1], zPrev = Z[l - 1];
            for (int r = 0; r < rows; r++)
            {
                for (int i = 0; i < nIn; i++)
                {
                    float sum = 0f;
                    for (int o = 0; o < nOut; o++) sum += dl[r * nOut + o] * p[w + o * nIn + i];
                    dPrev[r * nIn + i] = zPrev[r * nIn + i] > 0f ? sum : 0f;
                }
            }
        }

        AdamStep();
        return totalLoss / rows;
    }

    public override void AdamStep()
    {
        // Adam: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − η/(1 − β₁ᵗ) · m / (√(v/(1 − β₂ᵗ)) + ε).
        (float stepSize, float vScale) = AdamScalars(++Step);
        float[] p = Parameters, g = Gradients, m = M, v = V;
        for (int k = 0; k < p.Length; k++)
        {
            float gk = g[k];
            m[k] = Beta1 * m[k] + (1f - Beta1) * gk;
            v[k] = Beta2 * v[k] + (1f - Beta2) * gk * gk;
            p[k] -= stepSize * m[k] / (MathF.Sqrt(v[k] * vScale) + Epsilon);
        }
    }

    public override void Infer(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int rows = Rows(inputs);
        int classes = Outputs;
        if (outputs.Length != rows * classes) throw new ArgumentException($"Expected {rows * classes} outputs.", nameof(outputs));
        Forward(inputs, rows);

        float[] z = Z[Layers - 1];
        for (int r = 0; r < rows; r++)
        {
            float max = float.NegativeInfinity;
            for (int j = 0; j < classes; j++) max = MathF.Max(max, z[r * classes + j]);
            float sum = 0f;
            for (int j = 0; j < classes; j++)
            {
                float e = MathF.Exp(z[r * classes + j] - max);
                outputs[r * classes + j] = e;
                sum += e;
            }
            for (int j = 0; j < classes; j++) outputs[r * classes + j] /= sum;
        }
    }

    private void Forward(ReadOnlySpan<float> inputs, int rows)
    {
        float[] p = Parameters;
        for (int l = 0; l < Layers; l++)
        {
            // z[r, o] = b[o] + Σ_i x[r, i]·W[o, i]; a = ReLU(z) on hidden layers.
            int nIn = Sizes[l], nOut = Sizes[l + 1], w = WeightOffset[l], b = BiasOffset[l];
            ReadOnlySpan<float> x = l == 0 ? inputs : A[l - 1];
            float[] z = Z[l], a = A[l];
            bool hidden = l < Layers - 1;
            for (int r = 0; r < rows; r++)
            {
                for (int o = 0; o < nOut; o++)
                {
                    float sum = 0f;
                    for (int i = 0; i < nIn; i++) sum += x[r * nIn + i] * p[w + o * nIn + i];
                    float zo = sum + p[b + o];
                    z[r * nOut + o] = zo;
                    if (hidden) a[r * nOut + o] = zo > 0f ? zo : 0f;
                }
            }
        }
    }
}
