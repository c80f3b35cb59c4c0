namespace StaticNet.Tests;

// Networks the numeric tests run. Odd widths on purpose: they exercise the vector tails of
// every path (AVX-512 16, AVX2 8, Vector128 4 floats per vector).

[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class DigitNet;

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
