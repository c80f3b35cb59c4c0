using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace StaticNet.Packaging.Tests;

/// <summary>
/// What a user does: add the StaticNet package to a fresh console project, declare a network,
/// build and run it. Proves the package carries the runtime library and the generator (as an
/// analyzer), and nothing else is needed to restore it.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(PackedStaticNetCollection.Name)]
public sealed class PackageConsumerTests(PackedStaticNet package, ITestOutputHelper output)
{
    private const string TinyNetDeclaration = """
        [Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, LearningRate = 0.5f)]
        [Dense(8, Activation.Tanh)]
        [Dense(3)]
        public partial class TinyNet;
        """;

    // Three well separated clusters in 4-D, ten points each, with deterministic jitter; the network
    // is trained full-batch and must cut the loss at least tenfold and classify every point.
    private const string TrainingProgram = """
        using System;
        using StaticNet;

        const int Classes = 3, PerClass = 10, Features = 4, Rows = Classes * PerClass, Steps = 300;
        float[][] centers = [[1f, 1f, -1f, 0f], [-1f, 1f, 1f, 0f], [0f, -1f, 0f, 1f]];
        var inputs = new float[Rows * Features];
        var labels = new int[Rows];
        for (int row = 0; row < Rows; row++)
        {
            int c = row % Classes, i = row / Classes;
            labels[row] = c;
            for (int j = 0; j < Features; j++)
                inputs[row * Features + j] = centers[c][j] + 0.25f * MathF.Sin(1.7f * i + 2.3f * j + 0.5f * c);
        }

        TinyNet net = Create<TinyNet>(seed: 1);
        float initial = net.ComputeLoss(inputs, labels);
        for (int step = 0; step < Steps; step++) net.TrainStep(inputs, labels);
        float final = net.ComputeLoss(inputs, labels);

        var probabilities = new float[Rows * Classes];
        net.Infer(inputs, probabilities);
        int correct = 0;
        for (int row = 0; row < Rows; row++)
        {
            int best = 0;
            for (int k = 1; k < Classes; k++)
                if (probabilities[row * Classes + k] > probabilities[row * Classes + best]) best = k;
            if (best == labels[row]) correct++;
        }

        Console.WriteLine(FormattableString.Invariant($"initial loss: {initial:F6}"));
        Console.WriteLine(FormattableString.Invariant($"final loss: {final:F6}"));
        Console.WriteLine(FormattableString.Invariant($"accuracy: {correct}/{Rows}"));
        if (!float.IsFinite(initial) || !float.IsFinite(final)) return 3;
        if (!(final * 10f <= initial)) return 1;
        if (correct != Rows) return 2;
        Console.WriteLine("STATICNET-PACKAGE-OK");
        return 0;

        // Through the static interface, as generic user code would.
        static T Create<T>(int seed) where T : class, INetwork<T> => T.Create(seed);

        """ + TinyNetDeclaration;

