// This file is compiled into both the runtime library and the source generator (linked by
// generators/StaticNet.Generators/StaticNet.Generators.csproj, where STATICNET_GENERATOR is defined):
// the declaration enums exist once, so the generator cannot read an attribute argument differently
// from what the runtime means by it. Public in the library, internal in the generator.

namespace StaticNet;

/// <summary>
/// An activation applied after a layer's affine transform (and its batch normalization, if any).
/// Every one is element-wise except <see cref="Softmax"/>. Parameters in the table are set on the
/// layer's attribute (<c>[Dense(64, Activation.ELU, Alpha = 0.5f)]</c>); learned ones are real
/// parameter tensors, one value per unit, named <c>layers.{i}.{activation}.{parameter}</c>, updated
/// by the optimizer and not regularized unless the layer says <c>RegularizeActivation = true</c>.
/// </summary>
/// <remarks>
/// The numeric values are part of the declaration contract (the generator reads them from
/// attribute arguments); append new members, never renumber. The default initializer of the
/// layer's weights follows the activation: He-uniform for the ReLU family, LeCun-normal for
/// SELU, Glorot-uniform for the rest (see <see cref="Initializer"/>).
/// </remarks>
#if STATICNET_GENERATOR
internal
#else
public
#endif
enum Activation
{
    /// <summary>f(x) = x. Glorot-uniform initialization.</summary>
    Identity = 0,
    /// <summary>f(x) = 1 / (1 + e^-x). Glorot-uniform initialization.</summary>
    Sigmoid = 1,
    /// <summary>f(x) = tanh x. Glorot-uniform initialization.</summary>
    Tanh = 2,
    /// <summary>f(x) = max(0, x); f′(0) = 0 (PyTorch). He-uniform initialization.</summary>
    ReLU = 3,
    /// <summary>
    /// f(x) = 0 for x &lt; 0, 1 for x ≥ 0. Its derivative is 0 everywhere, so nothing below it
    /// learns (the generator says so with the info diagnostic SNET0012). Glorot-uniform.
    /// </summary>
    BinaryStep = 4,
    /// <summary>f(x) = atan x; f′ = 1 / (1 + x²). Glorot-uniform.</summary>
    ArcTan = 5,
    /// <summary>f(x) = x / (1 + |x|); f′ = 1 / (1 + |x|)². Glorot-uniform.</summary>
    Softsign = 6,
    /// <summary>Inverse square root unit, f(x) = x / √(1 + αx²), α &gt; 0 (<c>Alpha</c>, default 1). Glorot-uniform.</summary>
    ISRU = 7,
    /// <summary>f(x) = x for x ≥ 0, αx otherwise (<c>Alpha</c>, default 0.01); f′(0) = 1. He-uniform.</summary>
    LeakyReLU = 8,
    /// <summary>
    /// Parametric ReLU: f(x) = x for x ≥ 0, αx otherwise, α learned per unit
    /// (<c>layers.{i}.prelu.alpha</c>, initial value <c>Alpha</c>, default 0.25). He-uniform.
    /// </summary>
    PReLU = 9,
    /// <summary>
    /// Randomized leaky ReLU: f(x) = x for x ≥ 0, αx otherwise, with α drawn from U(l, u) for
    /// every element of every training forward pass and α = (l + u) / 2 at inference
    /// (<c>Lower</c> l, default 1/8; <c>Upper</c> u, default 1/3). He-uniform.
    /// </summary>
    RReLU = 10,
    /// <summary>f(x) = x for x &gt; 0, α(e^x − 1) otherwise, α &gt; 0 (<c>Alpha</c>, default 1). He-uniform.</summary>
    ELU = 11,
    /// <summary>
    /// f(x) = λ·(x for x ≥ 0, α(e^x − 1) otherwise), λ = 1.0507009873554805 (<c>Lambda</c>),
    /// α = 1.6732632423543772 (<c>Alpha</c>). LeCun-normal initialization.
    /// </summary>
    SELU = 12,
    /// <summary>
    /// S-shaped ReLU: t_l + a_l(x − t_l) for x ≤ t_l; x for t_l &lt; x &lt; t_r; t_r + a_r(x − t_r)
    /// for x ≥ t_r (the left piece wins where they overlap). All four are learned per unit:
    /// <c>layers.{i}.srelu.t_left</c>, <c>a_left</c>, <c>t_right</c>, <c>a_right</c>, initially
    /// <c>LeftThreshold</c> 0, <c>LeftSlope</c> 0, <c>RightThreshold</c> 1, <c>RightSlope</c> 1 (ReLU). He-uniform.
    /// </summary>
    SReLU = 13,
    /// <summary>Inverse square root linear unit: x for x ≥ 0, x / √(1 + αx²) otherwise, α &gt; 0 (<c>Alpha</c>, default 1). He-uniform.</summary>
    ISRLU = 14,
    /// <summary>
    /// Adaptive piecewise linear unit: f(x) = max(0, x) + Σ_s a_s·max(0, −x + b_s) over
    /// S = <c>Hinges</c> hinges (default 2), a and b learned per unit and hinge
    /// (<c>layers.{i}.apl.a</c>, <c>layers.{i}.apl.b</c>, shape [S, units]); initially a = 0 and
    /// b_s = −1 + (2s + 1)/S (spread over (−1, 1) so that the hinges differ). He-uniform.
    /// </summary>
    APL = 15,
    /// <summary>f(x) = ln(1 + e^x), computed as max(x, 0) + ln(1 + e^−|x|); f′ = σ(x). He-uniform.</summary>
    SoftPlus = 16,
    /// <summary>f(x) = (√(x² + 1) − 1)/2 + x; f′ = x / (2√(x² + 1)) + 1. Glorot-uniform.</summary>
    BentIdentity = 17,
    /// <summary>SiLU (Swish): f(x) = x·σ(x); f′ = σ(x)(1 + x(1 − σ(x))). He-uniform.</summary>
    SiLU = 18,
    /// <summary>
    /// Soft exponential, α learned per unit (<c>layers.{i}.softexp.alpha</c>, initial value
    /// <c>Alpha</c>, default 0): −ln(1 − α(x + α))/α for α &lt; 0, x for α = 0, (e^{αx} − 1)/α + α for α &gt; 0.
    /// For α &lt; 0 it is defined only where 1 − α(x + α) &gt; 0 (NaN elsewhere). Glorot-uniform.
    /// </summary>
    SoftExponential = 19,
    /// <summary>f(x) = sin x; f′ = cos x. Glorot-uniform.</summary>
    Sinusoid = 20,
    /// <summary>f(x) = sin(x)/x, 1 at 0; f′ = (x cos x − sin x)/x², 0 at 0 (a Taylor series near 0). Glorot-uniform.</summary>
    Sinc = 21,
    /// <summary>
    /// GELU, tanh approximation: f(x) = x/2·(1 + tanh(√(2/π)(x + 0.044715x³))) (PyTorch's
    /// <c>GELU(approximate='tanh')</c>). He-uniform.
    /// </summary>
    GELU = 22,
    /// <summary>
    /// Softmax over the units of a row, only on the output layer. With
    /// <see cref="Loss.SoftmaxCrossEntropy"/> it is fused into the loss (the loss takes the logits,
    /// inference returns probabilities) — the same network as an identity output; with another loss
    /// the loss sees the probabilities and the backward pass goes through softmax's Jacobian.
    /// Glorot-uniform.
    /// </summary>
    Softmax = 23,
}

