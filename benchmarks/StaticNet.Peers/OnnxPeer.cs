using Microsoft.ML.OnnxRuntime;

namespace StaticNet.Peers;

/// <summary>
/// ONNX Runtime inference of the model <see cref="OnnxModel"/> builds, on one thread (intra-op and inter-op
/// 1, sequential execution), all graph optimizations on. Input and output are OrtValues over pinned managed
/// arrays, bound once with an IOBinding, so <see cref="Run"/> allocates no tensors and writes the
/// probabilities straight into <see cref="Outputs"/>, as StaticNet's Infer writes into the caller's span.
/// </summary>
public sealed class OnnxPeer : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly OrtIoBinding _binding;

    /// <summary>The probabilities of the last <see cref="Run"/>, row-major [rows, 10].</summary>
    public float[] Outputs { get; }

    /// <param name="model">A serialized ModelProto (<see cref="OnnxModel.Build"/>).</param>
    /// <param name="inputs">Row-major [rows, 784]; read at every <see cref="Run"/> (it is pinned, not copied).</param>
    public OnnxPeer(byte[] model, float[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        int rows = inputs.Length / PeerData.Inputs;
        _options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, _options);
        _runOptions = new RunOptions();
        Outputs = new float[rows * PeerData.Outputs];
        _input = OrtValue.CreateTensorValueFromMemory(inputs, [rows, PeerData.Inputs]);
        _output = OrtValue.CreateTensorValueFromMemory(Outputs, [rows, PeerData.Outputs]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput(OnnxModel.InputName, _input);
        _binding.BindOutput(OnnxModel.OutputName, _output);
    }

    /// <summary>ONNX Runtime's version string.</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>One inference of the bound batch into <see cref="Outputs"/>.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
