namespace StaticNet.Tests.Numeric;

/// <summary>
/// The vectorized double-precision sums behind gradient clipping and the L1/L2 penalty, against a
/// plain loop, at lengths around every vector width so the vector loops and the tail all run.
/// .ci/run repeats the Numeric category on every kernel path (Vector256, Vector128, scalar).
/// </summary>
[Trait("Category", "Numeric")]
public sealed class RuntimeSumTests
{
    public static TheoryData<int> Lengths() => [0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1001, 101_770];

    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)((random.NextDouble() * 4) - 2) * (i % 5 == 0 ? 1e-3f : 1f);
        return v;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Sums_agree_with_a_plain_loop(int n)
    {
        float[] v = Values(n, seed: n + 1);
        double squares = 0, abs = 0;
        for (int i = 0; i < n; i++)
        {
            squares += (double)v[i] * v[i];
            abs += Math.Abs((double)v[i]);
        }

        Assert.Equal(squares, NetworkRuntime.SumSquares(v), 1e-12 * Math.Max(1, squares));
        Assert.Equal(abs, NetworkRuntime.SumAbs(v), 1e-12 * Math.Max(1, abs));
    }

    [Fact]
    public void Every_element_counts_wherever_it_is()
    {
        for (int n = 1; n <= 40; n++)
        {
            for (int k = 0; k < n; k++)
            {
                float[] v = new float[n];
                v[k] = -3f;
                Assert.Equal(9.0, NetworkRuntime.SumSquares(v));
                Assert.Equal(3.0, NetworkRuntime.SumAbs(v));
            }
        }
    }

    [Fact]
    public void The_clip_scale_brings_the_norm_to_the_limit_and_no_further()
    {
        float[] g = Values(1001, seed: 3);
        double norm = Math.Sqrt(g.Sum(x => (double)x * x));

        Assert.Equal((float)(0.5 / norm), NetworkRuntime.ClipScale(g, 0.5f), 1e-6f);
        Assert.Equal(1f, NetworkRuntime.ClipScale(g, (float)(norm * 2))); // under the limit: unchanged
        Assert.Equal(1f, NetworkRuntime.ClipScale(g, 0f)); // clipping off
    }
}

/// <summary>
/// <see cref="NetworkRuntime.IsSparse"/>, which picks a frozen network's zero-skipping kernel: at most 40 % non-zero, counted
/// exactly, wherever the non-zeros sit (vector body or tail); −0 and 0 count as zero, NaN and subnormals as non-zero.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class IsSparseTests
{
    [Fact]
    public void Counts_every_non_zero_against_the_forty_percent_threshold()
    {
        for (int n = 1; n <= 41; n++)
        {
            for (int nonzero = 0; nonzero <= n; nonzero++)
            {
                foreach (int shift in new[] { 0, n / 2, n - 1 })
                {
                    var x = new float[n];
                    for (int k = 0; k < nonzero; k++) x[(k + shift) % n] = k % 3 == 0 ? -1.5f : 1e-40f; // subnormals are non-zero
                    Assert.Equal(nonzero * 5 <= n * 2, NetworkRuntime.IsSparse(x));
                }
            }
        }
    }

    [Fact]
    public void Negative_zero_is_zero_and_NaN_is_not()
    {
        float[] zeros = [-0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f];
        Assert.True(NetworkRuntime.IsSparse(zeros));
        float[] nans = Enumerable.Repeat(float.NaN, 10).ToArray();
        Assert.False(NetworkRuntime.IsSparse(nans));
        Assert.True(NetworkRuntime.IsSparse(ReadOnlySpan<float>.Empty));
    }
}
