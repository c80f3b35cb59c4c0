using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using StaticNet.Serialization;
using StaticNet.Tests.Training;

namespace StaticNet.Tests.Serialization;

/// <summary>
/// The safetensors format byte for byte, against files whose bytes the tests write by hand from
/// the specification: u64 little-endian header length N, N bytes of JSON (padded with spaces),
/// then the raw little-endian tensor data, offsets relative to the end of the header.
/// </summary>
public sealed class SafeTensorsFormatTests
{
    /// <summary>Builds a file from the specification: length, header (space-padded to a multiple of 8 when asked), data.</summary>
    internal static byte[] FileBytes(string header, byte[] data, bool pad = true)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        int length = pad ? (json.Length + 7) / 8 * 8 : json.Length;
        byte[] file = new byte[8 + length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)length);
        json.CopyTo(file, 8);
        for (int i = json.Length; i < length; i++) file[8 + i] = (byte)' ';
        data.CopyTo(file, 8 + length);
        return file;
    }

    // IEEE 754 single precision, little-endian, written out by hand.
    private static readonly byte[] One = [0x00, 0x00, 0x80, 0x3F];          // 1.0
    private static readonly byte[] MinusTwo = [0x00, 0x00, 0x00, 0xC0];     // -2.0
    private static readonly byte[] Half = [0x00, 0x00, 0x00, 0x3F];         // 0.5
    private static readonly byte[] OneAndHalf = [0x00, 0x00, 0xC0, 0x3F];   // 1.5
    private static readonly byte[] MinusQuarter = [0x00, 0x00, 0x80, 0xBE]; // -0.25
    private static readonly byte[] Two = [0x00, 0x00, 0x00, 0x40];          // 2.0

    [Fact]
    public void The_writer_produces_the_specified_bytes()
    {
        var writer = new SafeTensorsWriter();
        writer.SetMetadata("note", "hi");
        writer.Add("w", [2], [1f, -2f]);
        writer.Add("s", [], [0.5f]);

        string header = """{"__metadata__":{"note":"hi"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"s":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}""";
        byte[] expected = FileBytes(header, [.. One, .. MinusTwo, .. Half]);
        byte[] actual = writer.ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(0, (actual.Length - 12) % 8); // the data start 8-byte aligned
    }

    [Fact]
    public void A_saved_network_is_the_specified_bytes()
    {
        var net = new TinyRegressionNet(seed: 1);
        net.Parameters[0] = 1.5f;   // layers.0.weight [1, 2]
        net.Parameters[1] = -0.25f;
        net.Parameters[2] = 2f;     // layers.0.bias [1]

        const string declaration = "inputs=2; layers=Dense(1,Identity); loss=MeanSquaredError; parameters=layers.0.weight[1,2] layers.0.bias[1]";
        string fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(declaration)));
        byte[] data = [.. OneAndHalf, .. MinusQuarter, .. Two];
        string checksum = Convert.ToHexStringLower(SHA256.HashData(data)); // the data section, every tensor's bytes in order
        string header =
            "{\"__metadata__\":{" +
            $"\"staticnet.declaration\":\"{declaration}\"," +
            $"\"staticnet.fingerprint\":\"{fingerprint}\"," +
            "\"staticnet.normalization\":\"none\"," +
            $"\"staticnet.sha256\":\"{checksum}\"," +
            "\"staticnet.type\":\"StaticNet.Tests.Training.TinyRegressionNet\"," +
            "\"staticnet.version\":\"1\"}," +
            "\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}," +
            "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        byte[] expected = FileBytes(header, data);

        Assert.Equal(expected, ModelFile.Serialize(net));
        Assert.Equal(declaration, ModelFile.Declaration(TinyRegressionNet.Descriptor));
        Assert.Equal(fingerprint, ModelFile.Fingerprint(TinyRegressionNet.Descriptor));
    }

    [Fact]
    public void The_reader_accepts_any_valid_layout_of_the_specification()
    {
        // Metadata last, tensors listed out of data order, unpadded header, a 2-D tensor, an F64 tensor.
        string header = """{"b":{"dtype":"F32","shape":[1,2],"data_offsets":[8,16]},"a":{"data_offsets":[0,8],"shape":[2],"dtype":"F32"},"d":{"dtype":"F64","shape":[1],"data_offsets":[16,24]},"__metadata__":{"x":"y"}}""";
        byte[] f64 = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 0.125);
        byte[] file = FileBytes(header, [.. One, .. MinusTwo, .. Half, .. Two, .. f64], pad: false);

        SafeTensorsFile parsed = SafeTensorsFile.Parse(file);
        Assert.Equal(["a", "b", "d"], parsed.Tensors.Select(t => t.Name));
        Assert.Equal("y", parsed.Metadata["x"]);
        SafeTensorInfo b = parsed.Find("b")!;
        Assert.Equal([1L, 2], b.Shape);
        Assert.Equal((8L, 16L), (b.Begin, b.End));
        float[] values = new float[2];
        parsed.CopyTo(b, values);
        Assert.Equal([0.5f, 2f], values);
        Assert.Equal("F64", parsed.Find("d")!.DType);
        Assert.Equal(f64, parsed.Data(parsed.Find("d")!).ToArray());
        Assert.Contains("expected F32", Assert.Throws<InvalidDataException>(() => parsed.CopyTo(parsed.Find("d")!, new float[1])).Message);
    }

    [Fact]
    public void A_file_without_metadata_and_an_empty_file_of_tensors_are_valid()
    {
        SafeTensorsFile empty = SafeTensorsFile.Parse(FileBytes("{}", []));
        Assert.Empty(empty.Tensors);
        Assert.Empty(empty.Metadata);
    }

    public static TheoryData<string, byte[], string> Corruptions() => new()
    {
        { "truncated length", [1, 0, 0], "truncated: 3 bytes" },
        { "header length beyond the file", FileBytes("{}", [])[..12], "bad header length 8: only 4 bytes follow" },
        { "huge header length", [0, 0, 0, 0, 0, 1, 0, 0, .. Encoding.UTF8.GetBytes("{}      ")], "bad header length 1099511627776: more than the 16,777,216-byte limit" },
        { "bad JSON", FileBytes("""{"a": {"dtype": "F32",""", []), "not valid JSON" },
        { "not an object", FileBytes("[1, 2]", []), "must be an object" },
        { "not UTF-8", Set(FileBytes("{\"\u00e9\":1}", []), 10, 0xFF), "not valid UTF-8" },
        { "unknown dtype", FileBytes("""{"a":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}""", One), "unknown dtype 'F31'" },
        { "size does not match shape", FileBytes("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", One), "hold 4 bytes, but F32 shape [2] needs 8" },
        { "gap between tensors", FileBytes("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", [.. One, .. One]), "starts at byte 4, but the previous tensor ends at byte 0" },
        { "overlapping tensors", FileBytes("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", [.. One, .. One]), "contiguous" },
        { "data missing", FileBytes("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", One), "truncated: the tensors need 8 data bytes after the header, but the file has 4" },
        { "data left over", FileBytes("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", [.. One, .. One]), "4 unexpected bytes after the last tensor" },
        { "duplicate tensor", FileBytes("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", [.. One, .. One]), "'a' appears twice" },
        { "metadata not strings", FileBytes("""{"__metadata__":{"k":1}}""", []), "__metadata__.k must be a string" },
        { "negative dimension", FileBytes("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", One), "shape entries must be whole numbers" },
        { "offsets reversed", FileBytes("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}""", One), "end before they begin" },
    };

    private static byte[] Set(byte[] bytes, int index, byte value)
    {
        bytes[index] = value;
        return bytes;
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Every_corruption_is_refused_with_its_message(string what, byte[] file, string message)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(file, "test.safetensors"));
        Assert.Contains(message, e.Message);
        Assert.StartsWith("test.safetensors", e.Message);
        Assert.NotNull(what);
    }

    [Fact]
    public void The_writer_refuses_mismatched_shapes_and_reused_names()
    {
        var writer = new SafeTensorsWriter();
        Assert.Contains("has 6 elements, but values has 5", Assert.Throws<ArgumentException>(() => writer.Add("a", [2, 3], new float[5])).Message);
        writer.Add("a", [1], [1f]);
        Assert.Contains("already", Assert.Throws<ArgumentException>(() => writer.Add("a", [1], [1f])).Message);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", [1], [1f])).Message);
    }
}
