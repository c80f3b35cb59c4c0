using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Numeric;

/// <summary>
/// Every generated network of this assembly run through a fixed script — inference at 1, 5 and 53 rows (below and above the
/// 48 rows where the forward kernels take the panel form), gradients from labels and from dense targets, two optimizer steps,
/// inference on the frozen copy — and the bits of every result (outputs, losses, gradients, parameters, optimizer state,
/// running statistics) hashed into one SHA-256 digest per network, compared with the digests recorded in
/// <c>Golden/digests.{path}.txt</c> on the same kernel path.
/// </summary>
/// <remarks>
/// The digests pin the arithmetic itself: a generator change that moves code around (kernels out of the user's class, stages,
/// shared kernels) must leave every bit where it was, which no tolerance-based test can show. The files were recorded with the
/// generator of commit 420e722 (before the stage architecture). A change that is meant to alter results (a new summation
/// order, a new kernel) re-records them with <c>STATICNET_RECORD_DIGESTS=1 dotnet test --filter BitwiseDigestTests</c> on each
/// path (<c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c>) and says so in its commit; a new network records its own line.
/// </remarks>
[Trait("Category", "Numeric")]
public sealed class BitwiseDigestTests
{
    /// <summary>The path the generated kernels take: the machine's, or the one forced at build time (<c>StaticNetSimdPath</c>).</summary>
    private static SimdPath KernelPath => DigitNet.KernelPath;

    private static string GoldenName => $"digests.{KernelPath}.txt";

    /// <summary>The recorded digests, copied beside the test assembly.</summary>
    private static string GoldenFile => Path.Combine(AppContext.BaseDirectory, "Golden", GoldenName);

    /// <summary>Where recording writes: this source file's directory in the repository, not bin/.</summary>
    private static string SourceGoldenFile => Path.Combine(SourceDirectory(), "Golden", GoldenName);

    public static TheoryData<string> Networks()
    {
        var data = new TheoryData<string>();
        foreach (Type type in GeneratedTypes()) data.Add(type.FullName!);
        return data;
    }

    private static IEnumerable<Type> GeneratedTypes() => typeof(DigitNet).Assembly.GetTypes()
        .Where(t => typeof(INetwork).IsAssignableFrom(t) && t.GetNestedType("Frozen") is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_result_is_bit_for_bit_the_recorded_one(string network)
    {
        string digest = Digest(network);
        if (KernelPath != Simd.Active)
        {
            // A path forced at build time and run in software (.ci/run's avx512-software leg on a machine without AVX-512):
            // software vectors may not fuse MultiplyAddEstimate, so the hardware's digests do not apply. Same run, same bits.
            Assert.Equal(digest, Digest(network));
            return;
        }
        if (Environment.GetEnvironmentVariable("STATICNET_RECORD_DIGESTS") == "1")
        {
            Record(network, digest);
            return;
        }
        Dictionary<string, string> golden = Read(GoldenFile);
        Assert.True(golden.TryGetValue(network, out string? expected),
            $"{network} has no recorded digest on {KernelPath} in {GoldenFile}: record it with STATICNET_RECORD_DIGESTS=1.");
        Assert.True(expected == digest, $"{network} on {KernelPath}: digest {digest}, recorded {expected}. Some result changed bits.");
    }

    [Fact]
    public void The_script_sees_a_changed_bit()
    {
        // One weight off by 2⁻¹¹ of itself (a flipped mantissa bit) must change the digest. (A flip of the last bit can vanish:
        // every output rounds to the same float, and the first SGD step rounds the weight itself back.)
        string name = typeof(DigitNet).FullName!;
        string clean = Digest(name);
        string flipped = Digest(name, net => net.Parameters[123] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(net.Parameters[123]) ^ (1 << 12)));
        Assert.NotEqual(clean, flipped);
        Assert.Equal(clean, Digest(name));
    }

    /// <summary>Runs the script on <paramref name="typeName"/> and returns the digest of everything it produced.</summary>
    private static string Digest(string typeName, Action<INetwork>? tamper = null)
    {
        Type type = typeof(DigitNet).Assembly.GetType(typeName) ?? throw new ArgumentException(typeName);
        var net = (INetwork)type.GetMethod("Create", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [3])!;
        Randomize(net, seed: 17, scale: 0.2f); // small enough that no network (the deep ReLU ones included) diverges to NaN
        var random = new Random(19);
        foreach (ParameterTensor t in net.Description.Statistics)
        {
            bool variance = t.Name.EndsWith("running_var", StringComparison.Ordinal);
            for (int i = 0; i < t.Length; i++) net.Statistics[t.Offset + i] = variance ? 0.5f + random.NextSingle() : random.NextSingle() - 0.5f;
        }
        tamper?.Invoke(net);

        int inputs = net.Description.Inputs, outputs = net.Description.Outputs;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(ReadOnlySpan<float> values) => hash.AppendData(MemoryMarshal.AsBytes(values));
        void AddOne(float value) => Add([value]);

        foreach (int rows in new[] { 1, 5, 53 })
        {
            float[] x = RandomInputs(rows, inputs, seed: rows);
            var y = new float[rows * outputs];
            net.Infer(x, y);
            Add(y);
        }
        foreach (int rows in new[] { 7, 53 })
        {
            float[] x = RandomInputs(rows, inputs, seed: 1000 + rows);
            int[] labels = RandomLabels(rows, LabelClasses(net.Description), seed: 2000 + rows);
            float[] targets = RandomTargets(rows, outputs, seed: 3000 + rows);
            AddOne(net.ComputeGradients(x, labels));
            Add(net.Gradients);
            AddOne(net.ComputeLoss(x, labels));
            AddOne(net.TrainStep(x, targets));
            Add(net.Gradients);
            AddOne(net.TrainStep(x, labels));
            Add(net.Parameters);
            Add(net.OptimizerState);
            Add(net.Statistics);
        }
        IFrozenNetwork frozen = net.Freeze();
        foreach (int rows in new[] { 1, 5, 53 })
        {
            float[] x = RandomInputs(rows, inputs, seed: 4000 + rows);
            var y = new float[rows * outputs];
            frozen.Infer(x, y);
            Add(y);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static readonly object FileLock = new();

    private static Dictionary<string, string> Read(string file)
    {
        var golden = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(file)) return golden;
        foreach (string line in File.ReadAllLines(file))
        {
            string[] parts = line.Split(' ', 2);
            if (parts.Length == 2) golden[parts[0]] = parts[1];
        }
        return golden;
    }

    private static void Record(string network, string digest)
    {
        lock (FileLock)
        {
            Dictionary<string, string> golden = Read(SourceGoldenFile);
            golden[network] = digest;
            Directory.CreateDirectory(Path.GetDirectoryName(SourceGoldenFile)!);
            File.WriteAllLines(SourceGoldenFile, golden.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + " " + e.Value));
        }
    }

    /// <summary>This source file's directory (the golden files live beside it, in the repository, not in bin/).</summary>
    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
