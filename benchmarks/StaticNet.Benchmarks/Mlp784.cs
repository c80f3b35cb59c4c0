namespace StaticNet.Benchmarks;

// The benchmarked networks. The source generator emits their fixed-shape kernels; SimdMlp and NaiveMlp are the
// same networks written by hand (generic over the layer sizes), with TensorPrimitives/Vector256 and with plain
// scalar loops. Both use Adam with PyTorch's defaults (η 0.001, β₁ 0.9, β₂ 0.999, ε 1e-8, bias-corrected).

/// <summary>MNIST's classic 784-128-10 multilayer perceptron: 101,770 parameters.</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class Mlp784;

/// <summary>A wider and deeper 784-512-512-10 perceptron: 669,706 parameters (2.7 MB of weights).</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(512, Activation.ReLU)]
[Dense(512, Activation.ReLU)]
[Dense(10)]
public partial class Mlp784x512;
