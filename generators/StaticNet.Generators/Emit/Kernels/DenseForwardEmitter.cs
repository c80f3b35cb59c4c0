using StaticNet.Generators.Emit.Activations;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Kernels;

/// <summary>Emits a Dense layer's forward product with its bias: z = x·Wᵀ + b.</summary>
internal static class DenseForwardEmitter
{
    public static void Emit(CodeWriter w, DenseLayerModel l)
    {
        int n = l.Inputs, m = l.LinearUnits;
        w.Summary(
            $"Layer {l.Index} forward: z[r, o] = b[o] + Σ_i x[r, i] · W[o, i], for o &lt; {m}, i &lt; {n}.",
            l.IsMaxout
                ? $"W is [{l.Pieces}, {l.Units}, {n}] row-major: piece k of unit u is output o = k·{l.Units} + u, a dot product along i."
                : $"W is [{m}, {n}] row-major (PyTorch's layout), so each output is a dot product along i.");
        w.Line(KernelNames.HotAttribute);
        using (w.Block($"private static void {KernelNames.Forward(l)}(ref float x, ref float w, ref float b, ref float z, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float xr = ref Unsafe.Add(ref x, r * {n});");
            w.Line($"ref float zr = ref Unsafe.Add(ref z, r * {m});");
            using (w.Block($"for (int o = 0; o < {m}; o++)"))
            {
                w.Line($"ref float wo = ref Unsafe.Add(ref w, o * {n});");
                w.Line("float sum;");
                Simd.Ladder(w, n, v =>
                {
                    int full = v.Full(n);
                    if (full == 0)
                    {
                        w.Line("sum = 0f;");
                    }
                    else
                    {
                        w.Line($"{v.Vec} acc = {v.Zero};");
                        using (w.Block($"for (int i = 0; i < {full}; i += {v.Lanes})"))
                        {
                            w.Line($"acc = {v.Fma(v.Load("xr", "i"), v.Load("wo", "i"), "acc")};");
                        }
                        w.Line($"sum = {v.Type}.Sum(acc);");
                    }
                    v.Tail(w, full, n, t => t.Line("sum += Unsafe.Add(ref xr, i) * Unsafe.Add(ref wo, i);"));
                });
                w.Line("Unsafe.Add(ref zr, o) = sum + Unsafe.Add(ref b, o);");
            }
        }
    }
}
