namespace StaticNet.Tests.Training;

// Networks for the data-parallel tests. Odd widths, so every kernel and the gradient combination run their vector tails.

[Network(Inputs = 13, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(21, Activation.Tanh)]
[Dense(5)]
public partial class DpSgdNet;

[Network(Inputs = 13, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, L2 = 1e-3f, ClipNorm = 5f)]
[Dense(21, Activation.ReLU)]
[Dense(5)]
public partial class DpAdamNet;

[Network(Inputs = 7, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.05f)]
[Dense(11, Activation.Sigmoid)]
[Dense(3)]
public partial class DpRegressionNet;

[Network(Inputs = 13, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, InputDropout = 0.1f)]
[Dense(21, Activation.ReLU, Dropout = 0.3f)]
[Dense(5)]
public partial class DpDropoutNet;

[Network(Inputs = 13, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(21, Activation.ReLU, BatchNorm = true)]
[Dense(5)]
public partial class DpBatchNormNet;

/// <summary>784-128-10, the benchmarked shape, for the allocation test.</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class DpMnistNet;

/// <summary>
/// The two hand-written networks below share everything but their gradient: 1 input, 2 classes, 4 parameters, plain SGD
/// (θ ← θ − η·g, over any range), a loss of 1 and zero outputs unless they say otherwise.
/// </summary>
internal abstract class OneInputSgdNet(NetworkDescription description, float[] parameters)
{
    private readonly float[] _parameters = parameters;
    private readonly float[] _gradients = new float[parameters.Length];

    protected static NetworkDescription Describe(string typeName) => new(
        typeName,
        1,
        Loss.SoftmaxCrossEntropy,
        Optimizer.Sgd,
        0.1f,
        [new LayerDescription(0, 1, 2, Activation.Identity, new ParameterTensor("layers.0.weight", 0, [2, 1]), new ParameterTensor("layers.0.bias", 2, [2]))]);

    public NetworkDescription Description => description;
    public Span<float> Parameters => _parameters;
    public Span<float> Gradients => _gradients;
    public Hyperparameters Hyperparameters { get; } = new() { LearningRate = 0.1f };
    public float LearningRate { get => Hyperparameters.LearningRate; set => Hyperparameters.LearningRate = value; }
    public Span<float> OptimizerState => Span<float>.Empty;
    public long OptimizerStep { get; set; }
    public void ResetOptimizer() => OptimizerStep = 0;
    public float Penalty() => 0f;
    public Span<float> Parameter(string name) => Parameters;
    public Span<float> Gradient(string name) => Gradients;

    public abstract float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels);
    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets) => ComputeGradients(inputs, ReadOnlySpan<int>.Empty);
    public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => 1f;
    public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets) => 1f;

    public void Step()
    {
        OptimizerStep++;
        StepRange(0, _parameters.Length, OptimizerStep);
    }

    public void StepRange(int start, int end, long step)
    {
        NetworkRuntime.StepRange(start, end, _parameters.Length, step);
        for (int i = start; i < end; i++) _parameters[i] -= LearningRate * _gradients[i];
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

    public void Infer(ReadOnlySpan<float> inputs, Span<float> outputs) => outputs.Clear();
}

/// <summary>
/// A hand-written network whose training pass throws when a row's first input is
/// <see cref="Poison"/>, naming the thread it ran on; otherwise its gradient is the mean input.
/// </summary>
internal sealed class DpThrowingNet() : OneInputSgdNet(Descriptor, [1f, 1f, 1f, 1f]), INetwork<DpThrowingNet>
{
    public const float Poison = 666f;

    public static NetworkDescription Descriptor { get; } = Describe("StaticNet.Tests.Training.DpThrowingNet");

    public static DpThrowingNet Create(int seed) => new();

    /// <summary>An independent network (it does not share parameters), so data-parallel training copies them.</summary>
    public static DpThrowingNet CreateReplica(DpThrowingNet primary) => new();

    public override float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        float sum = 0;
        foreach (float x in inputs)
        {
            if (x == Poison) throw new InvalidOperationException($"poisoned row on thread '{Thread.CurrentThread.Name}'");
            sum += x;
        }
        Gradients.Fill(sum / inputs.Length);
        return 1f;
    }
}

/// <summary>
/// A hand-written network whose gradient depends on its weights (g = θ · mean input) and whose replicas do not share
/// them: data-parallel training must copy the primary's weights into each replica before every step.
/// </summary>
internal sealed class DpCopyingNet() : OneInputSgdNet(Descriptor, [1f, -2f, 0.5f, 3f]), INetwork<DpCopyingNet>
{
    public static NetworkDescription Descriptor { get; } = Describe("StaticNet.Tests.Training.DpCopyingNet");

    public static DpCopyingNet Create(int seed) => new();

    /// <summary>An independent network with the initial weights: stale unless the caller copies the primary's.</summary>
    public static DpCopyingNet CreateReplica(DpCopyingNet primary) => new();

    public override float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        float sum = 0;
        foreach (float x in inputs) sum += x;
        Span<float> p = Parameters, g = Gradients;
        for (int i = 0; i < g.Length; i++) g[i] = p[i] * sum / inputs.Length;
        return p[0];
    }
}
