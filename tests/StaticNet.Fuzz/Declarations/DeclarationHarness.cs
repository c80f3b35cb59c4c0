using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using StaticNet.Generators;

namespace StaticNet.Fuzz.Declarations;

/// <summary>What went wrong with a case.</summary>
public enum FailureKind
{
    /// <summary>The generator (or the driver running it) threw.</summary>
    Threw,

    /// <summary>The generator reported SNET9999, its internal failure.</summary>
    InternalError,

    /// <summary>Generation took a second or more.</summary>
    Slow,

    /// <summary>Generation did not end within the hard timeout; the case was abandoned.</summary>
    Hung,

    /// <summary>A well-formed [Network] declaration that compiles gave neither code nor an SNET diagnostic.</summary>
    Silent,

    /// <summary>The generator reported no SNET error, but the generated code has compile errors or warnings.</summary>
    CompileError,

    /// <summary>Layers split over two partial declarations give different networks depending on the order of the files.</summary>
    OrderDependent,
}

/// <summary>One failure: its kind, a key that groups failures of one cause (the diagnostic IDs, the exception type), and details.</summary>
public sealed record Failure(FailureKind Kind, string Key, string Detail);

/// <summary>One generator run on one case, and what the checks found.</summary>
public sealed class CaseResult(FuzzCase fuzzCase)
{
    public FuzzCase Case { get; } = fuzzCase;
    public TimeSpan Generation { get; set; }
    public List<Failure> Failures { get; } = [];
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; set; } = [];
    public ImmutableArray<SyntaxTree> InputTrees { get; set; } = [];
    public ImmutableArray<SyntaxTree> GeneratedTrees { get; set; } = [];
    public long GeneratedChars { get; set; }
    public bool InputHasSyntaxErrors { get; set; }
    public bool HasSnetError => GeneratorDiagnostics.Any(d => d.Id.StartsWith("SNET", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error);

    /// <summary>Whether the generated code should compile: code was generated for well-formed text, without an SNET error or another failure.</summary>
    public bool ShouldCompile => !HasSnetError && !InputHasSyntaxErrors && GeneratedTrees.Length > 0 && Failures.Count == 0;

    /// <summary>Compiled (alone or in a batch) without finding anything.</summary>
    public bool Compiled { get; set; }

    /// <summary>Too much generated code to compile within the run's budget (counted and reported, not checked).</summary>
    public bool TooLargeToCompile { get; set; }
}

/// <summary>
/// Runs <see cref="NetworkGenerator"/> through Roslyn's <see cref="CSharpGeneratorDriver"/> on fuzz cases, one driver
/// run per case (timed alone), and compiles the generated code of many cases in one compilation (they live in namespaces
/// of their own), attributing each diagnostic to the case whose tree it is in. References are loaded once.
/// </summary>
public static class DeclarationHarness
{
    /// <summary>Generation at or above this is a failure (the issue: each declaration under a second), in CPU time of the generator's thread (<see cref="ThreadCpu"/>).</summary>
    public static readonly TimeSpan SlowLimit = TimeSpan.FromSeconds(1);

