using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StaticNet.Peers;

/// <summary>
/// The MNIST sample's network in TorchSharp, for the epoch comparison (<see cref="EpochComparison"/>):
/// <c>nn.Sequential(Linear(784, 128), ReLU(), Dropout(0.2), Linear(128, 10))</c>, <c>CrossEntropyLoss</c> and
/// <c>torch.optim.Adam</c> with its defaults (η 0.001, β₁ 0.9, β₂ 0.999, ε 1e-8), the parameters copied from a
/// <see cref="PeerDigitNet"/> so that both start from the same weights. A train step takes its batch from managed
/// arrays, as a training loop over data held in .NET memory does: it copies the rows and labels into input tensors
/// made once per batch size, then runs zero_grad, forward, loss, backward, step and reads the loss.
/// </summary>
public sealed class TorchDigitNet : IDisposable
{
    private readonly Linear _layer0;
    private readonly Linear _layer1;
    private readonly Sequential _model;
    private readonly CrossEntropyLoss _loss;
    private readonly Adam _optimizer;
    private readonly Dictionary<int, (Tensor Inputs, Tensor Labels)> _batches = [];

    /// <summary>Copies <paramref name="source"/>'s parameters (both use PyTorch's [out, in] layout).</summary>
    public TorchDigitNet(INetwork source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _layer0 = nn.Linear(PeerData.Inputs, PeerData.Hidden);
        _layer1 = nn.Linear(PeerData.Hidden, PeerData.Outputs);
        _model = nn.Sequential(("0", _layer0), ("1", nn.ReLU()), ("2", nn.Dropout(0.2)), ("3", _layer1));
        using (no_grad())
        {
            _layer0.weight!.data<float>().CopyFrom(source.Parameter("layers.0.weight"), 0, 0);
            _layer0.bias!.data<float>().CopyFrom(source.Parameter("layers.0.bias"), 0, 0);
            _layer1.weight!.data<float>().CopyFrom(source.Parameter("layers.1.weight"), 0, 0);
            _layer1.bias!.data<float>().CopyFrom(source.Parameter("layers.1.bias"), 0, 0);
        }
        _loss = nn.CrossEntropyLoss();
        _optimizer = optim.Adam(_model.parameters(), lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8);
        _model.train();
    }

    /// <summary>Time spent copying batches into tensors, in <see cref="System.Diagnostics.Stopwatch"/> ticks (part of every step).</summary>
    public long CopyTicks { get; set; }

    /// <summary>
    /// One training step on <paramref name="images"/> ([rows, 784]) and <paramref name="labels"/> (class indices as
    /// int64, the dtype CrossEntropyLoss wants): copy into the batch tensors, zero_grad, forward (dropout on),
    /// loss, backward, Adam step, then the loss as a float.
    /// </summary>
    public float TrainStep(ReadOnlySpan<float> images, ReadOnlySpan<long> labels)
    {
        int rows = labels.Length;
        using DisposeScope scope = NewDisposeScope();
        long copyStart = System.Diagnostics.Stopwatch.GetTimestamp();
        (Tensor x, Tensor y) = Batch(rows);
        MemoryMarshal.AsBytes(images).CopyTo(x.bytes);
        MemoryMarshal.AsBytes(labels).CopyTo(y.bytes);
        CopyTicks += System.Diagnostics.Stopwatch.GetTimestamp() - copyStart;
        _optimizer.zero_grad();
        Tensor loss = _loss.forward(_model.forward(x), y);
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }

    /// <summary>Softmax probabilities ([rows, 10]) of <paramref name="images"/> ([rows, 784]) in eval mode (no dropout), without autograd.</summary>
    public float[] Probabilities(float[] images)
    {
        ArgumentNullException.ThrowIfNull(images);
        int rows = images.Length / PeerData.Inputs;
        _model.eval();
        try
        {
            using IDisposable noGrad = no_grad();
            using DisposeScope scope = NewDisposeScope();
            Tensor x = tensor(images, [rows, PeerData.Inputs]);
            return nn.functional.softmax(_model.forward(x), 1).data<float>().ToArray();
        }
        finally
        {
            _model.train();
        }
    }

    /// <summary>The input and label tensors for a batch of <paramref name="rows"/> rows, made on first use.</summary>
    private (Tensor Inputs, Tensor Labels) Batch(int rows)
    {
        if (!_batches.TryGetValue(rows, out (Tensor Inputs, Tensor Labels) batch))
        {
            batch = (empty([rows, PeerData.Inputs], ScalarType.Float32), empty([rows], ScalarType.Int64));
            batch.Inputs.DetachFromDisposeScope();
            batch.Labels.DetachFromDisposeScope();
            _batches[rows] = batch;
        }
        return batch;
    }

    public void Dispose()
    {
        foreach ((Tensor inputs, Tensor labels) in _batches.Values)
        {
            inputs.Dispose();
            labels.Dispose();
        }
        _optimizer.Dispose();
        _loss.Dispose();
        _model.Dispose();
    }
}
