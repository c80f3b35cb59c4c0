using System.Collections.Generic;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Activations;

/// <summary>f(z) = z.</summary>
internal sealed class Identity : ActivationDefinition
{
    public static readonly Identity Instance = new();
    public override Activation Kind => Activation.Identity;
    public override string Formula => "z";
    public override string DerivativeFormula => "1";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override bool IsIdentity => true;
    public override string Forward(Lane c, ActivationModel m) => Z(c);
    public override string Derivative(Lane c, ActivationModel m) => c.V.One;
}

/// <summary>f(z) = 1 / (1 + e^−z); f′ = a(1 − a).</summary>
internal sealed class Sigmoid : ActivationDefinition
{
    public static readonly Sigmoid Instance = new();
    public override Activation Kind => Activation.Sigmoid;
    public override string Formula => "1 / (1 + e^-z)";
    public override string DerivativeFormula => "a (1 - a)";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override string Forward(Lane c, ActivationModel m) => $"{c.V.One} / ({c.V.One} + {c.V.Exp("-" + Z(c))})";
    public override string Derivative(Lane c, ActivationModel m) => $"{A(c)} * ({c.V.One} - {A(c)})";
}

/// <summary>f(z) = tanh z = 1 − 2 / (e^2z + 1); f′ = 1 − a².</summary>
internal sealed class Tanh : ActivationDefinition
{
    public static readonly Tanh Instance = new();
    public override Activation Kind => Activation.Tanh;
    public override string Formula => "tanh z = 1 - 2 / (e^2z + 1)";
    public override string DerivativeFormula => "1 - a^2";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override string Forward(Lane c, ActivationModel m) => $"{c.V.One} - {c.C(2f)} / ({c.V.Exp($"{Z(c)} + {Z(c)}")} + {c.V.One})";
    public override string Derivative(Lane c, ActivationModel m) => $"{c.V.One} - {A(c)} * {A(c)}";
}

/// <summary>f(z) = max(0, z); f′ = 1 for z &gt; 0, else 0 (PyTorch's choice at 0).</summary>
internal sealed class ReLU : ActivationDefinition
{
    public static readonly ReLU Instance = new();
    public override Activation Kind => Activation.ReLU;
    public override string Formula => "max(0, z)";
    public override string DerivativeFormula => "z > 0 ? 1 : 0";
    public override Initializer DefaultInitializer => Initializer.HeUniform;
    public override string Forward(Lane c, ActivationModel m) => c.V.Max(Z(c), c.V.Zero);
    public override string Derivative(Lane c, ActivationModel m) => c.V.Mask01(c.V.Gt(Z(c), c.V.Zero));
}

/// <summary>f(z) = z ≥ 0 ? 1 : 0; f′ = 0: nothing below it learns.</summary>
internal sealed class BinaryStep : ActivationDefinition
{
    public static readonly BinaryStep Instance = new();
    public override Activation Kind => Activation.BinaryStep;
    public override string Formula => "z >= 0 ? 1 : 0";
    public override string DerivativeFormula => "0 (no gradient passes)";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override string Forward(Lane c, ActivationModel m) => c.V.Mask01(c.V.Ge(Z(c), c.V.Zero));
    public override string Derivative(Lane c, ActivationModel m) => c.V.Zero;
}

/// <summary>f(z) = atan z (a range-reduced polynomial, see the Atan helper); f′ = 1 / (1 + z²).</summary>
internal sealed class ArcTan : ActivationDefinition
{
    public static readonly ArcTan Instance = new();
    public override Activation Kind => Activation.ArcTan;
    public override string Formula => "atan z";
    public override string DerivativeFormula => "1 / (1 + z^2)";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override System.Collections.Generic.IEnumerable<string> Helpers => new[] { MathHelpers.Atan };
    public override string Forward(Lane c, ActivationModel m) => $"Atan({Z(c)})";
    public override string Derivative(Lane c, ActivationModel m) => $"{c.V.One} / ({c.V.One} + {Z(c)} * {Z(c)})";
}

/// <summary>f(z) = z / (1 + |z|); f′ = 1 / (1 + |z|)².</summary>
internal sealed class Softsign : ActivationDefinition
{
    public static readonly Softsign Instance = new();
    public override Activation Kind => Activation.Softsign;
    public override string Formula => "z / (1 + |z|)";
    public override string DerivativeFormula => "1 / (1 + |z|)^2";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override string Forward(Lane c, ActivationModel m) => $"{Z(c)} / ({c.V.One} + {c.V.Abs(Z(c))})";

    public override string Derivative(Lane c, ActivationModel m)
    {
        string q = c.Let("q", $"{c.V.One} / ({c.V.One} + {c.V.Abs(Z(c))})");
        return $"{q} * {q}";
    }
}

/// <summary>f(z) = z / √(1 + αz²); f′ = (1 / √(1 + αz²))³.</summary>
internal sealed class Isru : ActivationDefinition
{
    public static readonly Isru Instance = new();
    public override IReadOnlyList<ActivationArgument> Arguments { get; } = new[] { ActivationArgument.Positive("Alpha", Defaults.EluAlpha) };
    public override Activation Kind => Activation.ISRU;
    public override string Formula => "z / sqrt(1 + α z^2)";
    public override string DerivativeFormula => "r^3 with r = 1 / sqrt(1 + α z^2)";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override string Constants(ActivationModel m) => "α = " + F(m.Alpha);
    public override string Forward(Lane c, ActivationModel m) => $"{Z(c)} * {R(c, m)}";

    public override string Derivative(Lane c, ActivationModel m)
    {
        string r = R(c, m);
        return $"{r} * {r} * {r}";
    }

    internal static string R(Lane c, ActivationModel m)
        => c.Let("r", $"{c.V.One} / {c.V.Sqrt($"{c.V.One} + {c.C(m.Alpha)} * {Z(c)} * {Z(c)}")}");
}

/// <summary>
/// Softmax over a row, on the output layer only. Its kernels are row-wise (see
/// <c>ActivationEmitter.EmitSoftmax</c>); with softmax cross-entropy it is fused into the loss.
/// </summary>
internal sealed class Softmax : ActivationDefinition
{
    public static readonly Softmax Instance = new();
    public override Activation Kind => Activation.Softmax;
    public override string Formula => "e^z[j] / Σ_k e^z[k] (row-wise)";
    public override string DerivativeFormula => "dz = a ⊙ (da − Σ_k da[k] a[k])";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override bool IsRowWise => true;
    public override string Forward(Lane c, ActivationModel m) => throw new System.NotSupportedException("Softmax is row-wise.");
    public override string Derivative(Lane c, ActivationModel m) => throw new System.NotSupportedException("Softmax is row-wise.");
}
