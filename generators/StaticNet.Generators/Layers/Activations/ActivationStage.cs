using System.Collections.Generic;
using System.Linq;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Activations;

/// <summary>
/// A layer's activation a = f(z): its learned parameters, its forward pass (RReLU's training pass draws the slopes) and its
/// backward pass d ← d ⊙ f′(z). The identity has no pass (the output is its input), and the output layer's softmax with
/// softmax cross-entropy, or sigmoid with binary cross-entropy, is fused into the loss.
/// </summary>
internal sealed class ActivationStage : Stage
{
    private readonly ActivationModel _model;
    private readonly ActivationDefinition _f;
    private readonly string _kernels = "";

    public ActivationStage(ActivationModel model, StageContext context) : base(context)
    {
        _model = model;
        _f = ActivationCatalog.Get(model.Kind);
        Loss loss = context.Network.Loss;
        IsFused = context.IsOutput && ((model.Kind == Activation.Softmax && loss == Loss.SoftmaxCrossEntropy) || (model.Kind == Activation.Sigmoid && loss == Loss.BinaryCrossEntropy));
        if (!HasPass) return;
        string constants = string.Join(":", _f.Arguments.Select(a => Simd.Number(model.Get(a.Name))));
        _kernels = context.Kernels.Family($"{model.Kind}{model.Units}", $"{model.Kind}:{model.Units}:{constants}");
        if (_f.IsRandomized) context.Kernels.Add(_kernels + "Training", w => ActivationKernels.EmitForward(w, model, _kernels, training: true));
        context.Kernels.Add(_kernels, w => ActivationKernels.EmitForward(w, model, _kernels));
        context.Kernels.Add(_kernels + "Backward", w => ActivationKernels.EmitBackward(w, model, _kernels));
    }

    public override StageModel Model => _model;

    /// <summary>The loss computes this activation with its own gradient (<c>softmax − t</c>, <c>σ(a) − t</c>).</summary>
    public bool IsFused { get; }

    private bool HasPass => !_f.IsIdentity && !IsFused;

    private string A => $"A{Layer}";

    private string Slopes => $"Slopes{Layer}";

    private LearnedParameter[] Learned => _f.Learned(_model).ToArray();

    public override IEnumerable<TensorSpec> Parameters => Learned.Select(p => new TensorSpec(
        $"{_f.TensorPrefix}.{p.Name}", $"{_model.Kind}{p.ConstantSuffix}", p.Rows == 1 ? new[] { _model.Units } : new[] { p.Rows, _model.Units }, _model.Regularize, p.Name));

    public override bool DiffersInTraining => HasPass && _f.IsRandomized;

    public override bool DrawsNoise => HasPass && _f.IsRandomized;

    public override string? Output(Pass pass) => HasPass ? A : null;

    public override IEnumerable<WorkBuffer> Buffers(Pass pass)
    {
        if (!HasPass) yield break;
        yield return new WorkBuffer(A, _model.Units, "the activation");
        if (pass == Pass.Training && _f.IsRandomized) yield return new WorkBuffer(Slopes, _model.Units, "RReLU's drawn slopes");
    }

    private IEnumerable<string> LearnedParameters => Tensors.Select(CallContext.Parameter);

    public override void EmitForward(CallContext call)
    {
        var arguments = new List<string> { $"ref {call.Input}", $"ref {CallContext.Buffer(A)}" };
        arguments.AddRange(LearnedParameters);
        if (call.Pass == Pass.Training && _f.IsRandomized)
        {
            arguments.Add($"ref {CallContext.Buffer(Slopes)}");
            arguments.Add($"TrainingNoise.Key(noiseSeed, step, TrainingNoise.RReLUStream({Layer}))");
            call.W.Line($"{_kernels}Training({string.Join(", ", arguments)}, rows);");
        }
        else
        {
            call.W.Line($"{_kernels}({string.Join(", ", arguments)}, rows);");
        }
    }

    public override void EmitBackward(CallContext call)
    {
        string delta = $"ref {CallContext.Buffer(call.Delta)}";
        if (_f.IsRowWise)
        {
            call.W.Line($"{_kernels}Backward(ref {CallContext.Buffer(A)}, {delta}, rows);");
            return;
        }
        var arguments = new List<string> { $"ref {call.Input}", $"ref {CallContext.Buffer(A)}" };
        if (_f.IsRandomized) arguments.Add($"ref {CallContext.Buffer(Slopes)}");
        arguments.AddRange(LearnedParameters);
        arguments.AddRange(Tensors.Select(CallContext.Gradient));
        arguments.Add(delta);
        call.W.Line($"{_kernels}Backward({string.Join(", ", arguments)}, rows);");
    }

    public override string? Describe(Pass pass) => IsFused ? _model.Kind + " fused into the loss" : HasPass ? _model.Kind.ToString() : null;

    public override IEnumerable<string> SummaryParts => _model.Kind == Activation.Identity ? Enumerable.Empty<string>() : new[] { _model.Kind.ToString() };

    public override IEnumerable<string> Helpers => HasPass ? _f.Helpers : Enumerable.Empty<string>();

    public override IEnumerable<string> RowHelpers => HasPass && _f.IsRowWise ? new[] { "RowMax", "RowExp", "RowScale", "RowDot", "RowSoftmaxBackward" } : Enumerable.Empty<string>();

    public override void EmitInitialize(CodeWriter w)
    {
        LearnedParameter[] learned = Learned;
        for (int k = 0; k < learned.Length; k++)
        {
            Tensor t = Tensors[k];
            float[] initial = learned[k].Initial;
            string slice = $"p.Slice({t.ConstantName}, {t.Length})";
            if (initial.All(v => v == initial[0]))
            {
                w.Line(initial[0] == 0f ? $"{slice}.Clear(); // {t.Name}" : $"{slice}.Fill({LayerDescriptionWriter.Float(initial[0])}); // {t.Name}");
                continue;
            }
            for (int row = 0; row < initial.Length; row++)
            {
                w.Line($"p.Slice({t.ConstantName} + {row * _model.Units}, {_model.Units}).Fill({LayerDescriptionWriter.Float(initial[row])}); // {t.Name}[{row}]");
            }
        }
    }

    /// <summary>The runtime's <c>ActivationOptions</c> holds these of an activation's constants.</summary>
    private static readonly string[] Options = { "Alpha", "Lambda", "Lower", "Upper", "Hinges" };

    public override void Describe(LayerDescriptionWriter d)
    {
        d.Activation = _model.Kind.ToString();
        var options = _f.Arguments.Where(a => Options.Contains(a.Name))
            .Select(a => a.IsInteger ? $"{a.Name}: {(int)_model.Get(a.Name)}" : $"{a.Name}: {LayerDescriptionWriter.Float(_model.Get(a.Name))}").ToList();
        if (options.Count > 0) d.Properties.Add($"ActivationOptions = new ActivationOptions({string.Join(", ", options)})");
        if (Tensors.Count > 0)
        {
            d.Properties.Add("ActivationParameters = new[]\n{\n" + string.Concat(Tensors.Select(t => "    " + LayerDescriptionWriter.Text(t) + ",\n")) + "}");
        }
    }
}
