namespace StaticNet.Peers;

/// <summary>
/// Seeded, MNIST-like synthetic batches, the same numbers as StaticNet.Benchmarks' <c>BenchmarkData</c> for the same
/// size: pixels in [0, 1], about 80% of them exactly 0. Labels come in <see cref="LabelSetCount"/> seeded sets per
/// batch that the train benchmarks rotate through (see <see cref="LabelSets"/>).
/// </summary>
public static class PeerData
{
    public const int Seed = 20240611;
    public const int Inputs = 784;
    public const int Hidden = 128;
    public const int Outputs = 10;

    /// <summary>
    /// The batch sizes benchmarked and checked: 1 (one example, latency), 32 (the MNIST sample's default mini-batch),
    /// 128 and 1024 (throughput).
    /// </summary>
    public static IReadOnlyList<int> Batches { get; } = [1, 32, 128, 1024];

    /// <summary>P = 784·128 + 128 + 128·10 + 10 = 101,770.</summary>
    public const int ParameterCount = PeerMlp.ParameterCount;

    /// <summary>Label sets per batch size; a power of two, so the benchmarks pick one with a mask.</summary>
    public const int LabelSetCount = 16;

    /// <summary>A batch of <paramref name="rows"/> rows, the same for the same seed and size; the labels are label set 0.</summary>
    public static (float[] Inputs, int[] Labels) Batch(int rows, int seed = Seed)
    {
        var random = new Random(seed + rows);
        var inputs = new float[rows * Inputs];
        for (int k = 0; k < inputs.Length; k++)
        {
            inputs[k] = random.NextDouble() < 0.2 ? (float)random.NextDouble() : 0f;
        }
        var labels = new int[rows];
        for (int r = 0; r < rows; r++) labels[r] = random.Next(Outputs);
        return (inputs, labels);
    }

    /// <summary>
    /// Input batches the inference benchmarks rotate through, one per call; set 0 is the one <see cref="Batch"/> returns. A
    /// frozen network skips zero inputs one row at a time, so its cost depends on where the zeros are: on one fixed row the
    /// branch predictor learns the pattern (measured on real MNIST test digits, 1.4–2.0 µs per digit when they change against
    /// 0.9–1.1 µs for one digit repeated). As many sets as fit in 1 MB, at most 16, a power of two: 16 at batch 1, 8 at 32,
    /// 2 at 128 and one at 1,024, so the larger batches still stream their inputs from where one batch would be.
    /// </summary>
    public static float[][] InputSets(int rows, int seed = Seed)
    {
        int count = 1;
        while (count < 16 && 2 * count * rows * Inputs * sizeof(float) <= 1 << 20) count *= 2;
        var sets = new float[count][];
        sets[0] = Batch(rows, seed).Inputs;
        for (int s = 1; s < count; s++) sets[s] = Batch(rows, seed + 7919 * s).Inputs;
        return sets;
    }

    /// <summary>
    /// <see cref="LabelSetCount"/> label sets for a batch of <paramref name="rows"/> rows; set 0 is the one
    /// <see cref="Batch"/> returns. A train benchmark steps on the same inputs with set (call mod 16). Thousands of
    /// Adam steps on one fixed batch would drive its loss to 0: probabilities, gradients and then Adam's second
    /// moments would decay through the subnormal range, whose arithmetic is slow on x86 and would make the cost
    /// depend on how many steps a run happened to take. With labels that keep changing, the loss stays near ln 10
    /// and every number stays normal. The inputs stay fixed, so the memory traffic is that of one batch.
    /// </summary>
    public static int[][] LabelSets(int rows, int seed = Seed)
    {
        var sets = new int[LabelSetCount][];
        sets[0] = Batch(rows, seed).Labels;
        for (int s = 1; s < LabelSetCount; s++)
        {
            var random = new Random(seed + rows + 1000 * s);
            sets[s] = new int[rows];
            for (int r = 0; r < rows; r++) sets[s][r] = random.Next(Outputs);
        }
        return sets;
    }
}
