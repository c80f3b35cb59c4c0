using System.Collections.Generic;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Dropout;

/// <summary>
/// Dropout on a layer's outputs, or on the network's inputs (layer −1): the training pass draws a mask per example from the
/// training noise and keeps it for the backward pass; inference scales by 1 − p in the notes' form and does nothing otherwise.
/// </summary>
internal sealed class DropoutStage : Stage
{
    private readonly DropoutModel _model;
    private readonly string _kernels;

    public DropoutStage(DropoutModel model, StageContext context) : base(context)
    {
        _model = model;
        _kernels = context.Kernels.Family($"Dropout{model.Units}", $"{model.Units}:{Simd.Number(model.Rate)}:{model.Form}");
        context.Kernels.Add(_kernels + "Training", w => DropoutKernels.EmitTraining(w, model, _kernels));
        if (Notes) context.Kernels.Add(_kernels + "Inference", w => DropoutKernels.EmitInference(w, model, _kernels));
        if (!OnInputs) context.Kernels.Add(_kernels + "Backward", w => DropoutKernels.EmitBackward(w, model, _kernels));
    }

    public override StageModel Model => _model;

    private bool OnInputs => Layer < 0;

    private bool Notes => _model.Form == DropoutForm.Notes;

    private string Mask => OnInputs ? "InputMask" : $"Mask{Layer}";

    private string Dropped => OnInputs ? "InputDrop" : $"Drop{Layer}";

    private string Stream => OnInputs ? "TrainingNoise.InputDropoutStream" : $"TrainingNoise.DropoutStream({Layer})";

    public override bool DiffersInTraining => true;

    public override bool DrawsNoise => true;

    public override string? Output(Pass pass) => pass == Pass.Training || Notes ? Dropped : null;

    public override IEnumerable<WorkBuffer> Buffers(Pass pass)
    {
        if (pass == Pass.Training) yield return new WorkBuffer(Mask, _model.Units, "the dropout mask");
        if (Output(pass) is not null) yield return new WorkBuffer(Dropped, _model.Units, "the values after dropout");
    }

    public override void EmitForward(CallContext call)
    {
        if (call.Pass == Pass.Training)
        {
            call.W.Line($"{_kernels}Training(ref {call.Input}, ref {CallContext.Buffer(Mask)}, ref {CallContext.Buffer(Dropped)}, TrainingNoise.Key(noiseSeed, step, {Stream}), rows);");
        }
        else
        {
            call.W.Line($"{_kernels}Inference(ref {call.Input}, ref {CallContext.Buffer(Dropped)}, rows); // the notes' form: scaled by 1 − p");
        }
    }

    public override void EmitBackward(CallContext call)
        => call.W.Line($"{_kernels}Backward(ref {CallContext.Buffer(Mask)}, ref {CallContext.Buffer(call.Delta)}, rows);");

    public override string Describe(Pass pass) => "dropout " + Simd.Number(_model.Rate);

    public override void Describe(LayerDescriptionWriter d) => d.Properties.Add($"Dropout = {LayerDescriptionWriter.Float(_model.Rate)}");
}
