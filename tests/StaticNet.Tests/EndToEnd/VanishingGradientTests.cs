using StaticNet.Data;
using StaticNet.Reference;
using Xunit.Abstractions;

namespace StaticNet.Tests.EndToEnd;

/// <summary>
/// The notes' vanishing gradient, on real MNIST digits: in a deep sigmoid network the gradient
/// shrinks by σ′ ≤ 1/4 at every layer on its way back, so the first layer's weight gradient is orders
/// of magnitude below the last one's and the first layers barely learn; with ReLU it does not shrink.
/// Per-layer gradient norms come from <see cref="NetworkExtensions.LayerGradientNorms"/>.
/// A small subset and a few steps keep this quick.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class VanishingGradientTests(ITestOutputHelper output)
{
    private static readonly Lazy<MnistSet> Digits = new(() =>
        Mnist.LoadTest(Mnist.FindDataDirectory() ?? throw new InvalidOperationException("MNIST not found under samples/data/mnist.")));

    private const int Batch = 128;

    private static (float[] X, int[] Y) Slice(int start, int rows)
    {
        MnistSet set = Digits.Value;
        return (set.Images.AsSpan(start * 784, rows * 784).ToArray(), set.Labels.AsSpan(start, rows).ToArray());
    }

    private static string Text(string name, double[] norms)
        => $"{name}: " + string.Join("  ", norms.Select((n, l) => $"L{l} {n:E2}")) + $"  (first/last {norms[0] / norms[^1]:E2})";

    private void Show(string name, double[] norms) => output.WriteLine(Text(name, norms));

    /// <summary>The norms after a few SGD steps, averaged over batches: a trained state, not just the initialization.</summary>
    private double[] NormsWhileTraining(INetwork net, string name)
    {
        double[] sum = new double[net.Description.Layers.Count];
        const int steps = 12;
        for (int s = 0; s < steps; s++)
        {
            (float[] x, int[] y) = Slice(s * Batch, Batch);
            net.ComputeGradients(x, y);
            double[] norms = net.LayerGradientNorms();
            for (int l = 0; l < norms.Length; l++) sum[l] += norms[l] / steps;
            net.Step();
            if (s == 0) Show(name + " at initialization", norms);
        }
        Show(name + $" mean over {steps} SGD steps", sum);
        return sum;
    }

    [Fact]
    public void Sigmoid_gradients_vanish_towards_the_input_and_ReLU_gradients_do_not()
    {
        double[] sigmoid = NormsWhileTraining(new DeepSigmoidNet(seed: 1), "sigmoid");
        double[] relu = NormsWhileTraining(new DeepReLUNet(seed: 1), "ReLU");

        // Sigmoid: orders of magnitude between the first layer and the last, shrinking layer by layer.
        Assert.True(sigmoid[0] / sigmoid[^1] < 1e-3, Text("sigmoid", sigmoid));
        for (int l = 1; l < sigmoid.Length - 1; l++)
        {
            Assert.True(sigmoid[l] < sigmoid[l + 1], $"sigmoid layer {l} ({sigmoid[l]:E2}) should be below layer {l + 1} ({sigmoid[l + 1]:E2})");
        }
        // ReLU: the first layer's gradient is of the order of the last one's.
        Assert.True(relu[0] / relu[^1] > 0.1, Text("ReLU", relu));
        Assert.True(relu[0] / relu[^1] / (sigmoid[0] / sigmoid[^1]) > 1e3, "ReLU keeps at least three orders of magnitude more gradient at the first layer");
    }

    [Fact]
    public void Generated_layer_gradient_norms_match_the_reference()
    {
        var net = new DeepSigmoidNet(seed: 2);
        var reference = ReferenceNetwork.Of(net);
        (float[] x, int[] y) = Slice(0, 32);
        net.ComputeGradients(x, y);
        reference.ComputeGradients(x, y);
        double[] norms = net.LayerGradientNorms();
        for (int l = 0; l < norms.Length; l++)
        {
            Assert.True(Math.Abs(norms[l] - reference.LayerGradientNorms[l]) <= 1e-3 * reference.LayerGradientNorms[l] + 1e-12,
                $"layer {l}: generated {norms[l]:E4}, reference {reference.LayerGradientNorms[l]:E4}");
        }
    }
}

[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, LearningRate = 0.1f)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(10)]
public partial class DeepSigmoidNet;

[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, LearningRate = 0.1f)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class DeepReLUNet;
