using System.Collections.Generic;
using System.Linq;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Activations;

/// <summary>f(z) = z ≥ 0 ? z : αz; f′ = z ≥ 0 ? 1 : α.</summary>
internal sealed class LeakyReLU : ActivationDefinition
{
    public static readonly LeakyReLU Instance = new();
    public override IReadOnlyList<ActivationArgument> Arguments { get; } = new[] { ActivationArgument.Finite("Alpha", Defaults.LeakyReLUAlpha) };
    public override Activation Kind => Activation.LeakyReLU;
    public override string Formula => "z >= 0 ? z : α z";
    public override string DerivativeFormula => "z >= 0 ? 1 : α";
    public override Initializer DefaultInitializer => Initializer.HeUniform;
    public override string Constants(ActivationModel m) => "α = " + F(m.Alpha);
    public override string Forward(Lane c, ActivationModel m) => c.V.Select(Positive(c), Z(c), $"{c.C(m.Alpha)} * {Z(c)}");
    public override string Derivative(Lane c, ActivationModel m) => c.V.Select(Positive(c), c.V.One, c.C(m.Alpha));

    internal static string Positive(Lane c) => c.LetMask("positive", c.V.Ge(Z(c), c.V.Zero));
}

/// <summary>f(z) = z ≥ 0 ? z : αz with α learned per unit; ∂f/∂α = z ≥ 0 ? 0 : z.</summary>
internal sealed class PReLU : ActivationDefinition
{
    public static readonly PReLU Instance = new();
    public override IReadOnlyList<ActivationArgument> Arguments { get; } = new[] { ActivationArgument.Finite("Alpha", Defaults.PReLUAlpha) };
    public override Activation Kind => Activation.PReLU;
    public override string Formula => "z >= 0 ? z : α z, α learned per unit";
    public override string DerivativeFormula => "z >= 0 ? 1 : α; ∂f/∂α = z >= 0 ? 0 : z";
    public override Initializer DefaultInitializer => Initializer.HeUniform;
    public override string Constants(ActivationModel m) => "α starts at " + F(m.Alpha);

    public override IReadOnlyList<LearnedParameter> Learned(ActivationModel m)
        => new[] { new LearnedParameter("alpha", "alpha", "Alpha", 1, new[] { m.Alpha }) };

    public override string Forward(Lane c, ActivationModel m) => c.V.Select(LeakyReLU.Positive(c), Z(c), $"{Parameter(c, "alpha")} * {Z(c)}");
    public override string Derivative(Lane c, ActivationModel m) => c.V.Select(LeakyReLU.Positive(c), c.V.One, Parameter(c, "alpha"));
    public override string ParameterDerivative(Lane c, ActivationModel m, string parameter, int row) => c.V.Select(LeakyReLU.Positive(c), c.V.Zero, Z(c));
}

/// <summary>
/// f(z) = z ≥ 0 ? z : s·z with s ~ U(l, u) per element in training and s = (l + u)/2 at
/// inference; f′ = z ≥ 0 ? 1 : s (the slope training drew, kept for the backward pass).
/// </summary>
internal sealed class RReLU : ActivationDefinition
{
    public static readonly RReLU Instance = new();
    public override IReadOnlyList<ActivationArgument> Arguments { get; } = new[] { ActivationArgument.Finite("Lower", Defaults.RReLULower) with { IsValid = v => v >= 0f && Ranges.IsFinite(v), Range = "zero or positive and finite" }, ActivationArgument.Finite("Upper", Defaults.RReLUUpper) };
    public override (string Argument, string Range)? CheckTogether(ActivationModel m) => m.Upper < m.Lower ? ("Upper", "at least Lower (" + F(m.Lower) + ")") : null;
    public override Activation Kind => Activation.RReLU;
    public override string Formula => "z >= 0 ? z : s z, s ~ U(l, u) per element in training, (l + u) / 2 at inference";
    public override string DerivativeFormula => "z >= 0 ? 1 : s";
    public override Initializer DefaultInitializer => Initializer.HeUniform;
    public override bool IsRandomized => true;
    public override string Constants(ActivationModel m) => $"l = {F(m.Lower)}, u = {F(m.Upper)}";
    public override string Forward(Lane c, ActivationModel m) => c.V.Select(LeakyReLU.Positive(c), Z(c), $"{c.Get("slope")} * {Z(c)}");
    public override string Derivative(Lane c, ActivationModel m) => c.V.Select(LeakyReLU.Positive(c), c.V.One, c.Get("slope"));
}

/// <summary>f(z) = z &gt; 0 ? z : α(e^z − 1); f′ = z &gt; 0 ? 1 : αe^z.</summary>
internal sealed class Elu : ActivationDefinition
{
    public static readonly Elu Instance = new();
    public override IReadOnlyList<ActivationArgument> Arguments { get; } = new[] { ActivationArgument.Positive("Alpha", Defaults.EluAlpha) };
    public override Activation Kind => Activation.ELU;
    public override string Formula => "z > 0 ? z : α (e^z - 1)";
    public override string DerivativeFormula => "z > 0 ? 1 : α e^z";
    public override Initializer DefaultInitializer => Initializer.HeUniform;
    public override string Constants(ActivationModel m) => "α = " + F(m.Alpha);
    public override string Forward(Lane c, ActivationModel m) => c.V.Select(Positive(c), Z(c), $"{c.C(m.Alpha)} * ({E(c)} - {c.V.One})");
    public override string Derivative(Lane c, ActivationModel m) => c.V.Select(Positive(c), c.V.One, $"{c.C(m.Alpha)} * {E(c)}");

