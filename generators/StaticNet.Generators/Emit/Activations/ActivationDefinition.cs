using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Activations;

/// <summary>How a layer's weights are initialized by default.</summary>
internal enum Initializer
{
    /// <summary>U(−√(6/fanIn), √(6/fanIn)): Keras <c>he_uniform</c>, for the ReLU family.</summary>
    HeUniform,
    /// <summary>U(−√(6/(fanIn+fanOut)), +…): Keras <c>glorot_uniform</c>, for the rest.</summary>
    GlorotUniform,
}

/// <summary>
/// One activation: its formula, its derivative and its default initializer, as scalar and
/// vector C# expressions. Adding an activation is adding one small subclass and one line in
/// <see cref="ActivationCatalog"/>.
/// </summary>
/// <remarks>
/// Expressions receive the pre-activation <c>z</c> and, for derivatives, the output
/// <c>a = f(z)</c> too, so a derivative can use whichever is cheaper. Callers parenthesize
/// vector expressions where they combine them, so a definition need not.
/// </remarks>
internal abstract class ActivationDefinition
{
    public abstract ActivationKind Kind { get; }

    /// <summary>The formula, for comments in the generated code.</summary>
    public abstract string Formula { get; }

    /// <summary>The derivative's formula, for comments.</summary>
    public abstract string DerivativeFormula { get; }

    public abstract Initializer DefaultInitializer { get; }

    /// <summary>True when f(z) = z: no activation pass is emitted and the output aliases z.</summary>
    public virtual bool IsIdentity => false;

    /// <summary>f(z) as a float expression.</summary>
    public abstract string Scalar(string z);

    /// <summary>f(z) as a vector expression of <paramref name="v"/>'s width.</summary>
    public abstract string Vector(Simd v, string z);

    /// <summary>f′(z) as a float expression; <paramref name="a"/> is f(z).</summary>
    public abstract string DerivativeScalar(string z, string a);

    /// <summary>f′(z) as a vector expression.</summary>
    public abstract string DerivativeVector(Simd v, string z, string a);
}
