using System.Globalization;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Dropout;

/// <summary>Emits dropout: the training pass that draws a mask per example, the notes' inference scaling, and the backward pass.</summary>
internal static class DropoutKernels
{
    private static string Percent(float rate) => (rate * 100f).ToString("0.###", CultureInfo.InvariantCulture) + "%";

    /// <summary>The training pass, over <c>Units</c> values per row.</summary>
    public static void EmitTraining(CodeWriter w, DropoutModel d, string name)
    {
        int m = d.Units;
        float rate = d.Rate;
        DropoutForm form = d.Form;
        float scale = form == DropoutForm.Inverted ? 1f / (1f - rate) : 1f;
        string what = $"Dropout of {m} values";
        w.Summary(
            $"{what}, training, over [rows, {m}]: each value of each example is dropped with probability p = {Simd.Number(rate)} ({Percent(rate)}):",
            $"mask = U ≥ p ? {Simd.Number(scale)} : 0 with U the training noise of key at element r·{m} + j, and y = a·mask",
            form == DropoutForm.Inverted
                ? "(inverted dropout: kept values are scaled by 1/(1 − p), so inference uses the network as it is). The mask is kept for the backward pass."
                : "(the notes' form: no scaling in training; inference scales by 1 − p). The mask is kept for the backward pass.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}Training(ref float a, ref float mask, ref float y, uint key, int rows)"))
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
    public static void EmitInference(CodeWriter w, DropoutModel d, string name)
    {
        int m = d.Units;
        float rate = d.Rate;
        string what = $"Dropout of {m} values";
        w.Summary(
            $"{what}, inference in the notes' form, over [rows, {m}]: y = (1 − p)·a = {Simd.Number(1f - rate)}·a,",
            "the same as multiplying the weights that read these values by 1 − p. Nothing is dropped.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}Inference(ref float a, ref float y, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {m});");
            w.Line($"ref float yr = ref Unsafe.Add(ref y, r * {m});");
            Simd.Ladder(w, m, s => s.MapUniform(w, m, v => w.Line(v.Store($"{v.Load("ar", "i")} * {v.Const(1f - rate)}", "yr", "i"))));
        }
    }

    public static void EmitBackward(CodeWriter w, DropoutModel d, string name)
    {
        int m = d.Units;
        w.Summary($"Dropout of {m} values, backward, over [rows, {m}]: d ← d·mask, the mask of the training pass.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}Backward(ref float mask, ref float d, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float mr = ref Unsafe.Add(ref mask, r * {m});");
            w.Line($"ref float dr = ref Unsafe.Add(ref d, r * {m});");
            Simd.Ladder(w, m, s => s.MapUniform(w, m, v => w.Line(v.Store($"{v.Load("dr", "i")} * {v.Load("mr", "i")}", "dr", "i"))));
        }
    }
}
