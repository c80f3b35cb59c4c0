using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Numeric;

/// <summary>
/// The generated float32 kernels against the plain double-precision reference, on networks
/// whose odd widths leave vector tails on every path. .ci/run repeats these on the AVX-512,
/// AVX2 and Vector128 paths.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class GeneratedVersusReferenceTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string net in new[]
        {
            nameof(DigitNet), nameof(OddSoftmaxNet), nameof(OddRegressionNet), nameof(LinearNet), nameof(SmoothNet),
            nameof(MultiLabelNet), nameof(MultiLabelSigmoidNet), nameof(BinaryNet), nameof(HingeNet), nameof(SoftmaxOutputNet), nameof(SoftmaxMseNet),
        })
        {
            foreach (int rows in new[] { 1, 3, 17 }) data.Add(net, rows);
        }
        // Chunked kernels: one row; 45 rows (one chunk of rows, dot-product forward); 151 rows (the weight gradients of
        // layers 1 and 2 in two chunks of 76 and 75 rows, the packed forward with an overlapping last block of rows).
        foreach (int rows in new[] { 1, 45, 151 }) data.Add(nameof(WideNet), rows);
        // The forward kernels' two forms: dot products below 48 rows, packed panels from 48 on (53: the last block of 6 overlaps).
        foreach (int rows in new[] { 47, 48, 53 }) data.Add(nameof(PanelNet), rows);
        return data;
    }

    internal static INetwork Create(string name, int seed) => name switch
    {
        nameof(DigitNet) => new DigitNet(seed),
        nameof(OddSoftmaxNet) => new OddSoftmaxNet(seed),
        nameof(OddRegressionNet) => new OddRegressionNet(seed),
        nameof(LinearNet) => new LinearNet(seed),
        nameof(SmoothNet) => new SmoothNet(seed),
        nameof(MultiLabelNet) => new MultiLabelNet(seed),
        nameof(MultiLabelSigmoidNet) => new MultiLabelSigmoidNet(seed),
        nameof(BinaryNet) => new BinaryNet(seed),
        nameof(HingeNet) => new HingeNet(seed),
        nameof(SoftmaxOutputNet) => new SoftmaxOutputNet(seed),
        nameof(SoftmaxMseNet) => new SoftmaxMseNet(seed),
        nameof(WideNet) => new WideNet(seed),
        nameof(PanelNet) => new PanelNet(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Inference_matches_the_reference(string network, int rows)
    {
        INetwork net = Create(network, seed: 3);
        Randomize(net, seed: 11);
        var reference = ReferenceOf(net);
        float[] x = RandomInputs(rows, net.Description.Inputs, seed: 5);

        var outputs = new float[rows * net.Description.Outputs];
        net.Infer(x, outputs);

        AssertClose(reference.Forward(x), outputs, "output");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_and_gradients_with_labels_match_the_reference(string network, int rows)
    {
        INetwork net = Create(network, seed: 3);
        Randomize(net, seed: 12);
        var reference = ReferenceOf(net);
        float[] x = RandomInputs(rows, net.Description.Inputs, seed: 6);
        int[] y = RandomLabels(rows, LabelClasses(net.Description), seed: 7);

        float loss = net.ComputeGradients(x, y);
        double expected = reference.ComputeGradients(x, y);

        AssertClose(expected, loss, "loss");
        AssertClose(reference.Gradients, net.Gradients, "gradient");
        AssertClose(expected, net.ComputeLoss(x, y), "ComputeLoss");
        Assert.Contains(net.Gradients.ToArray(), g => g != 0f);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_and_gradients_with_dense_targets_match_the_reference(string network, int rows)
    {
        INetwork net = Create(network, seed: 3);
        Randomize(net, seed: 13);
        var reference = ReferenceOf(net);
        float[] x = RandomInputs(rows, net.Description.Inputs, seed: 8);
        float[] t = RandomTargets(rows, net.Description.Outputs, seed: 9);

        float loss = net.ComputeGradients(x, t);
        double expected = reference.ComputeGradients(x, t);

        AssertClose(expected, loss, "loss");
        AssertClose(reference.Gradients, net.Gradients, "gradient");
        AssertClose(expected, net.ComputeLoss(x, t), "ComputeLoss");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Three_SGD_steps_match_the_reference(string network, int rows)
    {
        INetwork net = Create(network, seed: 3);
        Randomize(net, seed: 14);
        net.LearningRate = 0.05f;
        var reference = ReferenceOf(net);
        float[] x = RandomInputs(rows, net.Description.Inputs, seed: 10);
        int[] y = RandomLabels(rows, LabelClasses(net.Description), seed: 11);

        for (int step = 0; step < 3; step++)
        {
            float loss = net.TrainStep(x, y);
            double expected = reference.ComputeGradients(x, y);
            reference.SgdStep(0.05);
            AssertClose(expected, loss, $"loss of step {step}");
        }

        AssertClose(reference.Parameters, net.Parameters, "parameter");
    }

    [Fact]
    public void Step_applies_exactly_theta_minus_eta_g()
    {
        var net = new OddSoftmaxNet(seed: 1);
        float[] x = RandomInputs(4, OddSoftmaxNet.InputSize, seed: 2);
        int[] y = RandomLabels(4, OddSoftmaxNet.OutputSize, seed: 3);
        net.ComputeGradients(x, y);
        float[] before = net.Parameters.ToArray();
        float[] gradient = net.Gradients.ToArray();
        net.LearningRate = 0.25f;

        net.Step();

        for (int i = 0; i < before.Length; i++)
        {
            // The kernel may fuse the multiply and the subtraction: allow one rounding.
            float expected = before[i] - 0.25f * gradient[i];
            Assert.True(Math.Abs(expected - net.Parameters[i]) <= 1e-6f * Math.Max(1f, Math.Abs(expected)), $"parameter {i}");
        }
    }
}
