using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace StaticNet.Peers;

/// <summary>
/// StaticNet's generated 784-128-10 against TorchSharp (libtorch) and ONNX Runtime, one thread each, in one run.
/// Category Train: one Adam step (StaticNet's <c>TrainStep</c>; TorchSharp's zero_grad, forward, loss, backward,
/// step). Category Infer: forward + softmax probabilities into a managed array. StaticNet is the baseline of each
/// category and batch size, so Ratio is peer time ÷ StaticNet time: above 1 means StaticNet is faster.
/// Each benchmark runs in its own process; its GlobalSetup loads only its own framework and checks it against
/// StaticNet (<see cref="PeerChecks"/>), throwing on a mismatch.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[Config(typeof(PeerConfig))]
public class Peers
{
    public const string Train = "Train";
    public const string Infer = "Infer";
    private const int LabelSetMask = PeerData.LabelSetCount - 1;

    /// <summary>The batch sizes of the run, <see cref="PeerData.Batches"/> (also what <c>--check</c> checks).</summary>
    public static IEnumerable<int> Batches => PeerData.Batches;

    [ParamsSource(nameof(Batches))]
    public int Batch { get; set; }

    private float[] _inputs = [];
    private float[][] _inputSets = [];
    private int[][] _labelSets = [];
    private float[] _outputs = [];
    private int _call;
    private PeerMlp _staticNet = null!;
    private PeerMlp.Frozen _frozen = null!;
    private TorchPeer? _torch;
    private OnnxPeer? _onnx;

    private void Data()
    {
        _inputSets = PeerData.InputSets(Batch);
        _inputs = _inputSets[0]; // PeerData.Batch(Batch)'s inputs: the train benchmarks' and the peers' one batch
        _labelSets = PeerData.LabelSets(Batch);
        _outputs = new float[Batch * PeerData.Outputs];
        _staticNet = new PeerMlp(PeerData.Seed);
    }

    [GlobalSetup(Targets = [nameof(StaticNet_TrainStep), nameof(StaticNet_Infer), nameof(StaticNet_FrozenInfer)])]
    public void SetupStaticNet()
    {
        Data();
        _frozen = _staticNet.Freeze();
        var expected = new float[_outputs.Length];
        _staticNet.Infer(_inputs, expected);
        _frozen.Infer(_inputs, _outputs);
        double worst = expected.Zip(_outputs, (a, b) => (double)Math.Abs(a - b)).Max();
        if (!(worst <= 1e-6)) throw new InvalidOperationException($"The frozen PeerMlp's probabilities differ from Infer's by {worst:E2}.");
        Console.WriteLine($"// StaticNet: kernel path {PeerMlp.KernelPath}; frozen vs Infer, largest |difference| of a probability {worst:E2}");
    }

    [GlobalSetup(Targets = [nameof(TorchSharp_TrainStep), nameof(TorchSharp_Infer)])]
    public void SetupTorchSharp()
    {
        Data();
        if (!TorchPeer.TryInitialize(out string message)) throw new InvalidOperationException("Skipping TorchSharp: " + message);
        Console.WriteLine("// " + message);

        // Same computation: inference, then three Adam steps, against StaticNet from the same parameters.
        using (var probe = new TorchPeer(_staticNet, _inputs, _labelSets))
        {
            Console.WriteLine("// Verified: " + PeerChecks.TorchInfer(_staticNet, _inputs, probe));
            Console.WriteLine("// Verified: " + PeerChecks.TorchTrain(_staticNet, _inputs, _labelSets, probe));
        }
        _staticNet = new PeerMlp(PeerData.Seed);
        _torch = new TorchPeer(_staticNet, _inputs, _labelSets);
    }

    [GlobalSetup(Target = nameof(OnnxRuntime_Infer))]
    public void SetupOnnxRuntime()
    {
        Data();
        _onnx = new OnnxPeer(OnnxModel.Build(_staticNet), _inputs);
        Console.WriteLine($"// ONNX Runtime {OnnxPeer.Version}");
        Console.WriteLine("// Verified: " + PeerChecks.Onnx(_staticNet, _inputs, _onnx));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // Train benchmarks keep stepping; show that the state stayed sane (a finite loss near ln 10 = 2.30).
        int set = _call & LabelSetMask;
        if (_call > 0 && _torch is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// After the run: TorchSharp loss {_torch.Loss(set):G6} after {_call} steps"));
        }
        else if (_call > 0 && _staticNet is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// After the run: StaticNet loss {_staticNet.ComputeLoss(_inputs, _labelSets[set]):G6} after {_call} steps"));
        }
        _torch?.Dispose();
        _torch = null;
        _onnx?.Dispose();
        _onnx = null;
    }

    /// <summary>
    /// StaticNet's inference benchmarks rotate through <see cref="PeerData.InputSets"/> (a frozen network's cost depends on
    /// where the zeros are); the peers keep one input batch bound, which only favours them (it stays in cache).
    /// </summary>
    private float[] NextInputs() => _inputSets[_inferCall++ & (_inputSets.Length - 1)];

    private int _inferCall;

    [Benchmark(Baseline = true), BenchmarkCategory(Train)]
    public float StaticNet_TrainStep() => _staticNet.TrainStep(_inputs, _labelSets[_call++ & LabelSetMask]);

    [Benchmark, BenchmarkCategory(Train)]
    public float TorchSharp_TrainStep() => _torch!.TrainStep(_call++ & LabelSetMask);

    [Benchmark(Baseline = true), BenchmarkCategory(Infer)]
    public float[] StaticNet_Infer()
    {
        _staticNet.Infer(NextInputs(), _outputs);
        return _outputs;
    }

    /// <summary>StaticNet's inference on a frozen copy (<c>Freeze()</c>: the weights transposed once, as ONNX Runtime packs them when a session is made).</summary>
    [Benchmark, BenchmarkCategory(Infer)]
    public float[] StaticNet_FrozenInfer()
    {
        _frozen.Infer(NextInputs(), _outputs);
        return _outputs;
    }

    [Benchmark, BenchmarkCategory(Infer)]
    public float[] TorchSharp_Infer()
    {
        _torch!.Infer(_outputs);
        return _outputs;
    }

    [Benchmark, BenchmarkCategory(Infer)]
    public float[] OnnxRuntime_Infer()
    {
        _onnx!.Run();
        return _onnx.Outputs;
    }
}
