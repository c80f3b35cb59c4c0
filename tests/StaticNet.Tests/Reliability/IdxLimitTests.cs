using StaticNet.Data;
using StaticNet.Tests.Data;

namespace StaticNet.Tests.Reliability;

/// <summary>
/// Issue 16, failure 2: a 352-byte gzip IDX file made the reader allocate 2.15 GB, because it trusted the header's
/// counts before reading the data. A stream of unknown length is now read in growing chunks.
/// </summary>
public sealed class IdxLimitTests
{
    /// <summary>The reader's first chunk for streams of unknown length (StaticNet.Data.BoundedRead.FirstChunk, internal).</summary>
    private const int FirstChunk = 1 << 20;

    /// <summary>A gzip IDX file that declares [count] unsigned bytes and holds <paramref name="present"/> of them.</summary>
    private static byte[] Declaring(int count, int present) =>
        IdxTestFiles.Gzip(IdxTestFiles.Build([count], IdxTestFiles.Sequence(present)));

    private static long AllocatedBy(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void A_small_gzip_file_declaring_2_GB_fails_without_allocating_them()
    {
        byte[] file = Declaring(Array.MaxLength, 300);
        Assert.True(file.Length < 400, $"{file.Length} bytes");
        InvalidDataException? e = null;
        long allocated = AllocatedBy(() => e = Assert.Throws<InvalidDataException>(() => Idx.Read(new MemoryStream(file))));
        Assert.Contains($"expected {Array.MaxLength} data bytes, found 300 after gzip decompression", e!.Message);
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_gzip_file_on_disk_declaring_2_GB_fails_without_allocating_them()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("bomb-idx1-ubyte.gz", Declaring(Array.MaxLength, 300));
        InvalidDataException? e = null;
        long allocated = AllocatedBy(() => e = Assert.Throws<InvalidDataException>(() => Idx.Read(path)));
        Assert.Contains(path, e!.Message);
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_non_seekable_raw_stream_declaring_2_GB_fails_without_allocating_them()
    {
        byte[] raw = IdxTestFiles.Build([Array.MaxLength], IdxTestFiles.Sequence(300));
        long allocated = AllocatedBy(() => Assert.Throws<InvalidDataException>(() => Idx.Read(new TrickleStream(raw))));
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData(FirstChunk - 1)]
    [InlineData(FirstChunk)]
    [InlineData(FirstChunk + 1)]
    [InlineData(3 * FirstChunk + 7)]
    public void Data_larger_than_the_first_chunk_read_whole(int count)
    {
        byte[] data = IdxTestFiles.Sequence(count);
        IdxTensor tensor = Idx.Read(new MemoryStream(IdxTestFiles.Gzip(IdxTestFiles.Build([count], data))));
        Assert.Equal(count, tensor.Data.Length);
        Assert.Equal(data, tensor.Data);
    }

    [Theory]
    [InlineData(2 * FirstChunk, 2 * FirstChunk + 1)] // ends exactly where a chunk ends
    [InlineData(FirstChunk + 5, 4 * FirstChunk)]
    public void Data_ending_early_past_the_first_chunk_is_truncated(int present, int declared)
    {
        byte[] file = IdxTestFiles.Gzip(IdxTestFiles.Build([declared], IdxTestFiles.Sequence(present)));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(new MemoryStream(file)));
        Assert.Contains($"expected {declared} data bytes, found {present}", e.Message);
    }

    [Fact]
    public void Bytes_after_the_data_of_a_gzip_stream_are_refused()
    {
        byte[] raw = IdxTestFiles.Build([FirstChunk + 3], IdxTestFiles.Sequence(FirstChunk + 4));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(new MemoryStream(IdxTestFiles.Gzip(raw))));
        Assert.Contains("trailing data", e.Message);
    }

    [Fact]
    public void Mnist_load_of_a_gzip_file_declaring_60000_images_without_data_fails_cheaply()
    {
        using var directory = new TempDirectory();
        byte[] images = IdxTestFiles.Gzip(IdxTestFiles.Build([60000, 28, 28], IdxTestFiles.Sequence(100)));
        byte[] labels = IdxTestFiles.Gzip(IdxTestFiles.Build([60000], new byte[60000]));
        string imagePath = directory.Write("train-images-idx3-ubyte.gz", images), labelPath = directory.Write("train-labels-idx1-ubyte.gz", labels);
        long allocated = AllocatedBy(() => Assert.Throws<InvalidDataException>(() => Mnist.Load(imagePath, labelPath)));
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} bytes");
    }
}
