namespace StaticNet.Generators.Tests.Infrastructure;

/// <summary>Representative network declarations, as user source text.</summary>
public static class TestNetworks
{
    /// <summary>MNIST: 784 → 128 ReLU → 10, softmax cross-entropy, SGD at 0.1.</summary>
    public const string Mnist = """
        using StaticNet;

        namespace Samples.Mnist;

        [Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
        [Dense(128, Activation.ReLU)]
        [Dense(10)]
        public partial class DigitNet;
        """;

    /// <summary>
    /// Regression with odd widths, 7 → 19 Sigmoid → 33 Tanh → 3 Tanh, MSE: every vector loop of
    /// every path (16, 8 and 4 lanes) has a scalar tail, and the output layer has an activation.
    /// </summary>
    public const string OddRegression = """
        using StaticNet;

        namespace Samples.Regression
        {
            [Network(Inputs = 7, Loss = Loss.MeanSquaredError, LearningRate = 0.05f)]
            [Dense(19, Activation.Sigmoid)]
            [Dense(33, Activation.Tanh)]
            [Dense(3, Activation.Tanh)]
            internal partial class OddRegressionNet
            {
            }
        }
        """;

    /// <summary>One Dense layer in the global namespace, MSE with a single output, default learning rate.</summary>
    public const string GlobalLinear = """
        using StaticNet;

        [Network(Inputs = 37, Loss = Loss.MeanSquaredError)]
        [Dense(1)]
        partial class LinearNet;
        """;

    /// <summary>The names of <see cref="All"/>, for theories whose display names should stay short.</summary>
    public static TheoryData<string> Names => new() { nameof(Mnist), nameof(OddRegression), nameof(GlobalLinear) };

    public static string ByName(string name) => name switch
    {
        nameof(Mnist) => Mnist,
        nameof(OddRegression) => OddRegression,
        nameof(GlobalLinear) => GlobalLinear,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
