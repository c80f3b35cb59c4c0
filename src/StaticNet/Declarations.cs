namespace StaticNet;

/// <summary>
/// Declares a <c>partial</c> class as a compiled network. Put one <see cref="DenseAttribute"/>
/// per layer on the same class, in order from input to output.
/// </summary>
/// <remarks>
/// The attribute is marked <c>[Obsolete]</c> with the ID SNET0100 only to explain a missing generator: a project that
/// references this library without StaticNet's source generator (a plain <c>ProjectReference</c> to src/StaticNet) gets
/// the warning at each <c>[Network]</c>, with what to add. The generator's assembly carries a suppressor that removes the
/// warning wherever the generator runs (the StaticNet package, or the generator added as an analyzer), so a working
/// project never sees it. The attribute is not deprecated.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
[Obsolete(GeneratorMissingMessage, DiagnosticId = "SNET0100", UrlFormat = "https://github.com/staticnet/StaticNet/blob/main/docs/diagnostics.md#snet0100")]
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

    /// <summary>
    /// Dropout on the input layer: every input value of every training example is dropped with this
    /// probability, in [0, 1). Default 0 (off). Inference never drops.
    /// </summary>
    public float InputDropout { get; set; }

    /// <summary>How dropout (on the input and on every layer) compensates for the dropped units. Default <see cref="DropoutForm.Inverted"/>.</summary>
    public DropoutForm DropoutForm { get; set; }

    /// <summary>The text of SNET0100: the generator is not running, and how to add it.</summary>
    public const string GeneratorMissingMessage =
        "StaticNet's source generator is not running for this project, so this [Network] class gets no code (no constructor, TrainStep, Infer, ...). " +
        "Reference the StaticNet package (it brings the generator), or next to the ProjectReference to src/StaticNet/StaticNet.csproj add the generator as an analyzer: " +
        "<ProjectReference Include=\"path/to/generators/StaticNet.Generators/StaticNet.Generators.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />";
}

