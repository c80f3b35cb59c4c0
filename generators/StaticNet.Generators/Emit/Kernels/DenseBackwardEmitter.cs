using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Kernels;

/// <summary>Emits a Dense layer's two backward products: ∂L/∂W, ∂L/∂b and ∂L/∂x.</summary>
internal static class DenseBackwardEmitter
{
    public static void EmitWeightGradient(CodeWriter w, DenseLayerModel l)
    {
        int n = l.Inputs, m = l.LinearUnits;
        w.Summary(
            $"Layer {l.Index} weight gradient: dW[o, i] = Σ_r dz[r, o] · x[r, i] and db[o] = Σ_r dz[r, o],",
            $"for o &lt; {m}, i &lt; {n}. Overwrites dW and db; runs along i, summing over the batch in registers.");
        w.Line(KernelNames.HotAttribute);
        using (w.Block($"private static void {KernelNames.WeightGradient(l)}(ref float x, ref float dz, ref float dw, ref float db, int rows)"))
        using (w.Block($"for (int o = 0; o < {m}; o++)"))
        {
            w.Line($"ref float dwo = ref Unsafe.Add(ref dw, o * {n});");
            w.Line("float bias = 0f;");
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                w.Line($"bias += Unsafe.Add(ref dz, r * {m} + o);");
            }
            w.Line("Unsafe.Add(ref db, o) = bias;");
            Simd.Ladder(w, n, v =>
            {
                int full = v.Full(n);
                if (full > 0)
                {
                    using (w.Block($"for (int i = 0; i < {full}; i += {v.Lanes})"))
                    {
                        w.Line($"{v.Vec} acc = {v.Zero};");
                        using (w.Block("for (int r = 0; r < rows; r++)"))
                        {
                            w.Line($"acc = {v.Fma(v.Broadcast($"Unsafe.Add(ref dz, r * {m} + o)"), v.Load("x", $"r * {n} + i"), "acc")};");
                        }
                        w.Line(v.Store("acc", "dwo", "i"));
                    }
                }
                v.Tail(w, full, n, t =>
                {
                    t.Line("float sum = 0f;");
                    using (t.Block("for (int r = 0; r < rows; r++)"))
                    {
                        t.Line($"sum += Unsafe.Add(ref dz, r * {m} + o) * Unsafe.Add(ref x, r * {n} + i);");
                    }
                    t.Line("Unsafe.Add(ref dwo, i) = sum;");
                });
            });
        }
    }

    public static void EmitInputGradient(CodeWriter w, DenseLayerModel l)
    {
        int n = l.Inputs, m = l.LinearUnits;
        w.Summary(
            $"Layer {l.Index} input gradient: dx[r, i] = Σ_o dz[r, o] · W[o, i], for i &lt; {n}, o &lt; {m}.",
            "Overwrites dx; runs along i, summing over the outputs in registers.");
        w.Line(KernelNames.HotAttribute);
        using (w.Block($"private static void {KernelNames.InputGradient(l)}(ref float dz, ref float w, ref float dx, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float dzr = ref Unsafe.Add(ref dz, r * {m});");
            w.Line($"ref float dxr = ref Unsafe.Add(ref dx, r * {n});");
            Simd.Ladder(w, n, v =>
            {
                int full = v.Full(n);
                if (full > 0)
                {
                    using (w.Block($"for (int i = 0; i < {full}; i += {v.Lanes})"))
                    {
                        w.Line($"{v.Vec} acc = {v.Zero};");
                        using (w.Block($"for (int o = 0; o < {m}; o++)"))
                        {
                            w.Line($"acc = {v.Fma(v.Broadcast("Unsafe.Add(ref dzr, o)"), v.Load("w", $"o * {n} + i"), "acc")};");
                        }
                        w.Line(v.Store("acc", "dxr", "i"));
                    }
                }
                v.Tail(w, full, n, t =>
                {
                    t.Line("float sum = 0f;");
                    using (t.Block($"for (int o = 0; o < {m}; o++)"))
                    {
                        t.Line($"sum += Unsafe.Add(ref dzr, o) * Unsafe.Add(ref w, o * {n} + i);");
                    }
                    t.Line("Unsafe.Add(ref dxr, i) = sum;");
                });
            });
        }
    }
}
