namespace StaticNet.Tests.Reliability;

// Networks for the reliability tests: layers without a bias, batch normalization under a large mean, a layer wide
// enough that a large batch overflows one array, and the networks the concurrency tests share between threads.

/// <summary>Dense layers without a bias, before batch normalization (the usual place) and as the output layer.</summary>
[Network(Inputs = 6, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(70, Activation.ReLU, Bias = false, BatchNorm = true)]
[Dense(5, Activation.Tanh, Bias = false)]
[Dense(3)]
public partial class BiasFreeNet;

/// <summary>A maxout layer without a bias.</summary>
[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Maxout(4, 3, Bias = false)]
[Dense(2, Bias = false)]
public partial class BiasFreeMaxoutNet;

/// <summary>One batch-normalized layer whose inputs the precision test gives a large mean: the output is z's normalization itself.</summary>
[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, BatchNorm = true)]
public partial class BatchNormPrecisionNet;

/// <summary>8 → 4096 → 2: 1,048,577 rows need 2³² floats of the 4096-wide buffer, more than an array holds.</summary>
[Network(Inputs = 8, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(4096, Activation.ReLU)]
[Dense(2)]
public partial class WideLayerNet;

/// <summary>Trained by SGD, which (unlike Adam's step) would copy a NaN gradient into every weight.</summary>
[Network(Inputs = 7, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(9, Activation.ReLU, BatchNorm = true, Dropout = 0.2f)]
[Dense(3)]
public partial class GuardedSgdNet;

[Network(Inputs = 7, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam)]
[Dense(9, Activation.RReLU)]
[Dense(3)]
public partial class GuardedAdamNet;
