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
}

/// <summary>One Dense layer: <c>Units</c> outputs from <c>Inputs</c> inputs.</summary>
internal sealed record DenseLayerModel(int Index, int Inputs, int Units, ActivationKind Activation)
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
    OptimizerKind Optimizer,
    float LearningRate,
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
