namespace StaticNet;

/// <summary>
/// The optimizer's hyperparameters, read by every step: change them at run time (a schedule
/// sets <see cref="LearningRate"/> every epoch or step). A network starts with the values of
/// its declaration. Which optimizer runs, and which tensors are regularized, are fixed by the
/// declaration; the strengths here are not.
/// </summary>
/// <remarks>
/// Every setter checks its value with the rules the <see cref="NetworkAttribute"/> declaration is checked with (SNET0008,
/// SNET0011): η and ε positive and finite; λ (momentum), β₁, β₂ and α in [0, 1); L1, L2 and the clipping norm zero or
/// positive and finite. A value outside throws <see cref="ArgumentOutOfRangeException"/> naming the property and leaves
/// the old value, so no step runs with a rate that turns the parameters into NaN or makes them diverge. (PyTorch accepts a
/// learning rate of 0; here a step that should not move the parameters is simply not taken.)
/// </remarks>
public sealed class Hyperparameters
{
    private float _learningRate = 0.01f;
    private float _momentum = 0.9f;
    private float _beta1 = 0.9f;
    private float _beta2 = 0.999f;
    private float _alpha = 0.9f;
    private float _epsilon = 1e-8f;
    private float _l1;
    private float _l2;
    private float _clipNorm;

    /// <summary>η, positive and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero, negative, NaN or infinite.</exception>
    public float LearningRate { get => _learningRate; set => _learningRate = Positive(value, nameof(LearningRate)); }

    /// <summary>λ of Momentum and Nesterov, in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 1), or NaN.</exception>
    public float Momentum { get => _momentum; set => _momentum = Fraction(value, nameof(Momentum)); }

    /// <summary>β₁ of Adam and AdamW, in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 1), or NaN.</exception>
    public float Beta1 { get => _beta1; set => _beta1 = Fraction(value, nameof(Beta1)); }

    /// <summary>β₂ of Adam and AdamW, in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 1), or NaN.</exception>
    public float Beta2 { get => _beta2; set => _beta2 = Fraction(value, nameof(Beta2)); }

    /// <summary>α of RMSProp, in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 1), or NaN.</exception>
    public float Alpha { get => _alpha; set => _alpha = Fraction(value, nameof(Alpha)); }

    /// <summary>ε of Adagrad, RMSProp, Adam and AdamW, positive and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero, negative, NaN or infinite.</exception>
    public float Epsilon { get => _epsilon; set => _epsilon = Positive(value, nameof(Epsilon)); }

    /// <summary>L1 strength λ₁ (on the regularized tensors), zero or positive and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, NaN or infinite.</exception>
    public float L1 { get => _l1; set => _l1 = NonNegative(value, nameof(L1)); }

    /// <summary>L2 strength λ₂ (on the regularized tensors; the decoupled decay for AdamW), zero or positive and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, NaN or infinite.</exception>
    public float L2 { get => _l2; set => _l2 = NonNegative(value, nameof(L2)); }

    /// <summary>Global-norm gradient clipping threshold; 0 switches clipping off. Zero or positive and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, NaN or infinite.</exception>
    public float ClipNorm { get => _clipNorm; set => _clipNorm = NonNegative(value, nameof(ClipNorm)); }

    /// <summary>Reported losses include the L1/L2 penalty.</summary>
    public bool PenaltyInLoss { get; set; }

    /// <summary>A copy, for example to restore later.</summary>
    public Hyperparameters Clone() => (Hyperparameters)MemberwiseClone();

    // The rules of NetworkParser's Positive, Fraction and NonNegative (generators/StaticNet.Generators/Parsing), which check the attribute.
    private static float Positive(float value, string name) =>
        value > 0f && !float.IsInfinity(value) ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive, finite number; found {value}.");

    private static float Fraction(float value, string name) =>
        value >= 0f && value < 1f ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1); found {value}.");

    private static float NonNegative(float value, string name) =>
        value >= 0f && !float.IsInfinity(value) ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be zero or positive and finite; found {value}.");
}
