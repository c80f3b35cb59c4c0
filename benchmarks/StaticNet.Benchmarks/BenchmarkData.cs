namespace StaticNet.Benchmarks;

/// <summary>Seeded, MNIST-like synthetic batches: pixels in [0, 1], about 80% of them exactly 0, labels in [0, 10).</summary>
public static class BenchmarkData
{
    public const int Seed = 20240611;

    /// <summary>A batch of <paramref name="rows"/> rows, the same for the same seed and size.</summary>
    public static (float[] Inputs, int[] Labels) Batch(int rows, int seed = Seed)
    {
        var random = new Random(seed + rows);
        var inputs = new float[rows * NaiveMlp.Inputs];
        for (int k = 0; k < inputs.Length; k++)
        {
            // MNIST: ~19% of pixels are ink, with intensities spread over (0, 1]; the rest are background 0.
            inputs[k] = random.NextDouble() < 0.2 ? (float)random.NextDouble() : 0f;
        }
        var labels = new int[rows];
        for (int r = 0; r < rows; r++) labels[r] = random.Next(NaiveMlp.Outputs);
        return (inputs, labels);
    }
}
