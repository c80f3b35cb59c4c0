namespace StaticNet.Tests.Reliability;

/// <summary>
/// Issue 16, failure 2: sizes computed in 32 bits wrapped. rows × width is now computed in 64 bits, and a batch whose
/// buffer would not fit in one array is an <see cref="ArgumentException"/> naming the argument, never a wrapped size.
/// </summary>
public sealed class BufferSizeTests
{
    private const int Rows = 1_048_577; // × 4,096 = 2³² + 4,096, which is 4,096 modulo 2³²

    [Fact]
    public void RowsOf_refuses_a_4096_float_output_span_for_1048577_rows()
    {
        // Before: rows * width wrapped to 4,096 and the 4,096-float span was accepted for 1,048,577 rows of 4,096 outputs.
        var e = Assert.Throws<ArgumentException>(() => NetworkRuntime.RowsOf(4096, Rows, 4096, "outputs", "outputs"));
        Assert.Equal("outputs", e.ParamName);
        Assert.Contains("1,048,577 rows", e.Message);
        Assert.Contains("Split the batch", e.Message);
    }

    [Fact]
    public void RowsOf_still_checks_ordinary_lengths()
    {
        NetworkRuntime.RowsOf(12, 3, 4, "outputs", "outputs");
        var e = Assert.Throws<ArgumentException>(() => NetworkRuntime.RowsOf(11, 3, 4, "outputs", "outputs"));
        Assert.Equal("outputs", e.ParamName);
        Assert.Contains("expected 12 (3 rows × 4 outputs)", e.Message);
    }

    [Fact]
    public void CheckBufferSize_accepts_up_to_the_limit_and_refuses_one_row_more()
    {
        const int width = 4096;
        long most = NetworkRuntime.MaxBufferLength / width;
        Assert.Equal((int)(most * width), NetworkRuntime.CheckBufferSize(most, width, "inputs"));
        var e = Assert.Throws<ArgumentException>(() => NetworkRuntime.CheckBufferSize(most + 1, width, "inputs"));
        Assert.Equal("inputs", e.ParamName);
        Assert.Contains($"at most {most:N0} rows", e.Message);
        // Every index inside such a buffer, and its aligned allocation (+16 floats), fit in an int and in an array.
        Assert.True(NetworkRuntime.MaxBufferLength + 16L <= Array.MaxLength);
        Assert.Throws<ArgumentException>(() => NetworkRuntime.CheckBufferSize(-1, width, "inputs"));
        Assert.Equal(0, NetworkRuntime.CheckBufferSize(long.MaxValue, 0, "inputs"));
    }

    [Fact]
    public void Rows_with_a_buffer_width_refuses_a_batch_whose_widest_buffer_overflows()
    {
        // 1,048,577 rows of 8 inputs (34 MB) into a network with a 4,096-wide layer: 2³² + 4,096 floats of work buffer.
        float[] inputs = new float[Rows * 8];
        Assert.Equal(Rows, NetworkRuntime.Rows(inputs, 8, "inputs"));
        var e = Assert.Throws<ArgumentException>(() => NetworkRuntime.Rows(inputs, 8, "inputs", bufferWidth: 4096));
        Assert.Equal("inputs", e.ParamName);
        Assert.Throws<ArgumentException>(() => NetworkRuntime.Rows(inputs, 8, "inputs", bufferWidth: 2048)); // 2³¹ + 2,048
        Assert.Equal(Rows, NetworkRuntime.Rows(inputs, 8, "inputs", bufferWidth: 1024)); // 2³⁰ + 1,024: fits
    }

    [Fact]
    public void Labels_refuses_a_batch_whose_scores_overflow()
    {
        int[] labels = new int[Rows];
        var e = Assert.Throws<ArgumentException>(() => NetworkRuntime.Labels(labels, Rows, 4096, "labels"));
        Assert.Equal("labels", e.ParamName);
        NetworkRuntime.Labels(labels, Rows, 10, "labels"); // 10 classes: 10,485,770 scores, fine
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkRuntime.Labels([0, 10], 2, 10, "labels"));
    }
}