/// <summary>How a layer's weights are initialized. Biases start at zero.</summary>
/// <remarks>
/// Uniform forms draw from U(−limit, limit), normal forms from N(0, σ²) (not truncated, as
/// PyTorch's <c>kaiming_normal_</c> and <c>xavier_normal_</c>; Keras truncates at 2σ). fanIn is the
/// layer's input width, fanOut its unit count (for Maxout, per piece).
/// </remarks>
#if STATICNET_GENERATOR
internal
#else
public
#endif
enum Initializer
{
    /// <summary>The activation's default: He-uniform for the ReLU family, LeCun-normal for SELU, Glorot-uniform otherwise.</summary>
    Default = 0,
    /// <summary>limit = √(6 / (fanIn + fanOut)) (Keras <c>glorot_uniform</c>).</summary>
    GlorotUniform = 1,
    /// <summary>σ = √(2 / (fanIn + fanOut)).</summary>
    GlorotNormal = 2,
    /// <summary>limit = √(6 / fanIn) (Keras <c>he_uniform</c>).</summary>
    HeUniform = 3,
    /// <summary>σ = √(2 / fanIn).</summary>
    HeNormal = 4,
    /// <summary>limit = √(3 / fanIn).</summary>
    LeCunUniform = 5,
    /// <summary>σ = √(1 / fanIn), what SELU's self-normalization assumes.</summary>
    LeCunNormal = 6,
}

/// <summary>How dropout compensates for the units it drops.</summary>
#if STATICNET_GENERATOR
internal
#else
public
#endif
enum DropoutForm
{
    /// <summary>
    /// Inverted dropout (Keras, PyTorch): in training the kept units are scaled by 1/(1 − rate);
    /// inference uses the network as it is.
    /// </summary>
    Inverted = 0,
    /// <summary>
    /// The lecture notes' form: no scaling in training; at inference every weight that reads a
    /// dropped layer is multiplied by (1 − rate), implemented as scaling that layer's outputs by
    /// (1 − rate) (the same thing, as the next layer is linear; the stored weights are not changed).
    /// </summary>
    Notes = 1,
}

