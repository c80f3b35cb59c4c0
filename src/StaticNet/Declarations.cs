namespace StaticNet;

/// <summary>An element-wise activation applied after a layer's affine transform.</summary>
/// <remarks>
/// The numeric values are part of the declaration contract (the generator reads them from
/// attribute arguments); append new members, never renumber.
/// </remarks>
public enum Activation
{
    /// <summary>f(x) = x. Glorot-uniform initialization.</summary>
    Identity = 0,
    /// <summary>f(x) = 1 / (1 + e^-x). Glorot-uniform initialization.</summary>
    Sigmoid = 1,
    /// <summary>f(x) = tanh x. Glorot-uniform initialization.</summary>
    Tanh = 2,
    /// <summary>f(x) = max(0, x). He-uniform initialization.</summary>
    ReLU = 3,
}

/// <summary>The training loss of a network, averaged over the rows of a mini-batch.</summary>
public enum Loss
{
    /// <summary>
    /// Mean squared error, <c>mean over rows and outputs of (y - t)^2</c>, without a factor ½;
    /// PyTorch's <c>MSELoss()</c> and Keras' <c>MeanSquaredError()</c>.
    /// </summary>
    MeanSquaredError = 0,
    /// <summary>
    /// Softmax cross-entropy from logits, <c>mean over rows of -Σ t_j log softmax(z)_j</c>, with a
    /// numerically stable log-sum-exp; PyTorch's <c>CrossEntropyLoss()</c>. Inference returns
    /// the softmax probabilities.
    /// </summary>
    SoftmaxCrossEntropy = 1,
}

/// <summary>
/// The optimizer whose step method the generator specializes for the network. θ parameters,
/// g gradient (after clipping and L1/L2 terms), η learning rate, t the step number from 1.
/// </summary>
public enum Optimizer
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

/// <summary>
/// Declares a <c>partial</c> class as a compiled network. Put one <see cref="DenseAttribute"/>
/// per layer on the same class, in order from input to output.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The width of one input row (for example 784 for a 28×28 image).</summary>
    public int Inputs { get; set; }

    /// <summary>The training loss. Default: <see cref="Loss.SoftmaxCrossEntropy"/>.</summary>
    public Loss Loss { get; set; } = Loss.SoftmaxCrossEntropy;

    /// <summary>The optimizer. Default: <see cref="Optimizer.Sgd"/>.</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.Sgd;

    /// <summary>
    /// The initial learning rate η (change it at run time through <see cref="INetwork.Hyperparameters"/>).
    /// Default: 0.01 for SGD, Momentum, Nesterov and Adagrad; 0.001 for RMSProp, Adam and AdamW.
    /// </summary>
    public float LearningRate { get; set; } = float.NaN;

    /// <summary>λ of Momentum and Nesterov. Default 0.9.</summary>
    public float Momentum { get; set; } = 0.9f;

    /// <summary>β₁ of Adam and AdamW. Default 0.9.</summary>
    public float Beta1 { get; set; } = 0.9f;

    /// <summary>β₂ of Adam and AdamW. Default 0.999.</summary>
    public float Beta2 { get; set; } = 0.999f;

    /// <summary>α, RMSProp's decay of the squared-gradient average (Keras' rho). Default 0.9.</summary>
    public float Alpha { get; set; } = 0.9f;

    /// <summary>ε of Adagrad (default 1e-10), RMSProp and Adam (default 1e-8).</summary>
    public float Epsilon { get; set; } = float.NaN;

    /// <summary>Adagrad and RMSProp follow the lecture notes' formulas instead of PyTorch's (see <see cref="StaticNet.Optimizer"/>).</summary>
    public bool NotesForm { get; set; }

    /// <summary>
    /// L1 strength λ₁: L′ = L + λ₁‖w‖₁, so every step adds λ₁·sign(w) to the gradient of each
    /// regularized tensor (the weights, unless a layer says otherwise). Default 0 (off).
    /// </summary>
    public float L1 { get; set; }

    /// <summary>
    /// L2 strength λ₂: L′ = L + λ₂/2·‖w‖², so every step adds λ₂·w to the gradient (for SGD,
    /// w ← (1 − ηλ₂)w − η∂L/∂w); decoupled for AdamW. Default 0 (off), 0.01 for AdamW.
    /// </summary>
    public float L2 { get; set; } = float.NaN;

    /// <summary>
    /// Clip gradients by global norm: when ‖g‖₂ over all parameters exceeds this, g is scaled
    /// to this norm before the step (PyTorch's <c>clip_grad_norm_</c>). Default 0 (off).
    /// </summary>
    public float ClipNorm { get; set; }

    /// <summary>Reported losses include the L1/L2 penalty (λ₁‖w‖₁ + λ₂/2‖w‖²). Default false.</summary>
    public bool PenaltyInLoss { get; set; }
}

/// <summary>A fully connected layer: <c>y = f(x·Wᵀ + b)</c> with <c>W</c> of shape [units, inputs].</summary>
/// <param name="units">The number of outputs of the layer.</param>
/// <param name="activation">The activation applied to the outputs. Default: <see cref="Activation.Identity"/>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute(int units, Activation activation = Activation.Identity) : Attribute
{
    /// <summary>The number of outputs of the layer.</summary>
    public int Units { get; } = units;

    /// <summary>The activation applied to the outputs.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>L1/L2 regularization applies to this layer's weight. Default true.</summary>
    public bool RegularizeWeights { get; set; } = true;

    /// <summary>L1/L2 regularization applies to this layer's bias. Default false (the notes: the bias has nothing to do with smoothness).</summary>
    public bool RegularizeBias { get; set; }
}