    private static string Positive(Lane c) => c.LetMask("positive", c.V.Gt(Z(c), c.V.Zero));

    /// <summary>e^min(z, 0): the exponential of the negative branch, never overflowing.</summary>
    internal static string E(Lane c) => c.Let("e", c.V.Exp(c.V.Min(Z(c), c.V.Zero)));
}

/// <summary>f(z) = λ(z ≥ 0 ? z : α(e^z − 1)); f′ = z ≥ 0 ? λ : λαe^z.</summary>
internal sealed class Selu : ActivationDefinition
{
    public static readonly Selu Instance = new();
    public override IReadOnlyList<ActivationArgument> Arguments { get; } = new[] { ActivationArgument.Positive("Alpha", Defaults.SeluAlpha), ActivationArgument.Positive("Lambda", Defaults.SeluLambda) };
    public override Activation Kind => Activation.SELU;
    public override string Formula => "λ (z >= 0 ? z : α (e^z - 1))";
    public override string DerivativeFormula => "z >= 0 ? λ : λ α e^z";
    public override Initializer DefaultInitializer => Initializer.LeCunNormal;
    public override string Constants(ActivationModel m) => $"λ = {F(m.Lambda)}, α = {F(m.Alpha)}";
    public override string Forward(Lane c, ActivationModel m)
        => $"{c.C(m.Lambda)} * {c.V.Select(LeakyReLU.Positive(c), Z(c), $"{c.C(m.Alpha)} * ({Elu.E(c)} - {c.V.One})")}";
    public override string Derivative(Lane c, ActivationModel m)
        => c.V.Select(LeakyReLU.Positive(c), c.C(m.Lambda), $"{c.C(m.Lambda * m.Alpha)} * {Elu.E(c)}");
}

/// <summary>
/// S-shaped ReLU with t_l, a_l, t_r, a_r learned per unit: t_l + a_l(z − t_l) for z ≤ t_l, else
/// t_r + a_r(z − t_r) for z ≥ t_r, else z.
/// </summary>
internal sealed class SReLU : ActivationDefinition
{
    public static readonly SReLU Instance = new();
    public override IReadOnlyList<ActivationArgument> Arguments { get; } = new[] { ActivationArgument.Finite("LeftThreshold", Defaults.SReLULeftThreshold), ActivationArgument.Finite("LeftSlope", Defaults.SReLULeftSlope), ActivationArgument.Finite("RightThreshold", Defaults.SReLURightThreshold), ActivationArgument.Finite("RightSlope", Defaults.SReLURightSlope) };
    public override Activation Kind => Activation.SReLU;
    public override string Formula => "z <= t_l ? t_l + a_l (z - t_l) : z >= t_r ? t_r + a_r (z - t_r) : z, all four learned per unit";
    public override string DerivativeFormula => "left ? a_l : right ? a_r : 1; ∂f/∂t_l = left ? 1 - a_l : 0, ∂f/∂a_l = left ? z - t_l : 0, ∂f/∂t_r = right ? 1 - a_r : 0, ∂f/∂a_r = right ? z - t_r : 0";
    public override Initializer DefaultInitializer => Initializer.HeUniform;
    public override string Constants(ActivationModel m) => $"t_l, a_l, t_r, a_r start at {F(m.LeftThreshold)}, {F(m.LeftSlope)}, {F(m.RightThreshold)}, {F(m.RightSlope)}";

    public override IReadOnlyList<LearnedParameter> Learned(ActivationModel m) => new[]
    {
        new LearnedParameter("t_left", "tLeft", "LeftThreshold", 1, new[] { m.LeftThreshold }),
        new LearnedParameter("a_left", "aLeft", "LeftSlope", 1, new[] { m.LeftSlope }),
        new LearnedParameter("t_right", "tRight", "RightThreshold", 1, new[] { m.RightThreshold }),
        new LearnedParameter("a_right", "aRight", "RightSlope", 1, new[] { m.RightSlope }),
    };

    private static string Left(Lane c) => c.LetMask("left", c.V.Le(Z(c), Parameter(c, "t_left")));

    private static string Right(Lane c) => c.LetMask("right", c.V.Ge(Z(c), Parameter(c, "t_right")));

    public override string Forward(Lane c, ActivationModel m)
    {
        string z = Z(c), tl = Parameter(c, "t_left"), al = Parameter(c, "a_left"), tr = Parameter(c, "t_right"), ar = Parameter(c, "a_right");
        return c.V.Select(Left(c), $"{tl} + {al} * ({z} - {tl})", c.V.Select(Right(c), $"{tr} + {ar} * ({z} - {tr})", z));
    }

