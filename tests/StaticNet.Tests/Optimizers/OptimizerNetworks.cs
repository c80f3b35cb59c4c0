namespace StaticNet.Tests.Optimizers;

// Networks for the optimizer tests. "Odd" ones have tensor lengths that are not multiples of any
// vector width (13·21 = 273, 21, 21·5 = 105, 5), so every step method runs its tails; the
// regularized ones also regularize one bias and clip the gradient hard enough to matter.

[Network(Inputs = 13, Optimizer = Optimizer.Sgd, LearningRate = 0.05f)]
[Dense(21, Activation.Tanh)] [Dense(5)]
public partial class OddSgd;

[Network(Inputs = 13, Optimizer = Optimizer.Momentum, LearningRate = 0.02f)]
[Dense(21, Activation.Tanh)] [Dense(5)]
public partial class OddMomentum;

[Network(Inputs = 13, Optimizer = Optimizer.Nesterov, LearningRate = 0.02f)]
[Dense(21, Activation.Tanh)] [Dense(5)]
public partial class OddNesterov;

[Network(Inputs = 13, Optimizer = Optimizer.Adagrad, LearningRate = 0.05f)]
[Dense(21, Activation.Tanh)] [Dense(5)]
public partial class OddAdagrad;

[Network(Inputs = 13, Optimizer = Optimizer.Adagrad, NotesForm = true, LearningRate = 0.05f)]
[Dense(21, Activation.Tanh)] [Dense(5)]
public partial class OddAdagradNotes;

[Network(Inputs = 13, Optimizer = Optimizer.RMSProp)]
[Dense(21, Activation.Tanh)] [Dense(5)]
public partial class OddRMSProp;

[Network(Inputs = 13, Optimizer = Optimizer.RMSProp, NotesForm = true)]
[Dense(21, Activation.Tanh)] [Dense(5)]
public partial class OddRMSPropNotes;

[Network(Inputs = 13, Optimizer = Optimizer.Adam)]
[Dense(21, Activation.Tanh)] [Dense(5)]
public partial class OddAdam;

[Network(Inputs = 13, Optimizer = Optimizer.AdamW)]
[Dense(21, Activation.Tanh)] [Dense(5)]
public partial class OddAdamW;

[Network(Inputs = 13, Optimizer = Optimizer.Sgd, LearningRate = 0.05f, L1 = 0.01f, L2 = 0.1f, ClipNorm = 0.5f)]
[Dense(21, Activation.Tanh, RegularizeBias = true)] [Dense(5)]
public partial class OddSgdRegularized;

[Network(Inputs = 13, Optimizer = Optimizer.Nesterov, LearningRate = 0.02f, L1 = 0.01f, L2 = 0.1f, ClipNorm = 0.5f)]
[Dense(21, Activation.Tanh, RegularizeBias = true)] [Dense(5)]
public partial class OddNesterovRegularized;

[Network(Inputs = 13, Optimizer = Optimizer.RMSProp, NotesForm = true, L1 = 0.01f, L2 = 0.1f, ClipNorm = 0.5f)]
[Dense(21, Activation.Tanh, RegularizeBias = true)] [Dense(5)]
public partial class OddRMSPropRegularized;

[Network(Inputs = 13, Optimizer = Optimizer.Adam, L1 = 0.01f, L2 = 0.1f, ClipNorm = 0.5f)]
[Dense(21, Activation.Tanh, RegularizeBias = true)] [Dense(5, RegularizeWeights = false)]
public partial class OddAdamRegularized;

[Network(Inputs = 13, Optimizer = Optimizer.AdamW, L1 = 0.01f, L2 = 0.1f, ClipNorm = 0.5f)]
[Dense(21, Activation.Tanh, RegularizeBias = true)] [Dense(5)]
public partial class OddAdamWRegularized;

// Tiny networks whose first updates the tests compute by hand: y = w·x + b, three parameters.

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(1)]
public partial class TinySgd;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.1f, Momentum = 0.8f)]
[Dense(1)]
public partial class TinyMomentum;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Nesterov, LearningRate = 0.1f, Momentum = 0.8f)]
[Dense(1)]
public partial class TinyNesterov;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adagrad, LearningRate = 0.1f)]
[Dense(1)]
public partial class TinyAdagrad;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adagrad, NotesForm = true, LearningRate = 0.1f)]
[Dense(1)]
public partial class TinyAdagradNotes;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.RMSProp, LearningRate = 0.01f, Alpha = 0.9f)]
[Dense(1)]
public partial class TinyRMSProp;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.RMSProp, NotesForm = true, LearningRate = 0.01f, Alpha = 0.9f)]
[Dense(1)]
public partial class TinyRMSPropNotes;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f)]
[Dense(1)]
public partial class TinyAdam;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.AdamW, LearningRate = 0.01f)]
[Dense(1)]
public partial class TinyAdamW;
