namespace StaticNet;

/// <summary>
/// One named parameter tensor inside a network's contiguous parameter buffer, in PyTorch's
/// layout: a Dense weight is <c>[out, in]</c> row-major, a bias is <c>[out]</c>.
/// </summary>
/// <param name="Name">Stable name, for example <c>layers.0.weight</c>.</param>
/// <param name="Offset">Index of the first element in <see cref="INetwork.Parameters"/>.</param>
/// <param name="Shape">The tensor's shape, outermost dimension first.</param>
/// <param name="Regularized">L1/L2 regularization (and AdamW's decay) applies to this tensor.</param>
public sealed record ParameterTensor(string Name, int Offset, IReadOnlyList<int> Shape, bool Regularized = false)
{
    /// <summary>The number of elements, the product of <see cref="Shape"/>.</summary>
    public int Length
    {
        get
        {
            int n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }
}

/// <summary>One layer of a declared network.</summary>
/// <param name="Index">Position of the layer, from 0 at the input side.</param>
/// <param name="Inputs">Width of the layer's input.</param>
/// <param name="Units">Width of the layer's output.</param>
/// <param name="Activation">The activation applied to the output.</param>
/// <param name="Weight">The weight tensor, shape [Units, Inputs] ([Pieces, Units, Inputs] for maxout).</param>
/// <param name="Bias">The bias tensor, shape [Units] ([Pieces, Units] for maxout), or null for a layer declared with <c>Bias = false</c>.</param>
public sealed record LayerDescription(int Index, int Inputs, int Units, Activation Activation, ParameterTensor Weight, ParameterTensor? Bias)
{
    /// <summary>Maxout's pieces per unit; 1 for a Dense layer.</summary>
    public int Pieces { get; init; } = 1;

    /// <summary>True for a maxout layer (<see cref="Pieces"/> &gt; 1), whose output is the largest of its pieces (its activation is the identity).</summary>
    public bool IsMaxout => Pieces > 1;

    /// <summary>The activation's constants; null means the defaults of <see cref="Activation"/> (see <see cref="ResolvedActivationOptions"/>).</summary>
    public ActivationOptions? ActivationOptions { get; init; }

    /// <summary>The activation's constants, declared or default.</summary>
    public ActivationOptions ResolvedActivationOptions => ActivationOptions ?? StaticNet.ActivationOptions.Defaults(Activation);

    /// <summary>
    /// The activation's learned parameters, in the order the activation defines: PReLU <c>alpha</c>;
    /// SReLU <c>t_left</c>, <c>a_left</c>, <c>t_right</c>, <c>a_right</c>; APL <c>a</c>, <c>b</c>
    /// ([Hinges, Units] each); SoftExponential <c>alpha</c>. Empty for the others.
    /// </summary>
    public IReadOnlyList<ParameterTensor> ActivationParameters { get; init; } = [];

    /// <summary>The batch normalization between the affine map and the activation, or null.</summary>
    public BatchNormDescription? BatchNorm { get; init; }

    /// <summary>The dropout rate on the layer's outputs in training; 0 for none.</summary>
    public float Dropout { get; init; }

    /// <summary>How the weights were initialized (the activation's default resolved).</summary>
    public Initializer Initializer { get; init; }

    /// <summary>Every parameter tensor of the layer in buffer order: weight, bias, batch-norm γ and β, the activation's.</summary>
    public IEnumerable<ParameterTensor> Tensors
    {
        get
        {
            yield return Weight;
            if (Bias is not null) yield return Bias;
            if (BatchNorm is not null)
            {
                yield return BatchNorm.Weight;
                yield return BatchNorm.Bias;
            }
            foreach (ParameterTensor t in ActivationParameters) yield return t;
        }
    }
}

/// <summary>The constants of a layer's activation (the ones it does not use are ignored).</summary>
/// <param name="Alpha">α: LeakyReLU, ELU, ISRU, ISRLU, SELU; the initial value of PReLU's and SoftExponential's learned α.</param>
/// <param name="Lambda">λ of SELU.</param>
/// <param name="Lower">RReLU's lower slope bound l.</param>
/// <param name="Upper">RReLU's upper slope bound u.</param>
/// <param name="Hinges">APL's number of hinges S.</param>
public sealed record ActivationOptions(float Alpha = 0f, float Lambda = 1f, float Lower = StaticNet.Defaults.RReLULower, float Upper = StaticNet.Defaults.RReLUUpper, int Hinges = StaticNet.Defaults.AplHinges)
{
    /// <summary>SELU's λ (Klambauer et al.).</summary>
    public const float SeluLambda = StaticNet.Defaults.SeluLambda;

    /// <summary>SELU's α.</summary>
    public const float SeluAlpha = StaticNet.Defaults.SeluAlpha;

