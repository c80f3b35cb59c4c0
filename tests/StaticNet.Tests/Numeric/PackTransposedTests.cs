namespace StaticNet.Tests.Numeric;

/// <summary>
/// <see cref="NetworkRuntime.PackTransposed"/>, the transposition the forward kernels run from 48 rows on, against
/// the definition written as a plain loop: whole 8 × 8 register blocks, the inputs past the last block (copied one at
/// a time), and every panel width the kernels use (8 on Vector128, 16 on AVX2, 64 on AVX-512).
/// </summary>
[Trait("Category", "Numeric")]
public sealed class PackTransposedTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int inputs in new[] { 1, 7, 8, 13, 64, 787 })
        {
            foreach (int width in new[] { 8, 16, 64 })
            {
                foreach (int panels in new[] { 1, 3 }) data.Add(inputs, width, panels);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_weight_lands_where_the_panel_layout_says(int inputs, int width, int panels)
    {
        int outputs = width * panels;
        var random = new Random(inputs * 1000 + width + panels);
        // One spare row past the packed ones: it must not be read into the panels.
        float[] w = new float[(outputs + 1) * inputs];
        for (int k = 0; k < w.Length; k++) w[k] = (float)random.NextDouble() - 0.5f;
        float[] pack = new float[outputs * inputs + 5];
        pack.AsSpan().Fill(float.NaN);

        NetworkRuntime.PackTransposed(ref w[0], inputs, outputs, width, ref pack[0]);

        for (int q = 0; q < panels; q++)
        {
            for (int i = 0; i < inputs; i++)
            {
                for (int j = 0; j < width; j++)
                {
                    int o = q * width + j;
                    float expected = w[o * inputs + i], actual = pack[q * width * inputs + i * width + j];
                    Assert.True(expected == actual, $"W[{o}, {i}] = {expected} but the panel holds {actual}");
                }
            }
        }
        for (int k = outputs * inputs; k < pack.Length; k++) Assert.True(float.IsNaN(pack[k]), $"pack[{k}] past the panels was written");
    }
}
