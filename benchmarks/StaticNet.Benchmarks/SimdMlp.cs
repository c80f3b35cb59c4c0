using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StaticNet.Benchmarks;

/// <summary>
/// The hand-written SIMD baseline: the same multilayer perceptron (any dense layer sizes, ReLU hidden layers, softmax
/// cross-entropy, Adam) the way a competent .NET developer would write it without a generator. The linear algebra
/// goes through System.Numerics.Tensors' <see cref="TensorPrimitives"/> (vectorized <c>Dot</c>, <c>MultiplyAdd</c>,
/// <c>Max</c>, <c>Exp</c>, <c>SoftMax</c> …, one call per row or per output); the element-wise ReLU gradient and the
/// fused Adam update are plain <see cref="Vector512{T}"/>/<see cref="Vector256{T}"/>/<see cref="Vector128{T}"/> loops.
/// Weights are PyTorch's <c>[out, in]</c> row-major, work buffers are preallocated, a call allocates nothing.
/// </summary>
/// <remarks>
/// Not deliberately slow, and not heroically tuned either: there are no register-blocked micro-kernels, no packing
/// and no cache tiling; that is the generator's job. Each output of a dense layer is one <c>Dot</c> over the input
/// row, and each weight-gradient row is accumulated over the batch with <c>MultiplyAdd</c>.
/// </remarks>
public sealed class SimdMlp(IReadOnlyList<int> sizes, int maxBatch) : MlpBaseline(sizes, maxBatch)
{
    public override float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int rows = Rows(inputs);
        CheckLabels(labels, rows);
        Forward(inputs, rows);

