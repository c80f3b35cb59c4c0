using System.Globalization;
using System.Text;

namespace StaticNet.Benchmarks;

/// <summary>
/// Checks that <see cref="NaiveMlp"/> and the generated <see cref="Mlp784"/> compute the same thing, so
/// the benchmark never compares against a baseline that does different (or less) work.
/// </summary>
public static class Verification
{
    /// <summary>The largest relative difference accepted anywhere.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>
    /// Each element is compared relative to the larger of its two values, but never relative to less
    /// than this fraction of its tensor's largest magnitude. Without the floor a bias that starts at 0,
    /// or a gradient entry that is a nearly cancelling sum over the batch, would be judged by its own
    /// rounding noise: both implementations add in different orders (the generated one with fused
    /// multiply-adds), so bit equality is not expected. Observed worst case is about 2.5e-5; a 1%
    /// error in any single gradient or the learning rate fails by two orders of magnitude.
    /// </summary>
    public const double RelativeFloor = 1e-2;

    /// <summary>
    /// Copies the generated network's parameters into the naive one, runs one <c>TrainStep</c> on both
    /// with the same batch, and compares the loss, every gradient, every parameter after the step and
    /// the softmax probabilities of <c>Infer</c> after the step. Leaves the two networks with equal
    /// (within tolerance) parameters. Throws <see cref="InvalidOperationException"/> on any mismatch.
    /// </summary>
    /// <returns>A short report of the largest relative differences found.</returns>
    public static string Check(Mlp784 generated, NaiveMlp naive, float[] inputs, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(naive);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        int rows = labels.Length;

        naive.CopyParametersFrom(generated);
        naive.LearningRate = generated.LearningRate;

        float generatedLoss = generated.TrainStep(inputs, labels);
        float naiveLoss = naive.TrainStep(inputs, labels);

        var report = new StringBuilder();
        var failures = new List<string>();
        report.Append(CultureInfo.InvariantCulture, $"batch {rows}: loss generated {generatedLoss:G9}, naive {naiveLoss:G9}");
        double lossError = Math.Abs(generatedLoss - naiveLoss) / Math.Max(Math.Max(Math.Abs(generatedLoss), Math.Abs(naiveLoss)), 1e-30);
        report.Append(CultureInfo.InvariantCulture, $" (rel. diff {lossError:E2})");
        if (!(lossError <= Tolerance)) failures.Add($"loss: generated {generatedLoss}, naive {naiveLoss}, relative difference {lossError:E2}");

        Compare("grad layers.0.weight", generated.Gradient("layers.0.weight"), naive.GW0, report, failures);
        Compare("grad layers.0.bias", generated.Gradient("layers.0.bias"), naive.GB0, report, failures);
        Compare("grad layers.1.weight", generated.Gradient("layers.1.weight"), naive.GW1, report, failures);
        Compare("grad layers.1.bias", generated.Gradient("layers.1.bias"), naive.GB1, report, failures);
        Compare("layers.0.weight", generated.Parameter("layers.0.weight"), naive.W0, report, failures);
        Compare("layers.0.bias", generated.Parameter("layers.0.bias"), naive.B0, report, failures);
        Compare("layers.1.weight", generated.Parameter("layers.1.weight"), naive.W1, report, failures);
        Compare("layers.1.bias", generated.Parameter("layers.1.bias"), naive.B1, report, failures);

        var generatedOutputs = new float[rows * NaiveMlp.Outputs];
        var naiveOutputs = new float[rows * NaiveMlp.Outputs];
        generated.Infer(inputs, generatedOutputs);
        naive.Infer(inputs, naiveOutputs);
        Compare("infer probabilities", generatedOutputs, naiveOutputs, report, failures);

        if (failures.Count > 0)
        {
            throw new InvalidOperationException(
                "NaiveMlp and the generated Mlp784 disagree, so the benchmark would compare different computations:"
                + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", failures));
        }
        return report.ToString();
    }

    private static void Compare(string name, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, StringBuilder report, List<string> failures)
    {
        if (expected.Length != actual.Length)
        {
            failures.Add($"{name}: length {expected.Length} vs {actual.Length}");
            return;
        }
        double scale = 0;
        foreach (float v in expected) scale = Math.Max(scale, Math.Abs(v));
        double floor = Math.Max(scale * RelativeFloor, 1e-30);

        double worst = 0;
        int worstIndex = -1;
        for (int k = 0; k < expected.Length; k++)
        {
            double a = expected[k], b = actual[k];
            double error = Math.Abs(a - b) / Math.Max(Math.Max(Math.Abs(a), Math.Abs(b)), floor);
            if (!(error <= worst)) // also catches NaN
            {
                worst = double.IsNaN(error) ? double.PositiveInfinity : error;
                worstIndex = k;
                if (double.IsPositiveInfinity(worst)) break;
            }
        }
        report.Append(CultureInfo.InvariantCulture, $"; {name} {worst:E2}");
        if (!(worst <= Tolerance))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name}[{worstIndex}]: generated {expected[worstIndex]:G9}, naive {actual[worstIndex]:G9}, relative difference {worst:E2} > {Tolerance:E0}"));
        }
    }
}
