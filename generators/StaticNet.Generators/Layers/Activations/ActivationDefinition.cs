using System.Collections.Generic;
using System;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Activations;

/// <summary>
/// A parameter an activation learns, one value per unit (per unit and hinge for APL): a real
/// tensor <c>layers.{i}.{prefix}.{Name}</c> of shape [Units] or [Rows, Units].
/// </summary>
/// <param name="Name">The tensor's last name part (<c>alpha</c>, <c>t_left</c>).</param>
/// <param name="Variable">The C# name of one lane's value in kernels (<c>alpha</c>, <c>tLeft</c>).</param>
/// <param name="ConstantSuffix">The offset constant's suffix (<c>Alpha</c>, <c>LeftThreshold</c>).</param>
/// <param name="Rows">1, or APL's hinge count.</param>
/// <param name="Initial">The initial value of every element of each row.</param>
internal sealed record LearnedParameter(string Name, string Variable, string ConstantSuffix, int Rows, float[] Initial)
{
    /// <summary>The kernel parameter holding every unit's value: the plural of <see cref="Variable"/>.</summary>
    public string Reference => Variable + "s";

    /// <summary>The lane variable of row <paramref name="row"/>.</summary>
    public string RowVariable(int row) => Rows == 1 ? Variable : Variable + row;
}

/// <summary>
/// An attribute argument an activation reads (<c>Alpha</c>, <c>Hinges</c>, …): its default and the range it must lie in.
/// </summary>
/// <param name="Name">The attribute property, which is also the constant's name in <see cref="ActivationModel"/>.</param>
/// <param name="Range">The range in words, for the diagnostic of a value outside it.</param>
/// <param name="IsInteger">Declared as an int (APL's hinges).</param>
internal sealed record ActivationArgument(string Name, float Default, Func<float, bool> IsValid, string Range, bool IsInteger = false)
{
    public static ActivationArgument Finite(string name, float @default) => new(name, @default, Ranges.IsFinite, Ranges.Finite);

    public static ActivationArgument Positive(string name, float @default) => new(name, @default, v => v > 0f && !float.IsInfinity(v), "positive and finite");
}

/// <summary>
/// One activation: its formula, its derivative, the derivatives with respect to its learned parameters, the attribute
/// arguments it reads, and its default initializer — everything the generator knows about it, in one class. Adding an
/// activation: see generators/README.md ("How to add an activation").
/// </summary>
/// <remarks>
/// Each formula is written once against a <see cref="Lane"/>, whose <see cref="Simd"/> is a vector
/// path or the scalar tail, so the vector loop and its tail compute the same expression. Inputs are
/// fetched by key and declared on first use: <c>z</c> (the pre-activation), <c>a</c> (the output,
/// in backward kernels), <c>slope</c> (RReLU), and each learned parameter (<see cref="Parameter"/>).
/// Helpers named in <see cref="Helpers"/> (for example <c>Atan</c>) are emitted into the class.
/// </remarks>
internal abstract class ActivationDefinition
{
    public abstract Activation Kind { get; }

    /// <summary>The formula, for comments in the generated code.</summary>
    public abstract string Formula { get; }

    /// <summary>The derivative's formula, for comments.</summary>
    public abstract string DerivativeFormula { get; }

    public abstract Initializer DefaultInitializer { get; }

    /// <summary>True when f(z) = z: no activation pass is emitted and the output aliases z.</summary>
    public virtual bool IsIdentity => false;

    /// <summary>True for softmax, which works on whole rows (emitted by its own kernel).</summary>
    public virtual bool IsRowWise => false;

    /// <summary>True when training draws random numbers (RReLU's slopes).</summary>
    public virtual bool IsRandomized => false;

    /// <summary>The name part of the learned tensors (<c>layers.0.prelu.alpha</c>).</summary>
    public virtual string TensorPrefix => Kind.ToString().ToLowerInvariant();

    /// <summary>The learned parameters, empty for most.</summary>
    public virtual IReadOnlyList<LearnedParameter> Learned(ActivationModel m) => Array.Empty<LearnedParameter>();

    /// <summary>The attribute arguments this activation reads, with their defaults and ranges; empty for most.</summary>
    public virtual IReadOnlyList<ActivationArgument> Arguments => Array.Empty<ActivationArgument>();

    /// <summary>
    /// A check across the arguments, after each was checked alone: the name of the argument at fault and the range it
    /// must lie in, or null (RReLU: Upper at least Lower).
    /// </summary>
    public virtual (string Argument, string Range)? CheckTogether(ActivationModel m) => null;

    /// <summary>The declared constants as text for comments (<c>α = 0.01</c>), or empty.</summary>
    public virtual string Constants(ActivationModel m) => "";

    /// <summary>Math helpers the formulas call.</summary>
    public virtual IEnumerable<string> Helpers => Array.Empty<string>();

    /// <summary>f(z) in lane <paramref name="c"/>.</summary>
    public abstract string Forward(Lane c, ActivationModel m);

    /// <summary>f′(z) in lane <paramref name="c"/>; may use the output <c>a</c>.</summary>
    public abstract string Derivative(Lane c, ActivationModel m);

    /// <summary>∂f/∂θ for row <paramref name="row"/> of learned parameter <paramref name="parameter"/>.</summary>
    public virtual string ParameterDerivative(Lane c, ActivationModel m, string parameter, int row)
        => throw new NotSupportedException(Kind + " learns no parameter '" + parameter + "'.");

    /// <summary>The input key of a learned parameter's row.</summary>
    public static string Key(string parameter, int row = 0) => row == 0 ? "p:" + parameter : "p:" + parameter + ":" + row;

    protected static string Z(Lane c) => c.Get("z");

    protected static string A(Lane c) => c.Get("a");

    protected static string Parameter(Lane c, string parameter, int row = 0) => c.Get(Key(parameter, row));

    protected static string F(float value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
