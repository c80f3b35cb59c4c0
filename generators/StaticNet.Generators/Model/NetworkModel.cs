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
}

/// <summary>Mirror of <c>StaticNet.Loss</c>.</summary>
internal enum LossKind
{
    MeanSquaredError = 0,
    SoftmaxCrossEntropy = 1,
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

/// <summary>One Dense layer: <c>Units</c> outputs from <c>Inputs</c> inputs.</summary>
internal sealed record DenseLayerModel(int Index, int Inputs, int Units, ActivationKind Activation, bool RegularizeWeights = true, bool RegularizeBias = false)
{
    public int WeightCount => Units * Inputs;

    public int ParameterCount => WeightCount + Units;
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
    public int Outputs => Layers[Layers.Count - 1].Units;

    public int ParameterCount
    {
        get
        {
            int n = 0;
            foreach (DenseLayerModel layer in Layers) n += layer.ParameterCount;
            return n;
        }
    }
}
