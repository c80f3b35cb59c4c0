using StaticNet.Reference;
using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Losses;

/// <summary>
/// The losses beyond the foundation's: binary cross-entropy from logits (sigmoid fused), the notes'
/// multiclass hinge, and softmax as an output activation (fused with softmax cross-entropy, through
/// its Jacobian otherwise). Their values at hand-computed points, their fusion, their label
/// conventions, and finite differences of the reference. Agreement of the generated code with the
/// reference is in GeneratedVersusReferenceTests (MultiLabelNet, BinaryNet, HingeNet, SoftmaxOutputNet,
/// SoftmaxMseNet).
/// </summary>
public sealed class LossTests
{
    /// <summary>A one-layer network whose output equals its input (W = I, b = 0), to put chosen values into a loss.</summary>
    private static float[] Identity(INetwork net, int width)
    {
        Span<float> w = net.Parameter($"layers.{net.Description.Layers.Count - 1}.weight");
        w.Clear();
        for (int j = 0; j < width; j++) w[j * width + j] = 1f;
        return w.ToArray();
    }

    [Fact]
    [Trait("Category", "Numeric")]
    public void Multiclass_hinge_is_the_notes_SVM_loss()
    {
        // CS231n's example: scores cat 3.2, car 5.1, frog −1.7 for a cat image: max(0, 5.1 − 3.2 + 1) + max(0, −1.7 − 3.2 + 1) = 2.9.
        var net = new HingeScoresNet(seed: 1);
        Identity(net, 3);
        float[] scores = [3.2f, 5.1f, -1.7f, 1.3f, 4.9f, 2.0f];

        Assert.Equal(2.9f, net.ComputeLoss(scores.AsSpan(0, 3), [0]), 5);
        Assert.Equal(0f, net.ComputeLoss(scores.AsSpan(3, 3), [1]), 6); // car wins by more than the margin: 0
        Assert.Equal((2.9f + 0f) / 2f, net.ComputeLoss(scores, [0, 1]), 5); // mean over rows

        net.ComputeGradients(scores.AsSpan(0, 3), [0]);
        // dL/ds = dL/db: −1 for the true class, +1 for car (positive margin), 0 for frog.
        Span<float> bias = net.Gradient("layers.0.bias");
        Assert.Equal(-1f, bias[0], 6);
        Assert.Equal(1f, bias[1], 6);
        Assert.Equal(0f, bias[2], 6);

        // Dense targets: the class is the largest target.
        Assert.Equal(2.9f, net.ComputeLoss(scores.AsSpan(0, 3), [0.7f, 0.2f, 0.1f]), 5);
        Assert.Equal(0f, net.ComputeLoss(scores.AsSpan(3, 3), [0f, 1f, 0f]), 6);
    }

    [Fact]
    [Trait("Category", "Numeric")]
    public void Binary_cross_entropy_from_logits_matches_its_formula_and_is_stable()
    {
        var net = new BinaryScoresNet(seed: 1);
        Identity(net, 3);
        float[] logits = [2f, -1f, 0f];
        float[] targets = [1f, 0f, 0.25f];
        static double Bce(double z, double t) => -(t * Math.Log(1 / (1 + Math.Exp(-z))) + (1 - t) * Math.Log(1 - 1 / (1 + Math.Exp(-z))));
        double expected = (Bce(2, 1) + Bce(-1, 0) + Bce(0, 0.25)) / 3;

        Assert.Equal(expected, net.ComputeLoss(logits, targets), 6);
        net.ComputeGradients(logits, targets);
        Span<float> db = net.Gradient("layers.0.bias"); // = (σ(z) − t)/3
        Assert.Equal((1 / (1 + Math.Exp(-2)) - 1) / 3, db[0], 6);
        Assert.Equal((1 / (1 + Math.Exp(1)) - 0) / 3, db[1], 6);
        Assert.Equal((0.5 - 0.25) / 3, db[2], 6);

        // Labels stand for one-hot rows; extreme logits neither overflow nor lose the small term.
        Assert.Equal((Bce(2, 0) + Bce(-1, 1) + Bce(0, 0)) / 3, net.ComputeLoss(logits, [1]), 6);
        Assert.Equal(100f / 3f, net.ComputeLoss([100f, -100f, 0f], [1f, 1f, 0f]) - (float)(Math.Log(2) / 3), 3);
        float tiny = net.ComputeLoss([-30f, -30f, -30f], [0f, 0f, 0f]);
        Assert.Equal(Math.Exp(-30), tiny, 1e-18);

        // Inference returns probabilities σ(z).
        var p = new float[3];
        net.Infer(logits, p);
        Assert.Equal(1 / (1 + Math.Exp(-2)), p[0], 6);
        Assert.Equal(0.5f, p[2]);
    }

