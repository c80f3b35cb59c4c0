using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Numeric;

/// <summary>
/// Central finite differences of the generated code's own loss, in float32: an independent
/// check of the generated backward pass that does not go through the reference.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class FiniteDifferenceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Generated_gradients_match_central_differences_of_the_generated_loss(bool denseTargets)
    {
        // Smooth activations only: a finite difference across a ReLU kink is not a derivative.
        var net = new SmoothNet(seed: 4);
        Randomize(net, seed: 21, scale: 0.8f);
        const int rows = 5;
        float[] x = RandomInputs(rows, SmoothNet.InputSize, seed: 22);
        int[] y = RandomLabels(rows, SmoothNet.OutputSize, seed: 23);
        float[] t = RandomTargets(rows, SmoothNet.OutputSize, seed: 24);

        if (denseTargets) net.ComputeGradients(x, t); else net.ComputeGradients(x, y);
        float[] analytic = net.Gradients.ToArray();

        const float h = 1e-2f;
        Span<float> p = net.Parameters;
        int checkedCount = 0;
        for (int i = 0; i < p.Length; i++)
        {
            float saved = p[i];
            p[i] = saved + h;
            double plus = denseTargets ? net.ComputeLoss(x, t) : net.ComputeLoss(x, y);
            p[i] = saved - h;
            double minus = denseTargets ? net.ComputeLoss(x, t) : net.ComputeLoss(x, y);
            p[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            // float32 loss with h = 1e-2: truncation O(h²) and rounding O(1e-7 / h) both stay below 2e-4.
            Assert.True(Math.Abs(numeric - analytic[i]) <= 2e-4 + 1e-2 * Math.Abs(numeric),
                $"parameter {i}: finite difference {numeric:R}, generated gradient {analytic[i]:R}");
            checkedCount++;
        }
        Assert.Equal(SmoothNet.ParameterCount, checkedCount);
    }
}
