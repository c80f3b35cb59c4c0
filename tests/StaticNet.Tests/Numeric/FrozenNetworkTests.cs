using System.Reflection;
using StaticNet.Reference;
using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Numeric;

/// <summary>
/// Batch normalization on a layer wide enough for AVX-512's 64-output panels (70 = one panel and 6 outputs of dot products;
/// AVX2: 4 panels of 16, Vector128: 8 of 8), so that the frozen network's folded W is packed on every path.
/// </summary>
[Network(Inputs = 20, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(70, Activation.ReLU, BatchNorm = true)]
[Dense(3)]
public partial class FrozenBatchNormPanelNet;

/// <summary>
/// <c>Freeze()</c>: the frozen network's inference against the double-precision reference on every generated network of
/// this assembly (every layer kind, activation and loss), at row counts that reach each of its kernels (one row at a time
/// skipping zero inputs below 6 sparse rows, tiles of 6 rows and the 1 to 5 rows left, dot products past the last panel),
/// on dense and on sparse inputs; and its contract: a snapshot, bit for bit the network's own Infer where both take the
/// panel form, argument checks, no allocation. .ci/run repeats these on every kernel path.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class FrozenNetworkTests
{
    /// <summary>Every generated network type in this assembly (those with a nested <c>Frozen</c>).</summary>
    public static TheoryData<string> Networks()
    {
        var data = new TheoryData<string>();
        foreach (Type type in GeneratedTypes()) data.Add(type.FullName!);
        return data;
    }

    private static IEnumerable<Type> GeneratedTypes() => typeof(DigitNet).Assembly.GetTypes()
        .Where(t => typeof(INetwork).IsAssignableFrom(t) && t.GetNestedType("Frozen") is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static INetwork Create(string typeName, int seed)
    {
        Type type = typeof(DigitNet).Assembly.GetType(typeName) ?? throw new ArgumentException(typeName);
        return (INetwork)type.GetMethod("Create", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [seed])!;
    }

    /// <summary>Random parameters and, with batch normalization, random running statistics (variances in [0.5, 1.5]).</summary>
    private static INetwork Prepared(string typeName)
    {
        INetwork net = Create(typeName, seed: 3);
        Randomize(net, seed: 17);
        Span<float> statistics = net.Statistics;
        var random = new Random(19);
        foreach (ParameterTensor t in net.Description.Statistics)
        {
            bool variance = t.Name.EndsWith("running_var", StringComparison.Ordinal);
            for (int i = 0; i < t.Length; i++) statistics[t.Offset + i] = variance ? 0.5f + random.NextSingle() : random.NextSingle() - 0.5f;
        }
        return net;
    }

    /// <summary>Inputs in [−1, 1], or with <paramref name="zeroFraction"/> of them exactly 0 (MNIST's pixels are 81 % zeros).</summary>
    private static float[] Inputs(int rows, int width, int seed, double zeroFraction)
    {
        float[] x = RandomInputs(rows, width, seed);
        var random = new Random(seed + 1000);
        for (int i = 0; i < x.Length; i++)
        {
            if (random.NextDouble() < zeroFraction) x[i] = 0f;
        }
        return x;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Frozen_inference_matches_the_reference(string network)
    {
        INetwork net = Prepared(network);
        ReferenceNetwork reference = ReferenceNetwork.Of(net);
        IFrozenNetwork frozen = net.Freeze();
        int inputs = net.Description.Inputs, outputs = net.Description.Outputs;
        Assert.Same(net.Description, frozen.Description);

        // 1–5 rows: one at a time when sparse, a tile of that many rows when dense; 6, 9 and 16 rows: tiles of 6 and the rest.
        foreach (int rows in new[] { 1, 2, 3, 4, 5, 6, 9, 16 })
        {
            foreach (double zeros in new[] { 0.0, 0.8 })
            {
                float[] x = Inputs(rows, inputs, seed: 100 * rows + (int)(10 * zeros), zeros);
                var y = new float[rows * outputs];
                frozen.Infer(x, y);
                AssertClose(reference.Forward(x), y, $"{network} frozen output, {rows} row(s), {zeros:P0} zeros");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Frozen_inference_is_the_network_inference_bit_for_bit_from_48_rows(string network)
    {
        // From 48 rows the network's own forward kernels also take the panel form (transposing W on every call), and both sum
        // each output as the bias plus one chain in the order of the inputs; below 48 it takes dot products, summed otherwise.
        // A Dense layer's batch normalization is folded into the frozen W and b, which rounds differently: close, not equal.
        INetwork net = Prepared(network);
        IFrozenNetwork frozen = net.Freeze();
        int inputs = net.Description.Inputs, outputs = net.Description.Outputs;
        bool folds = net.Description.Layers.Any(l => l.BatchNorm is not null && l.Pieces == 1);
        foreach (int rows in new[] { 48, 53, 58 })
        {
            float[] x = Inputs(rows, inputs, seed: rows, zeroFraction: 0.5);
            float[] expected = new float[rows * outputs], actual = new float[rows * outputs];
            net.Infer(x, expected);
            frozen.Infer(x, actual);
            if (folds) AssertClose(expected.Select(v => (double)v).ToArray(), actual, $"{network} frozen output with batch normalization folded, {rows} rows");
            else Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_sparse_row_alone_gives_what_it_gives_inside_a_batch(string network)
    {
        // Alone, a sparse row takes the kernel that skips zero inputs; inside 7 rows, the tiles that read every weight.
        // Both add the same non-zero products in the same order, so the outputs are equal (a skipped product is ±0).
        INetwork net = Prepared(network);
        IFrozenNetwork frozen = net.Freeze();
        int inputs = net.Description.Inputs, outputs = net.Description.Outputs;
        float[] batch = Inputs(7, inputs, seed: 5, zeroFraction: 0.8);
        Array.Clear(batch, 3 * inputs, inputs); // one row of zeros: the outputs of the biases alone
        var together = new float[7 * outputs];
        frozen.Infer(batch, together);
        for (int r = 0; r < 7; r++)
        {
            var alone = new float[outputs];
            frozen.Infer(batch.AsSpan(r * inputs, inputs), alone);
            Assert.Equal(together.AsSpan(r * outputs, outputs).ToArray(), alone);
        }
    }

    [Fact]
    public void A_frozen_network_is_a_snapshot_and_freezing_again_picks_up_changes()
    {
        var net = new PanelNet(seed: 1);
        float[] x = Inputs(9, PanelNet.InputSize, seed: 2, zeroFraction: 0.5);
        int[] y = RandomLabels(9, PanelNet.OutputSize, seed: 3);
        var before = new float[9 * PanelNet.OutputSize];
        net.Infer(x, before);
        PanelNet.Frozen frozen = net.Freeze();

        net.TrainStep(x, y);
        net.Parameter("layers.0.weight")[0] += 1f;
        var after = new float[before.Length];
        frozen.Infer(x, after);
        AssertClose(before.Select(v => (double)v).ToArray(), after, "frozen output after the network trained");

        var changed = new float[before.Length];
        net.Infer(x, changed);
        var refrozen = new float[before.Length];
        net.Freeze().Infer(x, refrozen);
        Assert.NotEqual(before, changed);
        AssertClose(changed.Select(v => (double)v).ToArray(), refrozen, "output of the network frozen again");
    }

    [Fact]
    public void A_frozen_network_keeps_the_running_statistics_it_was_frozen_with()
    {
        // Batch normalization is folded into the frozen W and b with the statistics of that moment; training moves the
        // network's running statistics (and parameters) on, not the snapshot's.
        INetwork net = Prepared(typeof(FrozenBatchNormPanelNet).FullName!);
        float[] x = Inputs(9, FrozenBatchNormPanelNet.InputSize, seed: 4, zeroFraction: 0.3);
        int[] y = RandomLabels(9, FrozenBatchNormPanelNet.OutputSize, seed: 5);
        double[] expected = ReferenceNetwork.Of(net).Forward(x);
        IFrozenNetwork frozen = net.Freeze();
        float[] statistics = net.Statistics.ToArray();

        for (int step = 0; step < 3; step++) net.TrainStep(x, y);
        Assert.NotEqual(statistics, net.Statistics.ToArray());
        var after = new float[9 * FrozenBatchNormPanelNet.OutputSize];
        frozen.Infer(x, after);
        AssertClose(expected, after, "frozen output after the network trained");

        var refrozen = new float[after.Length];
        net.Freeze().Infer(x, refrozen);
        AssertClose(ReferenceNetwork.Of(net).Forward(x), refrozen, "output of the network frozen again");
    }

    [Fact]
    public void Bad_spans_name_the_parameter_and_the_expected_size()
    {
        DigitNet.Frozen frozen = new DigitNet(seed: 1).Freeze();
        var inputs = Assert.Throws<ArgumentException>(() => frozen.Infer(new float[DigitNet.InputSize + 1], new float[DigitNet.OutputSize]));
        Assert.Equal("inputs", inputs.ParamName);
        Assert.Contains($"multiple of {DigitNet.InputSize}", inputs.Message, StringComparison.Ordinal);
        var outputs = Assert.Throws<ArgumentException>(() => frozen.Infer(new float[2 * DigitNet.InputSize], new float[DigitNet.OutputSize]));
        Assert.Equal("outputs", outputs.ParamName);
        Assert.Contains($"expected {2 * DigitNet.OutputSize}", outputs.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => frozen.Infer(ReadOnlySpan<float>.Empty, Span<float>.Empty));
    }

    [Fact]
    public void Inference_allocates_nothing_once_the_buffers_have_grown()
    {
        DigitNet.Frozen frozen = new DigitNet(seed: 1).Freeze();
        float[] sparse = Inputs(1, DigitNet.InputSize, seed: 1, zeroFraction: 0.8), batch = Inputs(64, DigitNet.InputSize, seed: 2, zeroFraction: 0.0);
        var outputs = new float[64 * DigitNet.OutputSize];
        frozen.Infer(batch, outputs);
        frozen.Infer(sparse, outputs.AsSpan(0, DigitNet.OutputSize));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            frozen.Infer(batch, outputs);
            frozen.Infer(sparse, outputs.AsSpan(0, DigitNet.OutputSize));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Every_network_of_the_assembly_is_covered()
    {
        // The theories above enumerate the generated types by reflection; make sure that finds the ones named elsewhere.
        var names = GeneratedTypes().Select(t => t.Name).ToHashSet();
        Assert.Contains(nameof(DigitNet), names);
        Assert.Contains(nameof(WideNet), names);
        Assert.Contains(nameof(PanelNet), names);
        Assert.Contains(nameof(FrozenBatchNormPanelNet), names);
        Assert.True(names.Count > 50, $"only {names.Count} generated networks found");
    }
}
