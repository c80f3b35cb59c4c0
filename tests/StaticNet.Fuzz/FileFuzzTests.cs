using System.Diagnostics;
using StaticNet.Data;
using StaticNet.Fuzz.Files;
using StaticNet.Serialization;
using Xunit.Abstractions;

namespace StaticNet.Fuzz;

/// <summary>
/// The file mutators (issue 16, part 4): every mutated model file either loads or throws <see cref="InvalidDataException"/>
/// (with a message naming the source), never anything else; a refused load leaves the network exactly as it was, and a
/// successful one puts the file's tensors into it; reading the same bytes from a path, a stream and an array agrees. Every
/// mutated IDX file reads or throws <see cref="InvalidDataException"/> (or <see cref="NotSupportedException"/> for a
/// well-formed header of another element type, as documented), with memory bounded by the data actually present.
/// </summary>
public sealed class FileFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("staticnet-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Mutated_model_files_load_or_are_refused_with_InvalidDataException_and_leave_the_network_unchanged()
    {
        int count = FuzzSettings.ModelFileMutations;
        var failures = new List<string>();
        int loaded = 0, refused = 0;
        var clock = Stopwatch.StartNew();
        string path = Path.Combine(_directory, "mutated.safetensors");
        for (int i = 0; i < count; i++)
        {
            Mutation m = ModelFileMutator.Create(i);
            ModelSeed seed = ModelFileMutator.Seeds.First(s => s.Name == m.Seed);
            string where = $"mutation {i} ({m.Seed}: {m.What})";
            INetwork target = seed.Target();
            string before = ModelFileMutator.State(target);
            bool ok = false;
            try
            {
                ModelFile.Load(target, m.Bytes, "mutated.safetensors", m.CheckFingerprint);
                ok = true;
                loaded++;
                // A successful load put exactly the file's tensors into the network.
                SafeTensorsFile file = SafeTensorsFile.Parse(m.Bytes);
                foreach (ParameterTensor p in target.Description.Parameters)
                {
                    float[] expected = new float[p.Length];
                    file.CopyTo(file.Find(p.Name)!, expected);
                    if (!expected.AsSpan().SequenceEqual(target.Parameters.Slice(p.Offset, p.Length)))
                    {
                        failures.Add($"{where}: loaded, but {p.Name} is not the file's tensor");
                    }
                }
            }
            catch (InvalidDataException e)
            {
                refused++;
                if (ModelFileMutator.State(target) != before) failures.Add($"{where}: refused ({e.Message}) but the network changed");
                if (!e.Message.Contains("mutated.safetensors", StringComparison.Ordinal)) failures.Add($"{where}: the message does not name the source: {e.Message}");
            }
#pragma warning disable CA1031 // anything else is the failure this test looks for
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"{where}: {e.GetType().Name} instead of InvalidDataException: {e.Message}");
            }

            if (i % 8 == 0)
            {
                // The same bytes from a file and from a stream of unknown length: the same verdict.
                File.WriteAllBytes(path, m.Bytes);
                foreach ((string how, Func<SafeTensorsFile> read) in new (string, Func<SafeTensorsFile>)[]
                {
                    ("path", () => SafeTensorsFile.Read(path)),
                    ("stream", () => SafeTensorsFile.Read(new OneByteAtATimeStream(m.Bytes))),
                    ("array", () => SafeTensorsFile.Parse(m.Bytes)),
                })
                {
                    string verdict = Verdict(read);
                    string expected = Verdict(() => SafeTensorsFile.Parse(m.Bytes));
                    if (verdict != expected) failures.Add($"{where}: read from a {how}: {verdict}; from bytes: {expected}");
                }
                INetwork fromPath = seed.Target();
                string pathVerdict = Verdict(() => ModelFile.Load(fromPath, path, m.CheckFingerprint));
                if ((pathVerdict == "ok") != ok) failures.Add($"{where}: ModelFile.Load(path) {pathVerdict}, from bytes {(ok ? "ok" : "refused")}");
            }
        }
        output.WriteLine($"{count:N0} model-file mutations (seed {FuzzSettings.Seed}, mode {FuzzSettings.Mode}): {loaded:N0} loaded, {refused:N0} refused with InvalidDataException, {failures.Count} failures, {clock.Elapsed.TotalSeconds:0.0} s.");
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(30)));
        Assert.True(loaded > 0 && refused > count / 2, $"loaded {loaded}, refused {refused}: the mutations are not doing their job");
    }

    [Fact]
    public void Mutated_IDX_files_read_or_are_refused_with_InvalidDataException_and_bounded_memory()
    {
        int count = FuzzSettings.IdxMutations;
        var failures = new List<string>();
        int read = 0, refused = 0, unsupported = 0;
        var clock = Stopwatch.StartNew();
        string path = Path.Combine(_directory, "mutated-idx");
        for (int i = 0; i < count; i++)
        {
            IdxMutation m = IdxMutator.Create(i);
            string where = $"IDX mutation {i} ({m.What})";
            bool knownOtherType = m.Bytes.Length >= 4 && !m.Gzip && m.Bytes[0] == 0 && m.Bytes[1] == 0 && m.Bytes[2] is 0x09 or 0x0B or 0x0C or 0x0D or 0x0E;
            foreach ((string how, Func<IdxTensor> run) in new (string, Func<IdxTensor>)[]
            {
                ("stream", () => Idx.Read(new MemoryStream(m.Bytes))),
                ("non-seekable stream", () => Idx.Read(new OneByteAtATimeStream(m.Bytes))),
                ("path", () => { File.WriteAllBytes(path, m.Bytes); return Idx.Read(path); }),
            })
            {
                if (how != "stream" && i % 4 != 0) continue;
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    IdxTensor tensor = run();
                    read++;
                    long elements = tensor.Shape.Aggregate(1L, (a, d) => a * d);
                    if (tensor.Data.Length != elements) failures.Add($"{where}, {how}: {tensor.Data.Length} bytes for shape [{string.Join(", ", tensor.Shape)}]");
                }
                catch (InvalidDataException e)
                {
                    refused++;
                    if (string.IsNullOrWhiteSpace(e.Message)) failures.Add($"{where}, {how}: no message");
                }
                catch (NotSupportedException) when (knownOtherType || m.Gzip)
                {
                    unsupported++; // a well-formed header of another element type (gzip: the type code is inside the stream)
                }
#pragma warning disable CA1031 // anything else is the failure this test looks for
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failures.Add($"{where}, {how}: {e.GetType().Name}: {e.Message}");
                }
                allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
                // The data present bounds the memory: the largest seed file, three times over for growth, plus buffers.
                long bound = (8 << 20) + 3L * IdxMutator.LargestRaw;
                if (allocated > bound) failures.Add($"{where}, {how}: allocated {allocated:N0} bytes (bound {bound:N0})");
            }
        }
        output.WriteLine($"{count:N0} IDX mutations (seed {FuzzSettings.Seed}): {read:N0} reads, {refused:N0} refused with InvalidDataException, {unsupported:N0} unsupported element types, {failures.Count} failures, {clock.Elapsed.TotalSeconds:0.0} s.");
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(30)));
        Assert.True(read > 0 && refused > count / 3, $"read {read}, refused {refused}: the mutations are not doing their job");
    }

    private static string Verdict(Func<object> action)
    {
        try
        {
            action();
            return "ok";
        }
        catch (InvalidDataException)
        {
            return "InvalidDataException";
        }
#pragma warning disable CA1031 // the verdict names whatever was thrown
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e.GetType().Name;
        }
    }
}

/// <summary>A read-only, non-seekable stream that hands out one byte per read: the hardest stream to read right.</summary>
internal sealed class OneByteAtATimeStream(byte[] data) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (count == 0 || _position >= data.Length) return 0;
        buffer[offset] = data[_position++];
        return 1;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
