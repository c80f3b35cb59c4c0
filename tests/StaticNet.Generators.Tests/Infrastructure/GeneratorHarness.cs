using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace StaticNet.Generators.Tests.Infrastructure;

/// <summary>One source file of a test compilation.</summary>
/// <param name="Path">The file path of the syntax tree; diagnostics locations are matched by it.</param>
/// <param name="Text">The C# source.</param>
public sealed record SourceFile(string Path, string Text);

/// <summary>Everything one run of the generator produced.</summary>
public sealed record GeneratorRun(
    GeneratorDriver Driver,
    GeneratorDriverRunResult RunResult,
    CSharpCompilation InputCompilation,
    Compilation OutputCompilation,
    ImmutableArray<GeneratedSourceResult> GeneratedSources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> OutputCompilationDiagnostics)
{
    /// <summary>The result of the only generator the driver runs.</summary>
    public GeneratorRunResult Result => RunResult.Results.Single();

    /// <summary>The text of the only generated source (fails when there is not exactly one).</summary>
    public string SingleSource
    {
        get
        {
            GeneratedSourceResult source = Assert.Single(GeneratedSources);
            return source.SourceText.ToString();
        }
    }

    /// <summary>The output compilation's diagnostics of severity warning or error.</summary>
    public ImmutableArray<Diagnostic> OutputWarningsAndErrors
        => OutputCompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    /// <summary>The text of the source file that <paramref name="location"/> points into, at its span.</summary>
    /// <remarks>
    /// The generator reports external-file locations (path + span, no syntax tree, see
    /// <c>LocationInfo</c>), so the span is resolved against the input tree with the same path.
    /// </remarks>
    public string SpanText(Location location)
    {
        SyntaxTree tree = location.SourceTree
            ?? InputCompilation.SyntaxTrees.Single(t => t.FilePath == location.GetLineSpan().Path);
        return tree.GetText().ToString(location.SourceSpan);
    }

    /// <summary>
    /// Asserts that a declaration with errors generated at most its shell (the public surface with members that throw, so
    /// that the SNET error is the only one the user sees) and that the output compilation has no error of its own.
    /// </summary>
    public void AssertShellOnly()
    {
        Assert.All(GeneratedSources, s => Assert.Contains("while its declaration has errors", s.SourceText.ToString(), StringComparison.Ordinal));
        Assert.Empty(OutputCompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    /// <summary>The hint names of the generated files without their hash: <c>N.Net.g.cs</c> for <c>N.Net.1a2b3c4d.g.cs</c>.</summary>
    public IEnumerable<string> PlainHintNames
        => GeneratedSources.Select(s => System.Text.RegularExpressions.Regex.Replace(s.HintName, @"\.[0-9a-f]{8}\.g\.cs$", ".g.cs"));

    /// <summary>Every generator and output-compilation diagnostic, formatted, for assertion messages.</summary>
    public string Describe()
        => string.Join(Environment.NewLine, GeneratorDiagnostics.Concat(OutputCompilationDiagnostics).Select(d => d.ToString()));
}

/// <summary>
/// Builds a compilation from source text, runs <see cref="NetworkGenerator"/> on it with step
/// tracking on, and collects the generated sources and the diagnostics of both the generator
/// and the output compilation.
/// </summary>
public static class GeneratorHarness
{
    /// <summary>The parse options of the test compilations and of the generated trees.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>
    /// Library, nullable enabled, the highest warning level (the SDK's default for new projects is
    /// at least as strict as level 4; 9999 also turns on every warning wave), and the two
    /// assembly-unification warnings the SDK silences by default (NoWarn 1701;1702).
    /// </summary>
    public static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            warningLevel: 9999,
            deterministic: true)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
        {
            // NetworkAttribute's [Obsolete] "generator missing" warning: in a real build the generator assembly's
            // GeneratorPresentSuppressor removes it; a GeneratorDriver runs no suppressors.
            ["SNET0100"] = ReportDiagnostic.Suppress,
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        });

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>The runtime's trusted platform assemblies plus StaticNet.dll, each once.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    /// <summary>The default path of a single-file test compilation.</summary>
    public const string DefaultPath = "Network.cs";

    public static CSharpCompilation CreateCompilation(string source) => CreateCompilation(new SourceFile(DefaultPath, source));

    public static CSharpCompilation CreateCompilation(params SourceFile[] sources) => CreateCompilation(sources, ParseOptions);

    public static CSharpCompilation CreateCompilation(IEnumerable<SourceFile> sources, CSharpParseOptions parseOptions)
        => CSharpCompilation.Create(
            "StaticNet.Generators.Tests.Input",
            sources.Select(s => CSharpSyntaxTree.ParseText(SourceText.From(s.Text, System.Text.Encoding.UTF8), parseOptions, s.Path)),
            References,
            CompilationOptions);

    /// <summary>
    /// A driver for <see cref="NetworkGenerator"/> that tracks its incremental steps, optionally with
    /// global analyzer-config options (MSBuild properties arrive as <c>build_property.Name</c>).
    /// </summary>
    public static GeneratorDriver CreateDriver(CSharpParseOptions? parseOptions = null, IReadOnlyDictionary<string, string>? globalOptions = null)
        => CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            optionsProvider: globalOptions is null ? null : new GlobalOptionsProvider(globalOptions),
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(string source) => Run(CreateCompilation(source));

    public static GeneratorRun Run(params SourceFile[] sources) => Run(CreateCompilation(sources));

    public static GeneratorRun Run(CSharpCompilation compilation) => Run(CreateDriver(), compilation);

    /// <summary>Runs <paramref name="driver"/> (fresh or from an earlier run) on <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, CSharpCompilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        return new GeneratorRun(
            driver,
            result,
            compilation,
            output,
            result.Results.SelectMany(r => r.GeneratedSources).ToImmutableArray(),
            generatorDiagnostics,
            output.GetDiagnostics());
    }

    /// <summary>Analyzer-config options with only global values, as MSBuild's CompilerVisibleProperty provides them.</summary>
    public sealed class GlobalOptionsProvider(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(values);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;

        private sealed class DictionaryOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
                => values.TryGetValue(key, out value);
        }
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        string trusted = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")
            ?? throw new InvalidOperationException("The runtime did not provide TRUSTED_PLATFORM_ASSEMBLIES.");
        IEnumerable<string> all = trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(typeof(INetwork).Assembly.Location); // not NetworkAttribute: [Obsolete] SNET0100 without the generator's suppressor
        foreach (string path in all)
        {
            // The test host may list StaticNet.dll among its trusted assemblies already: add each file once.
            if (paths.Add(Path.GetFullPath(path))) references.Add(MetadataReference.CreateFromFile(path));
        }
        return references.ToImmutable();
    }
}
