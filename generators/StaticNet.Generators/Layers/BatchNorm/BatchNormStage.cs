using System.Collections.Generic;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.BatchNorm;

/// <summary>
/// Batch normalization between a layer's affine map and its activation: γ and β, the running statistics, the training
/// pass over the batch's statistics (committed to the running ones only after a finite step), the inference pass, the
/// backward pass through the batch statistics; in a frozen network, folded into the affine map's W and b.
/// </summary>
internal sealed class BatchNormStage : Stage
{
    private readonly BatchNormModel _model;
    private readonly string _kernels;

    public BatchNormStage(BatchNormModel model, StageContext context) : base(context)
    {
        _model = model;
        _kernels = context.Kernels.Family($"BatchNorm{model.Units}", $"{model.Units}:{Simd.Number(model.Momentum)}:{Simd.Number(model.Epsilon)}");
        context.Kernels.Add(_kernels + "Training", w => BatchNormKernels.EmitTraining(w, model, _kernels));
        context.Kernels.Add(_kernels + "Inference", w => BatchNormKernels.EmitInference(w, model, _kernels));
        context.Kernels.Add(_kernels + "Backward", w => BatchNormKernels.EmitBackward(w, model, _kernels));
    }

    public override StageModel Model => _model;

    /// <summary>The affine stage before this one, when the frozen network folds the normalization into it.</summary>
    private IFoldable? Fold => Context.Previous is IFoldable { CanFold: true } f ? f : null;

    public override bool IsFolded => Fold is not null;

    private string Xhat => $"Xhat{Layer}";

    private string Normalized => $"Bn{Layer}";

    private string Mean => $"Mean{Layer}";

    private string Variance => $"Variance{Layer}";

    private string InvStd => $"InvStd{Layer}";

    private string XhatMean => $"XhatMean{Layer}";

    private Tensor Gamma => TensorFor("gamma");

    private Tensor Beta => TensorFor("beta");

    private Tensor RunningMean => TensorFor("running_mean");

    private Tensor RunningVariance => TensorFor("running_var");

    public override IEnumerable<TensorSpec> Parameters => new[]
    {
        new TensorSpec("batchnorm.weight", "BatchNormWeight", new[] { _model.Units }, _model.Regularize, "gamma"),
        new TensorSpec("batchnorm.bias", "BatchNormBias", new[] { _model.Units }, _model.Regularize, "beta"),
    };

    public override IEnumerable<TensorSpec> Statistics => new[]
    {
        new TensorSpec("batchnorm.running_mean", "RunningMean", new[] { _model.Units }, false, "running_mean"),
        new TensorSpec("batchnorm.running_var", "RunningVariance", new[] { _model.Units }, false, "running_var"),
    };

    public override bool DiffersInTraining => true;

    public override string? Output(Pass pass) => pass == Pass.Frozen && IsFolded ? null : Normalized;

    public override IEnumerable<WorkBuffer> Buffers(Pass pass)
    {
        if (pass == Pass.Frozen && IsFolded) yield break;
        yield return new WorkBuffer(Normalized, _model.Units, "γx̂ + β");
        if (pass != Pass.Training) yield break;
        yield return new WorkBuffer(Xhat, _model.Units, "x̂");
        yield return new WorkBuffer(Mean, _model.Units, "the batch's μ", PerRow: false);
        yield return new WorkBuffer(Variance, _model.Units, "the batch's σ²", PerRow: false);
        yield return new WorkBuffer(InvStd, _model.Units, "the batch's 1/√(σ² + ε)", PerRow: false);
        yield return new WorkBuffer(XhatMean, _model.Units, "the mean of x̂ as computed (backward)", PerRow: false);
    }

    public override void EmitTrainingChecks(CodeWriter w, string typeName)
        => w.Line($"NetworkRuntime.BatchNormTrainingRows(rows, \"{typeName}\", {Layer}, \"inputs\");");

    public override void EmitForward(CallContext call)
    {
        string gamma = CallContext.Parameter(Gamma), beta = CallContext.Parameter(Beta);
        string y = CallContext.Buffer(Normalized);
        if (call.Pass == Pass.Training)
        {
            call.W.Line($"{_kernels}Training(ref {call.Input}, {gamma}, {beta}, ref {CallContext.Buffer(Xhat)}, ref {y}, ref {CallContext.Buffer(Mean)}, ref {CallContext.Buffer(Variance)}, ref {CallContext.Buffer(InvStd)}, rows);");
        }
        else
        {
            call.W.Line($"{_kernels}Inference(ref {call.Input}, {gamma}, {beta}, {CallContext.Statistic(RunningMean)}, {CallContext.Statistic(RunningVariance)}, ref {y}, rows);");
        }
    }

