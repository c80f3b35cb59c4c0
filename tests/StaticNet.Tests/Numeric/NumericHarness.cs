using StaticNet.Reference;

namespace StaticNet.Tests.Numeric;

/// <summary>Shared pieces of the numeric tests: random batches and tolerant comparisons.</summary>
internal static class NumericHarness
{
    /// <summary>float32 kernels against the double-precision reference: absolute plus relative slack.</summary>
    public const double AbsoluteTolerance = 2e-5;
    public const double RelativeTolerance = 1e-3;

    public static float[] RandomInputs(int rows, int width, int seed, float low = -1f, float high = 1f)
    {
        var random = new Random(seed);
        var values = new float[rows * width];
        for (int i = 0; i < values.Length; i++) values[i] = low + (high - low) * random.NextSingle();
        return values;
    }

    public static int[] RandomLabels(int rows, int classes, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
    }

    /// <summary>The number of values a label may take: 2 for binary cross-entropy with one output (the label is the target), the outputs otherwise.</summary>
    public static int LabelClasses(NetworkDescription d) => d.Loss == Loss.BinaryCrossEntropy && d.Outputs == 1 ? 2 : d.Outputs;

    /// <summary>Dense targets that are not a distribution (rows do not sum to 1), to exercise Σt in the softmax-CE gradient.</summary>
    public static float[] RandomTargets(int rows, int width, int seed) => RandomInputs(rows, width, seed, 0f, 1f);

    /// <summary>Gives every parameter, biases included, a random non-zero value so no gradient is trivially zero.</summary>
    public static void Randomize(INetwork net, int seed, float scale = 0.5f)
    {
        var random = new Random(seed);
        Span<float> p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = scale * (2f * random.NextSingle() - 1f);
    }

    public static ReferenceNetwork ReferenceOf(INetwork net)
    {
        var reference = new ReferenceNetwork(net.Description);
        reference.LoadParameters(net.Parameters);
        return reference;
    }

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            double allowed = AbsoluteTolerance + RelativeTolerance * Math.Abs(expected[i]);
            if (!(error <= allowed) && error - allowed > worst)
            {
                worst = error - allowed;
                worstIndex = i;
            }
        }
        Assert.True(worstIndex < 0, worstIndex < 0 ? "" :
            $"{what}[{worstIndex}]: reference {expected[worstIndex]:R}, generated {actual[worstIndex]:R} (path {Simd.Active})");
    }

    public static void AssertClose(double expected, float actual, string what)
    {
        double allowed = AbsoluteTolerance + RelativeTolerance * Math.Abs(expected);
        Assert.True(Math.Abs(expected - actual) <= allowed, $"{what}: reference {expected:R}, generated {actual:R} (path {Simd.Active})");
    }
}