    [Fact]
    public void Package_holds_the_runtime_in_lib_and_the_generator_in_analyzers_and_has_no_dependencies()
    {
        package.AssertPacked();
        output.WriteLine($"pack: {package.PackResult.Elapsed.TotalSeconds:F1} s -> {package.PackagePath}");

        using ZipArchive zip = ZipFile.OpenRead(package.PackagePath);
        string[] entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToArray();
        string listing = string.Join(Environment.NewLine, entries);
        Assert.True(entries.Contains("lib/net10.0/StaticNet.dll"), $"lib/net10.0/StaticNet.dll missing:{Environment.NewLine}{listing}");
        Assert.True(entries.Contains("analyzers/dotnet/cs/StaticNet.Generators.dll"), $"analyzers/dotnet/cs/StaticNet.Generators.dll missing:{Environment.NewLine}{listing}");
        Assert.False(entries.Any(e => e.StartsWith("lib/", StringComparison.OrdinalIgnoreCase) && e.EndsWith("/StaticNet.Generators.dll", StringComparison.OrdinalIgnoreCase)),
            $"the generator must not be a lib/ reference assembly:{Environment.NewLine}{listing}");

        ZipArchiveEntry nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using Stream stream = nuspecEntry.Open();
        XDocument nuspec = XDocument.Load(stream);
        string[] dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => $"{e.Attribute("id")?.Value} {e.Attribute("version")?.Value}").ToArray();
        Assert.True(dependencies.Length == 0, $"StaticNet must have no package dependencies, found: {string.Join(", ", dependencies)}{Environment.NewLine}{nuspec}");
        Assert.Equal(package.Version, nuspec.Descendants().Single(e => e.Name.LocalName == "version").Value);
    }

    [Fact]
    public void Fresh_console_project_restores_from_only_the_local_feed_builds_and_trains_a_network()
    {
        package.AssertPacked();
        string project = package.CreateConsumerProject("TinyNetApp", TrainingProgram);

        ProcessResult restore = Step(package.Dotnet(project, "restore", "-nodeReuse:false"));
        Assert.True(restore.ExitCode == 0, $"restore failed. {restore.Describe()}");
        string[] libraries = RestoredLibraries(project);
        Assert.True(libraries.SequenceEqual([$"StaticNet/{package.Version}"]),
            $"the fresh project should restore StaticNet {package.Version} and nothing else, got: {string.Join(", ", libraries)}");

        ProcessResult build = Step(package.Dotnet(project, "build", "--no-restore", "-nodeReuse:false", "-p:UseSharedCompilation=false"));
        Assert.True(build.ExitCode == 0, $"build failed. {build.Describe()}");
        // The generator is present, so its suppressor removes NetworkAttribute's "generator missing" warning (an error here).
        Assert.True(GeneratorMissingTests.Diagnostics(build.Output).Length == 0, $"a clean build should report no diagnostic. {build.Describe()}");

        ProcessResult run = Step(package.Dotnet(project, "run", "--no-build"));
        output.WriteLine(run.StandardOutput);
        Assert.True(run.ExitCode == 0, $"the trained network missed its goal (exit 1: loss not cut tenfold, 2: not 100% accurate, 3: not finite). {run.Describe()}");
        Assert.Contains("accuracy: 30/30", run.StandardOutput);
        Assert.Contains("STATICNET-PACKAGE-OK", run.StandardOutput);
        float initial = ReadLoss(run, "initial loss: ");
        float final = ReadLoss(run, "final loss: ");
        Assert.True(final * 10f <= initial, $"loss fell from {initial} to {final}, less than tenfold. {run.Describe()}");
    }

    [Fact]
    public void Invalid_declaration_in_a_fresh_project_fails_the_build_with_SNET0002_from_the_packaged_analyzer()
    {
        package.AssertPacked();
        string project = package.CreateConsumerProject("BadNetApp", """
            using StaticNet;

            System.Console.WriteLine("unreachable");

            [Network(Inputs = 0)]
            [Dense(3)]
            public partial class BadNet;
            """);

        ProcessResult restore = Step(package.Dotnet(project, "restore", "-nodeReuse:false"));
        Assert.True(restore.ExitCode == 0, $"restore failed. {restore.Describe()}");

        ProcessResult build = Step(package.Dotnet(project, "build", "--no-restore", "-nodeReuse:false", "-p:UseSharedCompilation=false"));
        Assert.True(build.ExitCode != 0, $"a network with Inputs = 0 must not build. {build.Describe()}");
        Assert.True(build.Output.Contains("error SNET0002", StringComparison.Ordinal), $"expected error SNET0002 from the packaged generator. {build.Describe()}");
    }

    private ProcessResult Step(ProcessResult result)
    {
        output.WriteLine($"{result.CommandLine}: exit {result.ExitCode}, {result.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    private static string[] RestoredLibraries(string project)
    {
        using JsonDocument assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json")));
        return assets.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
    }

    private static float ReadLoss(ProcessResult run, string prefix)
    {
        string? line = run.StandardOutput.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"no '{prefix}' line. {run.Describe()}");
        return float.Parse(line[prefix.Length..], NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
