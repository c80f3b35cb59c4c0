namespace StaticNet.Generators.Model;

// The equatable model between parsing and emitting. Plain values only: no ISymbol, SyntaxNode
// or Compilation may be held here, or the IDE would keep whole compilations alive and the
// incremental pipeline could never reuse a cached result.

/// <summary>Mirror of <c>StaticNet.Activation</c>; the numeric values must stay identical.</summary>
internal enum ActivationKind
{
    Identity = 0,
    Sigmoid = 1,
    Tanh = 2,
    ReLU = 3,
    BinaryStep = 4,
    ArcTan = 5,
    Softsign = 6,
    ISRU = 7,
    LeakyReLU = 8,
    PReLU = 9,
    RReLU = 10,
    ELU = 11,
    SELU = 12,
    SReLU = 13,
    ISRLU = 14,
    APL = 15,
    SoftPlus = 16,
    BentIdentity = 17,
    SiLU = 18,
    SoftExponential = 19,
    Sinusoid = 20,
    Sinc = 21,
    GELU = 22,
    Softmax = 23,
}

/// <summary>Mirror of <c>StaticNet.Loss</c>.</summary>
internal enum LossKind
{
    MeanSquaredError = 0,
    SoftmaxCrossEntropy = 1,
    BinaryCrossEntropy = 2,
    MulticlassHinge = 3,
}

/// <summary>Mirror of <c>StaticNet.Initializer</c>.</summary>
internal enum InitializerKind
{
    Default = 0,
    GlorotUniform = 1,
    GlorotNormal = 2,
    HeUniform = 3,
    HeNormal = 4,
    LeCunUniform = 5,
    LeCunNormal = 6,
}

/// <summary>Mirror of <c>StaticNet.DropoutForm</c>.</summary>
internal enum DropoutFormKind
{
    Inverted = 0,
    Notes = 1,
}

/// <summary>Mirror of <c>StaticNet.Optimizer</c>.</summary>
internal enum OptimizerKind
{
    Sgd = 0,
    Momentum = 1,
    Nesterov = 2,
    Adagrad = 3,
    RMSProp = 4,
    Adam = 5,
    AdamW = 6,
}

/// <summary>The optimizer and its declared hyperparameters, defaults resolved.</summary>
internal sealed record OptimizerModel(
    OptimizerKind Kind,
    float LearningRate,
    float Momentum,
    float Beta1,
    float Beta2,
    float Alpha,
    float Epsilon,
    bool NotesForm,
    float L1,
    float L2,
    float ClipNorm,
    bool PenaltyInLoss)
{
    /// <summary>L1 or L2 terms are compiled into the step (their strengths stay run-time values).</summary>
    public bool HasL1 => L1 > 0f;

    public bool HasL2 => L2 > 0f;

    public bool HasClipping => ClipNorm > 0f;
}

/// <summary>
/// A layer's activation with its constants resolved (defaults filled in). Learned parameters'
/// initial values are constants here too.
/// </summary>
internal sealed record ActivationModel(
    ActivationKind Kind,
    float Alpha = 0f,
    float Lambda = 1f,
    float Lower = 0.125f,
    float Upper = 1f / 3f,
    int Hinges = 2,
    float LeftThreshold = 0f,
    float LeftSlope = 0f,
    float RightThreshold = 1f,
    float RightSlope = 1f);

/// <summary>A layer's batch normalization: the new batch's weight in the running statistics, and ε.</summary>
internal sealed record BatchNormModel(float Momentum, float Epsilon);

/// <summary>
/// One layer: a Dense layer (<c>Pieces</c> = 1) or a Maxout layer, <c>Units</c> outputs from
/// <c>Inputs</c> inputs, optionally batch-normalized before its activation and dropped out after it.
/// </summary>
internal sealed record DenseLayerModel(
    int Index,
    int Inputs,
    int Units,
    ActivationModel Activation,
    bool RegularizeWeights = true,
    bool RegularizeBias = false)
{
    /// <summary>Maxout's pieces per unit; 1 for Dense.</summary>
    public int Pieces { get; init; } = 1;

    public InitializerKind Initializer { get; init; } = InitializerKind.GlorotUniform;

    public BatchNormModel? BatchNorm { get; init; }

    /// <summary>The dropout rate on the outputs in training, 0 for none.</summary>
    public float Dropout { get; init; }

    public bool RegularizeActivation { get; init; }

    public bool RegularizeBatchNorm { get; init; }

    public bool IsMaxout => Pieces > 1;

    /// <summary>The outputs of the affine map: Units × Pieces.</summary>
    public int LinearUnits => Units * Pieces;

    public int WeightCount => LinearUnits * Inputs;
}

/// <summary>Everything the emitter needs to write one network class.</summary>
/// <param name="Namespace">The namespace as source spells it (keywords escaped), or null for the global namespace.</param>
/// <param name="ClassName">The class name as source spells it (<c>@event</c> for a keyword).</param>
/// <param name="TypeName">The full metadata name, for descriptions and messages.</param>
/// <param name="HintName">The generated file's name.</param>
internal sealed record NetworkModel(
    string? Namespace,
    string ClassName,
    string TypeName,
    string HintName,
    int Inputs,
    LossKind Loss,
    OptimizerModel Optimizer,
    EquatableArray<DenseLayerModel> Layers)
{
    /// <summary>The dropout rate on the inputs in training, 0 for none.</summary>
    public float InputDropout { get; init; }

    public DropoutFormKind DropoutForm { get; init; }

    public int Outputs => Layers[Layers.Count - 1].Units;

    public DenseLayerModel Output => Layers[Layers.Count - 1];
}
