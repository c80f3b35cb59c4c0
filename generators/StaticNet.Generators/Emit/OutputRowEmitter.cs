using System.Collections.Generic;
using System.Linq;
using System;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit;

/// <summary>
/// Emits the small vectorized helpers the loss and softmax kernels use on one output row of
/// constant width: max, shifted exponentials, scaling, sums, squared error.
/// </summary>
internal static class OutputRowEmitter
{
    private const string Inline = "[MethodImpl(MethodImplOptions.AggressiveInlining)]";

    /// <summary>Every helper, in the order they are written.</summary>
    private static readonly string[] All =
    {
        "RowMax", "RowExp", "RowSum", "RowDot", "RowScale", "RowScaleSubtract", "RowSquaredError",
        "RowSoftmaxBackward", "RowBinaryCrossEntropy", "RowBinaryCrossEntropyTargets", "RowSigmoid", "RowHinge",
    };

    /// <summary>Writes the helpers named in <paramref name="names"/> (only those: the loss and softmax kernels say which they call).</summary>
    public static void Emit(CodeWriter w, int n, IEnumerable<string> names)
    {
        var wanted = new HashSet<string>(names);
        EmitAll(w, n, All.Where(wanted.Contains).ToArray());
    }

    private static void EmitAll(CodeWriter w, int n, params string[] names)
    {
        for (int k = 0; k < names.Length; k++)
        {
            if (k > 0) w.Line();
            EmitOne(w, n, names[k]);
        }
    }

