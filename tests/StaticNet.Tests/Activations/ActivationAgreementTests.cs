using StaticNet.Reference;
using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Activations;

/// <summary>
/// Every activation of the table, generated, against the double-precision reference: inference,
/// loss and gradients (the learned parameters' included, RReLU with the same training noise), at
/// random points and at chosen ones (near every kink, at 0 for Sinc, at the series thresholds).
/// .ci/run repeats these on the AVX-512, AVX2 and Vector128 paths.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class ActivationAgreementTests
{
    public static TheoryData<string> Networks() => ActivationNetworks.Names();

    /// <summary>Random parameters, with soft exponential's α kept where its domain covers the inputs.</summary>
    internal static void RandomizeValid(INetwork net, int seed)
    {
        Randomize(net, seed);
        LayerDescription layer = net.Description.Layers[0];
        if (layer.Activation == Activation.SoftExponential)
        {
            Span<float> alpha = net.Parameter("layers.0.softexp.alpha");
            for (int i = 0; i < alpha.Length; i++) alpha[i] *= 0.6f; // |α| ≤ 0.3: 1 − α(z + α) > 0 for z > −3
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Inference_matches_the_reference(string network)
    {
        INetwork net = ActivationNetworks.Create(network, seed: 3);
        RandomizeValid(net, seed: 11);
        var reference = ReferenceNetwork.Of(net);
        float[] x = RandomInputs(7, 5, seed: 5, low: -2f, high: 2f);

        var outputs = new float[7 * 3];
        net.Infer(x, outputs);

        AssertClose(reference.Forward(x), outputs, $"{network} output");
        AssertClose(reference.Loss(x, RandomTargets(7, 3, seed: 6)), net.ComputeLoss(x, RandomTargets(7, 3, seed: 6)), $"{network} inference loss");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Training_loss_and_gradients_match_the_reference(string network)
    {
        foreach (int rows in new[] { 1, 6 })
        {
            INetwork net = ActivationNetworks.Create(network, seed: 3);
            RandomizeValid(net, seed: 12 + rows);
            net.NoiseStep = 40 + rows;
            var reference = ReferenceNetwork.Of(net);
            float[] x = RandomInputs(rows, 5, seed: 6 + rows, low: -2f, high: 2f);
            float[] t = RandomTargets(rows, 3, seed: 8);

            float loss = net.ComputeGradients(x, t);
            double expected = reference.ComputeGradients(x, t);

            AssertClose(expected, loss, $"{network} loss ({rows} rows)");
            AssertClose(reference.Gradients, net.Gradients, $"{network} gradient ({rows} rows)");
            Assert.Equal(reference.NoiseStep, net.NoiseStep);
            if (network != nameof(BinaryStepNet)) Assert.Contains(net.Gradient("layers.0.weight").ToArray(), g => g != 0f);
        }
    }

    /// <summary>Points near each activation's kinks and thresholds, and 0 itself.</summary>
    internal static float[] ChosenPoints(Activation activation) => activation switch
    {
        Activation.SReLU => [-2f, -1e-3f, 1e-3f, 0.3f, 1f - 1e-3f, 1f + 1e-3f, 2.5f, 0f, 1f],
        Activation.APL => [-2f, -0.5f - 1e-3f, -0.5f + 1e-3f, -1e-3f, 1e-3f, 0.5f - 1e-3f, 0.5f + 1e-3f, 2f, 0f, 0.5f],
        Activation.Sinc => [0f, 1e-6f, -1e-4f, 1e-3f, 0.05f, -0.0999f, 0.1001f, 0.1f, 0.5f, -3f, 3.14159265f, 10f],
        Activation.ArcTan => [-1000f, -2.5f, -2.4142f, -1f, -0.4142f, -0.1f, 0f, 0.2f, 0.41422f, 2.41422f, 7f, 1e6f],
        Activation.SoftExponential => [-2f, -1f, -1e-3f, 0f, 1e-3f, 0.5f, 1f, 3f],
        _ => [-4f, -1f, -1e-3f, -1e-6f, 0f, 1e-6f, 1e-3f, 0.05f, 1f, 4f, -30f, 30f],
    };

    /// <summary>
    /// Sets layer 0 so that every unit of row r sees z = points[r]: input 0 carries the point, the
    /// other inputs are 0, W[j, 0] = 1 and b = 0. Learned activation parameters keep their declared
    /// initial values, so the kinks sit where <see cref="ChosenPoints"/> expects them.
    /// </summary>
    internal static float[] PointInputs(INetwork net, float[] points)
    {
        Span<float> w = net.Parameter("layers.0.weight");
        w.Clear();
        for (int j = 0; j < 19; j++) w[j * 5] = 1f;
        net.Parameter("layers.0.bias").Clear();
        float[] x = new float[points.Length * 5];
        for (int r = 0; r < points.Length; r++) x[r * 5] = points[r];
        return x;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Values_and_gradients_at_chosen_points_match_the_reference(string network)
    {
        INetwork net = ActivationNetworks.Create(network, seed: 4); // learned parameters at their declared initial values
        Activation activation = net.Description.Layers[0].Activation;
        if (network is nameof(SReLUShiftedNet) or nameof(Apl3Net)) return; // their kinks sit elsewhere: covered by the random points
        float[] points = ChosenPoints(activation);
        float[] x = PointInputs(net, points);
        net.NoiseStep = 7;
        var reference = ReferenceNetwork.Of(net);
        float[] t = RandomTargets(points.Length, 3, seed: 31);

        float loss = net.ComputeGradients(x, t);
        double expected = reference.ComputeGradients(x, t);

        AssertClose(reference.LayerOutputs[0], net.LayerOutput(0), $"{network} values at {string.Join(", ", points)}");
        AssertClose(expected, loss, $"{network} loss");
        AssertClose(reference.Gradients, net.Gradients, $"{network} gradient");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void The_vector_loop_and_the_scalar_tail_compute_the_same_function(string network)
    {
        // Every unit of a row sees the same z; units 0–15 run in the vector loop, 16–18 in the tail.
        INetwork net = ActivationNetworks.Create(network, seed: 5);
        Activation activation = net.Description.Layers[0].Activation;
        var points = new List<float>(ChosenPoints(activation));
        var random = new Random(2);
        for (int k = 0; k < 200; k++) points.Add((float)(random.NextDouble() * 12 - 6));
        float[] x = PointInputs(net, points.ToArray());

        net.Infer(x, new float[points.Count * 3]);

        ReadOnlySpan<float> a = net.LayerOutput(0);
        for (int r = 0; r < points.Count; r++)
        {
            float scalar = a[r * 19 + 18];
            for (int j = 0; j < 16; j++)
            {
                float vector = a[r * 19 + j];
                float allowed = 4e-7f * Math.Max(1f, Math.Abs(scalar));
                Assert.True(Math.Abs(vector - scalar) <= allowed || (float.IsNaN(vector) && float.IsNaN(scalar)),
                    $"{network} at z = {points[r]:R}: vector lane {vector:R}, scalar tail {scalar:R} (path {Simd.Active})");
            }
        }
    }
}
