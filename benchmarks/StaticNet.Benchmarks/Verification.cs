using System.Globalization;
using System.Text;

namespace StaticNet.Benchmarks;

/// <summary>
/// Checks that a hand-written baseline (<see cref="NaiveMlp"/>, <see cref="SimdMlp"/>) and a generated network
/// (<see cref="Mlp784"/>, <see cref="Mlp784x512"/>) compute the same thing, so the benchmark never compares against a
/// baseline that does different (or less) work.
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
    /// multiply-adds), so bit equality is not expected. Observed worst case is about 3e-5 (`--verify`).
    /// </summary>
    public const double RelativeFloor = 1e-2;

    /// <summary>The largest relative difference of the last <see cref="Check"/> on this thread.</summary>
    [ThreadStatic] private static double t_lastWorst;

    /// <inheritdoc cref="t_lastWorst"/>
    public static double LastWorst { get => t_lastWorst; private set => t_lastWorst = value; }

    /// <summary>
    /// Copies the generated network's parameters and Adam state (both moments and the step counter t) into the
    /// baseline and runs one <c>TrainStep</c> (forward, backward, Adam) on both with the same batch. Compares the loss
    /// and every gradient tensor. Then checks the optimizer: the baseline's <see cref="MlpBaseline.AdamStep"/> is
    /// re-run from the same pre-step parameters and state on the generated network's gradients, and every parameter
    /// tensor, exp_avg and exp_avg_sq must match the generated network's after its step. Finally compares the softmax
    /// probabilities of <c>Infer</c> and of the frozen network's <c>Infer</c> after the step. Leaves the two networks with equal (within tolerance) parameters.
    /// Throws <see cref="InvalidOperationException"/> on any mismatch.
    /// </summary>
    /// <returns>A short report of the largest relative differences found.</returns>
    public static string Check(INetwork generated, MlpBaseline baseline, float[] inputs, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        int rows = labels.Length;
        string generatedName = generated.GetType().Name, baselineName = baseline.GetType().Name;

        baseline.CopyStateFrom(generated);
        float[] parametersBefore = baseline.Parameters.ToArray(), mBefore = baseline.M.ToArray(), vBefore = baseline.V.ToArray();
        long stepBefore = baseline.Step;

        float generatedLoss = generated.TrainStep(inputs, labels);
        float baselineLoss = baseline.TrainStep(inputs, labels);

        var report = new StringBuilder();
        var failures = new List<string>();
        report.Append(CultureInfo.InvariantCulture, $"{generatedName} vs {baselineName}, batch {rows}, Adam step {generated.OptimizerStep}: loss {generatedLoss:G7} vs {baselineLoss:G7}");
        double lossError = Math.Abs(generatedLoss - baselineLoss) / Math.Max(Math.Max(Math.Abs(generatedLoss), Math.Abs(baselineLoss)), 1e-30);
        report.Append(CultureInfo.InvariantCulture, $" (rel. diff {lossError:E2})");
        if (!(lossError <= Tolerance)) failures.Add($"loss: generated {generatedLoss}, {baselineName} {baselineLoss}, relative difference {lossError:E2}");
        if (generated.OptimizerStep != baseline.Step) failures.Add($"Adam step counter: generated {generated.OptimizerStep}, {baselineName} {baseline.Step}");

        double worstGradient = 0, worstParameter = 0;
        foreach (ParameterTensor tensor in generated.Description.Parameters)
        {
            worstGradient = Math.Max(worstGradient, Compare("grad " + tensor.Name, generated.Gradient(tensor.Name), baseline.Gradient(tensor.Name), baselineName, failures));
        }

        // The optimizer: the baseline's Adam step again, from the same pre-step parameters and state, on the generated
        // network's gradients. (Adam divides every gradient entry by its own running magnitude, so the rounding noise of
        // an entry that nearly cancels over the batch reaches the parameters at full size, up to ±η at t = 1; comparing
        // the parameters after each side's own TrainStep would mostly measure that noise, not the optimizer.)
        parametersBefore.CopyTo(baseline.Parameters);
        mBefore.CopyTo(baseline.M);
        vBefore.CopyTo(baseline.V);
        baseline.Step = stepBefore;
        foreach (ParameterTensor tensor in generated.Description.Parameters) generated.Gradient(tensor.Name).CopyTo(baseline.Gradient(tensor.Name));
        baseline.AdamStep();
        foreach (ParameterTensor tensor in generated.Description.Parameters)
        {
            worstParameter = Math.Max(worstParameter, Compare(tensor.Name, generated.Parameter(tensor.Name), baseline.Parameter(tensor.Name), baselineName, failures));
        }
        worstParameter = Math.Max(worstParameter, Compare("exp_avg", generated.OptimizerState[..baseline.ParameterCount], baseline.M, baselineName, failures));
        worstParameter = Math.Max(worstParameter, Compare("exp_avg_sq", generated.OptimizerState[baseline.ParameterCount..], baseline.V, baselineName, failures));
        report.Append(CultureInfo.InvariantCulture, $"; gradients {worstGradient:E2}; Adam step (parameters, m, v) {worstParameter:E2}");

        int classes = generated.Description.Outputs;
        var generatedOutputs = new float[rows * classes];
        var baselineOutputs = new float[rows * classes];
        generated.Infer(inputs, generatedOutputs);
        baseline.Infer(inputs, baselineOutputs);
        double worstProbability = Compare("infer probabilities", generatedOutputs, baselineOutputs, baselineName, failures);
        var frozenOutputs = new float[rows * classes];
        generated.Freeze().Infer(inputs, frozenOutputs);
        worstProbability = Math.Max(worstProbability, Compare("frozen infer probabilities", frozenOutputs, baselineOutputs, baselineName, failures));
        report.Append(CultureInfo.InvariantCulture, $"; probabilities {worstProbability:E2}");
        LastWorst = Math.Max(Math.Max(lossError, worstGradient), Math.Max(worstParameter, worstProbability));

        if (failures.Count > 0)
        {
            throw new InvalidOperationException(
                $"{baselineName} and the generated {generatedName} disagree, so the benchmark would compare different computations:"
                + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", failures));
        }
        return report.ToString();
    }

    /// <summary>The largest relative difference between two tensors (see <see cref="RelativeFloor"/>); records a failure above <see cref="Tolerance"/>.</summary>
    private static double Compare(string name, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string actualName, List<string> failures)
    {
        if (expected.Length != actual.Length)
        {
            failures.Add($"{name}: length {expected.Length} vs {actual.Length}");
            return double.PositiveInfinity;
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
        if (!(worst <= Tolerance))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name}[{worstIndex}]: generated {expected[worstIndex]:G9}, {actualName} {actual[worstIndex]:G9}, relative difference {worst:E2} > {Tolerance:E0}"));
        }
        return worst;
    }
}
