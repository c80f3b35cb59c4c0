using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace StaticNet.Benchmarks;

/// <summary>
/// One training step (forward + backward + SGD) and one inference call of the 784-128-10 MLP, the
/// generated <see cref="Mlp784"/> against the hand-written scalar <see cref="NaiveMlp"/>. Ratios are
/// within a category (Train vs Train, Infer vs Infer) and batch size, the naive code being the baseline.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[Config(typeof(GflopsConfig))]
public class TrainAndInfer
{
    public const string Train = "Train";
    public const string Infer = "Infer";

    [Params(1, 128)]
    public int Batch { get; set; }

    private Mlp784 _generated = null!;
    private NaiveMlp _naive = null!;
    private float[] _inputs = [];
    private int[] _labels = [];
    private float[] _generatedOutputs = [];
    private float[] _naiveOutputs = [];

    [GlobalSetup]
    public void Setup()
    {
        (_inputs, _labels) = BenchmarkData.Batch(Batch);
        _generated = new Mlp784(BenchmarkData.Seed);
        _naive = new NaiveMlp(Batch);
        _generatedOutputs = new float[Batch * NaiveMlp.Outputs];
        _naiveOutputs = new float[Batch * NaiveMlp.Outputs];

        // Throws unless both compute the same loss, gradients, updated parameters and probabilities.
        string report = Verification.Check(_generated, _naive, _inputs, _labels);
        Console.WriteLine("// Verified: " + report);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // Train benchmarks keep stepping on the same batch; show that the state stayed sane (finite loss).
        float loss = _generated.ComputeLoss(_inputs, _labels);
        Console.WriteLine(FormattableString.Invariant($"// After the run: generated network's loss on the batch {loss:G6}"));
        if (!float.IsFinite(loss)) throw new InvalidOperationException("The generated network's loss is no longer finite.");
    }

    [Benchmark(Baseline = true), BenchmarkCategory(Train)]
    public float Naive_TrainStep() => _naive.TrainStep(_inputs, _labels);

    [Benchmark, BenchmarkCategory(Train)]
    public float Generated_TrainStep() => _generated.TrainStep(_inputs, _labels);

    [Benchmark(Baseline = true), BenchmarkCategory(Infer)]
    public float[] Naive_Infer()
    {
        _naive.Infer(_inputs, _naiveOutputs);
        return _naiveOutputs;
    }

    [Benchmark, BenchmarkCategory(Infer)]
    public float[] Generated_Infer()
    {
        _generated.Infer(_inputs, _generatedOutputs);
        return _generatedOutputs;
    }
}
