using System.Buffers.Binary;
using System.Text;
using StaticNet.Serialization;
using StaticNet.Tests.Serialization;
using StaticNet.Tests.Training;

namespace StaticNet.Tests.Reliability;

/// <summary>
/// Issue 16, failures 3 and 5 for model files: every malformed file is an <see cref="InvalidDataException"/>, the header
/// size is capped before anything is allocated, the tensor bytes carry a SHA-256, killed saves leave no temporary files
/// for long, an out-of-range optimizer step is refused, and a failed load never changes the network.
/// </summary>
public sealed class ModelFileLimitTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("staticnet-limits-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static TinyAdamNet TrainedAdam()
    {
        var net = new TinyAdamNet(3);
        Training3 data = SyntheticData.Blobs(30, 3);
        for (int i = 0; i < 5; i++) net.TrainStep(data.X, data.Y);
        return net;
    }

    /// <summary>Everything a load may change, bit for bit.</summary>
    internal static string State(INetwork net) => string.Join("|",
        Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(net.Parameters)),
        Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(net.OptimizerState)),
        Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(net.Statistics)),
        net.OptimizerStep);

    /// <summary>Loads <paramref name="bytes"/> into a fresh network, expects an <see cref="InvalidDataException"/>, and checks the network did not change.</summary>
    private static InvalidDataException RefusedUnchanged(byte[] bytes, bool checkFingerprint = true)
    {
        var target = new TinyAdamNet(11);
        target.OptimizerStep = 7;
        string before = State(target);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(target, bytes, "bad.safetensors", checkFingerprint));
        Assert.Equal(before, State(target));
        return e;
    }

    /// <summary>The file with its metadata edited (and its checksum recomputed), tensors as they were.</summary>
    private static byte[] WithMetadata(byte[] file, Action<Dictionary<string, string>> edit)
    {
        SafeTensorsFile parsed = SafeTensorsFile.Parse(file);
        var metadata = new Dictionary<string, string>(parsed.Metadata);
        edit(metadata);
        var writer = new SafeTensorsWriter { DataChecksumKey = ModelFile.ChecksumKey };
        foreach ((string key, string value) in metadata) writer.SetMetadata(key, value);
        foreach (SafeTensorInfo t in parsed.Tensors.OrderBy(t => t.Begin))
        {
            float[] values = new float[t.ElementCount];
            parsed.CopyTo(t, values);
            writer.Add(t.Name, t.Shape.Select(d => (int)d).ToArray(), values);
        }
        return writer.ToArray();
    }

    [Theory]
    [InlineData("a tensor name", """{"w\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""")]
    [InlineData("a metadata key", """{"__metadata__":{"k\udfff":"v"},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""")]
    [InlineData("a metadata value", """{"__metadata__":{"k":"v\ud800x"},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""")]
    [InlineData("a dtype", """{"w":{"dtype":"F3\udc00","shape":[1],"data_offsets":[0,4]}}""")]
    public void A_lone_surrogate_in_the_header_is_invalid_data(string where, string header)
    {
        // Before: System.Text.Json's InvalidOperationException ("Cannot transcode invalid UTF-16") escaped the reader.
        byte[] file = SafeTensorsFormatTests.FileBytes(header, [0, 0, 128, 63]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(file, "s.safetensors"));
        Assert.Contains("s.safetensors: bad header", e.Message);
        Assert.True(e.Message.Contains("not valid Unicode", StringComparison.Ordinal) || e.Message.Contains("dtype", StringComparison.Ordinal), where + ": " + e.Message);
        RefusedUnchanged(file, checkFingerprint: false);
    }

    [Fact]
    public void A_100_MB_header_is_refused_before_it_is_read()
    {
        // Before: the whole file was read (100 MB) and the header parsed: 134 MB allocated before the failure.
        string path = PathOf("huge-header.safetensors");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, 100_000_000);
            stream.Write(length);
            stream.Write("{\"__metadata__\":{\"x\":\""u8);
            stream.SetLength(8 + 100_000_000); // sparse: the header's bytes are there
        }
        var target = new TinyAdamNet(1);
        string before = State(target);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(target, path));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Contains("bad header length 100000000: more than the 16,777,216-byte limit", e.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated:N0} bytes");
        Assert.Equal(before, State(target));
    }

    [Fact]
    public void A_header_claiming_more_data_than_a_stream_delivers_fails_without_allocating_it()
    {
        // 2 GB of tensor declared, 4 bytes present, through a stream whose length is unknown.
        byte[] file = SafeTensorsFormatTests.FileBytes("""{"w":{"dtype":"F32","shape":[536870000],"data_offsets":[0,2147480000]}}""", [0, 0, 128, 63]);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(new Data.TrickleStream(file)));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Contains("truncated", e.Message);
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Streams_and_files_read_what_bytes_parse()
    {
        byte[] file = ModelFile.Serialize(TrainedAdam(), includeOptimizerState: true);
        string path = PathOf("same.safetensors");
        File.WriteAllBytes(path, file);
        SafeTensorsFile a = SafeTensorsFile.Parse(file), b = SafeTensorsFile.Read(path), c = SafeTensorsFile.Read(new Data.TrickleStream(file));
        foreach (SafeTensorsFile other in new[] { b, c })
        {
            Assert.Equal(a.Tensors.Select(t => (t.Name, t.Begin, t.End)), other.Tensors.Select(t => (t.Name, t.Begin, t.End)));
            Assert.Equal(a.Metadata, other.Metadata);
            Assert.Equal(a.DataSha256(), other.DataSha256());
            foreach (SafeTensorInfo t in a.Tensors) Assert.Equal(a.Data(t).ToArray(), other.Data(other.Find(t.Name)!).ToArray());
        }
        byte[] longer = [.. file, 0];
        Assert.Contains("unexpected bytes", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(new Data.TrickleStream(longer))).Message);
    }

    [Fact]
    public void Every_single_bit_flip_in_the_tensor_bytes_is_refused_by_the_checksum()
    {
        // Before: 3,578 of the bit flips in tensor bytes loaded silently as different weights.
        byte[] good = ModelFile.Serialize(TrainedAdam(), includeOptimizerState: true);
        SafeTensorsFile parsed = SafeTensorsFile.Parse(good);
        Assert.Equal(parsed.DataSha256(), parsed.Metadata[ModelFile.ChecksumKey]);
        int dataStart = good.Length - (int)parsed.DataLength;
        var random = new Random(16);
        for (int trial = 0; trial < 64; trial++)
        {
            byte[] bad = (byte[])good.Clone();
            int bit = random.Next(8 * (good.Length - dataStart));
            bad[dataStart + bit / 8] ^= (byte)(1 << (bit % 8));
            InvalidDataException e = RefusedUnchanged(bad);
            Assert.Contains("do not match their SHA-256", e.Message);
        }
    }

    [Fact]
    public void Files_without_a_checksum_still_load_and_the_checksum_can_be_left_out()
    {
        TinyAdamNet net = TrainedAdam();
        byte[] without = ModelFile.Serialize(net, includeChecksum: false);
        Assert.DoesNotContain(ModelFile.ChecksumKey, SafeTensorsFile.Parse(without).Metadata.Keys);
        var loaded = new TinyAdamNet(5);
        ModelFile.Load(loaded, without);
        Assert.Equal(net.Parameters.ToArray(), loaded.Parameters.ToArray());

        // A file from another tool: tensors only, no metadata at all.
        var writer = new SafeTensorsWriter();
        foreach (ParameterTensor p in TinyAdamNet.Descriptor.Parameters)
        {
            writer.Add(p.Name, p.Shape.ToArray(), net.Parameters.Slice(p.Offset, p.Length));
        }
        var foreign = new TinyAdamNet(6);
        ModelFile.Load(foreign, writer.ToArray(), checkFingerprint: false);
        Assert.Equal(net.Parameters.ToArray(), foreign.Parameters.ToArray());

        // Uppercase hex from another writer is the same hash.
        byte[] upper = WithMetadata(ModelFile.Serialize(net), m => m[ModelFile.ChecksumKey] = m[ModelFile.ChecksumKey].ToUpperInvariant());
        ModelFile.Load(new TinyAdamNet(7), upper);
    }

    [Theory]
    [InlineData("9223372036854775807")] // long.MaxValue: every later Adam step was a silent no-op
    [InlineData("9007199254740993")]    // 2⁵³ + 1
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("")]
    public void An_optimizer_step_out_of_range_is_refused(string step)
    {
        byte[] bad = WithMetadata(ModelFile.Serialize(TrainedAdam(), includeOptimizerState: true), m => m[ModelFile.OptimizerStepKey] = step);
        InvalidDataException e = RefusedUnchanged(bad);
        Assert.Contains($"'{ModelFile.OptimizerStepKey}' is '{step}', expected a whole number in [0, 9007199254740992]", e.Message);
    }

    [Fact]
    public void The_largest_optimizer_step_loads_and_a_step_past_it_is_refused_not_silently_skipped()
    {
        TinyAdamNet net = TrainedAdam();
        Training3 data = SyntheticData.Blobs(30, 4);
        long most = StaticNet.Compiled.NetworkState.MaxOptimizerStep;

        // One below the most: the next step is taken, and moves the parameters (before: at 2⁶³ − 1 every later step was a no-op).
        var below = new TinyAdamNet(8);
        ModelFile.Load(below, WithMetadata(ModelFile.Serialize(net, includeOptimizerState: true), m => m[ModelFile.OptimizerStepKey] = (most - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        float[] before = below.Parameters.ToArray();
        below.TrainStep(data.X, data.Y);
        Assert.Equal(most, below.OptimizerStep);
        Assert.NotEqual(before, below.Parameters.ToArray());
        Assert.All(below.Parameters.ToArray(), v => Assert.True(float.IsFinite(v)));

        // The most loads; the network then refuses a further step loudly and changes nothing.
        var at = new TinyAdamNet(8);
        ModelFile.Load(at, WithMetadata(ModelFile.Serialize(net, includeOptimizerState: true), m => m[ModelFile.OptimizerStepKey] = most.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(most, at.OptimizerStep);
        string state = State(at);
        Assert.Throws<InvalidOperationException>(() => at.TrainStep(data.X, data.Y));
        Assert.Equal(state, State(at));
    }

    [Fact]
    public void A_killed_save_leaves_a_temporary_file_that_the_next_save_removes()
    {
        string path = PathOf("model.safetensors");
        string name = Path.GetFileName(path);
        TinyAdamNet net = TrainedAdam();
        ModelFile.Save(net, path);
        // What a save killed before its rename leaves: .model.safetensors.<guid>.tmp (two of them, from two killed saves).
        string[] stale = [PathOf($".{name}.{Guid.NewGuid():N}.tmp"), PathOf($".{name}.{Guid.NewGuid():N}.tmp")];
        foreach (string s in stale) File.WriteAllBytes(s, new byte[100]);
        // A save in progress holds its temporary file open without sharing: it must survive.
        string inProgress = PathOf($".{name}.{Guid.NewGuid():N}.tmp");
        // Files that only look alike: another target's temporary, a wrong-length guid, the user's own files.
        string[] others = [PathOf($".other.safetensors.{Guid.NewGuid():N}.tmp"), PathOf($".{name}.{Guid.NewGuid():N}0.tmp"), PathOf($".{name}.tmp"), PathOf($"{name}.bak"), PathOf($".{name}.{new string('G', 32)}.tmp")];
        foreach (string o in others) File.WriteAllBytes(o, [1]);
        using (var held = new FileStream(inProgress, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            ModelFile.Save(net, path);
            Assert.All(stale, s => Assert.False(File.Exists(s), s));
            Assert.True(File.Exists(inProgress));
        }
        Assert.All(others, o => Assert.True(File.Exists(o), o));
        ModelFile.Load(new TinyAdamNet(9), path);
        ModelFile.Save(net, path);
        Assert.False(File.Exists(inProgress)); // no longer held: the next save removes it
        Assert.Equal(others.Length + 1, Directory.GetFiles(_directory, "*", new EnumerationOptions { AttributesToSkip = 0 }).Length);
    }

    [Fact]
    public void Loads_refused_for_any_reason_leave_the_network_as_it_was()
    {
        byte[] good = ModelFile.Serialize(TrainedAdam(), includeOptimizerState: true);
        byte[][] bad =
        [
            good[..(good.Length - 1)],                                                   // truncated
            [.. good, 0],                                                                // trailing byte
            WithMetadata(good, m => m[ModelFile.FingerprintKey] = new string('0', 64)),  // wrong fingerprint
            WithMetadata(good, m => m[ModelFile.OptimizerKey] = "Sgd"),                  // another optimizer's state
            WithMetadata(good, m => m[ModelFile.VersionKey] = "2"),                      // a later layout
            Encoding.UTF8.GetBytes("not a model file at all"),
        ];
        foreach (byte[] file in bad) RefusedUnchanged(file);
    }
}
