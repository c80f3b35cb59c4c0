using System.Buffers.Binary;
using System.Collections.ObjectModel;
using System.IO.Compression;

namespace StaticNet.Data;

/// <summary>The element type code stored in byte 2 of an IDX header.</summary>
public enum IdxElementType : byte
{
    /// <summary>Unsigned 8-bit integer (code 0x08).</summary>
    UnsignedByte = 0x08,

    /// <summary>Signed 8-bit integer (code 0x09).</summary>
    SignedByte = 0x09,

    /// <summary>Big-endian signed 16-bit integer (code 0x0B).</summary>
    Int16 = 0x0B,

    /// <summary>Big-endian signed 32-bit integer (code 0x0C).</summary>
    Int32 = 0x0C,

    /// <summary>Big-endian IEEE 754 single-precision float (code 0x0D).</summary>
    Single = 0x0D,

    /// <summary>Big-endian IEEE 754 double-precision float (code 0x0E).</summary>
    Double = 0x0E,
}

/// <summary>A tensor read from an IDX file: its element type, its shape and its raw data.</summary>
public sealed class IdxTensor
{
    internal IdxTensor(IdxElementType elementType, int[] shape, byte[] data)
    {
        ElementType = elementType;
        Shape = Array.AsReadOnly(shape);
        Data = data;
    }

    /// <summary>The element type declared in the header.</summary>
    public IdxElementType ElementType { get; }

    /// <summary>The size of each dimension, outermost first (for MNIST images: count, 28, 28).</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>
    /// The elements in row-major order, one byte per element (only
    /// <see cref="IdxElementType.UnsignedByte"/> is supported). The array is the tensor's own;
    /// writes to it are visible through this instance.
    /// </summary>
    public byte[] Data { get; }
}

/// <summary>
/// Reads tensors in the IDX format (the format of the MNIST files): two zero bytes, an element
/// type code, the number of dimensions, one big-endian int32 per dimension, then the data.
/// Gzip-compressed input is recognized by its magic bytes (0x1f 0x8b), whatever the file name.
/// </summary>
public static class Idx
{
    private const string StreamSourceName = "IDX stream";

