using System.Collections.Generic;
using System.Linq;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers;

/// <summary>The passes a stage takes part in: training (the batch's statistics, noise drawn), inference, and a frozen network's inference.</summary>
internal enum Pass
{
    Training,
    Inference,
    Frozen,
}

/// <summary>A work buffer of the workspace: [rows, <see cref="Width"/>] floats, or <see cref="Width"/> floats when not <see cref="PerRow"/>.</summary>
/// <param name="Name">The workspace field (<c>Z0</c>).</param>
/// <param name="What">What it holds, for the field's comment.</param>
internal sealed record WorkBuffer(string Name, int Width, string What, bool PerRow = true);

/// <summary>A parameter (or running-statistic) tensor a stage declares, before the layout gives it an offset.</summary>
/// <param name="Name">The name after <c>layers.{i}.</c>: <c>weight</c>, <c>batchnorm.weight</c>, <c>prelu.alpha</c>.</param>
/// <param name="ConstantSuffix">The offset constant's part after <c>Layer{i}</c>: <c>Weight</c>, <c>BatchNormWeight</c>.</param>
/// <param name="Shape">PyTorch's shape.</param>
/// <param name="Regularized">L1/L2 apply to it.</param>
/// <param name="Role">What the stage calls it (<c>weight</c>, <c>gamma</c>, <c>alpha</c>, …), to find it again.</param>
internal sealed record TensorSpec(string Name, string ConstantSuffix, int[] Shape, bool Regularized, string Role)
{
    public int Length => Shape.Aggregate(1, (n, d) => n * d);
}

/// <summary>A tensor placed in its buffer (the parameters' or the running statistics').</summary>
internal sealed class Tensor(TensorSpec spec, Stage stage, int offset)
{
    public TensorSpec Spec { get; } = spec;

    public Stage Stage { get; } = stage;

    public int Offset { get; } = offset;

    public string Name => $"layers.{Stage.Layer}.{Spec.Name}";

    public string ConstantName => $"Layer{Stage.Layer}{Spec.ConstantSuffix}Offset";

    public int[] Shape => Spec.Shape;

    public int Length => Spec.Length;

    public bool Regularized => Spec.Regularized;

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>Where a stage sits: its network, its layer, the stage before it, and the kernels of the generated file.</summary>
internal sealed class StageContext(NetworkModel network, int layer, Stage? previous, bool isOutput, KernelSet kernels)
{
    public NetworkModel Network { get; } = network;

    /// <summary>The layer's index, −1 for the stages on the network's inputs.</summary>
    public int Layer { get; } = layer;

    /// <summary>The stage before this one in the forward pass (of this or an earlier layer), or null for the first.</summary>
    public Stage? Previous { get; } = previous;

    /// <summary>This stage belongs to the output layer (whose output the loss reads).</summary>
    public bool IsOutput { get; } = isOutput;

    public KernelSet Kernels { get; } = kernels;
}

/// <summary>
/// The names a stage's call in a pass uses. Inside the generated passes, <c>p</c>, <c>g</c> and <c>s</c> are the first
/// parameter, gradient and running statistic, <c>ws</c> the workspace, <c>rows</c> the batch's rows, and in the training
/// pass <c>noiseSeed</c> and <c>step</c> key the training noise.
/// </summary>
internal sealed class CallContext(CodeWriter writer, Pass pass, string input)
{
    public CodeWriter W { get; } = writer;

    public Pass Pass { get; } = pass;

    /// <summary>The stage's input in this pass, as a ref expression without <c>ref</c>: <c>x</c> or <c>Buffer(ws.A0)</c>.</summary>
    public string Input { get; } = input;

    /// <summary>Backward: the buffer holding ∂L/∂(the stage's output); a stage that writes ∂L/∂(its input) elsewhere sets it.</summary>
    public string Delta { get; set; } = "";

    /// <summary>Backward: the buffer for ∂L/∂(the layer's input), or null on layer 0, whose input gradient nothing reads.</summary>
    public string? InputDelta { get; init; }

    public static string Buffer(string name) => $"Buffer(ws.{name})";

    public static string Parameter(Tensor t) => $"ref Unsafe.Add(ref p, {t.ConstantName})";

    public static string Gradient(Tensor t) => $"ref Unsafe.Add(ref g, {t.ConstantName})";

    public static string Statistic(Tensor t) => $"ref Unsafe.Add(ref s, {t.ConstantName})";
}

/// <summary>
/// One stage of the generated network: a layer kind's share of everything the network emitter writes. The emitter walks
/// the stages and asks each for its tensors, its work buffers, its calls in the forward and backward passes and in the
/// frozen network, and its kernels; it never names a kind. A new layer kind is a folder under <c>Layers/</c> with a model
/// record, a <see cref="LayerKind"/> (parsing) and a subclass of this, registered in <see cref="LayerKinds"/>.
/// </summary>
internal abstract class Stage(StageContext context)
{
    public StageContext Context { get; } = context;

    public int Layer => Context.Layer;

    public abstract StageModel Model { get; }

    public int Outputs => Model.Outputs;

    /// <summary>The stage's parameter tensors, in buffer order.</summary>
    public virtual IEnumerable<TensorSpec> Parameters => Enumerable.Empty<TensorSpec>();

    /// <summary>The stage's running statistics, in buffer order.</summary>
    public virtual IEnumerable<TensorSpec> Statistics => Enumerable.Empty<TensorSpec>();

    /// <summary>The tensors the layout placed (set by the emitter before any call below).</summary>
    public IReadOnlyList<Tensor> Tensors { get; set; } = new Tensor[0];

