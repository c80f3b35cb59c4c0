namespace StaticNet.Benchmarks;

// The benchmarked network: MNIST's classic 784-128-10 multilayer perceptron. The source generator
// emits its fixed-shape kernels; NaiveMlp is the same network written by hand with plain loops.

[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.01f)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class Mlp784;
