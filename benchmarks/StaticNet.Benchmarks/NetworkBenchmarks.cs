using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace StaticNet.Benchmarks;

/// <summary>
/// One training step (forward + backward + Adam) and one inference call of a generated network
/// <typeparamref name="TNet"/>, against the same network written by hand twice: <see cref="SimdMlp"/>
/// (TensorPrimitives and Vector256/512 loops, the <b>baseline</b> of Ratio) and <see cref="NaiveMlp"/> (scalar loops,
/// shown in the <c>vs Naive</c> column and as its own rows). Ratios are within a network, category (Train vs Train,
/// Infer vs Infer), batch size and job.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[Config(typeof(BenchmarkConfig))]
public abstract class NetworkBenchmarks<TNet> where TNet : class, INetwork<TNet>
{
    public const string Train = "Train";
    public const string Infer = "Infer";

    /// <summary>P, for the GFLOP/s column (found by reflection, <see cref="GflopsColumn"/>).</summary>
    public static int ModelParameterCount => TNet.Descriptor.ParameterCount;

    /// <summary>The largest batch the naive baseline is run at (<see cref="BenchmarkConfig"/> filters the rest out).</summary>
    public abstract int NaiveMaxBatch { get; }

    /// <summary>The generated class's <c>KernelPath</c>, printed by <see cref="Setup"/>.</summary>
    protected abstract SimdPath KernelPath { get; }

    [Params(1, 32, 128, 1024)]
    public int Batch { get; set; }

    private TNet _generated = null!;
    private IFrozenNetwork _frozen = null!;
    private SimdMlp _simd = null!;
    private NaiveMlp _naive = null!;
    private float[] _inputs = [];
    private float[][] _inputSets = [];
    private int[][] _labelSets = [];
    private float[] _outputs = [];
    private int _calls, _inferCalls;

    /// <summary>The layer widths of <typeparamref name="TNet"/>, inputs first.</summary>
    public static int[] Sizes => [TNet.Descriptor.Inputs, .. TNet.Descriptor.Layers.Select(layer => layer.Units)];

    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine($"// Kernel path: {typeof(TNet).Name}.KernelPath = {KernelPath} (DOTNET_EnableAVX512={Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") ?? "unset"}, DOTNET_EnableAVX2={Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") ?? "unset"}, DOTNET_EnableHWIntrinsic={Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") ?? "unset"})");
        _inputSets = BenchmarkData.InputSets(Batch);
        _inputs = _inputSets[0]; // BenchmarkData.Batch(Batch)'s inputs: the train benchmarks' one batch
        _labelSets = BenchmarkData.LabelSets(Batch);
        _generated = TNet.Create(BenchmarkData.Seed);
        _simd = new SimdMlp(Sizes, Batch);
        _naive = new NaiveMlp(Sizes, Batch);
        _outputs = new float[Batch * BenchmarkData.Outputs];

        // Throws unless all three compute the same loss, gradients, Adam-updated parameters and probabilities. Each
        // check copies the generated network's parameters and Adam state into the baseline first, so the baselines
        // start the benchmark from the same (trained, t > 0) state as the generated network.
        Console.WriteLine("// Verified: " + Verification.Check(_generated, _simd, _inputs, _labelSets[1]));
        if (Batch <= NaiveMaxBatch) Console.WriteLine("// Verified: " + Verification.Check(_generated, _naive, _inputs, _labelSets[2]));
        _simd.CopyStateFrom(_generated);
        _naive.CopyStateFrom(_generated);
        _frozen = _generated.Freeze();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // Show that the state stayed sane after thousands of steps: finite loss near ln 10 (the labels rotate).
        float loss = _generated.ComputeLoss(_inputs, _labelSets[0]);
        Console.WriteLine(FormattableString.Invariant($"// After the run: generated network's loss {loss:G6}, {_generated.OptimizerStep} Adam steps"));
        if (!float.IsFinite(loss)) throw new InvalidOperationException("The generated network's loss is no longer finite.");
    }

    private int[] NextLabels() => _labelSets[_calls++ & (BenchmarkData.LabelSetCount - 1)];

    /// <summary>The inference benchmarks' inputs: the next of <see cref="BenchmarkData.InputSets"/> (the train benchmarks keep one batch).</summary>
    private float[] NextInputs() => _inputSets[_inferCalls++ & (_inputSets.Length - 1)];

    [Benchmark, BenchmarkCategory(Train)]
    public float Generated_TrainStep() => _generated.TrainStep(_inputs, NextLabels());

    [Benchmark(Baseline = true), BenchmarkCategory(Train)]
    public float Simd_TrainStep() => _simd.TrainStep(_inputs, NextLabels());

    [Benchmark, BenchmarkCategory(Train)]
    public float Naive_TrainStep() => _naive.TrainStep(_inputs, NextLabels());

    [Benchmark, BenchmarkCategory(Infer)]
    public float[] Generated_Infer()
    {
        _generated.Infer(NextInputs(), _outputs);
        return _outputs;
    }

    /// <summary>The same inference on <c>Freeze()</c>'s frozen copy, whose Dense weights were transposed once, when it was made.</summary>
    [Benchmark, BenchmarkCategory(Infer)]
    public float[] Generated_FrozenInfer()
    {
        _frozen.Infer(NextInputs(), _outputs);
        return _outputs;
    }

    [Benchmark(Baseline = true), BenchmarkCategory(Infer)]
    public float[] Simd_Infer()
    {
        _simd.Infer(NextInputs(), _outputs);
        return _outputs;
    }

    [Benchmark, BenchmarkCategory(Infer)]
    public float[] Naive_Infer()
    {
        _naive.Infer(NextInputs(), _outputs);
        return _outputs;
    }
}

/// <summary>784-128-10 (<see cref="Mlp784"/>): every batch size, all three implementations.</summary>
[BenchmarkCategory("784-128-10")]
public class Mlp784Benchmarks : NetworkBenchmarks<Mlp784>
{
    public override int NaiveMaxBatch => 1024;
    protected override SimdPath KernelPath => Mlp784.KernelPath;
}

/// <summary>
/// 784-512-512-10 (<see cref="Mlp784x512"/>). The naive baseline runs at batch 1 and 32 only: at 1,024 rows one of
/// its train steps would take seconds.
/// </summary>
[BenchmarkCategory("784-512-512-10")]
public class Mlp784x512Benchmarks : NetworkBenchmarks<Mlp784x512>
{
    public override int NaiveMaxBatch => 32;
    protected override SimdPath KernelPath => Mlp784x512.KernelPath;
}
