using System.Collections.Generic;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Activations;

/// <summary>f(z) = ln(1 + e^z) = max(z, 0) + ln(1 + e^−|z|) (no overflow, no cancellation); f′ = σ(z).</summary>
internal sealed class SoftPlus : ActivationDefinition
{
    public static readonly SoftPlus Instance = new();
    public override Activation Kind => Activation.SoftPlus;
    public override string Formula => "ln(1 + e^z) = max(z, 0) + log1p(e^-|z|)";
    public override string DerivativeFormula => "1 / (1 + e^-z)";
    public override Initializer DefaultInitializer => Initializer.HeUniform;
    public override IEnumerable<string> Helpers => new[] { MathHelpers.Log1p };
    public override string Forward(Lane c, ActivationModel m) => $"{c.V.Max(Z(c), c.V.Zero)} + Log1p({c.V.Exp("-" + c.V.Abs(Z(c)))})";
    public override string Derivative(Lane c, ActivationModel m) => $"{c.V.One} / ({c.V.One} + {c.V.Exp("-" + Z(c))})";
}

/// <summary>f(z) = (√(z² + 1) − 1)/2 + z, computed as z² / (2(√(z² + 1) + 1)) + z; f′ = z / (2√(z² + 1)) + 1.</summary>
internal sealed class BentIdentity : ActivationDefinition
{
    public static readonly BentIdentity Instance = new();
    public override Activation Kind => Activation.BentIdentity;
    public override string Formula => "(sqrt(z^2 + 1) - 1) / 2 + z = z^2 / (2 (sqrt(z^2 + 1) + 1)) + z";
    public override string DerivativeFormula => "z / (2 sqrt(z^2 + 1)) + 1";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override string Forward(Lane c, ActivationModel m) => $"{Z(c)} * {Z(c)} / ({c.C(2f)} * ({Root(c)} + {c.V.One})) + {Z(c)}";
    public override string Derivative(Lane c, ActivationModel m) => $"{Z(c)} / ({c.C(2f)} * {Root(c)}) + {c.V.One}";

    private static string Root(Lane c) => c.Let("root", c.V.Sqrt($"{Z(c)} * {Z(c)} + {c.V.One}"));
}

/// <summary>SiLU (Swish): f(z) = z·σ(z); f′ = σ(z)(1 + z(1 − σ(z))).</summary>
internal sealed class SiLU : ActivationDefinition
{
    public static readonly SiLU Instance = new();
    public override Activation Kind => Activation.SiLU;
    public override string Formula => "z σ(z)";
    public override string DerivativeFormula => "σ(z) (1 + z (1 - σ(z)))";
    public override Initializer DefaultInitializer => Initializer.HeUniform;
    public override string Forward(Lane c, ActivationModel m) => $"{Z(c)} * {S(c)}";
    public override string Derivative(Lane c, ActivationModel m) => $"{S(c)} * ({c.V.One} + {Z(c)} * ({c.V.One} - {S(c)}))";

    private static string S(Lane c) => c.Let("s", $"{c.V.One} / ({c.V.One} + {c.V.Exp("-" + Z(c))})");
}

/// <summary>
/// Soft exponential with α learned per unit. For α ≥ 0: f = z·E(αz) + α with E(t) = (e^t − 1)/t
/// (E(0) = 1, so α = 0 gives z); for α &lt; 0, with w = z + α and s = −αw: f = w·L(s), L(s) = ln(1 + s)/s.
/// f′ = e^{αz} or 1/(1 + s); ∂f/∂α = z²·G(αz) + 1 or w²·H(s) + 1/(1 + s), with the series forms of
/// G and H near 0 (both → 1/2, so ∂f/∂α is continuous at α = 0: z²/2 + 1).
/// </summary>
internal sealed class SoftExponential : ActivationDefinition
{
    public static readonly SoftExponential Instance = new();
    public override IReadOnlyList<ActivationArgument> Arguments { get; } = new[] { ActivationArgument.Finite("Alpha", Defaults.SoftExponentialAlpha) };
    public override Activation Kind => Activation.SoftExponential;
    public override string TensorPrefix => "softexp";
    public override string Formula => "α < 0: -ln(1 - α (z + α)) / α; α = 0: z; α > 0: (e^(αz) - 1) / α + α; α learned per unit";
    public override string DerivativeFormula => "α >= 0 ? e^(αz) : 1 / (1 - α (z + α)); ∂f/∂α = α >= 0 ? z^2 G(αz) + 1 : w^2 H(s) + 1 / (1 + s), w = z + α, s = -α w";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override string Constants(ActivationModel m) => "α starts at " + F(m.Alpha);
    public override IEnumerable<string> Helpers => new[] { MathHelpers.Expm1Ratio, MathHelpers.Log1pRatio, MathHelpers.SoftExpG, MathHelpers.SoftExpH };

    public override IReadOnlyList<LearnedParameter> Learned(ActivationModel m)
        => new[] { new LearnedParameter("alpha", "alpha", "Alpha", 1, new[] { m.Alpha }) };

    private static string NonNegative(Lane c) => c.LetMask("nonNegative", c.V.Ge(Parameter(c, "alpha"), c.V.Zero));

