using StaticNet.Reference;

namespace StaticNet.Tests.Reference;

/// <summary>
/// Checks the double-precision reference implementation against things that are not itself:
/// central finite differences, gradients worked out by hand, and the SGD formula.
/// </summary>
public class ReferenceNetworkTests
{
    // ----------------------------------------------------------------------------------------
    // Helpers

    /// <summary>
    /// Builds a description with layers of the given (units, activation), each layer's weight
    /// [units, in] followed by its bias [units], consecutively, as the generator lays them out.
    /// </summary>
    private static NetworkDescription Describe(int inputs, Loss loss, params (int Units, Activation Activation)[] layers)
    {
        var result = new List<LayerDescription>();
        int offset = 0, width = inputs;
        for (int l = 0; l < layers.Length; l++)
        {
            (int units, Activation activation) = layers[l];
            var weight = new ParameterTensor($"layers.{l}.weight", offset, [units, width]);
            offset += units * width;
            var bias = new ParameterTensor($"layers.{l}.bias", offset, [units]);
            offset += units;
            result.Add(new LayerDescription(l, width, units, activation, weight, bias));
            width = units;
        }
        return new NetworkDescription("T", inputs, loss, Optimizer.Sgd, 0.1f, result);
    }

    private static float[] RandomFloats(Random random, int count, double scale)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)((random.NextDouble() * 2.0 - 1.0) * scale);
        return values;
    }

    private static ReferenceNetwork RandomNetwork(NetworkDescription description, Random random)
    {
        var net = new ReferenceNetwork(description);
        net.LoadParameters(RandomFloats(random, description.ParameterCount, 0.8));
        return net;
    }

    // ----------------------------------------------------------------------------------------
    // 1. Finite differences

    public static TheoryData<Activation, Activation, Loss, bool> GradientCases()
    {
        var data = new TheoryData<Activation, Activation, Loss, bool>();
        foreach (Activation hidden in new[] { Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.ReLU })
        {
            foreach (bool labels in new[] { true, false })
            {
                data.Add(hidden, Activation.Identity, Loss.SoftmaxCrossEntropy, labels);
                data.Add(hidden, Activation.Identity, Loss.MeanSquaredError, labels);
                data.Add(hidden, Activation.Sigmoid, Loss.MeanSquaredError, labels);
            }
        }
        // Non-identity output activations under softmax cross-entropy, and tanh/ReLU outputs under MSE.
        data.Add(Activation.Tanh, Activation.Tanh, Loss.SoftmaxCrossEntropy, true);
        data.Add(Activation.ReLU, Activation.Sigmoid, Loss.SoftmaxCrossEntropy, false);
        data.Add(Activation.Sigmoid, Activation.Tanh, Loss.MeanSquaredError, false);
        data.Add(Activation.Tanh, Activation.ReLU, Loss.MeanSquaredError, false);
        return data;
    }

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void Gradients_match_central_finite_differences(Activation hidden, Activation output, Loss loss, bool useLabels)
    {
        const int inputs = 5, outputs = 4, rows = 3;
        // A fixed seed per case (HashCode.Combine is randomized per process, which made this test flaky).
        var random = new Random(((int)hidden * 31 + (int)output) * 31 + (int)loss * 2 + (useLabels ? 1 : 0));
        NetworkDescription description = Describe(inputs, loss, (7, hidden), (6, Activation.Tanh), (outputs, output));
        ReferenceNetwork net = RandomNetwork(description, random);
        float[] x = RandomFloats(random, rows * inputs, 1.5);
        int[] labels = [1, 3, 0];
        // Dense targets: for cross-entropy positive weights that deliberately do not sum to 1,
        // so the Σ_j t_j factor in the gradient is exercised.
        float[] targets = new float[rows * outputs];
        for (int k = 0; k < targets.Length; k++)
        {
            targets[k] = loss == Loss.SoftmaxCrossEntropy ? (float)(0.1 + random.NextDouble()) : (float)(random.NextDouble() * 2.0 - 1.0);
        }

        double LossNow() => useLabels ? net.Loss(x, labels) : net.Loss(x, targets);

        double loss0 = useLabels ? net.ComputeGradients(x, labels) : net.ComputeGradients(x, targets);
        Assert.Equal(LossNow(), loss0);
        double[] analytic = (double[])net.Gradients.Clone();

        const double h = 1e-5;
        int nonZero = 0;
        for (int p = 0; p < description.ParameterCount; p++)
        {
            double saved = net.Parameters[p];
            net.Parameters[p] = saved + h;
            double plus = LossNow();
            net.Parameters[p] = saved - h;
            double minus = LossNow();
            net.Parameters[p] = saved;

            double numeric = (plus - minus) / (2.0 * h);
            double error = Math.Abs(numeric - analytic[p]);
            double tolerance = 1e-8 + 1e-6 * Math.Max(Math.Abs(numeric), Math.Abs(analytic[p]));
            Assert.True(error <= tolerance,
                $"parameter {p}: analytic {analytic[p]:R}, numeric {numeric:R}, error {error:E3} > {tolerance:E3}");
            if (analytic[p] != 0.0) nonZero++;
        }
        Assert.True(nonZero > description.ParameterCount / 2, $"only {nonZero} of {description.ParameterCount} gradients are non-zero");
        Assert.Equal(loss0, LossNow()); // the probing left the parameters as they were
    }

    [Fact]
    public void Loss_does_not_touch_gradients_and_ComputeGradients_overwrites_them()
    {
        var random = new Random(7);
        NetworkDescription description = Describe(5, Loss.SoftmaxCrossEntropy, (7, Activation.ReLU), (4, Activation.Identity));
        ReferenceNetwork net = RandomNetwork(description, random);
        float[] x = RandomFloats(random, 10, 1.0);
        int[] labels = [2, 0];

        net.ComputeGradients(x, labels);
        double[] first = (double[])net.Gradients.Clone();
        net.Loss(x, [1, 1]);
        Assert.Equal(first, net.Gradients);
        net.ComputeGradients(x, labels); // not accumulated onto the previous call
        Assert.Equal(first, net.Gradients);
    }

    [Fact]
    public void Mse_with_labels_equals_mse_with_one_hot_targets()
    {
        var random = new Random(11);
        NetworkDescription description = Describe(5, Loss.MeanSquaredError, (7, Activation.Sigmoid), (4, Activation.Identity));
        ReferenceNetwork net = RandomNetwork(description, random);
        float[] x = RandomFloats(random, 15, 1.0);

        double lossLabels = net.ComputeGradients(x, [3, 0, 2]);
        double[] gradLabels = (double[])net.Gradients.Clone();
        float[] oneHot = new float[12];
        oneHot[0 * 4 + 3] = 1f;
        oneHot[1 * 4 + 0] = 1f;
        oneHot[2 * 4 + 2] = 1f;
        double lossTargets = net.ComputeGradients(x, oneHot);

        Assert.Equal(lossTargets, lossLabels);
        Assert.Equal(net.Gradients, gradLabels);
    }

    [Fact]
    public void LayerGradientNorms_are_the_L2_norms_of_the_weight_gradients()
    {
        var random = new Random(3);
        NetworkDescription description = Describe(5, Loss.SoftmaxCrossEntropy, (7, Activation.Tanh), (4, Activation.Identity));
        ReferenceNetwork net = RandomNetwork(description, random);
        Assert.Equal([0.0, 0.0], net.LayerGradientNorms);

        net.ComputeGradients(RandomFloats(random, 10, 1.0), [0, 3]);
        Assert.Equal(2, net.LayerGradientNorms.Count);
        for (int l = 0; l < 2; l++)
        {
            ParameterTensor w = description.Layers[l].Weight;
            double sum = 0.0;
            for (int i = 0; i < w.Length; i++) sum += net.Gradients[w.Offset + i] * net.Gradients[w.Offset + i];
            Assert.Equal(Math.Sqrt(sum), net.LayerGradientNorms[l], 12);
            Assert.True(net.LayerGradientNorms[l] > 0.0);
        }
    }

    // ----------------------------------------------------------------------------------------
    // 2. Values worked out by hand

    [Fact]
    public void Mse_single_layer_matches_hand_computation()
    {
        // 2 inputs -> 2 outputs, identity. W = [[0.5, -1], [2, 0.25]], b = [0.1, -0.2].
        NetworkDescription description = Describe(2, Loss.MeanSquaredError, (2, Activation.Identity));
        var net = new ReferenceNetwork(description);
        net.LoadParameters([0.5f, -1f, 2f, 0.25f, 0.1f, -0.2f]);
        float[] x = [1f, 2f, -1f, 0.5f];
        float[] t = [0f, 1f, 1f, -1f];

        // z0 = [0.1 + 0.5·1 − 1·2, −0.2 + 2·1 + 0.25·2] = [−1.4, 2.3]
        // z1 = [0.1 − 0.5 − 0.5, −0.2 − 2 + 0.125]       = [−0.9, −2.075]
        // e = z − t = [−1.4, 1.3, −1.9, −1.075]
        // L = (1.96 + 1.69 + 3.61 + 1.155625) / 4 = 2.10390625
        double[] e = [0.1 + 0.5 * 1 - 1.0 * 2 - 0, -0.2 + 2.0 * 1 + 0.25 * 2 - 1, 0.1 + 0.5 * -1 - 1.0 * 0.5 - 1, -0.2 + 2.0 * -1 + 0.25 * 0.5 + 1];
        double expectedLoss = (e[0] * e[0] + e[1] * e[1] + e[2] * e[2] + e[3] * e[3]) / 4;
        Assert.Equal(2.10390625, expectedLoss, 12);

        // dL/dz = 2e/4: g = [−0.7, 0.65, −0.95, −0.5375]
        // dW[o,i] = Σ_r g[r,o]·x[r,i]; db[o] = Σ_r g[r,o]
        double[] expectedGradient =
        [
            -0.7 * 1 + -0.95 * -1,      //  0.25
            -0.7 * 2 + -0.95 * 0.5,     // −1.875
            0.65 * 1 + -0.5375 * -1,    //  1.1875
            0.65 * 2 + -0.5375 * 0.5,   //  1.03125
            -0.7 + -0.95,               // −1.65
            0.65 + -0.5375,             //  0.1125
        ];

        Assert.Equal(expectedLoss, net.Loss(x, t), 6);
        Assert.Equal(expectedLoss, net.ComputeGradients(x, t), 6);
        for (int p = 0; p < 6; p++) Assert.Equal(expectedGradient[p], net.Gradients[p], 6);

        double[] y = net.Forward(x);
        Assert.Equal(4, y.Length);
        Assert.Equal(-1.4, y[0], 6);
        Assert.Equal(2.3, y[1], 6);
        Assert.Equal(-0.9, y[2], 6);
        Assert.Equal(-2.075, y[3], 6);
    }

    [Fact]
    public void Mse_sigmoid_single_output_matches_hand_computation()
    {
        // 2 inputs -> 1 output, sigmoid. W = [0.5, -0.25], b = 0.125; x = [1, 2], t = 0.75.
        NetworkDescription description = Describe(2, Loss.MeanSquaredError, (1, Activation.Sigmoid));
        var net = new ReferenceNetwork(description);
        net.LoadParameters([0.5f, -0.25f, 0.125f]);

        double z = 0.125 + 0.5 * 1 - 0.25 * 2;          // 0.125
        double a = 1.0 / (1.0 + Math.Exp(-z));
        double loss = (a - 0.75) * (a - 0.75);
        double dz = 2.0 * (a - 0.75) * a * (1.0 - a);    // chain rule through σ' = σ(1 − σ)

        Assert.Equal(loss, net.ComputeGradients([1f, 2f], [0.75f]), 12);
        Assert.Equal(dz * 1, net.Gradients[0], 12);
        Assert.Equal(dz * 2, net.Gradients[1], 12);
        Assert.Equal(dz, net.Gradients[2], 12);
    }

    [Fact]
    public void Softmax_cross_entropy_single_layer_matches_hand_computation()
    {
        // 2 inputs -> 3 classes, identity. W = [[1, 0], [0, 1], [1, -1]], b = [0, 0.5, -0.5].
        NetworkDescription description = Describe(2, Loss.SoftmaxCrossEntropy, (3, Activation.Identity));
        var net = new ReferenceNetwork(description);
        net.LoadParameters([1f, 0f, 0f, 1f, 1f, -1f, 0f, 0.5f, -0.5f]);
        float[] x = [1f, 2f, 0.5f, -1f];
        int[] labels = [2, 0];

        // Row 0: z = [1, 2.5, −1.5]; row 1: z = [0.5, −0.5, 1].
        double[][] z = [[1.0, 2.5, -1.5], [0.5, -0.5, 1.0]];
        double[][] p = new double[2][];
        double loss = 0.0;
        for (int r = 0; r < 2; r++)
        {
            double s = Math.Exp(z[r][0]) + Math.Exp(z[r][1]) + Math.Exp(z[r][2]);
            p[r] = [Math.Exp(z[r][0]) / s, Math.Exp(z[r][1]) / s, Math.Exp(z[r][2]) / s];
            loss += -Math.Log(p[r][labels[r]]);
        }
        loss /= 2;
        // dL/dz = (p − onehot) / 2
        double[][] g = [[p[0][0] / 2, p[0][1] / 2, (p[0][2] - 1) / 2], [(p[1][0] - 1) / 2, p[1][1] / 2, p[1][2] / 2]];
        double[] expected = new double[9];
        for (int o = 0; o < 3; o++)
        {
            expected[o * 2 + 0] = g[0][o] * 1.0 + g[1][o] * 0.5;
            expected[o * 2 + 1] = g[0][o] * 2.0 + g[1][o] * -1.0;
            expected[6 + o] = g[0][o] + g[1][o];
        }

        Assert.Equal(loss, net.Loss(x, labels), 12);
        Assert.Equal(loss, net.ComputeGradients(x, labels), 12);
        for (int k = 0; k < 9; k++) Assert.Equal(expected[k], net.Gradients[k], 12);

        double[] probabilities = net.Forward(x);
        for (int r = 0; r < 2; r++)
        {
            for (int j = 0; j < 3; j++) Assert.Equal(p[r][j], probabilities[r * 3 + j], 12);
        }

        // The same rows as dense one-hot targets give the same loss and gradient.
        Assert.Equal(loss, net.ComputeGradients(x, [0f, 0f, 1f, 1f, 0f, 0f]), 12);
        for (int k = 0; k < 9; k++) Assert.Equal(expected[k], net.Gradients[k], 12);
    }

    [Fact]
    public void Relu_derivative_is_zero_at_zero()
    {
        // All-zero parameters: z = 0 exactly, so a ReLU output layer passes no gradient back.
        NetworkDescription description = Describe(2, Loss.MeanSquaredError, (1, Activation.ReLU));
        var net = new ReferenceNetwork(description);
        double loss = net.ComputeGradients([1f, -1f], [1f]);
        Assert.Equal(1.0, loss);
        Assert.All(net.Gradients, g => Assert.Equal(0.0, g));

        // Just above zero the derivative is 1: dL/db = 2(a − t).
        net.Parameters[2] = 1e-3;
        net.ComputeGradients([1f, -1f], [1f]);
        Assert.Equal(2.0 * (1e-3 - 1.0), net.Gradients[2], 12);
    }

    // ----------------------------------------------------------------------------------------
    // 3. Softmax stability

    [Fact]
    public void Softmax_cross_entropy_is_finite_for_huge_logits()
    {
        // x = [1, 0] gives logits [1000, −1000].
        NetworkDescription description = Describe(2, Loss.SoftmaxCrossEntropy, (2, Activation.Identity));
        var net = new ReferenceNetwork(description);
        net.LoadParameters([1000f, 0f, -1000f, 0f, 0f, 0f]);
        float[] x = [1f, 0f];

        Assert.Equal(0.0, net.Loss(x, [0]), 12);
        Assert.Equal(2000.0, net.Loss(x, [1]), 9);
        double loss = net.ComputeGradients(x, [1]);
        Assert.Equal(2000.0, loss, 9);
        Assert.All(net.Gradients, g => Assert.True(double.IsFinite(g)));
        // dL/dz = p − onehot(1) = [1, −1]; dW row o = dz[o]·x.
        Assert.Equal(1.0, net.Gradients[0], 12);
        Assert.Equal(-1.0, net.Gradients[2], 12);

        double[] p = net.Forward(x);
        Assert.Equal(1.0, p[0], 12);
        Assert.Equal(0.0, p[1], 12);

        // Two equal huge logits: log 2, probabilities ½.
        net.LoadParameters([1000f, 0f, 1000f, 0f, 0f, 0f]);
        Assert.Equal(Math.Log(2.0), net.Loss(x, [1]), 12);
        Assert.Equal(0.5, net.Forward(x)[0], 12);

        // Hugely negative logits too.
        net.LoadParameters([-1000f, 0f, -1001f, 0f, 0f, 0f]);
        Assert.Equal(Math.Log(1.0 + Math.Exp(1.0)), net.Loss(x, [1]), 12);
    }

    // ----------------------------------------------------------------------------------------
    // 4. SGD

    [Fact]
    public void SgdStep_is_theta_minus_eta_g()
    {
        var random = new Random(5);
        NetworkDescription description = Describe(5, Loss.SoftmaxCrossEntropy, (7, Activation.ReLU), (4, Activation.Identity));
        ReferenceNetwork net = RandomNetwork(description, random);
        float[] x = RandomFloats(random, 15, 1.0);
        int[] labels = [0, 1, 3];

        double before = net.ComputeGradients(x, labels);
        double[] theta = (double[])net.Parameters.Clone();
        double[] g = (double[])net.Gradients.Clone();
        const double eta = 0.3;
        net.SgdStep(eta);

        for (int i = 0; i < theta.Length; i++) Assert.Equal(theta[i] - eta * g[i], net.Parameters[i]);
        Assert.Equal(g, net.Gradients); // the step leaves the gradient alone
        Assert.True(net.Loss(x, labels) < before, "a small step along −g lowers the loss");
    }

    // ----------------------------------------------------------------------------------------
    // Argument checks

    [Fact]
    public void LoadParameters_rejects_the_wrong_length()
    {
        NetworkDescription description = Describe(5, Loss.SoftmaxCrossEntropy, (7, Activation.ReLU), (4, Activation.Identity));
        var net = new ReferenceNetwork(description);
        Assert.Equal(5 * 7 + 7 + 7 * 4 + 4, description.ParameterCount);

        ArgumentException e = Assert.Throws<ArgumentException>(() => net.LoadParameters(new float[10]));
        Assert.Equal("parameters", e.ParamName);
        Assert.Contains(description.ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_inputs_labels_and_targets_are_rejected()
    {
        NetworkDescription description = Describe(2, Loss.SoftmaxCrossEntropy, (3, Activation.Identity));
        var net = new ReferenceNetwork(description);

        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.Forward([1f, 2f, 3f])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.Forward([])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => net.Loss([1f, 2f], [0, 1])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => net.Loss([1f, 2f], [3])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => net.ComputeGradients([1f, 2f], [-1])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => net.ComputeGradients([1f, 2f], [0f, 1f])).ParamName);
    }

    [Fact]
    public void Inconsistent_descriptions_are_rejected()
    {
        // Layer 1 claims 3 inputs, but layer 0 has 4 units.
        var layers = new List<LayerDescription>
        {
            new(0, 2, 4, Activation.ReLU, new ParameterTensor("layers.0.weight", 0, [4, 2]), new ParameterTensor("layers.0.bias", 8, [4])),
            new(1, 3, 1, Activation.Identity, new ParameterTensor("layers.1.weight", 12, [1, 3]), new ParameterTensor("layers.1.bias", 15, [1])),
        };
        var description = new NetworkDescription("T", 2, Loss.MeanSquaredError, Optimizer.Sgd, 0.1f, layers);
        Assert.Throws<ArgumentException>(() => new ReferenceNetwork(description));
    }
}