/// <summary>The training loss of a network, averaged over the rows of a mini-batch.</summary>
#if STATICNET_GENERATOR
internal
#else
public
#endif
enum Loss
{
    /// <summary>
    /// Mean squared error, <c>mean over rows and outputs of (y - t)^2</c>, without a factor ½;
    /// PyTorch's <c>MSELoss()</c> and Keras' <c>MeanSquaredError()</c>. The gradient is
    /// <c>2(y − t)/(rows·outputs)</c>. (The lecture notes' ½Σ(y − t)² per example is this loss
    /// times outputs/2.) Class labels stand for one-hot targets.
    /// </summary>
    MeanSquaredError = 0,
    /// <summary>
    /// Softmax cross-entropy from logits, <c>mean over rows of -Σ t_j log softmax(z)_j</c>, with a
    /// numerically stable log-sum-exp; PyTorch's <c>CrossEntropyLoss()</c>. Inference returns
    /// the softmax probabilities.
    /// </summary>
    SoftmaxCrossEntropy = 1,
    /// <summary>
    /// Binary cross-entropy from logits, sigmoid fused: <c>mean over rows and outputs of
    /// max(z, 0) − z·t + ln(1 + e^−|z|)</c> (PyTorch's <c>BCEWithLogitsLoss()</c>, Keras'
    /// <c>BinaryCrossentropy(from_logits=True)</c>); gradient <c>(σ(z) − t)/(rows·outputs)</c>.
    /// Each output is an independent yes/no. Class labels: with one output the label is the target
    /// (0 or 1); with several, a label stands for a one-hot target row. Inference returns σ(z).
    /// A <see cref="Activation.Sigmoid"/> on the output layer is fused into this loss.
    /// </summary>
    BinaryCrossEntropy = 2,
    /// <summary>
    /// Multiclass hinge (the notes' SVM loss): <c>mean over rows of Σ_{j≠y} max(0, s_j − s_y + 1)</c>.
    /// PyTorch's <c>MultiMarginLoss()</c> also divides by the number of classes. With dense targets
    /// the class is the index of each row's largest target. Subgradient 0 at the hinge's kink.
    /// Inference returns the scores.
    /// </summary>
    MulticlassHinge = 3,
}

/// <summary>
/// The optimizer whose step method the generator specializes for the network. θ parameters,
/// g gradient (after clipping and L1/L2 terms), η learning rate, t the step number from 1.
/// </summary>
#if STATICNET_GENERATOR
internal
#else
public
#endif
enum Optimizer
{
    /// <summary>θ ← θ − η·g. Default η 0.01.</summary>
    Sgd = 0,
    /// <summary>The lecture notes' momentum: v ← λv − η·g; θ ← θ + v; v⁰ = 0. Default η 0.01, λ 0.9.</summary>
    Momentum = 1,
    /// <summary>
    /// PyTorch's <c>SGD(momentum=λ, nesterov=True)</c>: b ← λb + g; θ ← θ − η(g + λb); b⁰ = 0.
    /// Default η 0.01, λ 0.9.
    /// </summary>
    Nesterov = 2,
    /// <summary>
    /// PyTorch's Adagrad: s ← s + g²; θ ← θ − η·g / (√s + ε). Default η 0.01, ε 1e-10. With
    /// <see cref="NetworkAttribute.NotesForm"/>: the notes' ηᵗ/σᵗ with ηᵗ = η/√(t+1) and
    /// σᵗ = √(Σ g² / (t+1)), which is θ ← θ − η·g / (√s + ε).
    /// </summary>
    Adagrad = 3,
    /// <summary>
    /// s ← αs + (1−α)g²; θ ← θ − η·g / (√s + ε) (PyTorch's RMSprop, Keras' rho = α). Default
    /// η 0.001, α 0.9, ε 1e-8. With <see cref="NetworkAttribute.NotesForm"/>: σ⁰ = |g⁰|,
    /// σᵗ = √(α(σᵗ⁻¹)² + (1−α)(gᵗ)²), θ ← θ − η·g / σ (ε only guards a zero σ).
    /// </summary>
    RMSProp = 4,
    /// <summary>
    /// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η·m̂ / (√v̂ + ε) with m̂ = m/(1−β₁ᵗ),
    /// v̂ = v/(1−β₂ᵗ). Default η 0.001, β₁ 0.9, β₂ 0.999, ε 1e-8.
    /// </summary>
    Adam = 5,
    /// <summary>
    /// Adam with decoupled weight decay, θ ← θ − ηλθ before the Adam update, λ =
    /// <see cref="NetworkAttribute.L2"/> (default 0.01 for AdamW, as PyTorch), applied to the
    /// tensors L2 applies to.
    /// </summary>
    AdamW = 6,
}
