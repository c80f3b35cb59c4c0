using System;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Kernels;

/// <summary>
/// Emits the small vectorized helpers the loss and softmax kernels use on one output row of
/// constant width: max, shifted exponentials, scaling, sums, squared error.
/// </summary>
internal static class OutputRowEmitter
{
    private const string Inline = "[MethodImpl(MethodImplOptions.AggressiveInlining)]";

    public static void Emit(CodeWriter w, int n, LossKind loss)
    {
        // Only the helpers the loss kernels call.
        if (loss == LossKind.SoftmaxCrossEntropy)
        {
            EmitAll(w, n, "RowMax", "RowExp", "RowSum", "RowDot", "RowScale", "RowScaleSubtract");
        }
        else
        {
            EmitAll(w, n, "RowDot", "RowScale", "RowSquaredError");
        }
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
