namespace StaticNet.Fuzz.Files;

// Real networks whose saved files the model-file mutator starts from: with and without batch normalization, and several
// optimizers (so the files hold no state, one slot, or two).

[Network(Inputs = 5, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(7, Activation.ReLU)]
[Dense(3)]
public partial class FuzzSgdNet;

[Network(Inputs = 6, Optimizer = Optimizer.Adam, LearningRate = 0.01f)]
[Dense(8, Activation.Tanh, BatchNorm = true)]
[Dense(4, Activation.PReLU)]
[Dense(3)]
public partial class FuzzAdamBatchNormNet;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.05f)]
[Maxout(4, 3)]
[Dense(2)]
public partial class FuzzMomentumMaxoutNet;

[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.RMSProp)]
[Dense(5, Activation.ELU, BatchNorm = true, Dropout = 0.2f)]
[Dense(1)]
public partial class FuzzRmsPropBatchNormNet;
