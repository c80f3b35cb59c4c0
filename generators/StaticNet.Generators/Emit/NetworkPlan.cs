using System.Collections.Generic;
using System.Linq;
using StaticNet.Generators.Layers;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit;

/// <summary>One layer of the plan: its stages, in forward order, and the buffer of ∂L/∂(its output) in the backward pass.</summary>
internal sealed class LayerPlan(LayerModel model, IReadOnlyList<Stage> stages)
{
    public LayerModel Model { get; } = model;

    public int Index => Model.Index;

    public IReadOnlyList<Stage> Stages { get; } = stages;

    public int Outputs => Model.Outputs;

    /// <summary>∂L/∂(the layer's output), transformed in place by its stages on the way back.</summary>
    public string Delta => $"D{Index}";
}

/// <summary>
/// The stages of one network, their tensors placed in the parameter and statistics buffers, and what flows between them in
/// each pass: which buffer (or <c>x</c>) each stage reads. The emitters read the network only through this and the stages.
/// </summary>
internal sealed class NetworkPlan
{
    private readonly Dictionary<(Stage, Pass), string> _inputs = new();
    private readonly Dictionary<(int, Pass), string> _layerOutputs = new();

    public NetworkPlan(NetworkModel model, KernelSet kernels)
    {
        Model = model;
        Kernels = kernels;
        Stage? previous = null;
        var inputStages = new List<Stage>();
        foreach (StageModel stage in model.InputStages)
        {
            previous = LayerKinds.Create(stage, new StageContext(model, -1, previous, false, kernels));
            inputStages.Add(previous);
        }
        InputStages = inputStages;
        var layers = new List<LayerPlan>();
        foreach (LayerModel layer in model.Layers)
        {
            var stages = new List<Stage>();
            bool output = layer.Index == model.Layers.Count - 1;
            foreach (StageModel stage in layer.Stages)
            {
                previous = LayerKinds.Create(stage, new StageContext(model, layer.Index, previous, output, kernels));
                stages.Add(previous);
            }
            layers.Add(new LayerPlan(layer, stages));
        }
        Layers = layers;
        PlaceTensors();
        foreach (Pass pass in new[] { Pass.Training, Pass.Inference, Pass.Frozen }) Walk(pass);
    }

    public NetworkModel Model { get; }

    public KernelSet Kernels { get; }

    /// <summary>Stages on the network's inputs, before layer 0 (input dropout).</summary>
    public IReadOnlyList<Stage> InputStages { get; }

    public IReadOnlyList<LayerPlan> Layers { get; }

    public LayerPlan Output => Layers[Layers.Count - 1];

    public IEnumerable<Stage> Stages => InputStages.Concat(Layers.SelectMany(l => l.Stages));

    public IReadOnlyList<Tensor> Parameters { get; private set; } = new Tensor[0];

    public IReadOnlyList<Tensor> Statistics { get; private set; } = new Tensor[0];

    public int ParameterCount => Parameters.Sum(t => t.Length);

    public int StatisticCount => Statistics.Sum(t => t.Length);

    /// <summary>True when training behaves otherwise than inference: the passes are then two methods.</summary>
    public bool DiffersInTraining => Stages.Any(s => s.DiffersInTraining);

    public bool DrawsNoise => Stages.Any(s => s.DrawsNoise);

    /// <summary>True when some layer's output is another buffer in training than in inference (dropout): <c>LayerOutput</c> then asks which pass ran last.</summary>
    public bool OutputsDiffer => Layers.Any(l => OutputOf(l, Pass.Training) != OutputOf(l, Pass.Inference));

    /// <summary>The stage's input in <paramref name="pass"/>, as a ref expression without <c>ref</c>.</summary>
    public string InputOf(Stage stage, Pass pass) => _inputs[(stage, pass)];

    /// <summary>The buffer holding the layer's output after <paramref name="pass"/>.</summary>
    public string OutputOf(LayerPlan layer, Pass pass) => _layerOutputs[(layer.Index, pass)];

    /// <summary>Whether the stage runs in <paramref name="pass"/> (a stage that passes its input on unchanged does not).</summary>
    public static bool Runs(Stage stage, Pass pass) => stage.Output(pass) is not null;

    /// <summary>Every work buffer of <paramref name="pass"/>, by stage, then the layers' gradient buffers for training.</summary>
    public IEnumerable<(int Layer, WorkBuffer Buffer)> Buffers(Pass pass)
    {
        foreach (Stage stage in Stages)
        {
            foreach (WorkBuffer buffer in stage.Buffers(pass)) yield return (stage.Layer, buffer);
        }
        if (pass != Pass.Training) yield break;
        foreach (LayerPlan layer in Layers)
        {
            yield return (layer.Index, new WorkBuffer(layer.Delta, layer.Outputs, "∂L/∂ of the layer's output, then of each earlier stage"));
        }
    }

    private void PlaceTensors()
    {
        var parameters = new List<Tensor>();
        var statistics = new List<Tensor>();
        int offset = 0, statisticOffset = 0;
        foreach (Stage stage in Stages)
        {
            var own = new List<Tensor>();
            foreach (TensorSpec spec in stage.Parameters)
            {
                own.Add(new Tensor(spec, stage, offset));
                offset += spec.Length;
            }
            var ownStatistics = new List<Tensor>();
            foreach (TensorSpec spec in stage.Statistics)
            {
                ownStatistics.Add(new Tensor(spec, stage, statisticOffset));
                statisticOffset += spec.Length;
            }
            stage.Tensors = own;
            stage.StatisticTensors = ownStatistics;
            parameters.AddRange(own);
            statistics.AddRange(ownStatistics);
        }
        Parameters = parameters;
        Statistics = statistics;
        int array = 0;
        foreach (Stage stage in Stages)
        {
            stage.FirstFrozenArray = array;
            array += stage.FrozenArrays;
        }
        FrozenArrays = array;
    }

    /// <summary>The frozen network's arrays of its own (packed weights), over every stage.</summary>
    public int FrozenArrays { get; private set; }

    private void Walk(Pass pass)
    {
        string current = "x";
        foreach (Stage stage in InputStages) current = Step(stage, pass, current);
        foreach (LayerPlan layer in Layers)
        {
            foreach (Stage stage in layer.Stages) current = Step(stage, pass, current);
            _layerOutputs[(layer.Index, pass)] = current.Substring("Buffer(ws.".Length, current.Length - "Buffer(ws.".Length - 1);
        }
    }

    private string Step(Stage stage, Pass pass, string current)
    {
        _inputs[(stage, pass)] = current;
        return stage.Output(pass) is string output ? CallContext.Buffer(output) : current;
    }
}
