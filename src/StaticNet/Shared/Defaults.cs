// This file is compiled into both the runtime library and the source generator (see Enums.cs): the
// default of every declaration argument and the range it must lie in are written here once. The
// generator fills unset attribute arguments and checks declared ones with them; the runtime checks
// hyperparameters set at run time and describes activations with the same values.

namespace StaticNet;

/// <summary>The defaults of the declaration arguments, the same for the generator and the runtime.</summary>
internal static class Defaults
{
    /// <summary>η: 0.01 for SGD, Momentum, Nesterov and Adagrad; 0.001 for RMSProp, Adam and AdamW (PyTorch's and Keras').</summary>
    public static float LearningRate(Optimizer optimizer) => IsAdaptive(optimizer) ? 0.001f : 0.01f;

    /// <summary>ε: 1e-10 for Adagrad (PyTorch's), 1e-8 otherwise.</summary>
    public static float Epsilon(Optimizer optimizer) => optimizer == Optimizer.Adagrad ? 1e-10f : 1e-8f;

    /// <summary>λ₂: 0.01 for AdamW (PyTorch's weight_decay), 0 (off) otherwise.</summary>
    public static float L2(Optimizer optimizer) => optimizer == Optimizer.AdamW ? 0.01f : 0f;

    public const float Momentum = 0.9f;
    public const float Beta1 = 0.9f;
    public const float Beta2 = 0.999f;

    /// <summary>RMSProp's α (Keras' rho).</summary>
    public const float Alpha = 0.9f;

    /// <summary>Batch normalization's weight of the new batch in the running statistics (PyTorch's momentum).</summary>
    public const float BatchNormMomentum = 0.1f;

    /// <summary>Batch normalization's ε (PyTorch's; Keras' is 1e-3).</summary>
    public const float BatchNormEpsilon = 1e-5f;

    public const float LeakyReLUAlpha = 0.01f;
    public const float PReLUAlpha = 0.25f;
    public const float SoftExponentialAlpha = 0f;

    /// <summary>α of ELU, ISRU and ISRLU.</summary>
    public const float EluAlpha = 1f;

    /// <summary>SELU's α and λ (Klambauer et al.).</summary>
    public const float SeluAlpha = 1.6732632423543772f;
    public const float SeluLambda = 1.0507009873554805f;

    /// <summary>RReLU's slope bounds (PyTorch's).</summary>
    public const float RReLULower = 0.125f;
    public const float RReLUUpper = 1f / 3f;

    /// <summary>SReLU's initial thresholds and slopes: ReLU clipped at 1 with slope 1 beyond.</summary>
    public const float SReLULeftThreshold = 0f;
    public const float SReLULeftSlope = 0f;
    public const float SReLURightThreshold = 1f;
    public const float SReLURightSlope = 1f;

    /// <summary>APL's number of hinges, and the most it may have.</summary>
    public const int AplHinges = 2;
    public const int AplMaxHinges = 64;

    /// <summary>RMSProp, Adam and AdamW: the optimizers whose step divides by a running gradient size.</summary>
    public static bool IsAdaptive(Optimizer optimizer) => optimizer is Optimizer.RMSProp or Optimizer.Adam or Optimizer.AdamW;
}

/// <summary>
/// The valid range of every hyperparameter, with the words an error message uses for it: the generator's diagnostics
/// and the runtime's exceptions check the same rule and say the same thing.
/// </summary>
internal static class Ranges
{
    /// <summary>Learning rate, ε, batch normalization's ε: positive and finite.</summary>
    public static bool IsPositive(float value) => value > 0f && value < float.PositiveInfinity;
    public const string Positive = "a positive, finite number";

    /// <summary>L1, L2 and ClipNorm: zero (off) or positive, finite.</summary>
    public static bool IsNonNegative(float value) => value >= 0f && value < float.PositiveInfinity;
    public const string NonNegative = "zero or positive";

    /// <summary>Momentum, β₁, β₂, α, dropout rates: in [0, 1).</summary>
    public static bool IsFraction(float value) => value >= 0f && value < 1f;
    public const string Fraction = "in [0, 1)";

    /// <summary>Batch normalization's momentum: in (0, 1].</summary>
    public static bool IsMomentum(float value) => value > 0f && value <= 1f;
    public const string Momentum = "in (0, 1]";

    /// <summary>An activation's constant: any finite number.</summary>
    public static bool IsFinite(float value) => !float.IsNaN(value) && !float.IsInfinity(value);
    public const string Finite = "a finite number";
}
