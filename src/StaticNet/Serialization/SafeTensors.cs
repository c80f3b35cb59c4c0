using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace StaticNet.Serialization;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">The tensor's name (the header key).</param>
/// <param name="DType">The element type code, for example <c>F32</c>.</param>
/// <param name="Shape">The dimensions, outermost first; empty for a scalar.</param>
/// <param name="Begin">The first byte of the tensor's data, relative to the end of the header.</param>
/// <param name="End">One past the last byte, relative to the end of the header.</param>
public sealed record SafeTensorInfo(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>The number of elements, the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (long d in Shape) n *= d;
            return n;
        }
    }

    /// <summary>The shape as text, for example <c>[10, 128]</c>.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}

/// <summary>
/// A parsed and fully validated safetensors file (https://github.com/huggingface/safetensors):
/// an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …, "__metadata__": {string: string}}</c>
/// (possibly padded with spaces), then the tensors' raw little-endian bytes, offsets relative to
/// the end of the header. Parsing checks what the reference implementation checks: the header
/// length against the data, UTF-8 and JSON syntax, a header that is a JSON object, every dtype,
/// shape and offset pair, that each tensor's byte size matches its shape and dtype, and that the
/// tensors tile the data exactly (no gap, no overlap, nothing missing or left over).
/// </summary>
public sealed class SafeTensorsFile
{
    /// <summary>The header key of the string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>
    /// The largest header accepted, 16 MiB, checked before the header is read. The reference implementation allows
    /// 100,000,000 bytes; a StaticNet model's header is a few kilobytes and the headers of the largest published
    /// checkpoints' shards are below 1 MB, so a larger one is not worth the memory its parse would take.
    /// </summary>
    public const long MaxHeaderLength = 16 << 20;

    /// <summary>The most tensor data this reader holds, <see cref="Array.MaxLength"/> bytes (one array).</summary>
    public const long MaxDataLength = 0x7FFFFFC7;

    private readonly byte[] _data;
    private readonly Dictionary<string, SafeTensorInfo> _byName;

    private SafeTensorsFile(byte[] data, long dataStart, long dataLength, List<SafeTensorInfo> tensors, Dictionary<string, string> metadata, string source)
    {
        _data = data;
        DataStart = dataStart;
        DataLength = dataLength;
        Tensors = tensors.AsReadOnly();
        Metadata = metadata.AsReadOnly();
        Source = source;
        _byName = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
        foreach (SafeTensorInfo t in tensors) _byName.Add(t.Name, t);
    }

    /// <summary>Where the bytes came from (a path, or a description), for messages.</summary>
    public string Source { get; }

    /// <summary>The tensors, in the order of their data.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries; empty when the header has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Where the data section starts inside the array it is held in (internal: the reader may hold only the data).</summary>
    private long DataStart { get; }

    /// <summary>The size in bytes of the data section: every tensor's bytes, in file order.</summary>
    public long DataLength { get; }

    /// <summary>The tensor called <paramref name="name"/>, or null.</summary>
    /// <param name="name">The tensor's name.</param>
    public SafeTensorInfo? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The SHA-256 of the data section (every tensor's bytes, in file order, the bytes after the header), as 64 lowercase hex digits.</summary>
    public string DataSha256() =>
        Convert.ToHexStringLower(SHA256.HashData(_data.AsSpan((int)DataStart, (int)DataLength)));

    /// <summary>The raw little-endian bytes of <paramref name="tensor"/>.</summary>
    /// <param name="tensor">A tensor of this file.</param>
    public ReadOnlySpan<byte> Data(SafeTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_byName.TryGetValue(tensor.Name, out SafeTensorInfo? own) || !ReferenceEquals(own, tensor))
        {
            throw new ArgumentException($"'{tensor.Name}' is not a tensor of {Source}.", nameof(tensor));
        }
        return _data.AsSpan((int)(DataStart + tensor.Begin), (int)(tensor.End - tensor.Begin));
    }

