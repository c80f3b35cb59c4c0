using System.Linq;

namespace StaticNet.Generators.Model;

// The equatable model between parsing and emitting. Plain values only: no ISymbol, SyntaxNode
// or Compilation may be held here, or the IDE would keep whole compilations alive and the
// incremental pipeline could never reuse a cached result. The enums (Activation, Loss, Optimizer,
// Initializer, DropoutForm) are the runtime's own, compiled into the generator from
// src/StaticNet/Shared/Enums.cs.

/// <summary>Where the network class is declared and how the generated code names it.</summary>
/// <param name="Namespace">The namespace as source spells it (keywords escaped), or null for the global namespace.</param>
/// <param name="ContainingTypes">The declarations of the types the class is nested in, outermost first (<c>partial class Outer</c>).</param>
/// <param name="Name">The class name as source spells it (<c>@event</c> for a keyword).</param>
/// <param name="FullName">The full metadata name, for descriptions and messages (<c>Samples.Outer+DigitNet</c> reads <c>Samples.Outer.DigitNet</c>).</param>
/// <param name="HintName">The generated file's name, unique even among names that differ only in case.</param>
internal sealed record TypeModel(string? Namespace, EquatableArray<string> ContainingTypes, string Name, string FullName, string HintName)
{
    /// <summary>The generated members that hide a member of the class's base types (declared <c>new</c>, as C# asks).</summary>
    public EquatableArray<string> Hidden { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The class as generated code outside it names it: <c>global::Samples.Outer.DigitNet</c>.</summary>
    public string GlobalName => "global::" + (Namespace is null ? "" : Namespace + ".") + string.Concat(ContainingTypes.Select(c => c.Substring(c.LastIndexOf(' ') + 1) + ".")) + Name;

    /// <summary>An identifier made of the class's names, for the generated file-local types (<c>Outer_DigitNet</c>).</summary>
    public string Identifier => string.Concat(ContainingTypes.Select(c => c.Substring(c.LastIndexOf(' ') + 1).TrimStart('@') + "_")) + Name.TrimStart('@');
}

/// <summary>The optimizer and its declared hyperparameters, defaults resolved.</summary>
internal sealed record OptimizerModel(
    Optimizer Kind,
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
/// One stage of a layer: the affine map, maxout's max, batch normalization, the activation, dropout. Each kind derives its
/// own record in its folder under <c>Layers/</c>; the emitter turns each into a <c>Stage</c> (<c>Layers/LayerKinds.cs</c>).
/// </summary>
internal abstract record StageModel
{
    /// <summary>The values the stage writes per row.</summary>
    public abstract int Outputs { get; }
}

/// <summary>
/// One declared layer (one attribute): its index (the <c>layers.{Index}</c> of its tensors' names), its width in and out,
/// and its stages in the order the forward pass runs them.
/// </summary>
internal sealed record LayerModel(int Index, int Inputs, EquatableArray<StageModel> Stages)
{
    public int Outputs => Stages[Stages.Count - 1].Outputs;

    /// <summary>The stage of type <typeparamref name="T"/>, or null.</summary>
    public T? Stage<T>() where T : StageModel => Stages.OfType<T>().FirstOrDefault();
}

/// <summary>Everything the emitter needs to write one network class.</summary>
/// <param name="InputStages">Stages on the inputs before layer 0 (input dropout), possibly none.</param>
internal sealed record NetworkModel(
    TypeModel Type,
    int Inputs,
    Loss Loss,
    OptimizerModel Optimizer,
    EquatableArray<StageModel> InputStages,
    EquatableArray<LayerModel> Layers)
{
    /// <summary>How dropout compensates for dropped units, on the inputs and in every layer.</summary>
    public DropoutForm DropoutForm { get; init; }

    public int Outputs => Layers[Layers.Count - 1].Outputs;

    public LayerModel Output => Layers[Layers.Count - 1];
}
