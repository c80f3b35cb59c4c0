using System.Collections.Generic;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Dense;

/// <summary>
/// The affine map of a Dense or maxout layer, z = x·Wᵀ + b: its weight and bias, its buffer z, the forward product (and
/// the frozen network's over W transposed once into panels), the weight gradient and the input gradient.
/// </summary>
internal sealed class DenseStage : Stage, IFoldable
{
    private readonly DenseModel _model;
    private readonly string _kernels;

    public DenseStage(DenseModel model, StageContext context) : base(context)
    {
        _model = model;
        int n = model.Inputs, m = model.LinearUnits;
        _kernels = context.Kernels.Family(model.IsMaxout ? $"Maxout{n}x{model.Units}x{model.Pieces}" : $"Dense{n}x{m}", $"{n}:{model.Units}:{model.Pieces}");
        KernelSet k = context.Kernels;
        k.Add(_kernels + "Forward", w => DenseForwardKernels.Emit(w, model, _kernels));
        if (HasPanels) k.Add(_kernels + "FrozenForward", w => DenseForwardKernels.EmitFrozen(w, model, _kernels));
        k.Add(_kernels + "WeightGradient", w => DenseBackwardKernels.EmitWeightGradient(w, model, _kernels));
        if (Layer > 0) k.Add(_kernels + "InputGradient", w => DenseBackwardKernels.EmitInputGradient(w, model, _kernels));
    }

    public override StageModel Model => _model;

    private bool HasPanels => DenseForwardKernels.HasPanels(_model);

    private string Z => $"Z{Layer}";

    public Tensor Weight => TensorFor("weight");

    /// <summary>The bias tensor; only when the layer has one.</summary>
    public Tensor Bias => TensorFor("bias");

    private bool HasBias => _model.Bias;

    /// <summary>Without a bias: zeros the forward kernel reads as b, and the sink the weight gradient writes db into.</summary>
    private string Zeros => $"NoBias{Layer}";

    private string BiasSink => $"NoBiasGradient{Layer}";

    /// <summary>Without a bias, the frozen network keeps one of its own (zeros, or batch normalization's folded shift) after the panels.</summary>
    private int FrozenBiasArray => FirstFrozenArray + (HasPanels ? 1 : 0);

    public string FrozenBias => HasBias ? $"copy.Slice({Bias.ConstantName}, {_model.LinearUnits})" : $"arrays[{FrozenBiasArray}].Span";

    /// <summary>Batch normalization folds into W and b only when each output is a unit (not with maxout's pieces).</summary>
    public bool CanFold => !_model.IsMaxout;

    public int FanIn => _model.Inputs;

    public override IEnumerable<TensorSpec> Parameters
    {
        get
        {
            DenseModel d = _model;
            yield return new TensorSpec("weight", "Weight", d.IsMaxout ? new[] { d.Pieces, d.Units, d.Inputs } : new[] { d.Units, d.Inputs }, d.RegularizeWeights, "weight");
            if (d.Bias) yield return new TensorSpec("bias", "Bias", d.IsMaxout ? new[] { d.Pieces, d.Units } : new[] { d.Units }, d.RegularizeBias, "bias");
        }
    }

    public override string? Output(Pass pass) => Z;

    public override IEnumerable<WorkBuffer> Buffers(Pass pass)
    {
        yield return new WorkBuffer(Z, _model.LinearUnits, _model.IsMaxout ? "the pieces' affine outputs" : "the affine output");
        if (HasBias || pass == Pass.Frozen) yield break;
        yield return new WorkBuffer(Zeros, _model.LinearUnits, "zeros, the bias of a layer without one", PerRow: false);
        if (pass == Pass.Training) yield return new WorkBuffer(BiasSink, _model.LinearUnits, "where the weight gradient's bias sums go, unread", PerRow: false);
    }

    public override IEnumerable<string> Scratch
    {
        get
        {
            // A weight-gradient kernel packs up to one chunk of rows × (inputs + outputs); an input-gradient kernel one
            // column chunk of W; a forward kernel one chunk of Wᵀ.
            yield return $"Math.Min(rows, {DenseBackwardKernels.RowChunk(_model.Inputs)}) * {_model.Inputs + _model.LinearUnits}";
            int input = Layer > 0 ? DenseBackwardKernels.InputPackFloats(_model) : 0;
            if (input > 0) yield return $"(rows >= {DenseBackwardKernels.InputPackRows} ? {input} : 0)";
            int forward = DenseForwardKernels.PackFloats(_model);
            if (forward > 0) yield return $"(rows >= {DenseForwardKernels.PackRows} ? {forward} : 0)";
        }
    }

