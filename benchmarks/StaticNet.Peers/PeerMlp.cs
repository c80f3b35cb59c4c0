namespace StaticNet.Peers;

// StaticNet's side of the comparison: MNIST's 784-128-10 multilayer perceptron with ReLU, softmax cross-entropy and
// Adam (η 0.001, β₁ 0.9, β₂ 0.999, ε 1e-8: PyTorch's torch.optim.Adam defaults). The peers run the same network
// with the same weights, copied from an instance of this class.

[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class PeerMlp;
