using System.Buffers.Binary;
using System.Text;

namespace StaticNet.Interop;

/// <summary>
/// The part of the protocol buffers wire format (https://protobuf.dev/programming-guides/encoding/) that ONNX's messages
/// need: varints (wire type 0) for integers and enums, 32-bit little-endian (wire type 5) for floats, and
/// length-delimited fields (wire type 2) for strings, bytes, packed arrays and nested messages. Fields are written in the
/// order given; a reader accepts any order.
/// </summary>
/// <remarks>
/// Hand-written rather than Google.Protobuf so that the StaticNet package keeps no dependencies (the runtime library is
/// dependency-free, trimming- and NativeAOT-compatible); an ONNX file needs eight message types and three wire types, and
/// the tests check every exported file by loading it into ONNX Runtime.
/// </remarks>
internal sealed class ProtobufWriter
{
    private readonly MemoryStream _stream = new();

    public byte[] ToArray() => _stream.ToArray();

    public void WriteTo(Stream destination) => _stream.WriteTo(destination);

    /// <summary>An int64, int32 or enum field (negative values take ten bytes, as protobuf specifies for int32 and int64).</summary>
    public void Int64(int field, long value)
    {
        Tag(field, 0);
        Varint((ulong)value);
    }

    /// <summary>A float field (wire type 5).</summary>
    public void Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _stream.Write(bytes);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        _stream.Write(value);
    }

    /// <summary>A repeated int64 field, packed (one length-delimited field of varints).</summary>
    public void PackedInt64(int field, ReadOnlySpan<long> values)
    {
        var inner = new ProtobufWriter();
        foreach (long v in values) inner.Varint((ulong)v);
        Bytes(field, inner._stream.GetBuffer().AsSpan(0, (int)inner._stream.Length));
    }

    /// <summary>A nested message, written by <paramref name="write"/>.</summary>
    public void Message(int field, Action<ProtobufWriter> write)
    {
        var inner = new ProtobufWriter();
        write(inner);
        Bytes(field, inner._stream.GetBuffer().AsSpan(0, (int)inner._stream.Length));
    }

    private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _stream.WriteByte((byte)value);
    }
}
