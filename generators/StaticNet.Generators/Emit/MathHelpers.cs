using System.Collections.Generic;
using System.Linq;

namespace StaticNet.Generators.Emit;

/// <summary>
/// Small math functions the vector types lack (atan) or that need care in float (log1p and the
/// soft-exponential ratios), written once with <see cref="Lane"/> and emitted into the network
/// class for the scalar lane and every vector width, so a kernel's vector loop and its tail agree.
/// </summary>
internal static class MathHelpers
{
    public const string Atan = nameof(Atan);
    public const string Log1p = nameof(Log1p);
    public const string Log1pRatio = nameof(Log1pRatio);
    public const string Expm1Ratio = nameof(Expm1Ratio);
    public const string SoftExpG = nameof(SoftExpG);
    public const string SoftExpH = nameof(SoftExpH);

    private static readonly string[] Order = { Atan, Log1p, Log1pRatio, Expm1Ratio, SoftExpG, SoftExpH };

    /// <summary>Emits the helpers named in <paramref name="names"/> (and what they call), each for every lane kind.</summary>
    public static void Emit(CodeWriter w, IEnumerable<string> names)
    {
        var wanted = new HashSet<string>(names);
        if (wanted.Contains(SoftExpH)) wanted.Add(Log1p);
        foreach (string name in Order.Where(wanted.Contains))
        {
            foreach (Simd v in new[] { Simd.Scalar }.Concat(Simd.Paths))
            {
                w.Line();
                EmitOne(w, name, v);
            }
        }
    }

    private static void EmitOne(CodeWriter w, string name, Simd v)
    {
        w.Summary(Summary(name));
        w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (w.Block($"private static {v.Vec} {name}({v.Vec} x)"))
        {
            var c = new Lane(w, v).Reserve("x");
            w.Line($"return {Body(c, name)};");
        }
    }

    private static string Summary(string name) => name switch
    {
        Atan => "atan x (Cephes' atanf): reduced to |x| ≤ tan(π/8) with atan x = π/2 − atan(1/x) and π/4 + atan((x − 1)/(x + 1)), then an odd polynomial; about 1e-7 relative error.",
        Log1p => "ln(1 + x) without the cancellation of 1 + x (Goldberg): with w = 1 + x rounded, ln(w)·x/(w − 1).",
        Log1pRatio => "ln(1 + x)/x, 1 at x = 0, computed as ln(w)/(w − 1) with w = 1 + x rounded.",
        Expm1Ratio => "(e^x − 1)/x, 1 at x = 0: (u − 1)/ln u with u = e^x for |x| &lt; 0.5 (Kahan), (u − 1)/x beyond.",
        SoftExpG => "G(x) = (x e^x − e^x + 1)/x², soft exponential's ∂f/∂α for α &gt; 0; its series Σ_k (k + 1)/(k + 2)! x^k for |x| &lt; 0.5.",
        SoftExpH => "H(x) = (ln(1 + x) − x/(1 + x))/x², soft exponential's ∂f/∂α for α &lt; 0; its series Σ_n (−1)^n (n + 1)/(n + 2) x^n for |x| &lt; 0.1.",
        _ => name,
    };

    private static string Horner(Lane c, string x, params float[] coefficients)
    {
        string result = c.C(coefficients[coefficients.Length - 1]);
        for (int k = coefficients.Length - 2; k >= 0; k--)
        {
            result = $"{c.C(coefficients[k])} + {x} * ({result})";
        }
        return result;
    }

    private static string Body(Lane c, string name)
    {
        Simd v = c.V;
        string one = v.One;
        switch (name)
        {
            case Atan:
            {
                string ax = c.Let("ax", v.Abs("x"));
                string big = c.LetMask("big", v.Gt(ax, c.C(2.414213562373095f)));
                string mid = c.LetMask("mid", v.Gt(ax, c.C(0.4142135623730950f)));
                string r = c.Let("r", v.Select(big, $"-{one} / {ax}", v.Select(mid, $"({ax} - {one}) / ({ax} + {one})", ax)));
                string offset = c.Let("offset", v.Select(big, c.C(1.5707963267948966f), v.Select(mid, c.C(0.7853981633974483f), v.Zero)));
                string r2 = c.Let("r2", $"{r} * {r}");
                string p = c.Let("p", $"{offset} + ({Horner(c, r2, -3.33329491539e-1f, 1.99777106478e-1f, -1.38776856032e-1f, 8.05374449538e-2f)}) * {r2} * {r} + {r}");
                return v.Select(v.Lt("x", v.Zero), "-" + p, p);
            }
            case Log1p:
            {
                string w = c.Let("w", $"{one} + x");
                return v.Select(v.Eq(w, one), "x", $"{v.Log(w)} * x / ({w} - {one})");
            }
            case Log1pRatio:
            {
                string w = c.Let("w", $"{one} + x");
                return v.Select(v.Eq(w, one), one, $"{v.Log(w)} / ({w} - {one})");
            }
            case Expm1Ratio:
            {
                string u = c.Let("u", v.Exp("x"));
                string near = v.Select(v.Eq(u, one), one, $"({u} - {one}) / {v.Log(u)}");
                return v.Select(v.Lt(v.Abs("x"), c.C(0.5f)), near, $"({u} - {one}) / x");
            }
            case SoftExpG:
            {
                string series = Horner(c, "x", 1f / 2, 1f / 3, 1f / 8, 1f / 30, 1f / 144, 1f / 840, 1f / 5760, 1f / 45360, 1f / 403200);
                string direct = $"({v.Exp("x")} * (x - {one}) + {one}) / (x * x)";
                return v.Select(v.Lt(v.Abs("x"), c.C(0.5f)), series, direct);
            }
            case SoftExpH:
            {
                string series = Horner(c, "x", 1f / 2, -2f / 3, 3f / 4, -4f / 5, 5f / 6, -6f / 7, 7f / 8, -8f / 9);
                string direct = $"(Log1p(x) - x / ({one} + x)) / (x * x)";
                return v.Select(v.Lt(v.Abs("x"), c.C(0.1f)), series, direct);
            }
            default:
                throw new System.ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }
}