    private string WeightAndBias => $"{CallContext.Parameter(Weight)}, {(HasBias ? CallContext.Parameter(Bias) : $"ref {CallContext.Buffer(Zeros)}")}";

    private string FrozenWeightAndBias => $"{CallContext.Parameter(Weight)}, {(HasBias ? CallContext.Parameter(Bias) : $"ref arrays[{FrozenBiasArray}].Start")}";

    public override void EmitForward(CallContext call)
    {
        string output = CallContext.Buffer(Z);
        if (call.Pass != Pass.Frozen)
        {
            call.W.Line($"{_kernels}Forward(ref {call.Input}, {WeightAndBias}, ref {output}, ref Buffer(ws.Pack), rows);");
        }
        else if (HasPanels)
        {
            call.W.Line($"{_kernels}FrozenForward(ref {call.Input}, ref arrays[{FirstFrozenArray}].Start, {FrozenWeightAndBias}, ref {output}, rows);");
        }
        else
        {
            call.W.Line($"{_kernels}Forward(ref {call.Input}, {FrozenWeightAndBias}, ref {output}, ref Buffer(NoScratch), rows); // no panels: dot products, which use no scratch");
        }
    }

    public override void EmitBackward(CallContext call)
    {
        string delta = CallContext.Buffer(call.Delta);
        string db = HasBias ? CallContext.Gradient(Bias) : $"ref {CallContext.Buffer(BiasSink)}";
        call.W.Line($"{_kernels}WeightGradient(ref {call.Input}, ref {delta}, {CallContext.Gradient(Weight)}, {db}, ref Buffer(ws.Pack), rows);");
        if (call.InputDelta is null) return;
        call.W.Line($"{_kernels}InputGradient(ref {delta}, {CallContext.Parameter(Weight)}, ref {CallContext.Buffer(call.InputDelta)}, ref Buffer(ws.Pack), rows);");
        call.Delta = call.InputDelta;
    }

    public override string Describe(Pass pass) => _model.Title;

    public override string Head => _model.IsMaxout ? "Maxout" : "Dense";

    public override IEnumerable<string> SummaryParts => _model.IsMaxout ? new[] { $"{_model.Units}", $"{_model.Pieces} pieces" } : new[] { $"{_model.Units}" };

    public override void EmitInitialize(CodeWriter w)
    {
        w.Line($"NetworkRuntime.Initialize(p.Slice({Weight.ConstantName}, {Weight.Length}), Initializer.{_model.Initializer}, fanIn: {_model.Inputs}, fanOut: {_model.Units}, random); // {Weight.Name}");
        if (HasBias) w.Line($"p.Slice({Bias.ConstantName}, {Bias.Length}).Clear(); // {Bias.Name}");
    }

    public override void Describe(LayerDescriptionWriter d)
    {
        d.Inputs = _model.Inputs;
        d.Units = _model.Units;
        d.Weight = Weight;
        d.Bias = HasBias ? Bias : null;
        if (_model.IsMaxout) d.Properties.Add($"Pieces = {_model.Pieces}");
        d.Properties.Add($"Initializer = Initializer.{_model.Initializer}");
    }

    public override int FrozenArrays => (HasPanels ? 1 : 0) + (HasBias ? 0 : 1);

    public override void EmitFreeze(CodeWriter w, int phase)
    {
        if (phase == 0 && !HasBias)
        {
            w.Line($"arrays[{FrozenBiasArray}] = new AlignedBuffer({_model.LinearUnits}); // layer {Layer} has no bias: zeros, unless batch normalization folds into them");
        }
        if (phase != 1 || !HasPanels) return;
        DenseModel l = _model;
        string array = $"arrays[{FirstFrozenArray}]";
        w.Comment($"Layer {Layer}: W [{l.LinearUnits}, {l.Inputs}] → Wᵀ in panels of outputs, each panel [{l.Inputs}, width] row-major.");
        Simd.Ladder(w, l.Inputs, v =>
        {
            int floats = DenseForwardKernels.FrozenPanelFloats(v, l);
            if (floats == 0)
            {
                w.Comment("No whole panel on this path: the kernel takes dot products on W.");
                w.Line($"{array} = new AlignedBuffer(0);");
                return;
            }
            int width = DenseForwardKernels.PanelWidth(v);
            w.Line($"{array} = new AlignedBuffer({floats}); // {floats / l.Inputs} outputs in panels of {width}");
            w.Line($"NetworkRuntime.PackTransposed(ref Unsafe.Add(ref parameters.Start, {Weight.ConstantName}), {l.Inputs}, {floats / l.Inputs}, {width}, ref {array}.Start);");
        });
    }
}
