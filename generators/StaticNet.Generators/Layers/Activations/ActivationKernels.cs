using System.Collections.Generic;
using System.Linq;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Activations;

/// <summary>
/// Emits a layer's activation pass, a = f(z), and its backward pass, d ← d ⊙ f′(z), which also
/// accumulates the gradients of the activation's learned parameters. Element-wise activations are
/// written once per lane (see <see cref="Lane"/>); softmax has row-wise kernels.
/// </summary>
internal static class ActivationKernels
{
    /// <summary>The kernel parameters of the learned tensors, in order, as "ref float name".</summary>
    public static IEnumerable<LearnedParameter> LearnedOf(ActivationModel a) => ActivationCatalog.Get(a.Kind).Learned(a);

    public static string GradientReference(LearnedParameter p) => "g" + char.ToUpperInvariant(p.Reference[0]) + p.Reference.Substring(1);

    private static string Header(ActivationModel a, ActivationDefinition f)
    {
        string constants = f.Constants(a);
        return constants.Length == 0 ? $"{a.Kind} of {a.Units} values" : $"{a.Kind} of {a.Units} values ({constants})";
    }

    /// <summary>
    /// The inference pass, or with <paramref name="training"/> RReLU's training pass, which draws
    /// every slope and keeps it for the backward pass.
    /// </summary>
    public static void EmitForward(CodeWriter w, ActivationModel l, string name, bool training = false)
    {
        ActivationDefinition f = ActivationCatalog.Get(l.Kind);
        if (f.IsRowWise)
        {
            EmitSoftmaxForward(w, l, name);
            return;
        }
        int m = l.Units;
        ActivationModel model = l;
        LearnedParameter[] learned = LearnedOf(l).ToArray();
        var parameters = new List<string> { "ref float z", "ref float a" };
        parameters.AddRange(learned.Select(p => "ref float " + p.Reference));
        if (training) parameters.AddRange(new[] { "ref float slopes", "uint key" });
        parameters.Add("int rows");

        var summary = new List<string> { $"{Header(l, f)}: a = {Escape(f.Formula)}, element-wise over [rows, {m}]." };
        if (f.IsRandomized)
        {
            summary.Add(training
                ? $"Training: s = l + (u − l)·U with U the training noise of key at element r·{m} + j; s is kept in slopes for the backward pass."
                : $"Inference: s = (l + u)/2 = {F((model.Lower + model.Upper) / 2f)}.");
        }
        w.Summary(summary.ToArray());
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}{(training ? "Training" : "")}({string.Join(", ", parameters)})"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float zr = ref Unsafe.Add(ref z, r * {m});");
            w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {m});");
            if (training) w.Line($"ref float sr = ref Unsafe.Add(ref slopes, r * {m});");
            Simd.Ladder(w, m, v => v.MapUniform(w, m, lane =>
            {
                Lane c = NewLane(w, lane, l, learned);
                if (f.IsRandomized)
                {
                    c.Input("slope", training
                        ? () =>
                        {
                            string s = c.Let("slope", $"{lane.Const(model.Lower)} + {lane.Const(model.Upper - model.Lower)} * {lane.Uniform("key", $"r * {m} + i")}");
                            w.Line(lane.Store(s, "sr", "i"));
                            return s;
                        }
                        : () => c.Let("slope", lane.Const((model.Lower + model.Upper) / 2f)));
                }
                w.Line(lane.Store(f.Forward(c, model), "ar", "i"));
            }));
        }
    }

    public static void EmitBackward(CodeWriter w, ActivationModel l, string name)
    {
        ActivationDefinition f = ActivationCatalog.Get(l.Kind);
        if (f.IsRowWise)
        {
            EmitSoftmaxBackward(w, l, name);
            return;
        }
        int m = l.Units;
        ActivationModel model = l;
        LearnedParameter[] learned = LearnedOf(l).ToArray();
        var parameters = new List<string> { "ref float z", "ref float a" };
        if (f.IsRandomized) parameters.Add("ref float slopes");
        parameters.AddRange(learned.Select(p => "ref float " + p.Reference));
        parameters.AddRange(learned.Select(p => "ref float " + GradientReference(p)));
        parameters.AddRange(new[] { "ref float d", "int rows" });

        var summary = new List<string>
        {
            $"{Header(l, f)} backward: d ← d ⊙ f′(z) with f′ = {Escape(f.DerivativeFormula)},",
            "turning ∂L/∂a into ∂L/∂z in place.",
        };
        if (learned.Length > 0) summary.Add("Overwrites the learned parameters' gradients with ∂L/∂θ[j] = Σ_r d[r, j] · ∂f/∂θ(z[r, j]).");
        if (f.IsRandomized) summary.Add("s is the slope the training pass drew.");
        w.Summary(summary.ToArray());
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}Backward({string.Join(", ", parameters)})"))
        {
            foreach (LearnedParameter p in learned)
            {
                w.Line($"Unsafe.InitBlockUnaligned(ref Unsafe.As<float, byte>(ref {GradientReference(p)}), 0, {p.Rows * m * 4}); // {p.Name}: the rows are summed below");
            }
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                w.Line($"ref float zr = ref Unsafe.Add(ref z, r * {m});");
                w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {m});");
                if (f.IsRandomized) w.Line($"ref float sr = ref Unsafe.Add(ref slopes, r * {m});");
                w.Line($"ref float dr = ref Unsafe.Add(ref d, r * {m});");
                Simd.Ladder(w, m, v => v.MapUniform(w, m, lane =>
                {
                    Lane c = NewLane(w, lane, l, learned);
                    c.LoadInput("a", "ai", "ar", "i");
                    if (f.IsRandomized) c.LoadInput("slope", "slope", "sr", "i");
                    string di = c.Let("di", lane.Load("dr", "i"));
                    foreach (LearnedParameter p in learned)
                    {
                        for (int row = 0; row < p.Rows; row++)
                        {
                            string offset = row == 0 ? "i" : $"{row * m} + i";
                            string g = GradientReference(p);
                            string derivative = f.ParameterDerivative(c, model, p.Name, row);
                            w.Line(lane.Store(lane.Fma(di, derivative, lane.Load(g, offset)), g, offset) + $" // ∂L/∂{p.Name}{(p.Rows > 1 ? "[" + row + "]" : "")}");
                        }
                    }
                    w.Line(lane.Store($"{di} * {Simd.Paren(f.Derivative(c, model))}", "dr", "i"));
                }));
            }
        }
    }

    private static Lane NewLane(CodeWriter w, Simd lane, ActivationModel l, LearnedParameter[] learned)
    {
        var c = new Lane(w, lane).Reserve("z", "a", "d", "slopes", "key", "rows", "r", "i", "zr", "ar", "dr", "sr");
        c.Reserve(learned.Select(p => p.Reference).Concat(learned.Select(GradientReference)).ToArray());
        c.LoadInput("z", "zi", "zr", "i");
        foreach (LearnedParameter p in learned)
        {
            for (int row = 0; row < p.Rows; row++)
            {
                c.LoadInput(ActivationDefinition.Key(p.Name, row), p.RowVariable(row), p.Reference, row == 0 ? "i" : $"{row * l.Units} + i");
            }
        }
        return c;
    }

    private static void EmitSoftmaxForward(CodeWriter w, ActivationModel l, string name)
    {
        int m = l.Units;
        w.Summary($"Softmax of {m} values: a[r, j] = e^(z[r, j] − max_k z[r, k]) / Σ_k e^(z[r, k] − max_k z[r, k]), row by row over [rows, {m}].");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}(ref float z, ref float a, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float zr = ref Unsafe.Add(ref z, r * {m});");
            w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {m});");
            w.Line("float sum = RowExp(ref zr, RowMax(ref zr), ref ar);");
            w.Line("RowScale(ref ar, 1f / sum);");
        }
    }

    private static void EmitSoftmaxBackward(CodeWriter w, ActivationModel l, string name)
    {
        int m = l.Units;
        w.Summary(
            $"Softmax of {m} values, backward: through the Jacobian, d[r, j] ← a[r, j] · (d[r, j] − Σ_k d[r, k] a[r, k]),",
            $"row by row over [rows, {m}], turning ∂L/∂a into ∂L/∂z in place.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}Backward(ref float a, ref float d, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {m});");
            w.Line($"ref float dr = ref Unsafe.Add(ref d, r * {m});");
            w.Line("RowSoftmaxBackward(ref dr, ref ar, RowDot(ref dr, ref ar));");
        }
    }

    private static string F(float value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Formulas go into XML comments: escape &lt; and &gt; and &amp;.</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