    public override string Derivative(Lane c, ActivationModel m)
        => c.V.Select(Left(c), Parameter(c, "a_left"), c.V.Select(Right(c), Parameter(c, "a_right"), c.V.One));

    public override string ParameterDerivative(Lane c, ActivationModel m, string parameter, int row)
    {
        string z = Z(c), zero = c.V.Zero, one = c.V.One;
        return parameter switch
        {
            "t_left" => c.V.Select(Left(c), $"{one} - {Parameter(c, "a_left")}", zero),
            "a_left" => c.V.Select(Left(c), $"{z} - {Parameter(c, "t_left")}", zero),
            "t_right" => c.V.Select(Left(c), zero, c.V.Select(Right(c), $"{one} - {Parameter(c, "a_right")}", zero)),
            _ => c.V.Select(Left(c), zero, c.V.Select(Right(c), $"{z} - {Parameter(c, "t_right")}", zero)),
        };
    }
}

/// <summary>f(z) = z ≥ 0 ? z : z / √(1 + αz²); f′ = z ≥ 0 ? 1 : (1 / √(1 + αz²))³.</summary>
internal sealed class Isrlu : ActivationDefinition
{
    public static readonly Isrlu Instance = new();
    public override IReadOnlyList<ActivationArgument> Arguments { get; } = new[] { ActivationArgument.Positive("Alpha", Defaults.EluAlpha) };
    public override Activation Kind => Activation.ISRLU;
    public override string Formula => "z >= 0 ? z : z / sqrt(1 + α z^2)";
    public override string DerivativeFormula => "z >= 0 ? 1 : r^3 with r = 1 / sqrt(1 + α z^2)";
    public override Initializer DefaultInitializer => Initializer.HeUniform;
    public override string Constants(ActivationModel m) => "α = " + F(m.Alpha);
    public override string Forward(Lane c, ActivationModel m) => c.V.Select(LeakyReLU.Positive(c), Z(c), $"{Z(c)} * {Isru.R(c, m)}");

    public override string Derivative(Lane c, ActivationModel m)
    {
        string r = Isru.R(c, m);
        return c.V.Select(LeakyReLU.Positive(c), c.V.One, $"{r} * {r} * {r}");
    }
}

/// <summary>
/// Adaptive piecewise linear: f(z) = max(0, z) + Σ_s a_s max(0, b_s − z), a and b learned per
/// unit and hinge; f′ = [z &gt; 0] − Σ_s a_s [b_s &gt; z]; ∂f/∂a_s = max(0, b_s − z); ∂f/∂b_s = a_s [b_s &gt; z].
/// </summary>
internal sealed class Apl : ActivationDefinition
{
    public static readonly Apl Instance = new();
    public override IReadOnlyList<ActivationArgument> Arguments { get; } = new[] { new ActivationArgument("Hinges", Defaults.AplHinges, v => v >= 1 && v <= Defaults.AplMaxHinges, "between 1 and 64", IsInteger: true) };
    public override Activation Kind => Activation.APL;
    public override string Formula => "max(0, z) + Σ_s a_s max(0, b_s - z), a and b learned per unit and hinge";
    public override string DerivativeFormula => "[z > 0] - Σ_s a_s [b_s > z]; ∂f/∂a_s = max(0, b_s - z), ∂f/∂b_s = a_s [b_s > z]";
    public override Initializer DefaultInitializer => Initializer.HeUniform;
    public override string Constants(ActivationModel m) => "S = " + m.Hinges + " hinges";

    public override IReadOnlyList<LearnedParameter> Learned(ActivationModel m)
    {
        int s = m.Hinges;
        return new[]
        {
            new LearnedParameter("a", "hingeA", "HingeSlopes", s, new float[s]),
            new LearnedParameter("b", "hingeB", "HingeOffsets", s, Enumerable.Range(0, s).Select(k => -1f + (2f * k + 1f) / s).ToArray()),
        };
    }

    private static string Hinge(Lane c, int s) => c.LetMask("hinge" + s, c.V.Gt(Parameter(c, "b", s), Z(c)));

    public override string Forward(Lane c, ActivationModel m)
    {
        string sum = c.V.Max(Z(c), c.V.Zero);
        for (int s = 0; s < m.Hinges; s++)
        {
            sum += $" + {Parameter(c, "a", s)} * {c.V.Max($"{Parameter(c, "b", s)} - {Z(c)}", c.V.Zero)}";
        }
        return sum;
    }

    public override string Derivative(Lane c, ActivationModel m)
    {
        string d = c.V.Mask01(c.V.Gt(Z(c), c.V.Zero));
        for (int s = 0; s < m.Hinges; s++)
        {
            d += $" - {c.V.Select(Hinge(c, s), Parameter(c, "a", s), c.V.Zero)}";
        }
        return d;
    }

    public override string ParameterDerivative(Lane c, ActivationModel m, string parameter, int row) => parameter == "a"
        ? c.V.Max($"{Parameter(c, "b", row)} - {Z(c)}", c.V.Zero)
        : c.V.Select(Hinge(c, row), Parameter(c, "a", row), c.V.Zero);
}
