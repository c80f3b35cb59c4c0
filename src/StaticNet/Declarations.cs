namespace StaticNet;

/// <summary>An element-wise activation applied after a layer's affine transform.</summary>
/// <remarks>
/// The numeric values are part of the declaration contract (the generator reads them from
/// attribute arguments); append new members, never renumber.
/// </remarks>
public enum Activation
{
    /// <summary>f(x) = x. Glorot-uniform initialization.</summary>
    Identity = 0,
    /// <summary>f(x) = 1 / (1 + e^-x). Glorot-uniform initialization.</summary>
    Sigmoid = 1,
    /// <summary>f(x) = tanh x. Glorot-uniform initialization.</summary>
    Tanh = 2,
    /// <summary>f(x) = max(0, x). He-uniform initialization.</summary>
    ReLU = 3,
}

/// <summary>The training loss of a network, averaged over the rows of a mini-batch.</summary>
public enum Loss
{
    /// <summary>
    /// Mean squared error, <c>mean over rows and outputs of (y - t)^2</c>, without a factor ½;
    /// PyTorch's <c>MSELoss()</c> and Keras' <c>MeanSquaredError()</c>.
    /// </summary>
    MeanSquaredError = 0,
    /// <summary>
    /// Softmax cross-entropy from logits, <c>mean over rows of -Σ t_j log softmax(z)_j</c>, with a
    /// numerically stable log-sum-exp; PyTorch's <c>CrossEntropyLoss()</c>. Inference returns
    /// the softmax probabilities.
    /// </summary>
    SoftmaxCrossEntropy = 1,
}

/// <summary>The optimizer whose step method the generator specializes for the network.</summary>
public enum Optimizer
{
    /// <summary>Plain stochastic gradient descent, θ ← θ − η·g.</summary>
    Sgd = 0,
}

/// <summary>
/// Declares a <c>partial</c> class as a compiled network. Put one <see cref="DenseAttribute"/>
/// per layer on the same class, in order from input to output.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The width of one input row (for example 784 for a 28×28 image).</summary>
    public int Inputs { get; set; }

    /// <summary>The training loss. Default: <see cref="Loss.SoftmaxCrossEntropy"/>.</summary>
    public Loss Loss { get; set; } = Loss.SoftmaxCrossEntropy;

    /// <summary>The optimizer. Default: <see cref="Optimizer.Sgd"/>.</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.Sgd;

    /// <summary>The initial learning rate η (it can be changed at run time). Default 0.01, as PyTorch's SGD examples and Keras' SGD.</summary>
    public float LearningRate { get; set; } = 0.01f;
}

/// <summary>A fully connected layer: <c>y = f(x·Wᵀ + b)</c> with <c>W</c> of shape [units, inputs].</summary>
/// <param name="units">The number of outputs of the layer.</param>
/// <param name="activation">The activation applied to the outputs. Default: <see cref="Activation.Identity"/>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute(int units, Activation activation = Activation.Identity) : Attribute
{
    /// <summary>The number of outputs of the layer.</summary>
    public int Units { get; } = units;

    /// <summary>The activation applied to the outputs.</summary>
    public Activation Activation { get; } = activation;
}
