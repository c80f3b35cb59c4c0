using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// The generated source of one tiny network per feature, compared to the checked-in <c>Snapshots/SnapshotTests.*.verified.cs</c>,
/// so that a change to the generator shows as a diff a reviewer can read. Widths are small but chosen so that panels and
/// scalar tails still appear (9 outputs: one 8-wide Vector128 panel and one output left; the other networks stay narrower than
/// a panel). Except for the first, the
/// networks are generated for one kernel path (<c>StaticNetSimdPath=Vector128</c>): the three-path ladder is the same
/// code three times, shown once in <see cref="Ladder_of_three_kernel_paths_in_the_global_namespace"/>. The big networks
/// are covered by the numeric tests, not here. Accept intended changes with
/// <c>STATICNET_ACCEPT_SNAPSHOTS=1 dotnet test tests/StaticNet.Generators.Tests --filter SnapshotTests</c>.
/// </summary>
public class SnapshotTests
{
    [Fact]
    public Task Ladder_of_three_kernel_paths_in_the_global_namespace() => Snapshot.Verify(Generate("""
        using StaticNet;

        [Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
        [Dense(2)]
        partial class LinearNet;
        """, forcedPath: null));

    [Fact]
    public Task Dense_layer_wide_enough_for_a_panel() => Snapshot.Verify(Generate("""
        using StaticNet;

        namespace Samples;

        [Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
        [Dense(9)]
        public partial class PanelNet;
        """));

    [Fact]
    public Task Maxout_and_dropout_on_inputs_and_layers() => Snapshot.Verify(Generate("""
        using StaticNet;

        namespace Samples;

        [Network(Inputs = 5, Loss = Loss.SoftmaxCrossEntropy, InputDropout = 0.2f)]
        [Maxout(3, 2, Dropout = 0.5f)]
        [Dense(2)]
        public partial class MaxoutNet;
        """));

    [Fact]
    public Task Batch_normalization_and_a_learned_activation_on_one_layer() => Snapshot.Verify(Generate("""
        using StaticNet;

        namespace Samples;

        [Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
        [Dense(3, Activation.PReLU, BatchNorm = true)]
        public partial class NormalizedNet;
        """));

    [Fact]
    public Task Random_slopes_and_the_notes_form_of_dropout() => Snapshot.Verify(Generate("""
        using StaticNet;

        namespace Samples;

        [Network(Inputs = 5, Loss = Loss.BinaryCrossEntropy, DropoutForm = DropoutForm.Notes)]
        [Dense(3, Activation.RReLU, Dropout = 0.25f)]
        [Dense(1, Activation.Sigmoid)]
        public partial class NoisyNet;
        """));

    [Fact]
    public Task Nested_class_whose_equal_layers_share_kernels_with_Adam_L1_L2_and_clipping() => Snapshot.Verify(Generate("""
        using StaticNet;

        namespace Samples;

        public static partial class Models
        {
            [Network(Inputs = 2, Loss = Loss.MulticlassHinge, Optimizer = Optimizer.Adam, L1 = 0.001f, L2 = 0.01f, ClipNorm = 1f)]
            [Dense(2, Activation.ReLU)]
            [Dense(2, Activation.ReLU, RegularizeBias = true)]
            [Dense(2, Activation.ReLU)]
            [Dense(2, Activation.Softmax)]
            public partial class DeepNet;
        }
        """));

    [Fact]
    public Task Shell_of_a_declaration_with_errors()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;

            namespace Samples;

            [Network(Inputs = 0)]
            [Dense(3)]
            public partial class BrokenNet;
            """);
        Assert.Equal("SNET0002", Assert.Single(run.GeneratorDiagnostics).Id);
        run.AssertShellOnly();
        return Snapshot.Verify(run.SingleSource);
    }

    [Fact]
    public void The_snapshots_stay_small_enough_to_review()
    {
        // Budgets: 1,500 lines a file, 7,000 in all (a quarter of the 28,017 lines of the big-network snapshots they replaced).
        string directory = Path.Combine(SourceDirectory(), Snapshot.DirectoryName);
        var lines = Directory.GetFiles(directory, "*.verified.cs").ToDictionary(f => Path.GetFileName(f), f => File.ReadAllLines(f).Length);
        Assert.True(lines.Count >= 7, $"only {lines.Count} snapshots");
        Assert.All(lines, file => Assert.True(file.Value <= 1500, $"{file.Key} has {file.Value} lines"));
        Assert.True(lines.Values.Sum() <= 7000, $"the snapshots have {lines.Values.Sum()} lines in all");
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    /// <summary>
    /// Runs the generator for one kernel path (<paramref name="forcedPath"/>, or the three-path ladder when null), checks
    /// that it produced exactly one file that compiles without a warning, and returns its text.
    /// </summary>
    private static string Generate(string source, string? forcedPath = "Vector128")
    {
        var options = forcedPath is null ? null : new Dictionary<string, string> { ["build_property.StaticNetSimdPath"] = forcedPath };
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(globalOptions: options), GeneratorHarness.CreateCompilation(source));
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
        return run.SingleSource;
    }
}