    /// <summary>
    /// Reads one IDX tensor from <paramref name="stream"/>, decompressing it first if it starts
    /// with the gzip magic bytes. The stream must hold exactly one tensor; it is read from its
    /// current position and left open.
    /// </summary>
    /// <param name="stream">A readable stream; it need not be seekable.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    /// <exception cref="InvalidDataException">
    /// The data is not a well-formed IDX tensor: bad magic, unknown type code, negative dimension,
    /// truncated header or data, bytes after the data, or corrupt gzip data. The declared shape is checked against the
    /// data before memory is committed to it: a seekable stream's length is compared first; a stream of unknown length
    /// (gzip, or not seekable) is read in growing chunks of at most twice what it has delivered.
    /// </exception>
    /// <exception cref="NotSupportedException">The element type is not unsigned byte (0x08).</exception>
    public static IdxTensor Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, stream is FileStream file ? file.Name : StreamSourceName);
    }

    /// <summary>
    /// Reads one IDX tensor from the file at <paramref name="path"/>, which may be gzip-compressed
    /// or not (detected by content, not by extension). Error messages name the file.
    /// </summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX tensor.</exception>
    /// <exception cref="NotSupportedException">The element type is not unsigned byte (0x08).</exception>
    public static IdxTensor Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Read(file, path);
    }

    private static IdxTensor Read(Stream stream, string source)
    {
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream does not support reading.", nameof(stream));
        }

        byte[] start = new byte[2];
        int startLength = Fill(stream, start, source, compressed: false);
        if (startLength == 2 && start[0] == 0x1f && start[1] == 0x8b)
        {
            using var prefixed = new PrefixedStream(start, stream);
            using var gzip = new GZipStream(prefixed, CompressionMode.Decompress, leaveOpen: true);
            return ReadIdx(gzip, source, [], compressed: true);
        }
        return ReadIdx(stream, source, start.AsSpan(0, startLength), compressed: false);
    }

    /// <summary>Parses an IDX tensor whose first <paramref name="prefix"/> bytes were already read.</summary>
    private static IdxTensor ReadIdx(Stream stream, string source, ReadOnlySpan<byte> prefix, bool compressed)
    {
        Span<byte> head = stackalloc byte[4];
        prefix.CopyTo(head);
        int headLength = prefix.Length + Fill(stream, head[prefix.Length..], source, compressed);
        if (headLength < 4)
        {
            throw new InvalidDataException($"{source}: not an IDX file: expected 4 header bytes, found {headLength}.");
        }
        if (head[0] != 0 || head[1] != 0)
        {
            throw new InvalidDataException(
                $"{source}: not an IDX file: bad magic 0x{head[0]:X2}{head[1]:X2}{head[2]:X2}{head[3]:X2}; "
                + "an IDX file starts with two zero bytes, a type code and a dimension count.");
        }

        byte code = head[2];
        if (!IsKnownType(code))
        {
            throw new InvalidDataException(
                $"{source}: not an IDX file: bad magic 0x{head[0]:X2}{head[1]:X2}{head[2]:X2}{head[3]:X2}; "
                + $"unknown element type code 0x{code:X2} (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E).");
        }
        var elementType = (IdxElementType)code;
        if (elementType != IdxElementType.UnsignedByte)
        {
            throw new NotSupportedException(
                $"{source}: IDX element type 0x{code:X2} ({TypeName(elementType)}) is not supported; only unsigned byte (0x08) is.");
        }

        int rank = head[3];
        if (rank == 0)
        {
            throw new InvalidDataException($"{source}: IDX header declares 0 dimensions; expected at least 1.");
        }

        Span<byte> dims = stackalloc byte[4 * rank];
        int dimsLength = Fill(stream, dims, source, compressed);
        if (dimsLength < dims.Length)
        {
            throw new InvalidDataException(
                $"{source}: truncated IDX header for {rank} dimensions: expected {4 + dims.Length} header bytes, found {4 + dimsLength}.");
        }

        int[] shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(dims.Slice(4 * i, 4));
            if (shape[i] < 0)
            {
                throw new InvalidDataException($"{source}: IDX dimension {i} is negative ({shape[i]}).");
            }
            count *= shape[i];
            if (count > Array.MaxLength)
            {
                throw new InvalidDataException(
                    $"{source}: IDX shape [{string.Join(", ", shape[..(i + 1)])}{(i + 1 < rank ? ", ..." : "")}] "
                    + $"has more elements than an array can hold ({Array.MaxLength}).");
            }
        }

        int byteCount = (int)count; // one byte per element: only unsigned byte is supported
        string shapeText = string.Join(", ", shape);
        byte[] data;
        if (!compressed && stream.CanSeek)
        {
            // Fail before allocating when a seekable file is shorter than its header claims.
            long remaining = Math.Max(0, stream.Length - stream.Position);
            if (remaining < byteCount)
            {
                throw Truncated(source, shapeText, byteCount, remaining, compressed);
            }
            data = GC.AllocateUninitializedArray<byte>(byteCount);
            int found = Fill(stream, data, source, compressed);
            if (found < byteCount)
            {
                throw Truncated(source, shapeText, byteCount, found, compressed);
            }
        }
        else
        {
            data = ReadBounded(stream, byteCount, source, shapeText, compressed);
        }

        Span<byte> extra = stackalloc byte[1];
        if (Fill(stream, extra, source, compressed) != 0)
        {
            throw new InvalidDataException(
                $"{source}: IDX shape [{shapeText}] has {byteCount} data bytes, but more bytes follow them (trailing data).");
        }

        return new IdxTensor(elementType, shape, data);
    }

    /// <summary>Reads the data of a stream whose length is unknown through <see cref="BoundedRead"/>: memory follows the data, not the header.</summary>
    private static byte[] ReadBounded(Stream stream, int byteCount, string source, string shapeText, bool compressed)
    {
        byte[] data = BoundedRead.Read(stream, byteCount, (s, buffer) => Fill(s, buffer.Span, source, compressed), out int filled);
        if (filled < byteCount)
        {
            throw Truncated(source, shapeText, byteCount, filled, compressed);
        }
        return data;
    }

    private static InvalidDataException Truncated(string source, string shapeText, long expected, long found, bool compressed) =>
        new($"{source}: truncated IDX data for shape [{shapeText}]: expected {expected} data bytes, found {found}{(compressed ? " after gzip decompression" : "")}.");

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static int Fill(Stream stream, Span<byte> buffer, string source, bool compressed)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e) when (compressed)
        {
            throw new InvalidDataException($"{source}: corrupt gzip data: {e.Message}", e);
        }
    }

    private static bool IsKnownType(byte code) => code is 0x08 or 0x09 or 0x0B or 0x0C or 0x0D or 0x0E;

    private static string TypeName(IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte => "unsigned byte",
        IdxElementType.SignedByte => "signed byte",
        IdxElementType.Int16 => "int16",
        IdxElementType.Int32 => "int32",
        IdxElementType.Single => "float32",
        IdxElementType.Double => "float64",
        _ => "unknown",
    };

    /// <summary>A read-only stream that yields <c>prefix</c> and then the rest of <c>inner</c>; never closes <c>inner</c>.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _prefixPosition;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ValidateBufferArguments(buffer, offset, count);
            return Read(buffer.AsSpan(offset, count));
        }

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }
            if (_prefixPosition < prefix.Length)
            {
                int n = Math.Min(buffer.Length, prefix.Length - _prefixPosition);
                prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
                _prefixPosition += n;
                return n;
            }
            return inner.Read(buffer);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
