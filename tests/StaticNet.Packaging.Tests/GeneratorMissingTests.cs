using System.IO.Compression;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace StaticNet.Packaging.Tests;

/// <summary>
/// A project that references the StaticNet library without its source generator (what a plain ProjectReference to
/// src/StaticNet gives: the assembly, no analyzer) gets one diagnostic, SNET0100, that says what to add; with the
/// package (the generator present) it gets none, even with TreatWarningsAsErrors.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(PackedStaticNetCollection.Name)]
public sealed partial class GeneratorMissingTests(PackedStaticNet package, ITestOutputHelper output)
{
    [Fact]
    public void Library_without_the_generator_reports_exactly_SNET0100_naming_the_analyzer_reference_to_add()
    {
        package.AssertPacked();
        string directory = Directory.CreateDirectory(Path.Combine(package.Root, "PlainReference")).FullName;
        string library = Path.Combine(directory, "lib", "StaticNet.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(library)!);
        using (ZipArchive zip = ZipFile.OpenRead(package.PackagePath))
        {
            zip.GetEntry("lib/net10.0/StaticNet.dll")!.ExtractToFile(library);
        }
        File.WriteAllText(Path.Combine(directory, "PlainReference.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="StaticNet" HintPath="{library}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="staticnet-local" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using StaticNet;

            System.Console.WriteLine(typeof(PlainNet).Name);

            [Network(Inputs = 4)]
            [Dense(8, Activation.ReLU)]
            [Dense(3)]
            public partial class PlainNet;
            """);

        ProcessResult build = package.Dotnet(directory, "build", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        output.WriteLine($"{build.CommandLine}: exit {build.ExitCode}, {build.Elapsed.TotalSeconds:F1} s");
        string[] diagnostics = Diagnostics(build.Output);
        output.WriteLine(string.Join(Environment.NewLine, diagnostics));
        Assert.True(build.ExitCode != 0, $"with TreatWarningsAsErrors the missing generator must fail the build. {build.Describe()}");
        string only = Assert.Single(diagnostics);
        Assert.Contains("error SNET0100:", only, StringComparison.Ordinal);
        Assert.Contains("Program.cs(5,", only, StringComparison.Ordinal); // at the [Network] attribute
        Assert.Contains("source generator is not running", only, StringComparison.Ordinal);
        Assert.Contains("StaticNet.Generators.csproj", only, StringComparison.Ordinal);
        Assert.Contains("OutputItemType=\"Analyzer\"", only, StringComparison.Ordinal);
        Assert.Contains("ReferenceOutputAssembly=\"false\"", only, StringComparison.Ordinal);
    }

    /// <summary>The distinct compiler diagnostics of a build's output (MSBuild repeats them in its summary).</summary>
    internal static string[] Diagnostics(string buildOutput) =>
        buildOutput.Split('\n').Select(l => l.Trim())
            .Where(l => DiagnosticLine().IsMatch(l))
            .Select(l => Regex.Replace(l, @"\s*\[[^\]]*\.csproj\]$", ""))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    [GeneratedRegex(@": (error|warning) [A-Z]+[0-9]+:")]
    private static partial Regex DiagnosticLine();
}
