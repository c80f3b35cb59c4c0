using System.Globalization;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Kernels;

/// <summary>Emits dropout: the training pass that draws a mask per example, the notes' inference scaling, and the backward pass.</summary>
internal static class DropoutEmitter
{
    private static string Percent(float rate) => (rate * 100f).ToString("0.###", CultureInfo.InvariantCulture) + "%";

    /// <summary>The training pass of layer <paramref name="l"/> (or of the inputs when null) over width <paramref name="m"/>.</summary>
    public static void EmitTraining(CodeWriter w, DenseLayerModel? l, int m, float rate, DropoutFormKind form)
    {
        float scale = form == DropoutFormKind.Inverted ? 1f / (1f - rate) : 1f;
        string what = l is null ? "Input dropout" : $"Layer {l.Index} dropout";
        w.Summary(
            $"{what}, training, over [rows, {m}]: each value of each example is dropped with probability p = {Simd.Number(rate)} ({Percent(rate)}):",
            $"mask = U ≥ p ? {Simd.Number(scale)} : 0 with U the training noise of key at element r·{m} + j, and y = a·mask",
            form == DropoutFormKind.Inverted
                ? "(inverted dropout: kept values are scaled by 1/(1 − p), so inference uses the network as it is). The mask is kept for the backward pass."
                : "(the notes' form: no scaling in training; inference scales by 1 − p). The mask is kept for the backward pass.");
        w.Line(KernelNames.HotAttribute);
        using (w.Block($"private static void {(l is null ? KernelNames.InputDropout : KernelNames.Dropout(l))}(ref float a, ref float mask, ref float y, uint key, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {m});");
            w.Line($"ref float mr = ref Unsafe.Add(ref mask, r * {m});");
            w.Line($"ref float yr = ref Unsafe.Add(ref y, r * {m});");
            Simd.Ladder(w, m, s => s.MapUniform(w, m, v =>
            {
                w.Line($"{v.Vec} keep = {v.Select(v.Ge(v.Uniform("key", $"r * {m} + i"), v.Const(rate)), v.Const(scale), v.Zero)};");
                w.Line(v.Store("keep", "mr", "i"));
                w.Line(v.Store($"{v.Load("ar", "i")} * keep", "yr", "i"));
            }));
        }
    }

    /// <summary>The notes' inference pass: y = (1 − p)·a (the weights reading the layer, scaled).</summary>
    public static void EmitInference(CodeWriter w, DenseLayerModel? l, int m, float rate)
    {
        string what = l is null ? "Input dropout" : $"Layer {l.Index} dropout";
        w.Summary(
            $"{what}, inference in the notes' form, over [rows, {m}]: y = (1 − p)·a = {Simd.Number(1f - rate)}·a,",
            "the same as multiplying the weights that read these values by 1 − p. Nothing is dropped.");
        w.Line(KernelNames.HotAttribute);
        using (w.Block($"private static void {(l is null ? KernelNames.InputDropoutInference : KernelNames.DropoutInference(l))}(ref float a, ref float y, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {m});");
            w.Line($"ref float yr = ref Unsafe.Add(ref y, r * {m});");
            Simd.Ladder(w, m, s => s.MapUniform(w, m, v => w.Line(v.Store($"{v.Load("ar", "i")} * {v.Const(1f - rate)}", "yr", "i"))));
        }
    }

    public static void EmitBackward(CodeWriter w, DenseLayerModel l)
    {
        int m = l.Units;
        w.Summary($"Layer {l.Index} dropout backward, over [rows, {m}]: d ← d·mask, the mask of the training pass.");
        w.Line(KernelNames.HotAttribute);
        using (w.Block($"private static void {KernelNames.DropoutBackward(l)}(ref float mask, ref float d, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float mr = ref Unsafe.Add(ref mask, r * {m});");
            w.Line($"ref float dr = ref Unsafe.Add(ref d, r * {m});");
            Simd.Ladder(w, m, s => s.MapUniform(w, m, v => w.Line(v.Store($"{v.Load("dr", "i")} * {v.Load("mr", "i")}", "dr", "i"))));
        }
    }
}
