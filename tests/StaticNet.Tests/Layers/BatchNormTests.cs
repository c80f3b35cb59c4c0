using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Layers;

/// <summary>
/// Batch normalization's behaviour: training normalizes with the batch's statistics, inference with
/// the running ones, the running statistics follow μ̄ ← (1 − m)μ̄ + m·μ_B (and the unbiased variance)
/// step by step, and a one-row training batch is refused before anything changes.
/// </summary>
public sealed class BatchNormTests
{
    private const int Units = 21;

    /// <summary>The probe's layer 0 made the identity, so z = x and its output is γx̂ + β = x̂.</summary>
    private static BatchNormProbeNet Probe()
    {
        var net = new BatchNormProbeNet(seed: 1);
        Span<float> w = net.Parameter("layers.0.weight");
        w.Clear();
        for (int j = 0; j < Units; j++) w[j * Units + j] = 1f;
        net.Parameter("layers.0.bias").Clear();
        return net;
    }

    private static float[] Batch(int rows, int seed)
    {
        // Each unit j has its own scale and offset, so the statistics differ per unit.
        var random = new Random(seed);
        float[] x = new float[rows * Units];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < Units; j++) x[r * Units + j] = (float)(j - 10 + (1 + j * 0.3) * (random.NextDouble() * 2 - 1));
        }
        return x;
    }

    private static (double Mean, double Biased) Moments(float[] x, int rows, int j)
    {
        double mean = Enumerable.Range(0, rows).Average(r => (double)x[r * Units + j]);
        double variance = Enumerable.Range(0, rows).Average(r => Math.Pow(x[r * Units + j] - mean, 2));
        return (mean, variance);
    }

    [Fact]
    public void Training_normalizes_with_the_batch_statistics()
    {
        BatchNormProbeNet net = Probe();
        const int rows = 37;
        float[] x = Batch(rows, seed: 1);

        net.ComputeGradients(x, new float[rows * 2]);

        float[] y = net.LayerOutput(0).ToArray();
        for (int j = 0; j < Units; j++)
        {
            (double mean, double variance) = Moments(x, rows, j);
            for (int r = 0; r < rows; r++)
            {
                Assert.Equal((x[r * Units + j] - mean) / Math.Sqrt(variance + 1e-5), y[r * Units + j], 2e-5);
            }
            double outMean = Enumerable.Range(0, rows).Average(r => (double)y[r * Units + j]);
            Assert.Equal(0, outMean, 5);
        }
    }

    [Fact]
    public void Running_statistics_follow_the_formula_after_k_steps_and_inference_uses_them()
    {
        BatchNormProbeNet net = Probe();
        double[] mean = new double[Units], variance = Enumerable.Repeat(1.0, Units).ToArray();
        const double m = 0.1; // PyTorch's momentum: the new batch's weight
        for (int k = 0; k < 5; k++)
        {
            int rows = 8 + 5 * k;
            float[] x = Batch(rows, seed: 10 + k);
            net.ComputeGradients(x, new float[rows * 2]); // no Step: W stays the identity, z = x
            for (int j = 0; j < Units; j++)
            {
                (double batchMean, double biased) = Moments(x, rows, j);
                mean[j] = (1 - m) * mean[j] + m * batchMean;
                variance[j] = (1 - m) * variance[j] + m * biased * rows / (rows - 1); // unbiased, as PyTorch
            }
        }
        float[] runningMean = net.Statistic("layers.0.batchnorm.running_mean").ToArray();
        float[] runningVar = net.Statistic("layers.0.batchnorm.running_var").ToArray();
        for (int j = 0; j < Units; j++)
        {
            Assert.Equal(mean[j], runningMean[j], 1e-5 * Math.Max(1, Math.Abs(mean[j])));
            Assert.Equal(variance[j], runningVar[j], 1e-5 * Math.Max(1, variance[j]));
        }

        // Inference: (x − μ̄)/√(σ̄² + ε) with the running statistics, for any batch, even one row; nothing changes.
        float[] test = Batch(3, seed: 99);
        net.Infer(test, new float[3 * 2]);
        ReadOnlySpan<float> y = net.LayerOutput(0);
        for (int r = 0; r < 3; r++)
        {
            for (int j = 0; j < Units; j++)
            {
                Assert.Equal((test[r * Units + j] - runningMean[j]) / Math.Sqrt(runningVar[j] + 1e-5), y[r * Units + j], 2e-5);
            }
        }
        net.Infer(test.AsSpan(0, Units), new float[2]);
        Assert.Equal(runningMean, net.Statistic("layers.0.batchnorm.running_mean").ToArray());
        Assert.Equal(runningVar, net.Statistic("layers.0.batchnorm.running_var").ToArray());
    }

    [Fact]
    public void Inference_of_a_row_does_not_depend_on_the_other_rows_of_its_batch()
    {
        var net = new BatchNormNet(seed: 2);
        Randomize(net, seed: 3);
        net.TrainStep(RandomInputs(16, 6, seed: 4), RandomTargets(16, 3, seed: 5));
        float[] x = RandomInputs(6, 6, seed: 6);
        float[] all = new float[18], one = new float[3];
        net.Infer(x, all);
        net.Infer(x.AsSpan(6, 6), one);
        Assert.Equal(all.AsSpan(3, 3).ToArray(), one);
    }

    [Fact]
    public void A_one_row_training_batch_is_refused_with_a_clear_exception_and_changes_nothing()
    {
        var net = new BatchNormNet(seed: 1);
        float[] before = net.Parameters.ToArray(), statistics = net.Statistics.ToArray();
        long step = net.NoiseStep;

        var e = Assert.Throws<ArgumentException>(() => net.TrainStep(new float[6], new float[3]));
        Assert.Equal("inputs", e.ParamName);
        Assert.Contains("1 row", e.Message);
        Assert.Contains("batch normalization", e.Message);
        Assert.Contains("at least 2 rows", e.Message);
        Assert.Contains("layer 0", e.Message);
        Assert.Throws<ArgumentException>(() => net.ComputeGradients(new float[6], [0]));

        Assert.Equal(before, net.Parameters.ToArray());
        Assert.Equal(statistics, net.Statistics.ToArray());
        Assert.Equal(step, net.NoiseStep);
        net.Infer(new float[6], new float[3]); // inference takes one row
        net.ComputeLoss(new float[6], new float[3]);
        net.TrainStep(new float[12], new float[6]); // two rows train
    }

    [Fact]
    public void Initialize_resets_the_running_statistics()
    {
        var net = new BatchNormNet(seed: 1);
        net.TrainStep(RandomInputs(8, 6, seed: 1), RandomTargets(8, 3, seed: 2));
        Assert.Contains(net.Statistic("layers.0.batchnorm.running_mean").ToArray(), v => v != 0f);
        net.Initialize(1);
        Assert.All(net.Statistic("layers.0.batchnorm.running_mean").ToArray(), v => Assert.Equal(0f, v));
        Assert.All(net.Statistic("layers.0.batchnorm.running_var").ToArray(), v => Assert.Equal(1f, v));
    }
}
