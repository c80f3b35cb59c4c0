using StaticNet.Reference;
using Xunit.Abstractions;
using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Layers;

/// <summary>
/// Dropout, batch normalization and maxout, generated, against the double-precision reference in
/// both modes (training with the same noise, inference with the running statistics), over several
/// steps; and finite differences of the reference's training loss, through the batch statistics,
/// the dropout masks and the winning pieces. .ci/run repeats these on every kernel path.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class LayerAgreementTests(ITestOutputHelper output)
{
    public static TheoryData<string> Networks() => LayerNetworks.Names();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Training_steps_and_inference_match_the_reference(string network)
    {
        INetwork net = LayerNetworks.Create(network, seed: 3);
        Randomize(net, seed: 13);
        var reference = ReferenceNetwork.Of(net);
        int inputs = net.Description.Inputs, outputs = net.Description.Outputs;
        net.LearningRate = 0.05f;

        for (int step = 0; step < 3; step++)
        {
            int rows = 3 + 7 * step; // 3, 10, 17
            float[] x = RandomInputs(rows, inputs, seed: 20 + step, low: -2f, high: 2f);
            int[] y = RandomLabels(rows, outputs, seed: 30 + step);

            float loss = net.ComputeGradients(x, y);
            double expected = reference.ComputeGradients(x, y);
            AssertClose(expected, loss, $"{network} loss of step {step}");
            AssertClose(reference.Gradients, net.Gradients, $"{network} gradient of step {step}");
            AssertClose(reference.Statistics, net.Statistics, $"{network} running statistics after step {step}");
            for (int l = 0; l < net.Description.Layers.Count; l++)
            {
                AssertClose(reference.LayerOutputs[l], net.LayerOutput(l), $"{network} layer {l} training output of step {step}");
            }
            net.Step();
            reference.SgdStep(0.05);
        }
        AssertClose(reference.Parameters, net.Parameters, $"{network} parameters after 3 steps");

        float[] test = RandomInputs(5, inputs, seed: 40, low: -2f, high: 2f);
        var probabilities = new float[5 * outputs];
        net.Infer(test, probabilities);
        AssertClose(reference.Forward(test), probabilities, $"{network} inference");
        for (int l = 0; l < net.Description.Layers.Count; l++)
        {
            AssertClose(reference.LayerOutputs[l], net.LayerOutput(l), $"{network} layer {l} inference output");
        }
        int[] labels = RandomLabels(5, outputs, seed: 41);
        AssertClose(reference.Loss(test, labels), net.ComputeLoss(test, labels), $"{network} inference loss");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Reference_training_gradients_match_central_differences(string network)
    {
        INetwork net = LayerNetworks.Create(network, seed: 4);
        Randomize(net, seed: 14);
        net.NoiseStep = 9;
        var reference = ReferenceNetwork.Of(net);
        float[] x = RandomInputs(6, net.Description.Inputs, seed: 15, low: -2f, high: 2f);
        float[] t = RandomTargets(6, net.Description.Outputs, seed: 16);

        (double worst, string where) = Activations.ActivationGradientCheckTests.Check(reference, x, t, h: 1e-6);

        output.WriteLine($"{network}: max gradient-check error {worst:E2} ({where})");
        Assert.True(worst <= 1e-6, $"{network}: {where}, error {worst:E3}");
    }
}