    /// <summary>Decodes an <c>F32</c> tensor into <paramref name="destination"/>.</summary>
    /// <param name="tensor">A tensor of this file whose dtype is <c>F32</c>.</param>
    /// <param name="destination">Exactly <see cref="SafeTensorInfo.ElementCount"/> floats.</param>
    /// <exception cref="InvalidDataException">The tensor is not F32.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has another length.</exception>
    public void CopyTo(SafeTensorInfo tensor, Span<float> destination)
    {
        ReadOnlySpan<byte> data = Data(tensor);
        if (tensor.DType != "F32")
        {
            throw new InvalidDataException($"{Source}: tensor '{tensor.Name}' has dtype {tensor.DType}; expected F32.");
        }
        if (destination.Length != tensor.ElementCount)
        {
            throw new ArgumentException($"destination has {destination.Length} elements; tensor '{tensor.Name}' {tensor.ShapeText} has {tensor.ElementCount}.", nameof(destination));
        }
        if (BitConverter.IsLittleEndian)
        {
            data.CopyTo(MemoryMarshal.AsBytes(destination));
        }
        else
        {
            for (int i = 0; i < destination.Length; i++) destination[i] = BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * 4, 4));
        }
    }

    /// <summary>
    /// Reads and validates the safetensors file at <paramref name="path"/>. The header length is checked against
    /// <see cref="MaxHeaderLength"/> and the file's size, and the header against the file's size, before the header and
    /// then the data are read: memory follows the file, never a number in it.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names the file and the problem.</exception>
    public static SafeTensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Read(file, path);
    }

    /// <summary>
    /// Reads <paramref name="stream"/> to its end and validates it as safetensors, checking as <see cref="Read(string)"/>
    /// does (a stream of unknown length is read in growing chunks, so its header cannot make the reader allocate more
    /// than twice the data that actually arrives).
    /// </summary>
    /// <param name="stream">A readable stream, left open.</param>
    /// <exception cref="InvalidDataException">The data is not valid safetensors.</exception>
    public static SafeTensorsFile Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, stream is FileStream file ? file.Name : "safetensors stream");
    }

    private static SafeTensorsFile Read(Stream stream, string source)
    {
        long? available = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : null;
        Span<byte> prefix = stackalloc byte[8];
        int prefixLength = stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
        if (prefixLength < 8)
        {
            throw new InvalidDataException($"{source}: truncated: {prefixLength} bytes; a safetensors file starts with an 8-byte header length.");
        }
        int n = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(prefix), available is long a ? a - 8 : null, source);
        byte[] header = new byte[n];
        int headerLength = stream.ReadAtLeast(header, n, throwOnEndOfStream: false);
        if (headerLength < n)
        {
            throw new InvalidDataException($"{source}: bad header length {n}: only {headerLength} bytes follow the 8-byte length (truncated, or not a safetensors file).");
        }
        (List<SafeTensorInfo> tensors, Dictionary<string, string> metadata) = ParseHeader(header, source);
        long needed = CheckTiling(tensors, available is long b ? b - 8 - n : null, source);
        if (needed > MaxDataLength)
        {
            throw new InvalidDataException($"{source}: the tensors hold {needed:N0} bytes, more than this reader keeps in memory ({MaxDataLength:N0}).");
        }
        int count = (int)needed;
        byte[] data = available is null
            ? global::StaticNet.Data.BoundedRead.Read(stream, count, static (s, buffer) => s.ReadAtLeast(buffer.Span, buffer.Length, throwOnEndOfStream: false), out int filled)
            : ReadKnown(stream, count, out filled);
        if (filled < count)
        {
            throw new InvalidDataException($"{source}: truncated: the tensors need {count} data bytes after the header, but the file has {filled}.");
        }
        Span<byte> extra = stackalloc byte[1];
        if (available is null && stream.ReadAtLeast(extra, 1, throwOnEndOfStream: false) != 0)
        {
            throw new InvalidDataException($"{source}: unexpected bytes after the last tensor's data (the tensors cover {count} data bytes).");
        }
        return new SafeTensorsFile(data, 0, count, tensors, metadata, source);

        static byte[] ReadKnown(Stream stream, int count, out int filled)
        {
            byte[] data = GC.AllocateUninitializedArray<byte>(count);
            filled = stream.ReadAtLeast(data, count, throwOnEndOfStream: false);
            return data;
        }
    }

    /// <summary>Validates <paramref name="bytes"/> as a safetensors file. The array is kept, not copied.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="source">A name for the bytes in messages.</param>
    /// <exception cref="InvalidDataException">The data is not valid safetensors; the message names the problem.</exception>
    public static SafeTensorsFile Parse(byte[] bytes, string source = "safetensors data")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(source);
        if (bytes.Length < 8)
        {
            throw new InvalidDataException($"{source}: truncated: {bytes.Length} bytes; a safetensors file starts with an 8-byte header length.");
        }
        int n = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(bytes), bytes.Length - 8L, source);
        (List<SafeTensorInfo> tensors, Dictionary<string, string> metadata) = ParseHeader(bytes.AsMemory(8, n), source);
        long dataLength = bytes.Length - 8L - n;
        CheckTiling(tensors, dataLength, source);
        return new SafeTensorsFile(bytes, 8L + n, dataLength, tensors, metadata, source);
    }

    /// <summary>Checks a declared header length against <see cref="MaxHeaderLength"/> and the bytes that follow it (when known).</summary>
    private static int CheckHeaderLength(ulong headerLength, long? following, string source)
    {
        if (headerLength > (ulong)MaxHeaderLength)
        {
            throw new InvalidDataException($"{source}: bad header length {headerLength}: more than the {MaxHeaderLength:N0}-byte limit (is this a safetensors file?).");
        }
        if (following is long f && headerLength > (ulong)f)
        {
            throw new InvalidDataException($"{source}: bad header length {headerLength}: only {f} bytes follow the 8-byte length (truncated, or not a safetensors file).");
        }
        return (int)headerLength;
    }

    /// <summary>Parses and checks the JSON header: its tensors (in header order) and its metadata.</summary>
    private static (List<SafeTensorInfo> Tensors, Dictionary<string, string> Metadata) ParseHeader(ReadOnlyMemory<byte> header, string source)
    {
        int n = header.Length;
        if (n < 2 || header.Span[0] != (byte)'{')
        {
            throw new InvalidDataException($"{source}: bad header: the JSON header must be an object starting with '{{'.");
        }
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(header.Span);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{source}: bad header: not valid UTF-8 ({e.Message}).", e);
        }

        var tensors = new List<SafeTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: bad header: the JSON header must be an object.");
            }
            foreach (JsonProperty entry in document.RootElement.EnumerateObject())
            {
                if (!names.Add(entry.Name))
                {
                    throw new InvalidDataException($"{source}: bad header: the key '{entry.Name}' appears twice.");
                }
                if (entry.Name == MetadataKey)
                {
                    ReadMetadata(entry.Value, metadata, source);
                }
                else
                {
                    tensors.Add(ReadTensor(entry.Name, entry.Value, source));
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: bad header: not valid JSON ({e.Message}).", e);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json throws this when an escaped name or string is not valid UTF-16 (a lone surrogate such as "\ud800").
            throw new InvalidDataException($"{source}: bad header: a name or string is not valid Unicode ({e.Message}).", e);
        }
        return (tensors, metadata);
    }

    /// <summary>
    /// Sorts <paramref name="tensors"/> by offset and checks that they tile the data exactly, from byte 0, without gap or
    /// overlap, and (when <paramref name="dataLength"/> is known) end where the data ends. Returns the bytes they cover.
    /// </summary>
    private static long CheckTiling(List<SafeTensorInfo> tensors, long? dataLength, string source)
    {
        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (SafeTensorInfo t in tensors)
        {
            if (t.Begin != expected)
            {
                throw new InvalidDataException(
                    $"{source}: bad data_offsets for tensor '{t.Name}': it starts at byte {t.Begin}, but the previous tensor ends at byte {expected} (tensors must be contiguous, without gaps or overlaps).");
            }
            expected = t.End;
        }
        if (dataLength is long length)
        {
            if (expected > length)
            {
                throw new InvalidDataException($"{source}: truncated: the tensors need {expected} data bytes after the header, but the file has {length}.");
            }
            if (expected < length)
            {
                throw new InvalidDataException($"{source}: {length - expected} unexpected bytes after the last tensor's data (the tensors cover {expected} of {length} data bytes).");
            }
        }
        return expected;
    }

    /// <summary>The size in bytes of one element of <paramref name="dtype"/>, or 0 when the code is unknown.</summary>
    /// <param name="dtype">A safetensors dtype code.</param>
    public static int ElementSize(string dtype) => dtype switch
    {
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" => 1,
        "I16" or "U16" or "F16" or "BF16" => 2,
        "I32" or "U32" or "F32" => 4,
        "I64" or "U64" or "F64" or "C64" => 8,
        _ => 0,
    };

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: bad header: {MetadataKey} must be an object of strings, found {value.ValueKind}.");
        }
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"{source}: bad header: {MetadataKey}.{item.Name} must be a string, found {item.Value.ValueKind}.");
            }
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new InvalidDataException($"{source}: bad header: {MetadataKey}.{item.Name} appears twice.");
            }
        }
    }

    private static SafeTensorInfo ReadTensor(string name, JsonElement value, string source)
    {
        string where = $"{source}: bad header for tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: expected an object with dtype, shape and data_offsets, found {value.ValueKind}.");
        }
        if (!value.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"{where}: dtype is missing or not a string.");
        }
        string dtype = dtypeElement.GetString()!;
        int size = ElementSize(dtype);
        if (size == 0)
        {
            throw new InvalidDataException($"{where}: unknown dtype '{dtype}'.");
        }
        if (!value.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{where}: shape is missing or not an array.");
        }
        var shape = new List<long>();
        long count = 1;
        foreach (JsonElement d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim) || dim < 0)
            {
                throw new InvalidDataException($"{where}: shape entries must be whole numbers, 0 or more; found {d.GetRawText()}.");
            }
            shape.Add(dim);
            if (dim != 0 && count > int.MaxValue / dim)
            {
                throw new InvalidDataException($"{where}: shape [{string.Join(", ", shape)}…] has too many elements.");
            }
            count *= dim;
        }
        if (!value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"{where}: data_offsets is missing or not an array of two numbers.");
        }
        long begin = Offset(offsets[0], where), end = Offset(offsets[1], where);
        if (end < begin)
        {
            throw new InvalidDataException($"{where}: data_offsets [{begin}, {end}] end before they begin.");
        }
        if (end - begin != count * size)
        {
            throw new InvalidDataException(
                $"{where}: data_offsets [{begin}, {end}] hold {end - begin} bytes, but {dtype} shape [{string.Join(", ", shape)}] needs {count * size}.");
        }
        return new SafeTensorInfo(name, dtype, shape.AsReadOnly(), begin, end);
    }

    private static long Offset(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long value) || value < 0)
        {
            throw new InvalidDataException($"{where}: data_offsets entries must be whole numbers, 0 or more; found {element.GetRawText()}.");
        }
        return value;
    }
}

