using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StaticNet.Peers;

/// <summary>
/// The same network in TorchSharp (libtorch, CPU): <c>nn.Sequential(Linear(784, 128), ReLU(), Linear(128, 10))</c>,
/// <c>CrossEntropyLoss</c> (mean over the batch, from logits) and <c>torch.optim.Adam</c> with its defaults
/// (η 0.001, β₁ 0.9, β₂ 0.999, ε 1e-8, as StaticNet's Adam). The parameters are copied from a StaticNet network;
/// the inputs and label sets are tensors made once, so a step or an inference measures only the framework's work.
/// </summary>
public sealed class TorchPeer : IDisposable
{
    private readonly Linear _layer0;
    private readonly Linear _layer1;
    private readonly Sequential _model;
    private readonly CrossEntropyLoss _loss;
    private readonly Adam _optimizer;
    private readonly Tensor _inputs;
    private readonly Tensor[] _labelSets;

    /// <summary>Copies <paramref name="source"/>'s parameters; <paramref name="labelSets"/> are the targets <see cref="TrainStep"/> selects from.</summary>
    public TorchPeer(INetwork source, float[] inputs, int[][] labelSets)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labelSets);
        int rows = inputs.Length / PeerData.Inputs;
        _layer0 = nn.Linear(PeerData.Inputs, PeerData.Hidden);
        _layer1 = nn.Linear(PeerData.Hidden, PeerData.Outputs);
        _model = nn.Sequential(("0", _layer0), ("1", nn.ReLU()), ("2", _layer1));
        using (no_grad())
        {
            // Both use PyTorch's [out, in] row-major layout, so the copies are element for element.
            _layer0.weight!.data<float>().CopyFrom(source.Parameter("layers.0.weight"), 0, 0);
            _layer0.bias!.data<float>().CopyFrom(source.Parameter("layers.0.bias"), 0, 0);
            _layer1.weight!.data<float>().CopyFrom(source.Parameter("layers.1.weight"), 0, 0);
            _layer1.bias!.data<float>().CopyFrom(source.Parameter("layers.1.bias"), 0, 0);
        }
        _loss = nn.CrossEntropyLoss();
        _optimizer = optim.Adam(_model.parameters(), lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8);
        _inputs = tensor(inputs, [rows, PeerData.Inputs]);
        _labelSets = labelSets.Select(set => tensor(set.Select(label => (long)label).ToArray(), [rows])).ToArray();
    }

    /// <summary>
    /// Loads libtorch (once per process) and sets it to one thread. Returns false with the reason when the native
    /// libraries cannot be loaded, for example on Debian 12 before ../shared/tools/torchsharp-debian12-fix.sh ran.
    /// </summary>
    public static bool TryInitialize(out string message)
    {
        // TorchSharp writes its library search to the console while it looks; keep that out of the benchmark log.
        TextWriter console = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            torch.set_num_threads(1);
            try
            {
                torch.set_num_interop_threads(1);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // libtorch refuses once inter-op work has started; the benchmarks start none (one forward/backward chain).
            }
            using Tensor probe = ones(2);
            float sum = probe.sum().item<float>();
            if (sum != 2f) throw new InvalidOperationException($"libtorch computed 1 + 1 = {sum}.");
            message = $"TorchSharp {Version}, libtorch {torch.__version__}, intra-op threads {torch.get_num_threads()}, inter-op threads {torch.get_num_interop_threads()}";
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Exception inner = e;
            while (inner.InnerException is not null) inner = inner.InnerException;
            string first = inner.Message.Split('\n', 2)[0].Trim();
            message = $"TorchSharp {Version}: libtorch could not be loaded ({inner.GetType().Name}: {first}). "
                + "Restore this project (TorchSharp-cpu brings libtorch into the NuGet cache); on Debian 12, then run "
                + "../shared/tools/torchsharp-debian12-fix.sh from the repository root, and run again.";
            return false;
        }
        finally
        {
            Console.SetOut(console);
        }
    }

    /// <summary>TorchSharp's assembly version.</summary>
    public static string Version =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "?";

    /// <summary>zero_grad, forward, loss, backward, Adam step on the inputs with label set <paramref name="labelSet"/>; returns the loss.</summary>
    public float TrainStep(int labelSet)
    {
        using DisposeScope scope = NewDisposeScope();
        _optimizer.zero_grad();
        Tensor logits = _model.forward(_inputs);
        Tensor loss = _loss.forward(logits, _labelSets[labelSet]);
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }

    /// <summary>Forward without autograd, softmax over the classes, probabilities copied into <paramref name="outputs"/> ([rows, 10]).</summary>
    public void Infer(Span<float> outputs)
    {
        using IDisposable noGrad = no_grad();
        using DisposeScope scope = NewDisposeScope();
        Tensor probabilities = nn.functional.softmax(_model.forward(_inputs), 1);
        probabilities.data<float>().CopyTo(outputs, 0, 0);
    }

    /// <summary>The loss on label set <paramref name="labelSet"/> without autograd.</summary>
    public float Loss(int labelSet)
    {
        using IDisposable noGrad = no_grad();
        using DisposeScope scope = NewDisposeScope();
        return _loss.forward(_model.forward(_inputs), _labelSets[labelSet]).item<float>();
    }

    /// <summary>A parameter tensor by StaticNet's name, as a copy.</summary>
    public float[] Parameter(string name) => Tensor(name).data<float>().ToArray();

    /// <summary>The gradient of the last <see cref="TrainStep"/> for a parameter, as a copy.</summary>
    public float[] Gradient(string name) =>
        Tensor(name).grad?.data<float>().ToArray() ?? throw new InvalidOperationException($"{name} has no gradient yet.");

    private Parameter Tensor(string name) => name switch
    {
        "layers.0.weight" => _layer0.weight!,
        "layers.0.bias" => _layer0.bias!,
        "layers.1.weight" => _layer1.weight!,
        "layers.1.bias" => _layer1.bias!,
        _ => throw new ArgumentException($"Unknown parameter {name}.", nameof(name)),
    };

    public void Dispose()
    {
        foreach (Tensor labels in _labelSets) labels.Dispose();
        _inputs.Dispose();
        _optimizer.Dispose();
        _loss.Dispose();
        _model.Dispose();
    }
}