    private static string T(Lane c) => c.Let("t", $"{Parameter(c, "alpha")} * {Z(c)}");

    private static string W(Lane c) => c.Let("w", $"{Z(c)} + {Parameter(c, "alpha")}");

    private static string S(Lane c) => c.Let("s", $"-{Parameter(c, "alpha")} * {W(c)}");

    public override string Forward(Lane c, ActivationModel m)
        => c.V.Select(NonNegative(c), $"{Z(c)} * Expm1Ratio({T(c)}) + {Parameter(c, "alpha")}", $"{W(c)} * Log1pRatio({S(c)})");

    public override string Derivative(Lane c, ActivationModel m)
        => c.V.Select(NonNegative(c), c.V.Exp(T(c)), $"{c.V.One} / ({c.V.One} + {S(c)})");

    public override string ParameterDerivative(Lane c, ActivationModel m, string parameter, int row)
        => c.V.Select(NonNegative(c),
            $"{Z(c)} * {Z(c)} * SoftExpG({T(c)}) + {c.V.One}",
            $"{W(c)} * {W(c)} * SoftExpH({S(c)}) + {c.V.One} / ({c.V.One} + {S(c)})");
}

/// <summary>f(z) = sin z; f′ = cos z.</summary>
internal sealed class Sinusoid : ActivationDefinition
{
    public static readonly Sinusoid Instance = new();
    public override Activation Kind => Activation.Sinusoid;
    public override string Formula => "sin z";
    public override string DerivativeFormula => "cos z";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override string Forward(Lane c, ActivationModel m) => c.V.Sin(Z(c));
    public override string Derivative(Lane c, ActivationModel m) => c.V.Cos(Z(c));
}

/// <summary>
/// f(z) = sin(z)/z, 1 at 0; f′ = (z cos z − sin z)/z², 0 at 0. For |z| &lt; 0.1 both use their
/// Taylor series (1 − z²/6 + z⁴/120 − z⁶/5040 and −z/3 + z³/30 − z⁵/840), which avoid 0/0 and the
/// cancellation in f′.
/// </summary>
internal sealed class Sinc : ActivationDefinition
{
    public static readonly Sinc Instance = new();
    public override Activation Kind => Activation.Sinc;
    public override string Formula => "z == 0 ? 1 : sin(z) / z (Taylor series for |z| < 0.1)";
    public override string DerivativeFormula => "z == 0 ? 0 : (z cos z - sin z) / z^2 (Taylor series for |z| < 0.1)";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;

    private static string Small(Lane c) => c.LetMask("small", c.V.Lt(c.V.Abs(Z(c)), c.C(0.1f)));

    private static string Z2(Lane c) => c.Let("z2", $"{Z(c)} * {Z(c)}");

    public override string Forward(Lane c, ActivationModel m)
    {
        string z2 = Z2(c);
        string series = $"{c.V.One} + {z2} * ({c.C(-1f / 6f)} + {z2} * ({c.C(1f / 120f)} - {z2} * {c.C(1f / 5040f)}))";
        return c.V.Select(Small(c), series, $"{c.V.Sin(Z(c))} / {Z(c)}");
    }

    public override string Derivative(Lane c, ActivationModel m)
    {
        string z = Z(c), z2 = Z2(c);
        string series = $"{z} * ({c.C(-1f / 3f)} + {z2} * ({c.C(1f / 30f)} - {z2} * {c.C(1f / 840f)}))";
        return c.V.Select(Small(c), series, $"({z} * {c.V.Cos(z)} - {c.V.Sin(z)}) / {z2}");
    }
}

/// <summary>
/// GELU, tanh approximation: f(z) = z/2 (1 + t), t = tanh(k(z + 0.044715z³)), k = √(2/π);
/// f′ = (1 + t)/2 + z/2 (1 − t²) k (1 + 3·0.044715z²).
/// </summary>
internal sealed class Gelu : ActivationDefinition
{
    private const float K = 0.7978845608028654f;
    private const float C3 = 0.044715f;

    public static readonly Gelu Instance = new();
    public override Activation Kind => Activation.GELU;
    public override string Formula => "z / 2 (1 + tanh(sqrt(2/π) (z + 0.044715 z^3)))";
    public override string DerivativeFormula => "(1 + t) / 2 + z / 2 (1 - t^2) sqrt(2/π) (1 + 3 · 0.044715 z^2)";
    public override Initializer DefaultInitializer => Initializer.HeUniform;

    private static string T(Lane c)
    {
        string z = Z(c);
        string u = c.Let("u", $"{c.C(K)} * ({z} + {c.C(C3)} * {z} * {z} * {z})");
        return c.Let("t", $"{c.V.One} - {c.C(2f)} / ({c.V.Exp($"{u} + {u}")} + {c.V.One})");
    }

    public override string Forward(Lane c, ActivationModel m) => $"{c.C(0.5f)} * {Z(c)} * ({c.V.One} + {T(c)})";

    public override string Derivative(Lane c, ActivationModel m)
    {
        string z = Z(c), t = T(c);
        return $"{c.C(0.5f)} * ({c.V.One} + {t}) + {c.C(0.5f * K)} * {z} * ({c.V.One} - {t} * {t}) * ({c.V.One} + {c.C(3f * C3)} * {z} * {z})";
    }
}
