using StaticNet.Generators.Emit.Activations;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Kernels;

/// <summary>Emits a layer's activation pass, a = f(z), and its backward pass, d ← d ⊙ f′(z).</summary>
internal static class ActivationEmitter
{
    public static void EmitForward(CodeWriter w, DenseLayerModel l)
    {
        ActivationDefinition f = ActivationCatalog.Get(l.Activation);
        int m = l.Units;
        w.Summary($"Layer {l.Index} activation ({l.Activation}): a = {f.Formula}, element-wise over [rows, {m}].");
        w.Line(KernelNames.HotAttribute);
        using (w.Block($"private static void {KernelNames.Activation(l)}(ref float z, ref float a, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float zr = ref Unsafe.Add(ref z, r * {m});");
            w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {m});");
            Simd.Ladder(w, m, v => v.Map(w, m,
                vectorBody: b =>
                {
                    b.Line($"{v.Vec} zv = {v.Load("zr", "i")};");
                    b.Line(v.Store(f.Vector(v, "zv"), "ar", "i"));
                },
                scalarBody: b =>
                {
                    b.Line("float zs = Unsafe.Add(ref zr, i);");
                    b.Line($"Unsafe.Add(ref ar, i) = {f.Scalar("zs")};");
                }));
        }
    }

    private static bool Uses(string expression, string variable)
        => System.Text.RegularExpressions.Regex.IsMatch(expression, "(?<![\\w@])" + System.Text.RegularExpressions.Regex.Escape(variable) + "(?!\\w)");

    public static void EmitBackward(CodeWriter w, DenseLayerModel l)
    {
        ActivationDefinition f = ActivationCatalog.Get(l.Activation);
        int m = l.Units;
        w.Summary(
            $"Layer {l.Index} activation backward ({l.Activation}): d ← d ⊙ f′(z) with f′ = {f.DerivativeFormula},",
            "turning ∂L/∂a into ∂L/∂z in place.");
        w.Line(KernelNames.HotAttribute);
        using (w.Block($"private static void {KernelNames.ActivationBackward(l)}(ref float z, ref float a, ref float d, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float zr = ref Unsafe.Add(ref z, r * {m});");
            w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {m});");
            w.Line($"ref float dr = ref Unsafe.Add(ref d, r * {m});");
            Simd.Ladder(w, m, v => v.Map(w, m,
                vectorBody: b =>
                {
                    // Load only what the derivative reads.
                    string derivative = f.DerivativeVector(v, "zv", "av");
                    if (Uses(derivative, "zv")) b.Line($"{v.Vec} zv = {v.Load("zr", "i")};");
                    if (Uses(derivative, "av")) b.Line($"{v.Vec} av = {v.Load("ar", "i")};");
                    b.Line(v.Store($"{v.Load("dr", "i")} * ({derivative})", "dr", "i"));
                },
                scalarBody: b =>
                {
                    string derivative = f.DerivativeScalar("zs", "@as");
                    if (Uses(derivative, "zs")) b.Line("float zs = Unsafe.Add(ref zr, i);");
                    if (Uses(derivative, "@as")) b.Line("float @as = Unsafe.Add(ref ar, i);");
                    b.Line($"Unsafe.Add(ref dr, i) *= {derivative};"); // compound assignment: the whole expression multiplies
                }));
        }
    }
}
