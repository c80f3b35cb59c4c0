namespace StaticNet.Tests;

// Networks the numeric tests run. Odd widths on purpose: they exercise the vector tails of
// every path (AVX-512 16, AVX2 8, Vector128 4 floats per vector).

[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class DigitNet;

/// <summary>
/// Layers too large for L2 in one piece (W of 840 KB and 1.8 MB): the generated kernels take the forward in
/// chunks of outputs, the input gradient in chunks of columns and the weight gradient in equal chunks of at most
/// 216 rows for 300 inputs, 88 for 700 and 96 for 650, so a 151-row batch runs every chunked loop and its remainders.
/// </summary>
[Network(Inputs = 300, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.05f)]
[Dense(700, Activation.ReLU)]
[Dense(650, Activation.Tanh)]
[Dense(5)]
public partial class WideNet;

/// <summary>
/// Widths for the forward kernels' packed form (from 48 rows on): 787 inputs leave 3 past the last block of 8 that
/// <c>PackTransposed</c> copies one at a time; 100 outputs are packed in two chunks of panels on AVX2 (48 + 48, then 4
/// outputs of dot products), one chunk on AVX-512 (64, then 36) and on Vector128 (56 + 40, then 4); the 100 → 19 layer
/// packs one panel of 16 (8 on Vector128) and computes 3 outputs by dot products; AVX-512 has no whole panel there.
/// </summary>
[Network(Inputs = 787, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.05f)]
[Dense(100, Activation.ReLU)]
[Dense(19, Activation.Tanh)]
[Dense(5)]
public partial class PanelNet;

[Network(Inputs = 13, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(21, Activation.Tanh)]
[Dense(17, Activation.ReLU)]
[Dense(5)]
public partial class OddSoftmaxNet;

[Network(Inputs = 7, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.Sigmoid)]
[Dense(33, Activation.ReLU)]
[Dense(3, Activation.Tanh)]
public partial class OddRegressionNet;

[Network(Inputs = 37, Loss = Loss.MeanSquaredError)]
[Dense(1)]
public partial class LinearNet;

[Network(Inputs = 6, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(9, Activation.Tanh)]
[Dense(11, Activation.Sigmoid)]
[Dense(4)]
public partial class SmoothNet;

// Losses and output activations (issue 3). 11 outputs: a tail on every path (8 + 3, 4·2 + 3; AVX-512: tail only).

[Network(Inputs = 6, Loss = Loss.BinaryCrossEntropy)]
[Dense(9, Activation.Tanh)]
[Dense(11)]
public partial class MultiLabelNet;

/// <summary><see cref="MultiLabelNet"/> with the sigmoid declared on the output: fused into the loss, the same network.</summary>
[Network(Inputs = 6, Loss = Loss.BinaryCrossEntropy)]
[Dense(9, Activation.Tanh)]
[Dense(11, Activation.Sigmoid)]
public partial class MultiLabelSigmoidNet;

[Network(Inputs = 6, Loss = Loss.BinaryCrossEntropy)]
[Dense(9, Activation.ReLU)]
[Dense(1)]
public partial class BinaryNet;

[Network(Inputs = 6, Loss = Loss.MulticlassHinge)]
[Dense(13, Activation.ReLU)]
[Dense(11)]
public partial class HingeNet;

/// <summary>Softmax declared on the output under softmax cross-entropy: fused, the same network as an identity output.</summary>
[Network(Inputs = 6, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(9, Activation.Tanh)]
[Dense(11, Activation.Softmax)]
public partial class SoftmaxOutputNet;

/// <summary>Softmax output under mean squared error: the backward pass goes through softmax's Jacobian.</summary>
[Network(Inputs = 6, Loss = Loss.MeanSquaredError)]
[Dense(9, Activation.Tanh)]
[Dense(11, Activation.Softmax)]
public partial class SoftmaxMseNet;
