using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace StaticNet.Generators.Tests;

/// <summary>
/// The user manages StaticNet's diagnostics as any compiler diagnostic: <c>#pragma warning disable</c> and
/// <c>.editorconfig</c> severities work (checked with the SDK's own compiler, as a build runs it), and every descriptor
/// links to its entry in <c>docs/diagnostics.md</c>.
/// </summary>
public class DiagnosticSettingsTests
{
    private static IEnumerable<DiagnosticDescriptor> Descriptors()
        => typeof(NetworkGenerator).Assembly.GetType("StaticNet.Generators.Diagnostics.DiagnosticDescriptors")!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    [Fact]
    public void Every_descriptor_links_to_its_entry_in_the_diagnostics_page()
    {
        string page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"));
        var descriptors = Descriptors().ToList();
        Assert.True(descriptors.Count >= 20, $"only {descriptors.Count} descriptors found");
        foreach (DiagnosticDescriptor d in descriptors)
        {
            Assert.Equal("https://github.com/staticnet/StaticNet/blob/main/docs/diagnostics.md#" + d.Id.ToLowerInvariant(), d.HelpLinkUri);
            Assert.Matches(new Regex("^## " + d.Id + "$", RegexOptions.Multiline), page);
            Assert.Contains($"[{d.Id}](#{d.Id.ToLowerInvariant()})", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Pragmas_and_editorconfig_severities_apply_to_StaticNet_diagnostics()
    {
        // SNET0016 (a warning) in three files: left alone, disabled by a pragma, turned off by .editorconfig; SNET0012 (an
        // info) raised to an error by .editorconfig.
        const string Unused = "[Dense(3, Activation.ReLU, Alpha = 0.1f)] [Dense(2)]";
        string directory = Directory.CreateTempSubdirectory("staticnet-diagnostics-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "Plain.cs"), $"using StaticNet; [Network(Inputs = 4)] {Unused} public partial class Plain;");
            File.WriteAllText(Path.Combine(directory, "Pragma.cs"), $"using StaticNet;\n#pragma warning disable SNET0016\n[Network(Inputs = 4)] {Unused} public partial class WithPragma;\n#pragma warning restore SNET0016\n");
            File.WriteAllText(Path.Combine(directory, "Configured.cs"), $"using StaticNet; [Network(Inputs = 4)] {Unused} public partial class Configured;");
            File.WriteAllText(Path.Combine(directory, "Step.cs"), "using StaticNet; [Network(Inputs = 4)] [Dense(3, Activation.BinaryStep)] [Dense(2)] public partial class Step;");
            File.WriteAllText(Path.Combine(directory, ".editorconfig"), "root = true\n\n[Configured.cs]\ndotnet_diagnostic.SNET0016.severity = none\n\n[Step.cs]\ndotnet_diagnostic.SNET0012.severity = error\n");

            string output = Compile(directory, "Plain.cs", "Pragma.cs", "Configured.cs", "Step.cs");

            Assert.Matches(@"Plain\.cs\(1,\d+\): warning SNET0016", output);
            Assert.DoesNotMatch(@"Pragma\.cs\(\d+,\d+\): \w+ SNET0016", output);
            Assert.DoesNotMatch(@"Configured\.cs\(\d+,\d+\): \w+ SNET0016", output);
            Assert.Matches(@"Step\.cs\(1,\d+\): error SNET0012", output);
            Assert.DoesNotMatch(@"error CS\d+", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Runs the SDK's C# compiler on <paramref name="files"/> with the generator as an analyzer; returns its output.</summary>
    private static string Compile(string directory, params string[] files)
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        string csc = Directory.GetDirectories(Path.Combine(dotnetRoot, "sdk"))
            .Select(sdk => Path.Combine(sdk, "Roslyn", "bincore", "csc.dll"))
            .Where(File.Exists)
            .OrderBy(path => path, StringComparer.Ordinal)
            .Last();
        var arguments = new List<string>
        {
            "/noconfig", "/nologo", "/nostdlib+", "/target:library", "/langversion:latest", "/nullable:enable",
            "/out:" + Path.Combine(directory, "out.dll"),
            "/analyzer:" + typeof(NetworkGenerator).Assembly.Location,
            "/analyzerconfig:" + Path.Combine(directory, ".editorconfig"),
            "/reference:" + typeof(INetwork).Assembly.Location, // not NetworkAttribute: its [Obsolete] SNET0100 has no suppressor in this project
        };
        arguments.AddRange(Directory.GetFiles(runtime, "*.dll").Where(IsManaged).Select(path => "/reference:" + path));
        arguments.AddRange(files.Select(file => Path.Combine(directory, file)));
        string responseFile = Path.Combine(directory, "csc.rsp");
        File.WriteAllLines(responseFile, arguments.Select(a => "\"" + a + "\""));

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(csc);
        start.ArgumentList.Add("@" + responseFile);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static string RepositoryRoot([CallerFilePath] string path = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
