using StaticNet;

namespace StaticNet.Samples.Mnist;

/// <summary>The classic MNIST multilayer perceptron: 784 pixels → 128 ReLU units → 10 classes.</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class DigitNet;