    public override IEnumerable<string> CommitBuffers => new[] { Mean, Variance };

    public override void EmitCommit(CodeWriter w, int phase)
    {
        if (phase == 0)
        {
            w.Line($"{_kernels}Commit(ref {CallContext.Buffer(Mean)}, ref {CallContext.Buffer(Variance)}, {CallContext.Statistic(RunningMean)}, {CallContext.Statistic(RunningVariance)}, ws.LastRows);");
        }
        else
        {
            w.Line($"ws.{Mean}.CopyTo(statistics.Slice({RunningMean.ConstantName}, {_model.Units})); // {RunningMean.Name}");
            w.Line($"ws.{Variance}.CopyTo(statistics.Slice({RunningVariance.ConstantName}, {_model.Units})); // {RunningVariance.Name}");
        }
    }

    public override void EmitBackward(CallContext call)
        => call.W.Line($"{_kernels}Backward(ref {CallContext.Buffer(Xhat)}, {CallContext.Parameter(Gamma)}, ref {CallContext.Buffer(InvStd)}, ref {CallContext.Buffer(call.Delta)}, {CallContext.Gradient(Gamma)}, {CallContext.Gradient(Beta)}, ref {CallContext.Buffer(XhatMean)}, rows);");

    public override string Describe(Pass pass) => pass == Pass.Frozen && IsFolded ? "batch norm (folded into W and b)" : "batch norm";

    public override void EmitInitialize(CodeWriter w)
    {
        w.Line($"p.Slice({Gamma.ConstantName}, {Gamma.Length}).Fill(1f); // {Gamma.Name}: γ");
        w.Line($"p.Slice({Beta.ConstantName}, {Beta.Length}).Clear(); // {Beta.Name}");
        w.Line($"statistics.Slice({RunningMean.ConstantName}, {RunningMean.Length}).Clear(); // {RunningMean.Name}");
        w.Line($"statistics.Slice({RunningVariance.ConstantName}, {RunningVariance.Length}).Fill(1f); // {RunningVariance.Name}");
    }

    public override void Describe(LayerDescriptionWriter d)
        => d.Properties.Add(
            "BatchNorm = new BatchNormDescription(\n" +
            $"    {LayerDescriptionWriter.Text(Gamma)},\n" +
            $"    {LayerDescriptionWriter.Text(Beta)},\n" +
            $"    {LayerDescriptionWriter.Text(RunningMean)},\n" +
            $"    {LayerDescriptionWriter.Text(RunningVariance)},\n" +
            $"    Momentum: {LayerDescriptionWriter.Float(_model.Momentum)},\n" +
            $"    Epsilon: {LayerDescriptionWriter.Float(_model.Epsilon)})");

    public override void EmitFreeze(CodeWriter w, int phase)
    {
        if (phase != 0) return;
        if (Fold is not IFoldable f)
        {
            // Not after a foldable affine map (no layer kind declares that today): the frozen network would need the running
            // statistics, which it does not keep.
            throw new System.InvalidOperationException($"Layer {Layer}: batch normalization after a stage it cannot fold into.");
        }
        int u = _model.Units;
        w.Comment($"Layer {Layer}: W[o, ·] ← s[o]·W[o, ·], b[o] ← (b[o] − μ̄[o])·s[o] + β[o], s = γ/√(σ̄² + ε), ε = {Simd.Number(_model.Epsilon)}.");
        w.Line($"NetworkRuntime.FoldBatchNorm(copy.Slice({f.Weight.ConstantName}, {u * f.FanIn}), {f.FrozenBias},");
        w.Line($"    copy.Slice({Gamma.ConstantName}, {u}), copy.Slice({Beta.ConstantName}, {u}),");
        w.Line($"    statistics.Slice({RunningMean.ConstantName}, {u}), statistics.Slice({RunningVariance.ConstantName}, {u}), {LayerDescriptionWriter.Float(_model.Epsilon)});");
    }
}
