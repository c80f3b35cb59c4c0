namespace StaticNet.Tests.Layers;

// Networks for the layer tests (issue 3): dropout, batch normalization, maxout. Odd widths so that
// every kernel runs its vector tails.

[Network(Inputs = 7, Loss = Loss.SoftmaxCrossEntropy, InputDropout = 0.2f)]
[Dense(19, Activation.ReLU, Dropout = 0.5f)]
[Dense(13, Activation.Tanh, Dropout = 0.3f)]
[Dense(3)]
public partial class DropoutNet;

/// <summary><see cref="DropoutNet"/> with the notes' form: no scaling in training, × (1 − p) at inference.</summary>
[Network(Inputs = 7, Loss = Loss.SoftmaxCrossEntropy, InputDropout = 0.2f, DropoutForm = DropoutForm.Notes)]
[Dense(19, Activation.ReLU, Dropout = 0.5f)]
[Dense(13, Activation.Tanh, Dropout = 0.3f)]
[Dense(3)]
public partial class DropoutNotesNet;

/// <summary>Input dropout alone, behind an identity layer that shows what the first layer received.</summary>
[Network(Inputs = 64, Loss = Loss.MeanSquaredError, InputDropout = 0.25f)]
[Dense(64)]
[Dense(2)]
public partial class InputDropoutProbeNet;

/// <summary>Layer dropout alone, on an identity layer.</summary>
[Network(Inputs = 64, Loss = Loss.MeanSquaredError)]
[Dense(64, Dropout = 0.4f)]
[Dense(2)]
public partial class LayerDropoutProbeNet;

/// <summary><see cref="LayerDropoutProbeNet"/> in the notes' form.</summary>
[Network(Inputs = 64, Loss = Loss.MeanSquaredError, DropoutForm = DropoutForm.Notes)]
[Dense(64, Dropout = 0.4f)]
[Dense(2)]
public partial class LayerDropoutNotesProbeNet;

[Network(Inputs = 6, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.ReLU, BatchNorm = true)]
[Dense(13, Activation.Sigmoid, BatchNorm = true, BatchNormMomentum = 0.3f, BatchNormEpsilon = 1e-3f)]
[Dense(3)]
public partial class BatchNormNet;

/// <summary>Batch normalization on the output layer (no activation) and under softmax cross-entropy.</summary>
[Network(Inputs = 5, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(11, Activation.Tanh)]
[Dense(4, BatchNorm = true)]
public partial class BatchNormOutputNet;

/// <summary>One batch-normalized identity layer, to read x̂ through LayerOutput.</summary>
[Network(Inputs = 21, Loss = Loss.MeanSquaredError)]
[Dense(21, BatchNorm = true)]
[Dense(2)]
public partial class BatchNormProbeNet;

[Network(Inputs = 7, Loss = Loss.SoftmaxCrossEntropy)]
[Maxout(19, 3)]
[Maxout(5, 2)]
[Dense(4)]
public partial class MaxoutNet;

/// <summary>Maxout with two pieces, against <see cref="ReLUTwinNet"/>: the notes' claim that maxout can be ReLU.</summary>
[Network(Inputs = 9, Loss = Loss.SoftmaxCrossEntropy)]
[Maxout(21, 2)]
[Dense(4)]
public partial class MaxoutReLUNet;

[Network(Inputs = 9, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(21, Activation.ReLU)]
[Dense(4)]
public partial class ReLUTwinNet;

/// <summary>Everything at once: input dropout, maxout with dropout, batch norm with a learned activation and dropout, RReLU.</summary>
[Network(Inputs = 10, Loss = Loss.SoftmaxCrossEntropy, InputDropout = 0.1f)]
[Maxout(17, 3, Dropout = 0.25f)]
[Dense(13, Activation.PReLU, BatchNorm = true, Dropout = 0.2f)]
[Dense(9, Activation.RReLU, BatchNorm = true)]
[Dense(5)]
public partial class CombinedNet;

/// <summary>The layer networks by name, for theories.</summary>
internal static class LayerNetworks
{
    public static readonly IReadOnlyDictionary<string, Func<int, INetwork>> All = new Dictionary<string, Func<int, INetwork>>
    {
        [nameof(DropoutNet)] = seed => new DropoutNet(seed),
        [nameof(DropoutNotesNet)] = seed => new DropoutNotesNet(seed),
        [nameof(BatchNormNet)] = seed => new BatchNormNet(seed),
        [nameof(BatchNormOutputNet)] = seed => new BatchNormOutputNet(seed),
        [nameof(MaxoutNet)] = seed => new MaxoutNet(seed),
        [nameof(CombinedNet)] = seed => new CombinedNet(seed),
    };

    public static INetwork Create(string name, int seed) => All[name](seed);

    public static TheoryData<string> Names(params string[] names)
    {
        var data = new TheoryData<string>();
        foreach (string name in names.Length > 0 ? names : All.Keys) data.Add(name);
        return data;
    }
}
