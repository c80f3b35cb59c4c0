using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Activations;

/// <summary>Finds the definition of each activation.</summary>
internal static class ActivationCatalog
{
    public static ActivationDefinition Get(ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => Identity.Instance,
        ActivationKind.Sigmoid => Sigmoid.Instance,
        ActivationKind.Tanh => Tanh.Instance,
        ActivationKind.ReLU => ReLU.Instance,
        _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };
}

/// <summary>f(z) = z.</summary>
internal sealed class Identity : ActivationDefinition
{
    public static readonly Identity Instance = new();
    public override ActivationKind Kind => ActivationKind.Identity;
    public override string Formula => "z";
    public override string DerivativeFormula => "1";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override bool IsIdentity => true;
    public override string Scalar(string z) => z;
    public override string Vector(Simd v, string z) => z;
    public override string DerivativeScalar(string z, string a) => "1f";
    public override string DerivativeVector(Simd v, string z, string a) => v.One;
}

/// <summary>f(z) = 1 / (1 + e^−z); f′ = a(1 − a).</summary>
internal sealed class Sigmoid : ActivationDefinition
{
    public static readonly Sigmoid Instance = new();
    public override ActivationKind Kind => ActivationKind.Sigmoid;
    public override string Formula => "1 / (1 + e^-z)";
    public override string DerivativeFormula => "a (1 - a)";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override string Scalar(string z) => $"1f / (1f + MathF.Exp(-{z}))";
    public override string Vector(Simd v, string z) => $"{v.One} / ({v.One} + {v.Type}.Exp(-{z}))";
    public override string DerivativeScalar(string z, string a) => $"{a} * (1f - {a})";
    public override string DerivativeVector(Simd v, string z, string a) => $"{a} * ({v.One} - {a})";
}

/// <summary>f(z) = tanh z, vectorized as 1 − 2 / (e^2z + 1); f′ = 1 − a².</summary>
internal sealed class Tanh : ActivationDefinition
{
    public static readonly Tanh Instance = new();
    public override ActivationKind Kind => ActivationKind.Tanh;
    public override string Formula => "tanh z = 1 - 2 / (e^2z + 1)";
    public override string DerivativeFormula => "1 - a^2";
    public override Initializer DefaultInitializer => Initializer.GlorotUniform;
    public override string Scalar(string z) => $"MathF.Tanh({z})";
    public override string Vector(Simd v, string z) => $"{v.One} - {v.Broadcast("2f")} / ({v.Type}.Exp({z} + {z}) + {v.One})";
    public override string DerivativeScalar(string z, string a) => $"1f - {a} * {a}";
    public override string DerivativeVector(Simd v, string z, string a) => $"{v.One} - {a} * {a}";
}

/// <summary>f(z) = max(0, z); f′ = 1 for z &gt; 0, else 0 (PyTorch's choice at 0).</summary>
internal sealed class ReLU : ActivationDefinition
{
    public static readonly ReLU Instance = new();
    public override ActivationKind Kind => ActivationKind.ReLU;
    public override string Formula => "max(0, z)";
    public override string DerivativeFormula => "z > 0 ? 1 : 0";
    public override Initializer DefaultInitializer => Initializer.HeUniform;
    public override string Scalar(string z) => $"MathF.Max({z}, 0f)";
    public override string Vector(Simd v, string z) => $"{v.Type}.Max({z}, {v.Zero})";
    public override string DerivativeScalar(string z, string a) => $"{z} > 0f ? 1f : 0f";
    public override string DerivativeVector(Simd v, string z, string a) => $"{v.Type}.GreaterThan({z}, {v.Zero}) & {v.One}";
}
