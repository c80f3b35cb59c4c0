using System.Globalization;
using System.Text;

namespace StaticNet.Peers;

/// <summary>
/// Checks that a peer computes what StaticNet computes before it is timed. Every benchmark process runs the check
/// for its own peer in GlobalSetup and throws on a mismatch, so no figure in the table compares different work;
/// <c>--check</c> runs them all without timing anything.
/// </summary>
public static class PeerChecks
{
    /// <summary>Largest accepted absolute difference between two probabilities.</summary>
    public const double ProbabilityTolerance = 1e-4;

    /// <summary>Largest accepted relative difference of a loss or a gradient.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>
    /// Largest accepted relative difference of a parameter after Adam steps. Adam divides each gradient entry by its
    /// own running magnitude, so the rounding difference of an entry far below its tensor's largest (which the
    /// gradient check measures against the floor) reaches the update at its full relative size: the worst seen after
    /// three steps is 7e-5 at batch 128 and 2.9e-4 at batch 1024. A 1% error in the learning rate gives about 1e-2,
    /// ten times this.
    /// </summary>
    public const double ParameterTolerance = 1e-3;

    /// <summary>
    /// An element is compared relative to the larger of its two values but never to less than this fraction of its
    /// tensor's largest magnitude (as in StaticNet.Benchmarks' Verification): sums in another order and with fused
    /// multiply-adds differ in their last bits, and a bias that starts at 0 must not be judged by that noise alone.
    /// </summary>
    public const double RelativeFloor = 1e-2;

    private static readonly string[] TensorNames = ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"];

    /// <summary>ONNX Runtime's probabilities against StaticNet's <c>Infer</c> on the same batch.</summary>
    public static string Onnx(PeerMlp network, float[] inputs, OnnxPeer onnx)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(onnx);
        var expected = new float[inputs.Length / PeerData.Inputs * PeerData.Outputs];
        network.Infer(inputs, expected);
        Array.Clear(onnx.Outputs);
        onnx.Run();
        return Probabilities("ONNX Runtime", expected, onnx.Outputs);
    }

    /// <summary>TorchSharp's no-grad forward + softmax against StaticNet's <c>Infer</c>; <paramref name="torch"/> must hold <paramref name="network"/>'s parameters.</summary>
    public static string TorchInfer(PeerMlp network, float[] inputs, TorchPeer torch)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(torch);
        var expected = new float[inputs.Length / PeerData.Inputs * PeerData.Outputs];
        var actual = new float[expected.Length];
        network.Infer(inputs, expected);
        torch.Infer(actual);
        return Probabilities("TorchSharp inference", expected, actual);
    }

    /// <summary>
    /// <paramref name="steps"/> Adam train steps on both, label set s at step s, starting from the same parameters
    /// (<paramref name="torch"/> must have been made from <paramref name="network"/>): after each, the loss, every
    /// gradient and every updated parameter must agree. Both networks are changed.
    /// </summary>
    public static string TorchTrain(PeerMlp network, float[] inputs, int[][] labelSets, TorchPeer torch, int steps = 3)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labelSets);
        ArgumentNullException.ThrowIfNull(torch);
        int rows = inputs.Length / PeerData.Inputs;
        var failures = new List<string>();
        var worst = new Dictionary<string, double>();
        for (int step = 0; step < steps; step++)
        {
            float expectedLoss = network.TrainStep(inputs, labelSets[step]);
            float actualLoss = torch.TrainStep(step);
            double lossError = Math.Abs(expectedLoss - actualLoss) / Math.Max(Math.Max(Math.Abs(expectedLoss), Math.Abs(actualLoss)), 1e-30);
            Record(worst, "loss", lossError);
            if (!(lossError <= Tolerance)) failures.Add(Invariant($"step {step + 1}: loss StaticNet {expectedLoss:G9}, TorchSharp {actualLoss:G9}"));
            foreach (string name in TensorNames)
            {
                Compare($"step {step + 1} grad {name}", "grad " + name, network.Gradient(name), torch.Gradient(name), Tolerance, worst, failures);
                Compare($"step {step + 1} {name}", name, network.Parameter(name), torch.Parameter(name), ParameterTolerance, worst, failures);
            }
        }
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(
                $"TorchSharp's Adam train step (batch {rows}) does not compute what StaticNet's does, so timing it would compare different work:"
                + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", failures));
        }
        var report = new StringBuilder(Invariant($"TorchSharp Adam train step, batch {rows}, {steps} steps: largest relative difference"));
        foreach ((string name, double value) in worst) report.Append(Invariant($"; {name} {value:E2}"));
        return report.ToString();
    }

    private static string Probabilities(string peer, float[] expected, float[] actual)
    {
        int rows = expected.Length / PeerData.Outputs;
        double worst = 0;
        int worstIndex = 0;
        for (int k = 0; k < expected.Length; k++)
        {
            double error = Math.Abs((double)expected[k] - actual[k]);
            if (!(error <= worst)) // also catches NaN
            {
                worst = double.IsNaN(error) ? double.PositiveInfinity : error;
                worstIndex = k;
            }
        }
        if (!(worst <= ProbabilityTolerance))
        {
            throw new InvalidOperationException(Invariant(
                $"{peer} (batch {rows}) does not compute StaticNet's probabilities: at row {worstIndex / PeerData.Outputs}, class {worstIndex % PeerData.Outputs} StaticNet has {expected[worstIndex]:G9}, {peer} {actual[worstIndex]:G9} (|difference| {worst:E2} > {ProbabilityTolerance:E0})."));
        }
        return Invariant($"{peer} vs StaticNet Infer, batch {rows}: largest |difference| of a probability {worst:E2} (limit {ProbabilityTolerance:E0})");
    }

    private static void Compare(string label, string key, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, Dictionary<string, double> worstByKey, List<string> failures)
    {
        if (expected.Length != actual.Length)
        {
            failures.Add($"{label}: length {expected.Length} vs {actual.Length}");
            return;
        }
        double scale = 0;
        foreach (float v in expected) scale = Math.Max(scale, Math.Abs(v));
        double floor = Math.Max(scale * RelativeFloor, 1e-30);
        double worst = 0;
        int worstIndex = 0;
        for (int k = 0; k < expected.Length; k++)
        {
            double a = expected[k], b = actual[k];
            double error = Math.Abs(a - b) / Math.Max(Math.Max(Math.Abs(a), Math.Abs(b)), floor);
            if (!(error <= worst))
            {
                worst = double.IsNaN(error) ? double.PositiveInfinity : error;
                worstIndex = k;
            }
        }
        Record(worstByKey, key, worst);
        if (!(worst <= tolerance))
        {
            failures.Add(Invariant($"{label}[{worstIndex}]: StaticNet {expected[worstIndex]:G9}, TorchSharp {actual[worstIndex]:G9}, relative difference {worst:E2} > {tolerance:E0}"));
        }
    }

    private static void Record(Dictionary<string, double> worst, string key, double value) =>
        worst[key] = Math.Max(worst.GetValueOrDefault(key), value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
