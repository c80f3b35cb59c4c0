using StaticNet.Reference;
using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Reliability;

/// <summary>
/// Layers without a bias (<c>Bias = false</c>), and batch normalization's backward pass in its centred form, which keeps a
/// few rows with a large mean accurate where the textbook form does not. (Both networks are also in every reflection-driven
/// numeric test: reference agreement, finite differences, frozen inference, bit-for-bit digests.)
/// </summary>
[Trait("Category", "Numeric")]
public sealed class LayerOptionTests
{
    [Fact]
    public void A_layer_without_a_bias_has_no_bias_tensor_anywhere()
    {
        NetworkDescription d = BiasFreeNet.Descriptor;
        Assert.Null(d.Layers[0].Bias);
        Assert.Null(d.Layers[1].Bias);
        Assert.NotNull(d.Layers[2].Bias);
        Assert.DoesNotContain(d.Parameters, t => t.Name is "layers.0.bias" or "layers.1.bias");
        Assert.Equal(6 * 70 + 2 * 70 + 70 * 5 + 5 * 3 + 3, BiasFreeNet.ParameterCount);
        Assert.Null(BiasFreeMaxoutNet.Descriptor.Layers[0].Bias);
        Assert.Equal(3 * 4 * 5 + 4 * 2, BiasFreeMaxoutNet.ParameterCount);

        // Saved and loaded without one, into a network of the same declaration.
        var net = new BiasFreeNet(seed: 1);
        Randomize(net, seed: 2);
        byte[] file = StaticNet.Serialization.ModelFile.Serialize(net);
        var loaded = new BiasFreeNet(seed: 3);
        StaticNet.Serialization.ModelFile.Load(loaded, file);
        Assert.Equal(net.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Fact]
    public void Layers_without_a_bias_train_like_the_reference_and_freeze_with_batch_normalization_folded()
    {
        var net = new BiasFreeNet(seed: 4);
        Randomize(net, seed: 5, scale: 0.3f);
        float[] x = RandomInputs(9, BiasFreeNet.InputSize, seed: 6);
        int[] y = RandomLabels(9, BiasFreeNet.OutputSize, seed: 7);
        ReferenceNetwork reference = ReferenceNetwork.Of(net);
        double expectedLoss = reference.ComputeGradients(x, y);
        AssertClose(expectedLoss, net.ComputeGradients(x, y), "loss");
        AssertClose(reference.Gradients, net.Gradients, "gradients");

        for (int step = 0; step < 3; step++) net.TrainStep(x, y);
        var frozen = new float[9 * BiasFreeNet.OutputSize];
        net.Freeze().Infer(x, frozen);
        AssertClose(ReferenceNetwork.Of(net).Forward(x), frozen, "frozen outputs, batch normalization folded into a layer without a bias");
    }

    [Fact]
    public void Batch_normalizations_backward_stays_accurate_for_a_few_rows_with_a_large_mean()
    {
        // Three rows, inputs around 1000 with a spread of a few 1/64: z's mean is large against its spread, so x̂ computed in
        // float keeps a mean of its own. Each unit's W picks one input and b = 0, so z is exact in float and the forward pass
        // is not what differs from the double reference: the backward pass is. The weight gradient Σ_r dz[r]·x[r] amplifies
        // any part of dz that does not sum to 0 by ~1000.
        var net = new BatchNormPrecisionNet(seed: 1);
        net.Parameters.Clear();
        for (int u = 0; u < 4; u++) net.Parameter("layers.0.weight")[u * 3 + u % 3] = 1f;
        var random = new Random(8);
        Span<float> gamma = net.Parameter("layers.0.batchnorm.weight"), beta = net.Parameter("layers.0.batchnorm.bias");
        for (int u = 0; u < 4; u++) (gamma[u], beta[u]) = (0.5f + random.NextSingle(), random.NextSingle() - 0.5f);
        float[] x = [1000f + 1 / 64f, 1000f - 3 / 64f, 1000f + 5 / 64f, 1000f + 2 / 64f, 1000f + 1 / 32f, 1000f - 1 / 16f, 1000f - 1 / 64f, 1000f + 1 / 16f, 1000f];
        float[] t = Enumerable.Range(0, 12).Select(_ => random.NextSingle() * 2 - 1).ToArray();

        ReferenceNetwork reference = ReferenceNetwork.Of(net);
        reference.ComputeGradients(x, t);
        net.ComputeGradients(x, t);
        double generated = WeightGradientError(net.Gradients, reference.Gradients);
        double textbook = WeightGradientError(TextbookWeightGradient(net, x, t), reference.Gradients);

        Assert.True(generated * 10 <= textbook, $"centred form: error {generated:E2}; textbook form: {textbook:E2}; expected at least 10× smaller");
        Assert.True(generated < 2e-3, $"centred form's weight-gradient error {generated:E2} relative to the largest entry");
    }

    /// <summary>The largest error of layer 0's weight gradient, relative to its largest entry.</summary>
    private static double WeightGradientError(ReadOnlySpan<float> actual, double[] expected)
    {
        const int n = 4 * 3;
        double scale = 0, worst = 0;
        for (int i = 0; i < n; i++) scale = Math.Max(scale, Math.Abs(expected[i]));
        for (int i = 0; i < n; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        return worst / scale;
    }

    /// <summary>
    /// Layer 0's weight gradient with the textbook batch-norm backward, d ← γ/√(σ² + ε)·(d − ∂L/∂β/n − x̂·∂L/∂γ/n), in float and
    /// in the generated kernels' order: what the kernel computed before the centred form.
    /// </summary>
    private static float[] TextbookWeightGradient(BatchNormPrecisionNet net, float[] x, float[] t)
    {
        const int rows = 3, inputs = 3, units = 4;
        ReadOnlySpan<float> w = net.Parameter("layers.0.weight");
        ReadOnlySpan<float> gamma = net.Parameter("layers.0.batchnorm.weight"), beta = net.Parameter("layers.0.batchnorm.bias");
        var dw = new float[units * inputs];
        for (int u = 0; u < units; u++)
        {
            var z = new float[rows];
            for (int r = 0; r < rows; r++)
            {
                for (int i = 0; i < inputs; i++) z[r] += x[r * inputs + i] * w[u * inputs + i]; // exact: one weight is 1, the others 0
            }
            float mean = 0f, sumSquares = 0f;
            for (int r = 0; r < rows; r++) mean += z[r];
            mean *= 1f / rows;
            for (int r = 0; r < rows; r++) sumSquares = MathF.FusedMultiplyAdd(z[r] - mean, z[r] - mean, sumSquares);
            float invStd = 1f / MathF.Sqrt(sumSquares * (1f / rows) + 1e-5f);
            var xhat = new float[rows];
            var d = new float[rows];
            float gBeta = 0f, gGamma = 0f;
            for (int r = 0; r < rows; r++)
            {
                xhat[r] = (z[r] - mean) * invStd;
                float y = MathF.FusedMultiplyAdd(gamma[u], xhat[r], beta[u]);
                d[r] = 2f * (y - t[r * units + u]) / (rows * units); // MSE: the mean over rows and outputs, no ½
                gBeta += d[r];
                gGamma = MathF.FusedMultiplyAdd(d[r], xhat[r], gGamma);
            }
            for (int r = 0; r < rows; r++)
            {
                float dz = gamma[u] * invStd * (d[r] - (gBeta + xhat[r] * gGamma) * (1f / rows));
                for (int i = 0; i < inputs; i++) dw[u * inputs + i] += dz * x[r * inputs + i];
            }
        }
        return dw;
    }
}