    /// <summary>The defaults of <paramref name="activation"/>, the same the generator uses for an unset argument (both read <c>Shared/Defaults.cs</c>).</summary>
    public static ActivationOptions Defaults(Activation activation) => activation switch
    {
        Activation.LeakyReLU => new(Alpha: StaticNet.Defaults.LeakyReLUAlpha),
        Activation.PReLU => new(Alpha: StaticNet.Defaults.PReLUAlpha),
        Activation.SoftExponential => new(Alpha: StaticNet.Defaults.SoftExponentialAlpha),
        Activation.ELU or Activation.ISRU or Activation.ISRLU => new(Alpha: StaticNet.Defaults.EluAlpha),
        Activation.SELU => new(Alpha: SeluAlpha, Lambda: SeluLambda),
        _ => new(),
    };
}

/// <summary>A layer's batch normalization.</summary>
/// <param name="Weight">γ, shape [Units], initially 1.</param>
/// <param name="Bias">β, shape [Units], initially 0.</param>
/// <param name="RunningMean">μ̄, in <see cref="NetworkDescription.Statistics"/> (offsets into <see cref="INetwork.Statistics"/>), initially 0.</param>
/// <param name="RunningVariance">σ̄², in <see cref="NetworkDescription.Statistics"/>, initially 1.</param>
/// <param name="Momentum">The new batch's weight m in the running statistics.</param>
/// <param name="Epsilon">ε.</param>
public sealed record BatchNormDescription(ParameterTensor Weight, ParameterTensor Bias, ParameterTensor RunningMean, ParameterTensor RunningVariance, float Momentum = 0.1f, float Epsilon = 1e-5f);

/// <summary>
/// A plain description of a generated network's declaration and parameter layout. The generator
/// emits one per network (<c>MyNet.Descriptor</c>); the reference implementation, tests and
/// serialization read it instead of using reflection.
/// </summary>
public sealed class NetworkDescription
{
    /// <summary>Creates a description; generated code calls this, users rarely need to.</summary>
    public NetworkDescription(string typeName, int inputs, Loss loss, Optimizer optimizer, float learningRate, IReadOnlyList<LayerDescription> layers, IReadOnlyList<string>? optimizerSlots = null)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(layers);
        if (inputs <= 0) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "The input width must be positive.");
        if (layers.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        TypeName = typeName;
        Inputs = inputs;
        Loss = loss;
        Optimizer = optimizer;
        LearningRate = learningRate;
        Layers = layers;
        var parameters = new List<ParameterTensor>();
        var statistics = new List<ParameterTensor>();
        foreach (LayerDescription layer in layers)
        {
            parameters.AddRange(layer.Tensors);
            if (layer.BatchNorm is not null)
            {
                statistics.Add(layer.BatchNorm.RunningMean);
                statistics.Add(layer.BatchNorm.RunningVariance);
            }
        }
        Parameters = parameters;
        ParameterCount = parameters.Sum(p => p.Length);
        Statistics = statistics;
        StatisticCount = statistics.Sum(p => p.Length);
        OptimizerSlots = optimizerSlots ?? [];
    }

    /// <summary>
    /// Non-learned state that inference reads, in buffer order (<see cref="INetwork.Statistics"/>):
    /// each batch-normalized layer's <c>layers.{i}.batchnorm.running_mean</c> and <c>running_var</c>
    /// (PyTorch's buffer names). Empty when no layer is batch-normalized.
    /// </summary>
    public IReadOnlyList<ParameterTensor> Statistics { get; }

    /// <summary>The length of the statistics buffer.</summary>
    public int StatisticCount { get; }

    /// <summary>The dropout rate on the inputs in training; 0 for none.</summary>
    public float InputDropout { get; init; }

    /// <summary>How dropout compensates for dropped units.</summary>
    public DropoutForm DropoutForm { get; init; }

    /// <summary>
    /// True when training and inference differ: dropout, RReLU or batch normalization somewhere.
    /// Training methods (<c>ComputeGradients</c>, <c>TrainStep</c>) then draw noise and use batch
    /// statistics; inference methods (<c>Infer</c>, <c>ComputeLoss</c>) never do.
    /// </summary>
    public bool HasTrainingBehavior => InputDropout > 0f || Layers.Any(l => l.Dropout > 0f || l.BatchNorm is not null || l.Activation == Activation.RReLU);

    /// <summary>
    /// The names of the optimizer's state buffers, each as long as the parameter buffer: none for
    /// SGD, <c>velocity</c> for Momentum, <c>momentum_buffer</c> for Nesterov, <c>sum</c> for
    /// Adagrad, <c>square_avg</c> for RMSProp, <c>exp_avg</c> and <c>exp_avg_sq</c> for Adam and
    /// AdamW (PyTorch's state names).
    /// </summary>
    public IReadOnlyList<string> OptimizerSlots { get; }

    /// <summary>The fully qualified name of the generated class.</summary>
    public string TypeName { get; }

    /// <summary>The width of one input row.</summary>
    public int Inputs { get; }

    /// <summary>The width of one output row.</summary>
    public int Outputs => Layers[^1].Units;

    /// <summary>The training loss.</summary>
    public Loss Loss { get; }

    /// <summary>The optimizer the step method implements.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The declared initial learning rate.</summary>
    public float LearningRate { get; }

    /// <summary>The layers, from input to output.</summary>
    public IReadOnlyList<LayerDescription> Layers { get; }

    /// <summary>Every parameter tensor, in buffer order.</summary>
    public IReadOnlyList<ParameterTensor> Parameters { get; }

    /// <summary>The total number of parameters (the length of the parameter buffer).</summary>
    public int ParameterCount { get; }

    /// <summary>Finds a running statistic by name (for example <c>layers.0.batchnorm.running_mean</c>).</summary>
    /// <exception cref="KeyNotFoundException">No statistic has that name.</exception>
    public ParameterTensor Statistic(string name)
    {
        foreach (ParameterTensor p in Statistics)
        {
            if (p.Name == name) return p;
        }
        throw new KeyNotFoundException($"{TypeName} has no statistic named '{name}'. Its statistics are: {(Statistics.Count == 0 ? "none" : string.Join(", ", Statistics.Select(p => p.Name)))}.");
    }

    /// <summary>Finds a parameter tensor by name.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists the names there are.</exception>
    public ParameterTensor this[string name]
    {
        get
        {
            foreach (ParameterTensor p in Parameters)
            {
                if (p.Name == name) return p;
            }
            throw new KeyNotFoundException($"{TypeName} has no parameter named '{name}'. Its parameters are: {string.Join(", ", Parameters.Select(p => p.Name))}.");
        }
    }
}