        // Softmax cross-entropy per row: loss = log Σ exp(z − max) + max − z[y]; ∂L/∂z = (softmax(z) − onehot(y)) / rows.
        int classes = Outputs;
        float[] zLast = Z[Layers - 1], dLast = D[Layers - 1];
        float totalLoss = 0f;
        float invRows = 1f / rows;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> z = zLast.AsSpan(r * classes, classes);
            Span<float> d = dLast.AsSpan(r * classes, classes);
            float max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, d);
            TensorPrimitives.Exp(d, d);
            float sum = TensorPrimitives.Sum(d);
            int y = labels[r];
            totalLoss += MathF.Log(sum) + max - z[y];
            TensorPrimitives.Multiply(d, invRows / sum, d);
            d[y] -= invRows;
        }

        Span<float> p = Parameters, g = Gradients;
        for (int l = Layers - 1; l >= 0; l--)
        {
            int nIn = Sizes[l], nOut = Sizes[l + 1];
            ReadOnlySpan<float> x = l == 0 ? inputs : A[l - 1];
            ReadOnlySpan<float> dl = D[l];

            // ∂L/∂W[o, :] = Σ_r d[r, o]·x[r, :], one weight-gradient row at a time (it stays in L1 over the batch).
            Span<float> gw = g.Slice(WeightOffset[l], nOut * nIn);
            for (int o = 0; o < nOut; o++)
            {
                Span<float> row = gw.Slice(o * nIn, nIn);
                TensorPrimitives.Multiply(x[..nIn], dl[o], row);
                for (int r = 1; r < rows; r++) TensorPrimitives.MultiplyAdd(x.Slice(r * nIn, nIn), dl[r * nOut + o], row, row);
            }
            // ∂L/∂b = Σ_r d[r, :].
            Span<float> gb = g.Slice(BiasOffset[l], nOut);
            dl[..nOut].CopyTo(gb);
            for (int r = 1; r < rows; r++) TensorPrimitives.Add(gb, dl.Slice(r * nOut, nOut), gb);

            // dPrev[r, :] = Σ_o d[r, o]·W[o, :], then the previous layer's ReLU gradient. (Not for layer 0: x is the input.)
            if (l == 0) break;
            ReadOnlySpan<float> weights = p.Slice(WeightOffset[l], nOut * nIn);
            Span<float> dPrev = D[l - 1].AsSpan(0, rows * nIn);
            for (int r = 0; r < rows; r++)
            {
                Span<float> dRow = dPrev.Slice(r * nIn, nIn);
                TensorPrimitives.Multiply(weights[..nIn], dl[r * nOut], dRow);
                for (int o = 1; o < nOut; o++) TensorPrimitives.MultiplyAdd(weights.Slice(o * nIn, nIn), dl[r * nOut + o], dRow, dRow);
            }
            ReluBackward(Z[l - 1].AsSpan(0, rows * nIn), dPrev);
        }

        AdamStep();
        return totalLoss / rows;
    }

    public override void Infer(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int rows = Rows(inputs);
        int classes = Outputs;
        if (outputs.Length != rows * classes) throw new ArgumentException($"Expected {rows * classes} outputs.", nameof(outputs));
        Forward(inputs, rows);
        float[] z = Z[Layers - 1];
        for (int r = 0; r < rows; r++) TensorPrimitives.SoftMax(z.AsSpan(r * classes, classes), outputs.Slice(r * classes, classes));
    }

    private void Forward(ReadOnlySpan<float> inputs, int rows)
    {
        ReadOnlySpan<float> p = Parameters;
        for (int l = 0; l < Layers; l++)
        {
            // z[r, o] = Dot(x[r, :], W[o, :]) + b[o]; a = ReLU(z) = Max(z, 0) on hidden layers.
            int nIn = Sizes[l], nOut = Sizes[l + 1];
            ReadOnlySpan<float> x = l == 0 ? inputs : A[l - 1];
            ReadOnlySpan<float> weights = p.Slice(WeightOffset[l], nOut * nIn);
            ReadOnlySpan<float> bias = p.Slice(BiasOffset[l], nOut);
            Span<float> z = Z[l].AsSpan(0, rows * nOut);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> xRow = x.Slice(r * nIn, nIn);
                Span<float> zRow = z.Slice(r * nOut, nOut);
                for (int o = 0; o < nOut; o++) zRow[o] = TensorPrimitives.Dot(xRow, weights.Slice(o * nIn, nIn));
                TensorPrimitives.Add(zRow, bias, zRow);
            }
            if (l < Layers - 1) TensorPrimitives.Max(z, 0f, A[l].AsSpan(0, rows * nOut));
        }
    }

    /// <summary>d ← (z &gt; 0) ? d : 0, element-wise.</summary>
    private static void ReluBackward(ReadOnlySpan<float> z, Span<float> d)
    {
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float dr = ref MemoryMarshal.GetReference(d);
        int n = d.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                Vector512<float> mask = Vector512.GreaterThan(Vector512.LoadUnsafe(ref zr, (nuint)i), Vector512<float>.Zero);
                (Vector512.LoadUnsafe(ref dr, (nuint)i) & mask).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                Vector256<float> mask = Vector256.GreaterThan(Vector256.LoadUnsafe(ref zr, (nuint)i), Vector256<float>.Zero);
                (Vector256.LoadUnsafe(ref dr, (nuint)i) & mask).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                Vector128<float> mask = Vector128.GreaterThan(Vector128.LoadUnsafe(ref zr, (nuint)i), Vector128<float>.Zero);
                (Vector128.LoadUnsafe(ref dr, (nuint)i) & mask).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            if (!(Unsafe.Add(ref zr, i) > 0f)) Unsafe.Add(ref dr, i) = 0f;
        }
    }

    /// <summary>
    /// One fused Adam pass over all parameters: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
    /// θ ← θ − η/(1 − β₁ᵗ) · m / (√(v/(1 − β₂ᵗ)) + ε), the same arithmetic as the generated step.
    /// </summary>
    public override void AdamStep()
    {
        (float stepSize, float vScale) = AdamScalars(++Step);
        const float b1 = Beta1, b2 = Beta2, c1 = 1f - Beta1, c2 = 1f - Beta2, eps = Epsilon;
        ref float pr = ref MemoryMarshal.GetArrayDataReference(Parameters);
        ref float gr = ref MemoryMarshal.GetArrayDataReference(Gradients);
        ref float mr = ref MemoryMarshal.GetArrayDataReference(M);
        ref float vr = ref MemoryMarshal.GetArrayDataReference(V);
        int n = ParameterCount, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                Vector512<float> g = Vector512.LoadUnsafe(ref gr, (nuint)i);
                Vector512<float> m = Vector512.FusedMultiplyAdd(Vector512.Create(b1), Vector512.LoadUnsafe(ref mr, (nuint)i), Vector512.Create(c1) * g);
                Vector512<float> v = Vector512.FusedMultiplyAdd(Vector512.Create(b2), Vector512.LoadUnsafe(ref vr, (nuint)i), Vector512.Create(c2) * g * g);
                m.StoreUnsafe(ref mr, (nuint)i);
                v.StoreUnsafe(ref vr, (nuint)i);
                Vector512<float> p = Vector512.LoadUnsafe(ref pr, (nuint)i);
                (p - Vector512.Create(stepSize) * m / (Vector512.Sqrt(v * Vector512.Create(vScale)) + Vector512.Create(eps))).StoreUnsafe(ref pr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                Vector256<float> g = Vector256.LoadUnsafe(ref gr, (nuint)i);
                Vector256<float> m = Vector256.FusedMultiplyAdd(Vector256.Create(b1), Vector256.LoadUnsafe(ref mr, (nuint)i), Vector256.Create(c1) * g);
                Vector256<float> v = Vector256.FusedMultiplyAdd(Vector256.Create(b2), Vector256.LoadUnsafe(ref vr, (nuint)i), Vector256.Create(c2) * g * g);
                m.StoreUnsafe(ref mr, (nuint)i);
                v.StoreUnsafe(ref vr, (nuint)i);
                Vector256<float> p = Vector256.LoadUnsafe(ref pr, (nuint)i);
                (p - Vector256.Create(stepSize) * m / (Vector256.Sqrt(v * Vector256.Create(vScale)) + Vector256.Create(eps))).StoreUnsafe(ref pr, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                Vector128<float> g = Vector128.LoadUnsafe(ref gr, (nuint)i);
                Vector128<float> m = Vector128.FusedMultiplyAdd(Vector128.Create(b1), Vector128.LoadUnsafe(ref mr, (nuint)i), Vector128.Create(c1) * g);
                Vector128<float> v = Vector128.FusedMultiplyAdd(Vector128.Create(b2), Vector128.LoadUnsafe(ref vr, (nuint)i), Vector128.Create(c2) * g * g);
                m.StoreUnsafe(ref mr, (nuint)i);
                v.StoreUnsafe(ref vr, (nuint)i);
                Vector128<float> p = Vector128.LoadUnsafe(ref pr, (nuint)i);
                (p - Vector128.Create(stepSize) * m / (Vector128.Sqrt(v * Vector128.Create(vScale)) + Vector128.Create(eps))).StoreUnsafe(ref pr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float g = Unsafe.Add(ref gr, i);
            float m = MathF.FusedMultiplyAdd(b1, Unsafe.Add(ref mr, i), c1 * g);
            float v = MathF.FusedMultiplyAdd(b2, Unsafe.Add(ref vr, i), c2 * g * g);
            Unsafe.Add(ref mr, i) = m;
            Unsafe.Add(ref vr, i) = v;
            Unsafe.Add(ref pr, i) -= stepSize * m / (MathF.Sqrt(v * vScale) + eps);
        }
    }
}
