using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// The <c>StaticNetSimdPath</c> build property (<c>build_property.StaticNetSimdPath</c>) replaces the
/// <c>IsHardwareAccelerated</c> ladder with one forced path, and is an input of the emit step only.
/// </summary>
public class SimdPathOptionTests
{
    private const string Property = "build_property.StaticNetSimdPath";

    private static GeneratorRun Run(string source, string? simdPath)
    {
        var options = new Dictionary<string, string>();
        if (simdPath is not null) options[Property] = simdPath;
        return GeneratorHarness.Run(GeneratorHarness.CreateDriver(globalOptions: options), GeneratorHarness.CreateCompilation(source));
    }

    [Theory]
    [InlineData("Vector512")]
    [InlineData("Vector256")]
    [InlineData("Vector128")]
    [InlineData(" vector256 ")]
    public void A_forced_path_replaces_the_ladder_and_compiles(string value)
    {
        GeneratorRun run = Run(TestNetworks.OddRegression, value);
        string path = "Vector" + value.Trim()[^3..];
        string source = run.SingleSource;

        Assert.DoesNotContain("IsHardwareAccelerated", source, StringComparison.Ordinal);
        Assert.Contains($"public static SimdPath KernelPath => SimdPath.{path};", source, StringComparison.Ordinal);
        foreach (string other in new[] { "Vector512", "Vector256", "Vector128" }.Where(p => p != path))
        {
            Assert.DoesNotContain(other + ".", source, StringComparison.Ordinal);
        }
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_value_keeps_the_ladder(string? value)
    {
        string source = Run(TestNetworks.Mnist, value).SingleSource;

        Assert.Contains("if (Vector512.IsHardwareAccelerated)", source, StringComparison.Ordinal);
        Assert.Contains("public static SimdPath KernelPath => Simd.Active;", source, StringComparison.Ordinal);
        Assert.Equal(GeneratorHarness.Run(TestNetworks.Mnist).SingleSource, source);
    }

    [Fact]
    public void An_unknown_value_is_reported()
    {
        GeneratorRun run = Run(TestNetworks.Mnist, "AVX512");

        Assert.Contains(run.GeneratorDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
    }

    [Fact]
    public void Changing_the_option_re_emits_without_re_parsing()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(TestNetworks.Mnist);
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(globalOptions: new Dictionary<string, string>()), compilation);

        GeneratorDriver updated = first.Driver.WithUpdatedAnalyzerConfigOptions(
            new GeneratorHarness.GlobalOptionsProvider(new Dictionary<string, string> { [Property] = "Vector128" }));
        GeneratorRun second = GeneratorHarness.Run(updated, compilation);

        foreach (string name in new[] { NetworkGenerator.TrackingNames.Parse, NetworkGenerator.TrackingNames.Model })
        {
            Assert.All(second.Result.TrackedSteps[name].SelectMany(s => s.Outputs),
                o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }
        // The source output is re-emitted; the options' diagnostic output (SNET0010) has nothing new to say.
        Assert.Contains(second.Result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.DoesNotContain("IsHardwareAccelerated", second.SingleSource, StringComparison.Ordinal);
    }
}