    /// <summary>Past this (wall clock) a generator run is abandoned as hung (its thread keeps running; the test fails).</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    /// <summary>Cases whose generated code is larger than this are not compiled (deep networks: see the README's figures).</summary>
    public const long MaxCompiledChars = 600_000;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>As the generator tests compile: a library, nullable on, every warning (level 9999), one thread.</summary>
    public static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            warningLevel: 9999,
            deterministic: true,
            concurrentBuild: false)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
        {
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        });

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    /// <summary>
    /// An empty compilation with the references, from which every other is made (<c>AddSyntaxTrees</c>): derived
    /// compilations share its bound reference symbols, which a fresh <c>CSharpCompilation.Create</c> would bind again
    /// (measured: 0.5 s of a 0.6 s compilation of one small network).
    /// </summary>
    private static readonly Lazy<CSharpCompilation> Base = new(() =>
    {
        CSharpCompilation empty = CSharpCompilation.Create("Fuzz", [], References, CompilationOptions);
        _ = empty.GetDiagnostics(); // binds the references once
        return empty;
    });

    /// <summary>A compilation of <paramref name="trees"/> that reuses the references' symbols.</summary>
    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees) => Base.Value.AddSyntaxTrees(trees);

    /// <summary>Diagnostics that two cases of one batch can cause together (duplicate or ambiguous names): then each involved case is compiled alone.</summary>
    private static readonly HashSet<string> CrossCaseIds = ["CS0101", "CS0102", "CS0111", "CS0121", "CS0229", "CS0433", "CS0436", "CS0104", "CS0260", "CS0261", "CS0262", "CS0263", "CS8785"];

    /// <summary>Runs the generator on <paramref name="fuzzCase"/>: the checks that need no compilation (throws, SNET9999, time, silence).</summary>
    public static CaseResult Generate(FuzzCase fuzzCase)
    {
        var result = new CaseResult(fuzzCase);
        ImmutableArray<SyntaxTree> inputs = fuzzCase.Files()
            .Select((text, i) => CSharpSyntaxTree.ParseText(SourceText.From(text, System.Text.Encoding.UTF8), ParseOptions, $"Case{fuzzCase.Index}_{i}.cs"))
            .ToImmutableArray();
        result.InputTrees = inputs;
        result.InputHasSyntaxErrors = inputs.Any(t => t.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error));

        Run run = RunWithTimeout(inputs, fuzzCase.SimdPath);
        if (!run.Hung && run.Elapsed >= SlowLimit)
        {
            // Confirm a slow run once, after a full collection: a blocking GC that happened to land on the generator's
            // thread is not the generator's time.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Run again = RunWithTimeout(inputs, fuzzCase.SimdPath);
            if (!again.Hung && again.Elapsed < run.Elapsed) run = again;
        }
        result.Generation = run.Elapsed;
        if (run.Hung)
        {
            result.Failures.Add(new Failure(FailureKind.Hung, "Hung", $"no result after {HangLimit.TotalSeconds:0} s"));
            return result;
        }
        if (run.DriverException is Exception thrown)
        {
            result.Failures.Add(new Failure(FailureKind.Threw, $"Threw {thrown.GetType().Name} (driver)", thrown.ToString()));
            return result;
        }
        GeneratorRunResult generator = run.Result!.Value;
        result.GeneratorDiagnostics = run.Diagnostics;
        result.GeneratedTrees = generator.GeneratedSources.Select(s => s.SyntaxTree).ToImmutableArray();
        result.GeneratedChars = generator.GeneratedSources.Sum(s => (long)s.SourceText.Length);

        if (generator.Exception is Exception e)
        {
            string frame = new StackTrace(e).GetFrames().Select(f => f.GetMethod()).FirstOrDefault(m => m?.DeclaringType?.Namespace?.StartsWith("StaticNet", StringComparison.Ordinal) == true) is { } method
                ? $"{method.DeclaringType!.Name}.{method.Name}"
                : "?";
            result.Failures.Add(new Failure(FailureKind.Threw, $"Threw {e.GetType().Name} in {frame}", e.ToString()));
        }
        foreach (Diagnostic d in run.Diagnostics.Where(d => d.Id is "CS8785" or "CS8784").Where(_ => generator.Exception is null))
        {
            result.Failures.Add(new Failure(FailureKind.Threw, $"Threw ({d.Id})", d.ToString()));
        }
        if (run.Diagnostics.FirstOrDefault(d => d.Id == "SNET9999") is Diagnostic internalError)
        {
            result.Failures.Add(new Failure(FailureKind.InternalError, "SNET9999", internalError.ToString()));
        }
        if (run.Elapsed >= SlowLimit)
        {
            result.Failures.Add(new Failure(FailureKind.Slow, "Slow", $"generation took {run.Elapsed.TotalSeconds:0.00} s for {result.GeneratedChars:N0} characters"));
        }
        if (fuzzCase.ExpectsAnAnswer && result.Failures.Count == 0 && !result.InputHasSyntaxErrors && result.GeneratedTrees.IsEmpty
            && !run.Diagnostics.Any(d => d.Id.StartsWith("SNET", StringComparison.Ordinal)))
        {
            // Silent only when the compiler says nothing either (an attribute on a struct is the compiler's CS0592 to report).
            CSharpCompilation input = Compile(inputs);
            if (!input.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                result.Failures.Add(new Failure(FailureKind.Silent, "Silent", "a well-formed [Network] declaration generated nothing and reported nothing"));
            }
        }
        if (fuzzCase.Category == "split-partial" && result.Failures.Count == 0 && !result.HasSnetError && inputs.Length == 2)
        {
            Run reversed = RunWithTimeout([inputs[1], inputs[0]], fuzzCase.SimdPath);
            if (reversed.Result is { } other && !reversed.Diagnostics.Any(d => d.Id.StartsWith("SNET", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error)
                && Text(other) != Text(generator))
            {
                result.Failures.Add(new Failure(FailureKind.OrderDependent, "OrderDependent",
                    "the generated network differs when the two files are given in the other order, and no SNET error says so"));
            }
        }
        return result;

        static string Text(GeneratorRunResult r) => string.Join("\n", r.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => s.SourceText.ToString()));
    }

    /// <summary>
    /// Compiles the generated code of <paramref name="results"/> (those that should compile) in one compilation and records
    /// a <see cref="FailureKind.CompileError"/> on each case with an error or warning in its generated trees, or a new error
    /// in its own input caused by the generated code. Cases with diagnostics that two cases could cause together, or
    /// without a location, are compiled again alone.
    /// </summary>
    public static void CompileBatch(IReadOnlyList<CaseResult> results)
    {
        var owner = new Dictionary<SyntaxTree, CaseResult>();
        var generatedOf = new Dictionary<SyntaxTree, CaseResult>();
        var trees = new List<SyntaxTree>();
        var shared = new Dictionary<(string Path, string Text), SyntaxTree>();
        foreach (CaseResult r in results)
        {
            foreach (SyntaxTree t in r.InputTrees) { trees.Add(t); owner[t] = r; }
            foreach (SyntaxTree t in r.GeneratedTrees)
            {
                // Files that several cases generate identically (shared helpers) are compiled once, as one project would.
                var key = (Path.GetFileName(t.FilePath), t.GetText().ToString());
                if (shared.TryAdd(key, t)) { trees.Add(t); owner[t] = r; generatedOf[t] = r; }
            }
        }
        CSharpCompilation compilation = Compile(trees);
        var found = new Dictionary<CaseResult, List<Diagnostic>>();
        var again = new HashSet<CaseResult>();
        foreach (Diagnostic d in compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning))
        {
            if (d.Location.SourceTree is not SyntaxTree tree || !owner.TryGetValue(tree, out CaseResult? r))
            {
                foreach (CaseResult each in results) again.Add(each);
                continue;
            }
            if (CrossCaseIds.Contains(d.Id) && results.Count > 1) { again.Add(r); continue; }
            if (!generatedOf.ContainsKey(tree) && d.Severity != DiagnosticSeverity.Error) continue; // the user's own warnings
            (found.TryGetValue(r, out List<Diagnostic>? list) ? list : found[r] = []).Add(d);
        }
        foreach (CaseResult r in results)
        {
            if (again.Contains(r) && results.Count > 1)
            {
                CompileBatch([r]);
                continue;
            }
            if (found.TryGetValue(r, out List<Diagnostic>? diagnostics))
            {
                // A warning the user's own declaration already has (CS8981 for a class named @partial) is theirs, even where the generated partial repeats it.
                if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Warning))
                {
                    var own = Compile(r.InputTrees).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Warning).Select(d => d.Id).ToHashSet();
                    diagnostics = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || !own.Contains(d.Id)).ToList();
                }
                // An error in the user's own tree counts only when the input alone has none there (the generated code caused it).
                List<Diagnostic> inInput = diagnostics.Where(d => !generatedOf.ContainsKey(d.Location.SourceTree!)).ToList();
                if (inInput.Count > 0)
                {
                    var alone = Compile(r.InputTrees).GetDiagnostics()
                        .Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => (d.Id, d.Location.SourceSpan)).ToHashSet();
                    if (alone.Count > 0)
                    {
                        // The user's code does not compile on its own: nothing to say about the generated code's part.
                        r.Compiled = true;
                        continue;
                    }
                    diagnostics = diagnostics.Where(d => generatedOf.ContainsKey(d.Location.SourceTree!) || !alone.Contains((d.Id, d.Location.SourceSpan))).ToList();
                }
                if (diagnostics.Count > 0)
                {
                    string ids = string.Join(",", diagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));
                    r.Failures.Add(new Failure(FailureKind.CompileError, "CompileError " + ids,
                        $"{diagnostics.Count} diagnostics, first: " + string.Join("\n", diagnostics.Take(3).Select(d => d.ToString()))));
                }
            }
            r.Compiled = true;
        }
    }

    /// <summary>Drops a result's syntax trees once it is checked, so that a long run does not keep a gigabyte of generated code alive (the minimizer regenerates from the case).</summary>
    public static void Release(CaseResult result)
    {
        result.InputTrees = [];
        result.GeneratedTrees = [];
        result.GeneratorDiagnostics = result.GeneratorDiagnostics.Where(d => d.Id.StartsWith("SNET", StringComparison.Ordinal)).ToImmutableArray();
    }

    /// <summary>Generates and (when it should) compiles one case alone: what the minimizer and single-case reproduction use.</summary>
    public static CaseResult RunAlone(FuzzCase fuzzCase)
    {
        CaseResult result = Generate(fuzzCase);
        if (result.ShouldCompile && result.GeneratedChars <= MaxCompiledChars) CompileBatch([result]);
        return result;
    }

    private sealed record Run(TimeSpan Elapsed, bool Hung, Exception? DriverException, GeneratorRunResult? Result, ImmutableArray<Diagnostic> Diagnostics);

    private static Run RunWithTimeout(ImmutableArray<SyntaxTree> inputs, string? simdPath)
    {
        CSharpCompilation compilation = Compile(inputs);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            optionsProvider: simdPath is null ? null : new OptionsProvider(new Dictionary<string, string> { ["build_property.StaticNetSimdPath"] = simdPath }),
            parseOptions: ParseOptions);
        Run? run = null;
        var thread = new Thread(() =>
        {
            TimeSpan start = ThreadCpu.Now();
            try
            {
                GeneratorDriver done = driver.RunGeneratorsAndUpdateCompilation(compilation, out _, out ImmutableArray<Diagnostic> diagnostics);
                run = new Run(ThreadCpu.Now() - start, false, null, done.GetRunResult().Results.Single(), diagnostics);
            }
#pragma warning disable CA1031 // the fuzzer records whatever the driver throws
            catch (Exception e)
#pragma warning restore CA1031
            {
                run = new Run(ThreadCpu.Now() - start, false, e, null, []);
            }
        }, maxStackSize: 16 << 20) { IsBackground = true, Name = "generator run" };
        thread.Start();
        return thread.Join(HangLimit) ? run! : new Run(HangLimit, true, null, null, []);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The runtime's own assemblies (not the test host's xUnit or Roslyn) and StaticNet.dll.
        string trusted = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? throw new InvalidOperationException("no TRUSTED_PLATFORM_ASSEMBLIES");
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtime, StringComparison.Ordinal))
            .Append(typeof(NetworkAttribute).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    private sealed class OptionsProvider(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private static readonly Options Empty = new(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(values);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;

        private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
