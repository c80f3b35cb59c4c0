using System.Buffers.Binary;
using System.IO.Compression;
using StaticNet.Data;

namespace StaticNet.Tests.Data;

/// <summary>Builds IDX files in memory and on disk for the data tests.</summary>
internal static class IdxTestFiles
{
    public static byte[] Build(byte typeCode, int[] shape, ReadOnlySpan<byte> data)
    {
        var bytes = new byte[4 + 4 * shape.Length + data.Length];
        bytes[2] = typeCode;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), shape[i]);
        }
        data.CopyTo(bytes.AsSpan(4 + 4 * shape.Length));
        return bytes;
    }

    public static byte[] Build(int[] shape, ReadOnlySpan<byte> data) => Build(0x08, shape, data);

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw);
        }
        return output.ToArray();
    }

    public static byte[] Sequence(int length)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(i * 7 + 3);
        }
        return data;
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("staticnet-data-").FullName;
    }

    public string Path { get; }

    public string Write(string name, byte[] contents)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, contents);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A read-only, non-seekable view of a byte array that hands out at most 3 bytes per read.</summary>
internal sealed class TrickleStream(byte[] data) : Stream
{
    private int _position;

    public bool Disposed { get; private set; }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(Math.Min(count, 3), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}

public class IdxTests
{
    private static readonly int[] Shape3 = [2, 3, 4];

    private static void AssertTensor(IdxTensor tensor, int[] shape, byte[] data)
    {
        Assert.Equal(IdxElementType.UnsignedByte, tensor.ElementType);
        Assert.Equal(shape, tensor.Shape);
        Assert.Equal(data, tensor.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_three_dimensional_tensor_from_memory(bool compressed)
    {
        byte[] data = IdxTestFiles.Sequence(24);
        byte[] file = IdxTestFiles.Build(Shape3, data);
        if (compressed)
        {
            file = IdxTestFiles.Gzip(file);
        }

        IdxTensor tensor = Idx.Read(new MemoryStream(file));

        AssertTensor(tensor, Shape3, data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_from_non_seekable_stream_and_leaves_it_open(bool compressed)
    {
        byte[] data = IdxTestFiles.Sequence(10);
        byte[] file = IdxTestFiles.Build([10], data);
        if (compressed)
        {
            file = IdxTestFiles.Gzip(file);
        }
        var stream = new TrickleStream(file);

        IdxTensor tensor = Idx.Read(stream);

        AssertTensor(tensor, [10], data);
        Assert.False(stream.Disposed);
    }

    [Fact]
    public void Reads_empty_dimension()
    {
        IdxTensor tensor = Idx.Read(new MemoryStream(IdxTestFiles.Build([0, 28, 28], [])));

        AssertTensor(tensor, [0, 28, 28], []);
    }

    [Theory]
    [InlineData("plain.idx", false)]
    [InlineData("plain.idx.gz", false)] // misleading extension: content decides
    [InlineData("packed.gz", true)]
    [InlineData("packed.idx", true)]
    public void Reads_file_detecting_gzip_by_content(string name, bool compressed)
    {
        using var dir = new TempDirectory();
        byte[] data = IdxTestFiles.Sequence(24);
        byte[] file = IdxTestFiles.Build(Shape3, data);
        string path = dir.Write(name, compressed ? IdxTestFiles.Gzip(file) : file);

        AssertTensor(Idx.Read(path), Shape3, data);
    }

    [Fact]
    public void Shape_is_read_only()
    {
        IdxTensor tensor = Idx.Read(new MemoryStream(IdxTestFiles.Build([3], [1, 2, 3])));

        Assert.False(tensor.Shape is int[]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_data_names_file_and_counts(bool compressed)
    {
        using var dir = new TempDirectory();
        byte[] file = IdxTestFiles.Build(Shape3, IdxTestFiles.Sequence(20)); // header says 24
        string path = dir.Write("short-idx3-ubyte", compressed ? IdxTestFiles.Gzip(file) : file);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("expected 24 data bytes, found 20", e.Message);
    }

    [Fact]
    public void Truncated_data_in_non_seekable_stream()
    {
        byte[] file = IdxTestFiles.Build([5], [1, 2]);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(new TrickleStream(file)));

        Assert.Contains("expected 5 data bytes, found 2", e.Message);
    }

    [Fact]
    public void Truncated_header_is_reported()
    {
        byte[] file = IdxTestFiles.Build(Shape3, IdxTestFiles.Sequence(24))[..9]; // 4 + 5 of 12 dimension bytes

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(new MemoryStream(file)));

        Assert.Contains("expected 16 header bytes, found 9", e.Message);
    }

    [Theory]
    [InlineData(new byte[0], "found 0")]
    [InlineData(new byte[] { 0, 0, 8 }, "found 3")]
    public void Too_short_for_header(byte[] file, string fact)
    {
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(new MemoryStream(file)));

        Assert.Contains("expected 4 header bytes", e.Message);
        Assert.Contains(fact, e.Message);
    }

    [Fact]
    public void Bad_magic_names_file_and_bytes()
    {
        using var dir = new TempDirectory();
        byte[] file = IdxTestFiles.Build([3], [1, 2, 3]);
        file[0] = 0x12;
        file[1] = 0x34;
        string path = dir.Write("bad-magic", file);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("bad magic 0x12340801", e.Message);
    }

    [Fact]
    public void Unknown_type_code_is_bad_magic()
    {
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(new MemoryStream(IdxTestFiles.Build(0x07, [3], [1, 2, 3]))));

        Assert.Contains("bad magic", e.Message);
        Assert.Contains("0x07", e.Message);
    }

    [Theory]
    [InlineData(0x09)]
    [InlineData(0x0B)]
    [InlineData(0x0C)]
    [InlineData(0x0D)]
    [InlineData(0x0E)]
    public void Other_element_types_are_not_supported(byte code)
    {
        byte[] file = IdxTestFiles.Build(code, [2], new byte[16]);

        var e = Assert.Throws<NotSupportedException>(() => Idx.Read(new MemoryStream(file)));

        Assert.Contains($"0x{code:X2}", e.Message);
        Assert.Contains("unsigned byte (0x08)", e.Message);
    }

    [Fact]
    public void Zero_dimensions_is_rejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(new MemoryStream(IdxTestFiles.Build([], [5]))));

        Assert.Contains("0 dimensions", e.Message);
    }

