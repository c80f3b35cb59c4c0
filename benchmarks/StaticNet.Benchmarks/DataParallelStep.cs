using BenchmarkDotNet.Attributes;
using StaticNet.Training;

namespace StaticNet.Benchmarks;

/// <summary>784-128-10 with Adam, for the data-parallel train step.</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class Mlp784Parallel;

/// <summary>
/// One Adam train step of 784-128-10 on one core (the generated TrainStep) against
/// <see cref="DataParallel{TNet}"/> on two threads: the ratio is the multi-core speed-up. Both
/// train their own network on the same MNIST-like batch.
/// </summary>
[MemoryDiagnoser]
public class DataParallelStep
{
    private Mlp784Parallel _single = null!;
    private DataParallel<Mlp784Parallel> _parallel = null!;
    private float[] _inputs = null!;
    private int[][] _labelSets = null!;
    private int _calls;

    [Params(256, 1024)]
    public int Rows;

    [GlobalSetup]
    public void Setup()
    {
        (_inputs, _) = BenchmarkData.Batch(Rows);
        _labelSets = BenchmarkData.LabelSets(Rows);
        _single = new Mlp784Parallel(BenchmarkData.Seed);
        _parallel = new DataParallel<Mlp784Parallel>(new Mlp784Parallel(BenchmarkData.Seed), threads: 2);
    }

    [GlobalCleanup]
    public void Cleanup() => _parallel.Dispose();

    /// <summary>The labels rotate as in the network benchmarks, so thousands of steps do not drive the loss (and the gradients) towards 0 and subnormals.</summary>
    private int[] NextLabels() => _labelSets[_calls++ & (BenchmarkData.LabelSetCount - 1)];

    [Benchmark(Baseline = true, Description = "One core: TrainStep")]
    public float OneCore() => _single.TrainStep(_inputs, NextLabels());

    [Benchmark(Description = "DataParallel, 2 threads")]
    public float TwoThreads() => _parallel.TrainStep(_inputs, NextLabels());
}

/// <summary>A 4-8-3 network, small enough that a step is almost all overhead.</summary>
[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd)]
[Dense(8, Activation.Tanh)]
[Dense(3)]
public partial class TinyParallel;

/// <summary>
/// What waking the worker and the two waits of a data-parallel step cost: a 2-row step of a tiny
/// network on two threads against the same step on one core. The difference is the signalling
/// overhead per step.
/// </summary>
[MemoryDiagnoser]
public class DataParallelSignalling
{
    private TinyParallel _single = null!;
    private DataParallel<TinyParallel> _parallel = null!;
    private readonly float[] _inputs = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f];
    private readonly int[] _labels = [0, 2];

    [GlobalSetup]
    public void Setup()
    {
        _single = new TinyParallel(1);
        _parallel = new DataParallel<TinyParallel>(new TinyParallel(1), threads: 2);
    }

    [GlobalCleanup]
    public void Cleanup() => _parallel.Dispose();

    [Benchmark(Baseline = true, Description = "Tiny step, one core")]
    public float OneCore() => _single.TrainStep(_inputs, _labels);

    [Benchmark(Description = "Tiny step, 2 threads (signalling)")]
    public float TwoThreads() => _parallel.TrainStep(_inputs, _labels);
}