/// <summary>
/// Builds a safetensors file of <c>F32</c> tensors. The header is compact JSON: <c>__metadata__</c>
/// first (when there is any, keys in ordinal order), then the tensors in the order they were added,
/// whose data follow each other in that order; the header is padded with spaces to a multiple of
/// 8 bytes so the data start 8-byte aligned, as the reference implementation does.
/// </summary>
public sealed class SafeTensorsWriter
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    private readonly List<(string Name, int[] Shape, byte[] Data)> _tensors = [];
    private readonly SortedDictionary<string, string> _metadata = new(StringComparer.Ordinal);

    /// <summary>The number of tensors added.</summary>
    public int Count => _tensors.Count;

    /// <summary>Adds an <c>F32</c> tensor, copying its values.</summary>
    /// <param name="name">A name not used before and not <c>__metadata__</c>.</param>
    /// <param name="shape">The dimensions, each 0 or more; their product must be <paramref name="values"/>.Length.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <exception cref="ArgumentException">The name is taken or empty, or the shape does not match the values.</exception>
    public void Add(string name, ReadOnlySpan<int> shape, ReadOnlySpan<float> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == SafeTensorsFile.MetadataKey)
        {
            throw new ArgumentException($"'{SafeTensorsFile.MetadataKey}' is reserved for the metadata.", nameof(name));
        }
        foreach ((string existing, _, _) in _tensors)
        {
            if (existing == name) throw new ArgumentException($"A tensor named '{name}' was already added.", nameof(name));
        }
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] has a negative dimension.", nameof(shape));
            count *= d;
        }
        if (count != values.Length)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] has {count} elements, but values has {values.Length}.", nameof(values));
        }
        byte[] data = new byte[values.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(data);
        }
        else
        {
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), values[i]);
        }
        _tensors.Add((name, shape.ToArray(), data));
    }

    /// <summary>Sets a metadata entry (replacing an earlier value of the same key).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void SetMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        _metadata[key] = value;
    }

    /// <summary>
    /// When set, the metadata key under which <see cref="ToArray"/> stores the SHA-256 of the data section (every tensor's
    /// bytes in file order, the bytes after the header) as 64 lowercase hex digits, which
    /// <see cref="SafeTensorsFile.DataSha256"/> recomputes. Null (the default) stores none.
    /// </summary>
    public string? DataChecksumKey { get; set; }

    /// <summary>The whole file.</summary>
    public byte[] ToArray()
    {
        if (DataChecksumKey is string key)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach ((_, _, byte[] tensor) in _tensors) hash.AppendData(tensor);
            _metadata[key] = Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        byte[] header = Header();
        long dataLength = 0;
        foreach ((_, _, byte[] data) in _tensors) dataLength += data.Length;
        byte[] file = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        long position = 8 + header.Length;
        foreach ((_, _, byte[] data) in _tensors)
        {
            data.CopyTo(file, position);
            position += data.Length;
        }
        return file;
    }

    /// <summary>Writes the whole file to <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream, left open.</param>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToArray());
    }

    /// <summary>
    /// Writes the file to <paramref name="path"/> atomically: to a temporary file in the same folder,
    /// flushed to disk, then renamed over <paramref name="path"/>; on failure the temporary file is
    /// deleted and any existing file at <paramref name="path"/> is left as it was.
    /// </summary>
    /// <param name="path">The file to write.</param>
    public void Save(string path) => AtomicFile.Write(path, ToArray());

    private byte[] Header()
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            if (_metadata.Count > 0)
            {
                json.WriteStartObject(SafeTensorsFile.MetadataKey);
                foreach ((string key, string value) in _metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach ((string name, int[] shape, byte[] data) in _tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += data.Length;
            }
            json.WriteEndObject();
        }
        int padding = (int)((8 - (buffer.Length % 8)) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}

/// <summary>
/// Write-then-rename file replacement. The temporary file is <c>.&lt;name&gt;.&lt;32 hex digits&gt;.tmp</c> next to the target,
/// unique per save and held open without sharing while it is written. A save killed before its rename leaves that file
/// behind; the next save to the same target deletes every such file that no process holds open (an open one belongs
/// to a save in progress, which keeps it).
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string name = Path.GetFileName(full);
        RemoveStaleTemporaries(directory, name);
        string temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Whether <paramref name="candidate"/> is a temporary file of a save to <paramref name="name"/>: <c>.name.&lt;32 lowercase hex&gt;.tmp</c>.</summary>
    public static bool IsTemporaryOf(string candidate, string name)
    {
        const int hex = 32;
        if (candidate.Length != 1 + name.Length + 1 + hex + 4
            || candidate[0] != '.'
            || !candidate.AsSpan(1, name.Length).SequenceEqual(name)
            || candidate[1 + name.Length] != '.'
            || !candidate.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return false;
        }
        foreach (char c in candidate.AsSpan(2 + name.Length, hex))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    /// <summary>
    /// Deletes the temporary files that earlier saves to <paramref name="name"/> left in <paramref name="directory"/>
    /// (killed before their rename), skipping any that a save in progress holds open. Returns how many it deleted.
    /// Never throws: a file it cannot open or delete is left for the next save.
    /// </summary>
    public static int RemoveStaleTemporaries(string directory, string name)
    {
        int removed = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(directory, "*.tmp", new EnumerationOptions { MatchType = MatchType.Simple, IgnoreInaccessible = true, AttributesToSkip = 0 });
            foreach (string candidate in candidates)
            {
                if (!IsTemporaryOf(Path.GetFileName(candidate), name)) continue;
                try
                {
                    // A save in progress holds its file with FileShare.None (a lock on Unix too), so this open fails for it.
                    using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                    File.Delete(candidate);
                    removed++;
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return removed;
    }
}
