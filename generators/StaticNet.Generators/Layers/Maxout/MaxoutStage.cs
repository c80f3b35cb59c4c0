using System.Collections.Generic;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Maxout;

/// <summary>Maxout's max over the pieces of the affine map before it, and the backward pass that routes each gradient to the winner.</summary>
internal sealed class MaxoutStage : Stage
{
    private readonly MaxoutModel _model;
    private readonly string _kernel;

    public MaxoutStage(MaxoutModel model, StageContext context) : base(context)
    {
        _model = model;
        _kernel = context.Kernels.Family($"MaxOfPieces{model.Units}x{model.Pieces}", $"{model.Units}:{model.Pieces}");
        context.Kernels.Add(_kernel, w => MaxoutKernels.EmitForward(w, model, _kernel));
        context.Kernels.Add(_kernel + "Backward", w => MaxoutKernels.EmitBackward(w, model, _kernel));
    }

    public override StageModel Model => _model;

    private string Max => $"Max{Layer}";

    private string Piece => $"Piece{Layer}";

    private string LinearDelta => $"Dz{Layer}";

    public override string? Output(Pass pass) => Max;

    public override IEnumerable<WorkBuffer> Buffers(Pass pass)
    {
        yield return new WorkBuffer(Max, _model.Units, "the largest piece");
        yield return new WorkBuffer(Piece, _model.Units, "the winning piece");
        if (pass == Pass.Training) yield return new WorkBuffer(LinearDelta, _model.Units * _model.Pieces, "∂L/∂z of every piece");
    }

    public override void EmitForward(CallContext call)
        => call.W.Line($"{_kernel}(ref {call.Input}, ref {CallContext.Buffer(Max)}, ref {CallContext.Buffer(Piece)}, rows);");

    public override void EmitBackward(CallContext call)
    {
        call.W.Line($"{_kernel}Backward(ref {CallContext.Buffer(Piece)}, ref {CallContext.Buffer(call.Delta)}, ref {CallContext.Buffer(LinearDelta)}, rows);");
        call.Delta = LinearDelta;
    }
}