/// <summary>
/// A fully connected layer: <c>y = f(BN(x·Wᵀ + b))</c> with <c>W</c> of shape [units, inputs], the
/// batch normalization only when <see cref="BatchNorm"/> is set, then dropout when
/// <see cref="Dropout"/> is set.
/// </summary>
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

    /// <summary>
    /// The layer has a bias b (<c>layers.{i}.bias</c>). Default true. False (PyTorch's <c>bias=False</c>) is the usual choice
    /// before batch normalization, whose β takes its place: a bias there has a true gradient of 0, which Adam would turn into
    /// steps of float noise. A layer without one has no bias tensor, in the parameters and in saved files.
    /// </summary>
    public bool Bias { get; set; } = true;

    /// <summary>L1/L2 regularization applies to the activation's learned parameters (PReLU, SReLU, APL, SoftExponential). Default false.</summary>
    public bool RegularizeActivation { get; set; }

    /// <summary>L1/L2 regularization applies to the batch normalization's γ and β. Default false.</summary>
    public bool RegularizeBatchNorm { get; set; }

    /// <summary>
    /// α of the activation: LeakyReLU (default 0.01), ELU (1, &gt; 0), ISRU and ISRLU (1, &gt; 0),
    /// SELU (1.6732632423543772, &gt; 0); the initial α of PReLU (0.25) and SoftExponential (0).
    /// Unset (NaN): the activation's default.
    /// </summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>λ of SELU (default 1.0507009873554805, &gt; 0).</summary>
    public float Lambda { get; set; } = float.NaN;

    /// <summary>RReLU's lower bound l of the random slope (default 1/8); 0 ≤ l ≤ u.</summary>
    public float Lower { get; set; } = float.NaN;

    /// <summary>RReLU's upper bound u of the random slope (default 1/3); l ≤ u.</summary>
    public float Upper { get; set; } = float.NaN;

    /// <summary>The number S of APL's hinges (default 2, at least 1).</summary>
    public int Hinges { get; set; }

    /// <summary>SReLU's initial left threshold t_l (default 0).</summary>
    public float LeftThreshold { get; set; } = float.NaN;

    /// <summary>SReLU's initial left slope a_l (default 0).</summary>
    public float LeftSlope { get; set; } = float.NaN;

    /// <summary>SReLU's initial right threshold t_r (default 1).</summary>
    public float RightThreshold { get; set; } = float.NaN;

    /// <summary>SReLU's initial right slope a_r (default 1).</summary>
    public float RightSlope { get; set; } = float.NaN;

    /// <summary>How the weights are initialized. Default: the activation's (see <see cref="StaticNet.Initializer"/>).</summary>
    public Initializer Initializer { get; set; }

    /// <summary>
    /// Batch normalization between the affine transform and the activation, as the notes place
    /// it: per unit, x̂ = (z − μ_B)/√(σ²_B + ε) with the mini-batch mean and biased variance, then
    /// y = γx̂ + β with γ (<c>layers.{i}.batchnorm.weight</c>, initially 1) and β
    /// (<c>layers.{i}.batchnorm.bias</c>, initially 0) learned. Training batches need at least 2 rows.
    /// Inference uses running statistics (see <see cref="BatchNormMomentum"/>). Default false.
    /// </summary>
    public bool BatchNorm { get; set; }

    /// <summary>
    /// The weight of the new batch in the running statistics: μ̄ ← (1 − m)μ̄ + m·μ_B and
    /// σ̄² ← (1 − m)σ̄² + m·σ²_B·n/(n − 1) (unbiased, as PyTorch). Default 0.1 (PyTorch's
    /// <c>momentum</c>; Keras' <c>momentum</c> is 1 − m, 0.99 by default). In (0, 1].
    /// </summary>
    public float BatchNormMomentum { get; set; } = float.NaN;

    /// <summary>ε of the batch normalization (default 1e-5, PyTorch's; Keras' is 1e-3). Positive.</summary>
    public float BatchNormEpsilon { get; set; } = float.NaN;

    /// <summary>
    /// Dropout on this layer's outputs: in training each output of each example is dropped with
    /// this probability, in [0, 1), with a fresh mask for every example of every step. Default 0
    /// (off). Not on the output layer.
    /// </summary>
    public float Dropout { get; set; }
}

/// <summary>
/// A maxout layer: an affine map to units × pieces values, z[k, o] = b[k, o] + Σ_i W[k, o, i]·x[i]
/// for piece k, and y[o] = max_k z[k, o]. The backward pass routes each gradient to the winning
/// piece only (the first one on a tie). <c>layers.{i}.weight</c> is [pieces, units, inputs] and
/// <c>layers.{i}.bias</c> [pieces, units]. He-uniform initialization by default. With two pieces whose
/// second one is all zero, maxout is ReLU.
/// </summary>
/// <param name="units">The number of outputs.</param>
/// <param name="pieces">The number of linear pieces per output, at least 2.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxoutAttribute(int units, int pieces) : Attribute
{
    /// <summary>The number of outputs.</summary>
    public int Units { get; } = units;

    /// <summary>The number of linear pieces per output.</summary>
    public int Pieces { get; } = pieces;

    /// <summary>L1/L2 regularization applies to this layer's weight. Default true.</summary>
    public bool RegularizeWeights { get; set; } = true;

    /// <summary>L1/L2 regularization applies to this layer's bias. Default false.</summary>
    public bool RegularizeBias { get; set; }

    /// <summary>The layer has a bias (<c>layers.{i}.bias</c>, [pieces, units]). Default true; see <see cref="DenseAttribute.Bias"/>.</summary>
    public bool Bias { get; set; } = true;

    /// <summary>How the weights are initialized. Default: He-uniform.</summary>
    public Initializer Initializer { get; set; }

    /// <summary>Dropout on this layer's outputs, in [0, 1); see <see cref="DenseAttribute.Dropout"/>.</summary>
    public float Dropout { get; set; }
}
