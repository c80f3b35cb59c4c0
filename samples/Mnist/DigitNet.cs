using StaticNet;

namespace StaticNet.Samples.Mnist;

/// <summary>
/// The classic MNIST multilayer perceptron, 784 pixels → 128 ReLU units → 10 classes, trained with
/// Adam and inverted dropout on the hidden layer (the lecture's recipe for generalization).
/// </summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.001f)]
[Dense(128, Activation.ReLU, Dropout = 0.2f)]
[Dense(10)]
public partial class DigitNet;