    [Fact]
    public void Binary_cross_entropy_with_one_output_takes_the_label_as_the_target()
    {
        var net = new BinaryNet(seed: 3);
        float[] x = RandomInputs(4, 6, seed: 1);
        float withLabels = net.ComputeLoss(x, [0, 1, 1, 0]);
        Assert.Equal(net.ComputeLoss(x, [0f, 1f, 1f, 0f]), withLabels, 6);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => net.ComputeLoss(x, [0, 2, 1, 0]));
        Assert.Contains("[0, 2)", e.Message);
    }

    [Fact]
    public void A_sigmoid_or_softmax_output_declared_with_its_loss_is_fused_and_changes_nothing()
    {
        var plain = new MultiLabelNet(seed: 5);
        var declared = new MultiLabelSigmoidNet(seed: 5);
        Assert.Equal(plain.Parameters.ToArray(), declared.Parameters.ToArray());
        float[] x = RandomInputs(5, 6, seed: 2);
        float[] t = RandomTargets(5, 11, seed: 3);
        Assert.Equal(plain.ComputeGradients(x, t), declared.ComputeGradients(x, t));
        Assert.Equal(plain.Gradients.ToArray(), declared.Gradients.ToArray());

        var logits = new OddSoftmaxLikeNet(seed: 5);
        var softmax = new SoftmaxOutputNet(seed: 5);
        softmax.Parameters.CopyTo(logits.Parameters);
        int[] y = [1, 4, 10, 0, 7];
        Assert.Equal(logits.ComputeGradients(x, y), softmax.ComputeGradients(x, y));
        Assert.Equal(logits.Gradients.ToArray(), softmax.Gradients.ToArray());
        float[] p1 = new float[55], p2 = new float[55];
        logits.Infer(x, p1);
        softmax.Infer(x, p2);
        Assert.Equal(p1, p2);
        for (int r = 0; r < 5; r++) Assert.Equal(1.0, p2.AsSpan(r * 11, 11).ToArray().Sum(v => (double)v), 5);
    }

    [Fact]
    public void Softmax_output_under_mean_squared_error_returns_probabilities()
    {
        var net = new SoftmaxMseNet(seed: 2);
        float[] x = RandomInputs(3, 6, seed: 4);
        var p = new float[33];
        net.Infer(x, p);
        for (int r = 0; r < 3; r++) Assert.Equal(1.0, p.AsSpan(r * 11, 11).ToArray().Sum(v => (double)v), 5);
        var reference = ReferenceNetwork.Of(net);
        float[] t = RandomTargets(3, 11, seed: 5);
        Assert.Equal(reference.Loss(x, t), net.ComputeLoss(x, t), 5);
    }

    public static TheoryData<string> Networks() => new()
    {
        nameof(MultiLabelNet), nameof(MultiLabelSigmoidNet), nameof(BinaryNet), nameof(HingeNet), nameof(SoftmaxOutputNet), nameof(SoftmaxMseNet),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Reference_gradients_of_each_loss_match_central_differences(string network)
    {
        INetwork net = Numeric.GeneratedVersusReferenceTests.Create(network, seed: 3);
        Randomize(net, seed: 9, scale: 0.8f);
        var reference = ReferenceNetwork.Of(net);
        float[] x = RandomInputs(4, 6, seed: 10);
        foreach (bool labels in new[] { true, false })
        {
            int[] y = RandomLabels(4, LabelClasses(net.Description), seed: 11);
            float[] t = RandomTargets(4, net.Description.Outputs, seed: 12);
            double loss = labels ? reference.ComputeGradients(x, y) : reference.ComputeGradients(x, t);
            double[] analytic = (double[])reference.Gradients.Clone();
            const double h = 1e-6;
            for (int p = 0; p < analytic.Length; p++)
            {
                double saved = reference.Parameters[p];
                reference.Parameters[p] = saved + h;
                double plus = labels ? reference.Loss(x, y) : reference.Loss(x, t);
                reference.Parameters[p] = saved - h;
                double minus = labels ? reference.Loss(x, y) : reference.Loss(x, t);
                reference.Parameters[p] = saved;
                double numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic[p]) <= 1e-7 + 1e-6 * Math.Abs(numeric),
                    $"{network} ({(labels ? "labels" : "targets")}) parameter {p}: analytic {analytic[p]:R}, numeric {numeric:R}");
            }
            Assert.True(loss > 0);
        }
    }
}

[Network(Inputs = 3, Loss = Loss.MulticlassHinge)]
[Dense(3)]
public partial class HingeScoresNet;

[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
[Dense(3)]
public partial class BinaryScoresNet;

/// <summary><see cref="SoftmaxOutputNet"/> without the declared softmax.</summary>
[Network(Inputs = 6, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(9, Activation.Tanh)]
[Dense(11)]
public partial class OddSoftmaxLikeNet;
