using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace StaticNet.Packaging.Tests;

/// <summary>
/// Every C# block of README.md compiles against the packed StaticNet, as a user would paste it. A block is a complete
/// program unless the line before it says otherwise:
/// <list type="bullet">
/// <item><c>&lt;!-- compile: run --&gt;</c>: a complete program, also run (it must exit with 0).</item>
/// <item><c>&lt;!-- compile: program --&gt;</c>: a complete program (the default).</item>
/// <item><c>&lt;!-- compile: declarations --&gt;</c>: types, compiled in one project with the fragments.</item>
/// <item><c>&lt;!-- compile: fragment; PRELUDE --&gt;</c>: statements, wrapped in a method after the optional PRELUDE
/// (declarations of the variables the fragment assumes), with every StaticNet namespace imported.</item>
/// <item><c>&lt;!-- compile: excerpt (REASON) --&gt;</c>: not compiled (generated code with elisions); the reason is required.</item>
/// </list>
/// </summary>
[Trait("Category", "Packaging")]
[Collection(PackedStaticNetCollection.Name)]
public sealed partial class ReadmeSnippetTests(PackedStaticNet package, ITestOutputHelper output)
{
    private sealed record Block(int Line, string Kind, string Prelude, string Code);

    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using StaticNet;
        using StaticNet.Data;
        using StaticNet.Interop;
        using StaticNet.Metrics;
        using StaticNet.Serialization;
        using StaticNet.Training;

        """;

    [Fact]
    public void Every_CSharp_block_of_the_README_compiles_and_the_runnable_ones_run()
    {
        package.AssertPacked();
        Block[] blocks = Blocks(File.ReadAllText(Path.Combine(package.RepoRoot, "README.md")));
        Assert.True(blocks.Length >= 5, $"only {blocks.Length} C# blocks found in README.md");
        foreach (Block b in blocks) output.WriteLine($"README.md line {b.Line}: {b.Kind}");

        var projects = new List<string>();
        var fragments = new StringBuilder(Usings);
        fragments.AppendLine("internal static class ReadmeFragments").AppendLine("{");
        var declarations = new List<(int Line, string Code)>();
        foreach (Block b in blocks)
        {
            switch (b.Kind)
            {
                case "program" or "run":
                    projects.Add(package.CreateConsumerProject($"ReadmeLine{b.Line}", b.Code));
                    break;
                case "declarations":
                    declarations.Add((b.Line, b.Code));
                    break;
                case "fragment":
                    fragments.AppendLine($"    // README.md line {b.Line}").AppendLine($"    internal static void Line{b.Line}()").AppendLine("    {");
                    fragments.AppendLine(b.Prelude).AppendLine(b.Code).AppendLine("    }");
                    break;
                case "excerpt":
                    break;
                default:
                    Assert.Fail($"README.md line {b.Line}: unknown block kind '{b.Kind}' (run, program, declarations, fragment, excerpt).");
                    break;
            }
        }
        fragments.AppendLine("}");
        string fragmentProject = package.CreateConsumerProject("ReadmeFragments", fragments.ToString(), outputType: "Library");
        foreach ((int line, string code) in declarations) File.WriteAllText(Path.Combine(fragmentProject, $"DeclarationsLine{line}.cs"), code);
        projects.Add(fragmentProject);

        string solution = Path.Combine(package.Root, "Readme.slnx");
        File.WriteAllText(solution, "<Solution>" + string.Concat(projects.Select(p => $"<Project Path=\"{Path.Combine(p, Path.GetFileName(p) + ".csproj")}\" />")) + "</Solution>");
        ProcessResult build = DotnetCli.Run(package.Root, package.ConsumerEnvironment, TimeSpan.FromMinutes(8), "build", solution, "-c", "Release", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        output.WriteLine($"{build.CommandLine}: exit {build.ExitCode}, {build.Elapsed.TotalSeconds:F1} s");
        Assert.True(build.ExitCode == 0,
            $"a README block does not compile (the project name gives its line in README.md):{Environment.NewLine}" +
            $"{string.Join(Environment.NewLine, GeneratorMissingTests.Diagnostics(build.Output))}{Environment.NewLine}{build.Describe()}");

        foreach (Block b in blocks.Where(b => b.Kind == "run"))
        {
            string project = Path.Combine(package.Root, $"ReadmeLine{b.Line}");
            ProcessResult run = package.Dotnet(project, "run", "--no-build", "-c", "Release");
            output.WriteLine($"README.md line {b.Line}, run: exit {run.ExitCode}, {run.Elapsed.TotalSeconds:F1} s{Environment.NewLine}{run.StandardOutput}");
            Assert.True(run.ExitCode == 0, $"the program at README.md line {b.Line} failed. {run.Describe()}");
        }
    }

    /// <summary>The ```csharp blocks, each with the kind and prelude its marker line gives.</summary>
    private static Block[] Blocks(string readme)
    {
        string[] lines = readme.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<Block>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp") continue;
            int start = i;
            var code = new StringBuilder();
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++) code.AppendLine(lines[i]);
            string kind = "program", prelude = "";
            Match marker = start > 0 ? Marker().Match(lines[start - 1]) : Match.Empty;
            if (marker.Success)
            {
                kind = marker.Groups["kind"].Value;
                prelude = marker.Groups["rest"].Value.Trim().TrimStart(';').Trim();
                if (kind == "excerpt") Assert.True(prelude.Length > 0, $"README.md line {start}: an excerpt needs a reason: <!-- compile: excerpt (why) -->");
            }
            blocks.Add(new Block(start + 1, kind, prelude, code.ToString()));
        }
        return blocks.ToArray();
    }

    [GeneratedRegex(@"^\s*<!--\s*compile:\s*(?<kind>[a-z]+)(?<rest>.*?)-->\s*$")]
    private static partial Regex Marker();
}
