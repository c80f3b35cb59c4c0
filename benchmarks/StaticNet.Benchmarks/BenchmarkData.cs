namespace StaticNet.Benchmarks;

/// <summary>
/// Seeded, MNIST-like synthetic batches: 784 pixels in [0, 1] per row, about 80% of them exactly 0, labels in
/// [0, 10). The train benchmarks rotate through <see cref="LabelSetCount"/> label sets (see <see cref="LabelSets"/>).
/// </summary>
public static class BenchmarkData
{
    public const int Seed = 20240611;
    public const int Inputs = 784;
    public const int Outputs = 10;

    /// <summary>Label sets per batch size; a power of two, so the benchmarks pick one with a mask.</summary>
    public const int LabelSetCount = 16;

    /// <summary>A batch of <paramref name="rows"/> rows, the same for the same seed and size; the labels are label set 0.</summary>
    public static (float[] Inputs, int[] Labels) Batch(int rows, int seed = Seed)
    {
        var random = new Random(seed + rows);
        var inputs = new float[rows * Inputs];
        for (int k = 0; k < inputs.Length; k++)
        {
            // MNIST: ~19% of pixels are ink, with intensities spread over (0, 1]; the rest are background 0.
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
    /// Adam steps on one fixed batch would drive its loss to 0; probabilities, gradients and Adam's moments would
    /// then decay through the subnormal range, whose arithmetic is slow on x86, and the cost would depend on how
    /// many steps a run happened to take. With labels that keep changing, the loss stays near ln 10
    /// (the same scheme as StaticNet.Peers).
    /// </summary>
    public static int[][] LabelSets(int rows, int seed = Seed)
    {
        var sets = new int[LabelSetCount][];
        sets[0] = Batch(rows, seed).Labels;
        var random = new Random(seed ^ (rows * 7919));
        for (int s = 1; s < LabelSetCount; s++)
        {
            sets[s] = new int[rows];
            for (int r = 0; r < rows; r++) sets[s][r] = random.Next(Outputs);
        }
        return sets;
    }
}
