namespace StaticNet.Peers;

// The MNIST sample's network (samples/Mnist/DigitNet.cs), declared with the same attributes, for the epoch comparison
// (--epoch, EpochComparison.cs): 784 → 128 ReLU with inverted dropout 0.2 → 10, softmax cross-entropy, Adam η 0.001
// (β₁ 0.9, β₂ 0.999, ε 1e-8: torch.optim.Adam's defaults). TorchSharp's side is TorchDigitNet.

[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.001f)]
[Dense(128, Activation.ReLU, Dropout = 0.2f)]
[Dense(10)]
public partial class PeerDigitNet;