    private static void EmitOne(CodeWriter w, int n, string name)
    {
        switch (name)
        {
            case "RowMax":
                Reduce(w, n, "RowMax", "ref float v", $"Largest of the {n} values of a row.",
                init: v => v.Broadcast("float.NegativeInfinity"), scalarInit: "float.NegativeInfinity",
                vectorStep: v => $"acc = {v.Type}.Max(acc, {v.Load("v", "i")});",
                combine: v => $"for (int k = 0; k < {v.Lanes}; k++) result = MathF.Max(result, acc.GetElement(k));",
                scalarStep: "result = MathF.Max(result, Unsafe.Add(ref v, i));");
                break;
            case "RowExp":
                Reduce(w, n, "RowExp", "ref float v, float shift, ref float e", $"e[j] = exp(v[j] − shift) for the {n} values of a row; returns Σ e[j].",
                init: v => v.Zero, scalarInit: "0f",
                vectorStep: v => $"{v.Vec} ev = {v.Type}.Exp({v.Load("v", "i")} - {v.Broadcast("shift")});\n{v.Store("ev", "e", "i")}\nacc += ev;",
                combine: v => $"result = {v.Type}.Sum(acc);",
                scalarStep: "float es = MathF.Exp(Unsafe.Add(ref v, i) - shift);\nUnsafe.Add(ref e, i) = es;\nresult += es;");
                break;
            case "RowSum":
                Reduce(w, n, "RowSum", "ref float v", $"Σ v[j] over the {n} values of a row.",
                init: v => v.Zero, scalarInit: "0f",
                vectorStep: v => $"acc += {v.Load("v", "i")};",
                combine: v => $"result = {v.Type}.Sum(acc);",
                scalarStep: "result += Unsafe.Add(ref v, i);");
                break;
            case "RowDot":
                Reduce(w, n, "RowDot", "ref float x, ref float y", $"Σ x[j]·y[j] over the {n} values of a row.",
                init: v => v.Zero, scalarInit: "0f",
                vectorStep: v => $"acc = {v.Fma(v.Load("x", "i"), v.Load("y", "i"), "acc")};",
                combine: v => $"result = {v.Type}.Sum(acc);",
                scalarStep: "result += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);");
                break;
            case "RowSquaredError":
                Reduce(w, n, "RowSquaredError", "ref float a, ref float t, ref float d, float c", $"d[j] = c·(a[j] − t[j]) for the {n} values of a row; returns Σ (a[j] − t[j])².",
                init: v => v.Zero, scalarInit: "0f",
                vectorStep: v => $"{v.Vec} diff = {v.Load("a", "i")} - {v.Load("t", "i")};\n{v.Store($"diff * {v.Broadcast("c")}", "d", "i")}\nacc = {v.Fma("diff", "diff", "acc")};",
                combine: v => $"result = {v.Type}.Sum(acc);",
                scalarStep: "float ds = Unsafe.Add(ref a, i) - Unsafe.Add(ref t, i);\nUnsafe.Add(ref d, i) = ds * c;\nresult += ds * ds;");
                break;
            case "RowBinaryCrossEntropy":
                Reduce(w, n, "RowBinaryCrossEntropy", "ref float a, ref float d, float c",
                    $"Binary cross-entropy from logits against all-zero targets for the {n} values of a row: returns Σ max(a, 0) + ln(1 + e^−|a|), writes d = c·σ(a).",
                init: v => v.Zero, scalarInit: "0f",
                vectorStep: v => $"{v.Vec} ai = {v.Load("a", "i")};\nacc += {v.Max("ai", v.Zero)} + Log1p({v.Exp("-" + v.Abs("ai"))});\n{v.Store($"{v.Broadcast("c")} / ({v.One} + {v.Exp("-ai")})", "d", "i")}",
                combine: v => $"result = {v.Type}.Sum(acc);",
                scalarStep: "float ai = Unsafe.Add(ref a, i);\nresult += MathF.Max(ai, 0f) + Log1p(MathF.Exp(-MathF.Abs(ai)));\nUnsafe.Add(ref d, i) = c / (1f + MathF.Exp(-ai));");
                break;
            case "RowBinaryCrossEntropyTargets":
                Reduce(w, n, "RowBinaryCrossEntropyTargets", "ref float a, ref float t, ref float d, float c",
                    $"Binary cross-entropy from logits for the {n} values of a row: returns Σ max(a, 0) − a·t + ln(1 + e^−|a|), writes d = c·(σ(a) − t).",
                init: v => v.Zero, scalarInit: "0f",
                vectorStep: v => $"{v.Vec} ai = {v.Load("a", "i")};\n{v.Vec} ti = {v.Load("t", "i")};\nacc += {v.Max("ai", v.Zero)} - ai * ti + Log1p({v.Exp("-" + v.Abs("ai"))});\n{v.Store($"({v.One} / ({v.One} + {v.Exp("-ai")}) - ti) * {v.Broadcast("c")}", "d", "i")}",
                combine: v => $"result = {v.Type}.Sum(acc);",
                scalarStep: "float ai = Unsafe.Add(ref a, i);\nfloat ti = Unsafe.Add(ref t, i);\nresult += MathF.Max(ai, 0f) - ai * ti + Log1p(MathF.Exp(-MathF.Abs(ai)));\nUnsafe.Add(ref d, i) = (1f / (1f + MathF.Exp(-ai)) - ti) * c;");
                break;
            case "RowHinge":
                Reduce(w, n, "RowHinge", "ref float a, float sy, ref float d, float c",
                    $"Hinge margins for the {n} values of a row: m = a − s_y + 1; returns Σ max(0, m) and writes d = c·[m &gt; 0] (the class itself counts m = 1: callers correct it).",
                init: v => v.Zero, scalarInit: "0f",
                vectorStep: v => $"{v.Vec} margin = {v.Load("a", "i")} - {v.Broadcast("sy")} + {v.One};\nacc += {v.Max("margin", v.Zero)};\n{v.Store($"{v.Mask01(v.Gt("margin", v.Zero))} * {v.Broadcast("c")}", "d", "i")}",
                combine: v => $"result = {v.Type}.Sum(acc);",
                scalarStep: "float margin = Unsafe.Add(ref a, i) - sy + 1f;\nresult += MathF.Max(margin, 0f);\nUnsafe.Add(ref d, i) = margin > 0f ? c : 0f;");
                break;
            case "RowSigmoid":
                Map(w, n, "RowSigmoid", "ref float a, ref float p", $"p[j] = σ(a[j]) = 1 / (1 + e^−a[j]) for the {n} values of a row.",
                vectorStep: v => v.Store($"{v.One} / ({v.One} + {v.Exp("-" + v.Load("a", "i"))})", "p", "i"),
                scalarStep: "Unsafe.Add(ref p, i) = 1f / (1f + MathF.Exp(-Unsafe.Add(ref a, i)));");
                break;
            case "RowSoftmaxBackward":
                Map(w, n, "RowSoftmaxBackward", "ref float d, ref float a, float dot", $"d[j] ← a[j]·(d[j] − dot) for the {n} values of a row (softmax's Jacobian).",
                vectorStep: v => v.Store($"{v.Load("a", "i")} * ({v.Load("d", "i")} - {v.Broadcast("dot")})", "d", "i"),
                scalarStep: "Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) * (Unsafe.Add(ref d, i) - dot);");
                break;
            case "RowScale":
                Map(w, n, "RowScale", "ref float v, float s", $"v[j] ← s·v[j] for the {n} values of a row.",
                vectorStep: v => v.Store($"{v.Load("v", "i")} * {v.Broadcast("s")}", "v", "i"),
                scalarStep: "Unsafe.Add(ref v, i) *= s;");
                break;
            case "RowScaleSubtract":
                Map(w, n, "RowScaleSubtract", "ref float v, float s, ref float t, float c", $"v[j] ← s·v[j] − c·t[j] for the {n} values of a row.",
                vectorStep: v => v.Store($"{v.Load("v", "i")} * {v.Broadcast("s")} - {v.Load("t", "i")} * {v.Broadcast("c")}", "v", "i"),
                scalarStep: "Unsafe.Add(ref v, i) = Unsafe.Add(ref v, i) * s - Unsafe.Add(ref t, i) * c;");
                break;
        }
    }

    private static void Reduce(CodeWriter w, int n, string name, string parameters, string summary,
        Func<Simd, string> init, string scalarInit, Func<Simd, string> vectorStep, Func<Simd, string> combine, string scalarStep)
    {
        w.Summary(summary);
        w.Line(Inline);
        using (w.Block($"private static float {name}({parameters})"))
        {
            w.Line($"float result = {scalarInit};");
            Simd.Ladder(w, n, v =>
            {
                int full = v.Full(n);
                if (full > 0)
                {
                    w.Line($"{v.Vec} acc = {init(v)};");
                    using (w.Block($"for (int i = 0; i < {full}; i += {v.Lanes})"))
                    {
                        w.Line(vectorStep(v));
                    }
                    w.Line(combine(v));
                }
                v.Tail(w, full, n, t => t.Line(scalarStep));
            });
            w.Line("return result;");
        }
    }

    private static void Map(CodeWriter w, int n, string name, string parameters, string summary, Func<Simd, string> vectorStep, string scalarStep)
    {
        w.Summary(summary);
        w.Line(Inline);
        using (w.Block($"private static void {name}({parameters})"))
        {
            Simd.Ladder(w, n, v => v.Map(w, n, b => b.Line(vectorStep(v)), b => b.Line(scalarStep)));
        }
    }
}