    public IReadOnlyList<Tensor> StatisticTensors { get; set; } = new Tensor[0];

    protected Tensor TensorFor(string role) => Tensors.Concat(StatisticTensors).First(t => t.Spec.Role == role);

    /// <summary>The buffer the stage writes its output to in <paramref name="pass"/>, or null when it passes its input on unchanged.</summary>
    public abstract string? Output(Pass pass);

    /// <summary>The work buffers the stage uses in <paramref name="pass"/> (the frozen network keeps only those of <see cref="Pass.Frozen"/>).</summary>
    public abstract IEnumerable<WorkBuffer> Buffers(Pass pass);

    /// <summary>Scratch the stage's kernels need for <c>rows</c> rows, as C# expressions in <c>rows</c>, in floats (the workspace's <c>Pack</c> holds the largest).</summary>
    public virtual IEnumerable<string> Scratch => Enumerable.Empty<string>();

    /// <summary>The stage's call in the forward pass (only when <see cref="Output"/> is not null for that pass).</summary>
    public abstract void EmitForward(CallContext call);

    /// <summary>The stage's calls in the backward pass: from <see cref="CallContext.Delta"/> to its parameters' gradients and to ∂L/∂(its input).</summary>
    public abstract void EmitBackward(CallContext call);

    /// <summary>True when training behaves otherwise than inference (the batch's statistics, dropped units, random slopes).</summary>
    public virtual bool DiffersInTraining => false;

    /// <summary>True when training draws random numbers.</summary>
    public virtual bool DrawsNoise => false;

    /// <summary>Writes the checks a training batch must pass for this stage (batch normalization needs two rows), or nothing.</summary>
    public virtual void EmitTrainingChecks(CodeWriter w, string typeName) { }

    /// <summary>
    /// The work buffers holding what the stage stores after a finite training step (running statistics), once
    /// <see cref="EmitCommit"/>'s phase 0 has computed it; empty for a stage that stores nothing.
    /// </summary>
    public virtual IEnumerable<string> CommitBuffers => Enumerable.Empty<string>();

    public bool CommitsAfterTraining => CommitBuffers.Any();

    /// <summary>
    /// After a training step whose loss and gradients are finite: phase 0 computes what the stage will store into its
    /// <see cref="CommitBuffers"/>; phase 1, once all of those are known to be finite, stores it (in <c>statistics</c>).
    /// </summary>
    public virtual void EmitCommit(CodeWriter w, int phase) { }

    /// <summary>A short description for the passes' comments (<c>Dense 784 → 128</c>, <c>ReLU</c>, <c>batch norm</c>), or null.</summary>
    public virtual string? Describe(Pass pass) => null;

    /// <summary>For a layer's first stage: the layer's name in the class summary (<c>Dense</c> in <c>Dense(128, ReLU)</c>).</summary>
    public virtual string Head => "";

    /// <summary>The stage's part of its layer's summary (<c>128</c>, <c>ReLU</c>, <c>dropout 0.5</c>).</summary>
    public virtual IEnumerable<string> SummaryParts => Describe(Pass.Training) is string part ? new[] { part } : Enumerable.Empty<string>();

    /// <summary>Initializes the stage's tensors in <c>Initialize</c> (<c>p</c>: the parameters' span, <c>random</c>, <c>statistics</c>).</summary>
    public virtual void EmitInitialize(CodeWriter w) { }

    /// <summary>Adds the stage's part to its layer's <c>LayerDescription</c>.</summary>
    public virtual void Describe(LayerDescriptionWriter d) { }

    /// <summary>Math helpers the stage's kernels call (<see cref="MathHelpers"/>).</summary>
    public virtual IEnumerable<string> Helpers => Enumerable.Empty<string>();

    /// <summary>Row helpers over the output width the stage's kernels call (<see cref="OutputRowEmitter"/>).</summary>
    public virtual IEnumerable<string> RowHelpers => Enumerable.Empty<string>();

    /// <summary>The number of arrays of its own the stage keeps in a frozen network (packed weights).</summary>
    public virtual int FrozenArrays => 0;

    /// <summary>The index of the stage's first array in the frozen network's <c>arrays</c> (set by the emitter).</summary>
    public int FirstFrozenArray { get; set; }

    /// <summary>
    /// Writes the stage's part of making a frozen network from the copied parameters (<c>parameters</c>, a span) and the
    /// network's statistics (<c>statistics</c>): phase 0 changes parameters (folds), phase 1 packs (into <c>arrays[index]</c>).
    /// </summary>
    public virtual void EmitFreeze(CodeWriter w, int phase) { }

    /// <summary>True when, in the frozen network, the stage's work is folded into the previous stage's parameters.</summary>
    public virtual bool IsFolded => false;
}

/// <summary>
/// An affine stage that a following batch normalization folds into when the network is frozen: W[o, ·] ← s[o]·W[o, ·] and
/// b[o] ← (b[o] − μ̄[o])·s[o] + β[o] with s = γ/√(σ̄² + ε), one output unit per row of W.
/// </summary>
internal interface IFoldable
{
    /// <summary>Each output is one unit (a maxout layer's pieces are not: the max does not commute with a negative γ).</summary>
    bool CanFold { get; }

    Tensor Weight { get; }

    /// <summary>The span the fold writes the folded bias into, in the frozen network's <c>Freeze</c> (<c>copy.Slice(…)</c>, or an array of its own when the stage has no bias).</summary>
    string FrozenBias { get; }

    /// <summary>The weights per output unit (one row of W).</summary>
    int FanIn { get; }
}
