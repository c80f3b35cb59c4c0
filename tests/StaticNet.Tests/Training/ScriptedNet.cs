namespace StaticNet.Tests.Training;

/// <summary>
/// A hand-written <see cref="INetwork{TSelf}"/> whose losses, gradients and outputs follow a
/// script, and which records everything Fit asks of it. Parameter 0 counts the optimizer steps
/// taken, so the parameters tell which step (and epoch) a network state is from.
/// Inputs: 2 values per row (tests put the row's index in the first); outputs: 2 classes.
/// </summary>
internal sealed class ScriptedNet : INetwork<ScriptedNet>
{
    private readonly float[] _parameters = new float[6];
    private readonly float[] _gradients = new float[6];
    private long _gradientCalls;

    public static NetworkDescription Descriptor { get; } = new(
        "StaticNet.Tests.Training.ScriptedNet",
        2,
        Loss.SoftmaxCrossEntropy,
        Optimizer.Sgd,
        0.1f,
        [new LayerDescription(0, 2, 2, Activation.Identity, new ParameterTensor("layers.0.weight", 0, [2, 2]), new ParameterTensor("layers.0.bias", 4, [2]))]);

    public static ScriptedNet Create(int seed) => new();

    /// <summary>An independent network (it does not share parameters), so data-parallel training copies them.</summary>
    public static ScriptedNet CreateReplica(ScriptedNet primary) => new();

    /// <summary>The training loss of the n-th ComputeGradients call (from 0).</summary>
    public Func<long, float> TrainLoss { get; set; } = _ => 1f;

    /// <summary>Whether the n-th ComputeGradients call (from 0) produces a NaN gradient.</summary>
    public Func<long, bool> NaNGradient { get; set; } = _ => false;

    /// <summary>The loss ComputeLoss returns, given the network (so a test can read its step count).</summary>
    public Func<ScriptedNet, float> EvaluationLoss { get; set; } = _ => 0.5f;

    /// <summary>The probabilities Infer writes for one input row.</summary>
    public Action<ScriptedNet, ReadOnlyMemory<float>, float[]> InferRow { get; set; } = (_, _, p) => { p[0] = 0.75f; p[1] = 0.25f; };

    /// <summary>The optimizer steps taken.</summary>
    public long Steps => (long)_parameters[0];

    public List<float[]> TrainInputs { get; } = [];
    public List<int[]> TrainLabels { get; } = [];
    public List<float> LearningRates { get; } = [];
    public List<float[]> EvaluationInputs { get; } = [];
    public List<float[]> InferInputs { get; } = [];

    public NetworkDescription Description => Descriptor;
    public Span<float> Parameters => _parameters;
    public Span<float> Gradients => _gradients;
    public Hyperparameters Hyperparameters { get; } = new() { LearningRate = 0.1f };
    public float LearningRate { get => Hyperparameters.LearningRate; set => Hyperparameters.LearningRate = value; }
    public Span<float> OptimizerState => Span<float>.Empty;
    public long OptimizerStep { get; set; }
    public void ResetOptimizer() => OptimizerStep = 0;
    public float Penalty() => 0f;

    public Span<float> Parameter(string name)
    {
        ParameterTensor t = Descriptor[name];
        return Parameters.Slice(t.Offset, t.Length);
    }

    public Span<float> Gradient(string name)
    {
        ParameterTensor t = Descriptor[name];
        return Gradients.Slice(t.Offset, t.Length);
    }

    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        Assert.Equal(inputs.Length, labels.Length * 2);
        TrainInputs.Add(inputs.ToArray());
        TrainLabels.Add(labels.ToArray());
        LearningRates.Add(LearningRate);
        long call = _gradientCalls++;
        _gradients.AsSpan().Fill(NaNGradient(call) ? float.NaN : 0f);
        return TrainLoss(call);
    }

    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets) =>
        ComputeGradients(inputs, new int[inputs.Length / 2]);

    public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        EvaluationInputs.Add(inputs.ToArray());
        return EvaluationLoss(this);
    }

    public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        EvaluationInputs.Add(inputs.ToArray());
        return EvaluationLoss(this);
    }

    /// <summary>Counts the step in parameter 0; a NaN gradient would poison every parameter, as a real step would.</summary>
    public void Step()
    {
        _parameters[0] += 1;
        OptimizerStep++;
        for (int i = 1; i < _parameters.Length; i++) _parameters[i] -= LearningRate * _gradients[i];
    }

    public void StepRange(int start, int end, long step)
    {
        NetworkRuntime.StepRange(start, end, _parameters.Length, step);
        if (start == 0 && end > 0) _parameters[0] += 1;
        for (int i = Math.Max(start, 1); i < end; i++) _parameters[i] -= LearningRate * _gradients[i];
    }

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        float loss = ComputeGradients(inputs, labels);
        Step();
        return loss;
    }

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        float loss = ComputeGradients(inputs, targets);
        Step();
        return loss;
    }

    public void Infer(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        InferInputs.Add(inputs.ToArray());
        float[] p = new float[2];
        float[] all = inputs.ToArray();
        for (int r = 0; r < inputs.Length / 2; r++)
        {
            InferRow(this, all.AsMemory(r * 2, 2), p);
            p.CopyTo(outputs.Slice(r * 2, 2));
        }
    }

    /// <summary>Rows whose first input is the row's index, second input 10 × index; labels alternate 0, 1.</summary>
    public static StaticNet.Training.Dataset IndexedData(int count)
    {
        float[] x = new float[count * 2];
        int[] y = new int[count];
        for (int i = 0; i < count; i++)
        {
            x[2 * i] = i;
            x[(2 * i) + 1] = 10 * i;
            y[i] = i % 2;
        }
        return new StaticNet.Training.Dataset(x, 2, y);
    }

    /// <summary>The row indices (first inputs) of every training batch, one list per batch.</summary>
    public List<int[]> TrainRowIds() => TrainInputs.Select(b => Enumerable.Range(0, b.Length / 2).Select(r => (int)b[2 * r]).ToArray()).ToList();
}