    [Fact]
    public void Negative_dimension_is_rejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(new MemoryStream(IdxTestFiles.Build([2, -3], []))));

        Assert.Contains("dimension 1 is negative (-3)", e.Message);
    }

    [Fact]
    public void Oversized_shape_is_rejected_before_allocating()
    {
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(new MemoryStream(IdxTestFiles.Build([65536, 65536, 2], []))));

        Assert.Contains("more elements than an array can hold", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trailing_bytes_are_rejected(bool compressed)
    {
        byte[] file = IdxTestFiles.Build([3], [1, 2, 3, 4]); // one byte too many
        if (compressed)
        {
            file = IdxTestFiles.Gzip(file);
        }

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(new MemoryStream(file)));

        Assert.Contains("trailing data", e.Message);
    }

    [Fact]
    public void Truncated_gzip_stream_names_file()
    {
        using var dir = new TempDirectory();
        byte[] packed = IdxTestFiles.Gzip(IdxTestFiles.Build([1000], IdxTestFiles.Sequence(1000)));
        string path = dir.Write("cut.gz", packed[..(packed.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Corrupt_gzip_stream_names_file()
    {
        using var dir = new TempDirectory();
        byte[] packed = IdxTestFiles.Gzip(IdxTestFiles.Build([1000], IdxTestFiles.Sequence(1000)));
        for (int i = 10; i < packed.Length - 8; i++)
        {
            packed[i] = 0xFF;
        }
        string path = dir.Write("corrupt.gz", packed);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Missing_file_throws_file_not_found()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "absent-idx1-ubyte");

        var e = Assert.Throws<FileNotFoundException>(() => Idx.Read(path));

        Assert.Contains("absent-idx1-ubyte", e.Message);
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => Idx.Read((Stream)null!));
        Assert.Throws<ArgumentNullException>(() => Idx.Read((string)null!));
    }
}
