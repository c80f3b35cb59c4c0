using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StaticNet.Fuzz.Declarations;

/// <summary>A failure class the run found: the failures with one key (or one known entry), how many, and the smallest example.</summary>
public sealed class FailureClass(string name, KnownGeneratorFailure? known)
{
    public string Name { get; } = name;
    public KnownGeneratorFailure? Known { get; } = known;
    public int Count { get; set; }
    public CaseResult? Example { get; set; }
    public Failure? ExampleFailure { get; set; }
    public FuzzCase? Minimal { get; set; }
}

/// <summary>The figures and failure classes of one declaration-fuzzer run.</summary>
public sealed class DeclarationRun
{
    public int Cases { get; set; }
    public int Skipped { get; set; }
    public int WithSnetError { get; set; }
    public int Compiled { get; set; }
    public int TooLargeToCompile { get; set; }
    public int Batches { get; set; }
    public TimeSpan GenerationTime { get; set; }
    public TimeSpan SlowestGeneration { get; set; }
    public FuzzCase? SlowestCase { get; set; }
    public TimeSpan CompileTime { get; set; }
    public TimeSpan Total { get; set; }
    public TimeSpan ProcessCpu { get; set; }
    public long GeneratedChars { get; set; }
    public Dictionary<string, int> Categories { get; } = [];
    public List<FailureClass> Classes { get; } = [];

    public IEnumerable<FailureClass> Unknown => Classes.Where(c => c.Known is null);

    /// <summary>Known entries no failure of this run matched: fixed (delete the entry), when the run included the issue's cases, which trigger every entry.</summary>
    public IEnumerable<KnownGeneratorFailure> Unmatched => KnownGeneratorFailures.All.Where(k => !Classes.Any(c => c.Known == k));

    public string Summary()
    {
        var text = new StringBuilder();
        string clock = ThreadCpu.IsCpuTime ? "CPU" : "wall-clock";
        text.AppendLine(CultureInfo.InvariantCulture, $"{Cases:N0} declarations (seed {FuzzSettings.Seed}, mode {FuzzSettings.Mode}) in {Total.TotalSeconds:0.0} s wall, {ProcessCpu.TotalSeconds:0.0} s of process CPU: " +
            $"generation {GenerationTime.TotalSeconds:0.0} s {clock} (slowest {SlowestGeneration.TotalMilliseconds:0} ms, {SlowestCase}), {GeneratedChars / 1e6:0.0} MB generated; " +
            $"{Compiled:N0} compiled in {Batches:N0} compilations, {CompileTime.TotalSeconds:0.0} s {clock}; {WithSnetError:N0} with an SNET error; " +
            $"{TooLargeToCompile:N0} too large to compile; {Skipped:N0} not run (known hangs).");
        text.AppendLine("categories: " + string.Join(", ", Categories.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
        foreach (FailureClass c in Classes.OrderBy(c => c.Known is null ? 0 : 1).ThenByDescending(c => c.Count))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{(c.Known is null ? "UNKNOWN" : "known")} {c.Name}: {c.Count} case(s); e.g. {c.Example?.Case}: {c.ExampleFailure?.Detail.Split('\n')[0]}");
        }
        foreach (KnownGeneratorFailure k in Unmatched)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"known {k.Id}: not seen in this run (fixed? delete its entry in KnownGeneratorFailures)");
        }
        return text.ToString();
    }
}

/// <summary>
/// The declaration fuzzer: draws <c>count</c> cases, runs the generator on each alone (timed), compiles the generated
/// code of the cases without an SNET error in batches, and groups every failure into a known class
/// (<see cref="KnownGeneratorFailures"/>) or an unknown one, with the smallest example of each.
/// </summary>
public static class DeclarationFuzzer
{
    /// <summary>Generated characters per compilation: larger batches amortize less and risk more re-compilation.</summary>
    private const long BatchChars = 1_500_000;

    private const int BatchCases = 24;

    public static DeclarationRun Run(int count, Action<string>? log = null)
    {
        var run = new DeclarationRun();
        var total = Stopwatch.StartNew();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        WarmUp();
        var results = new List<CaseResult>(count);
        var batch = new List<CaseResult>();
        long batchChars = 0;

        void Flush()
        {
            if (batch.Count == 0) return;
            TimeSpan start = ThreadCpu.Now();
            DeclarationHarness.CompileBatch(batch);
            run.CompileTime += ThreadCpu.Now() - start;
            run.Batches++;
            foreach (CaseResult done in batch) DeclarationHarness.Release(done);
            batch.Clear();
            batchChars = 0;
        }

        foreach (int i in FuzzSettings.Cases ?? Enumerable.Range(0, count))
        {
            FuzzCase c = CaseGenerator.Create(i);
            run.Cases++;
            run.Categories[c.Category] = run.Categories.GetValueOrDefault(c.Category) + 1;
            if (KnownGeneratorFailures.SkipRun(c) is KnownGeneratorFailure skip)
            {
                run.Skipped++;
                Record(run, new CaseResult(c), new Failure(FailureKind.Hung, "skipped", "not run: " + skip.Failure), skip);
                continue;
            }
            CaseResult r = DeclarationHarness.Generate(c);
            results.Add(r);
            run.GenerationTime += r.Generation;
            run.GeneratedChars += r.GeneratedChars;
            if (r.Generation > run.SlowestGeneration)
            {
                run.SlowestGeneration = r.Generation;
                run.SlowestCase = c;
            }
            if (r.HasSnetError) run.WithSnetError++;
            if (!r.ShouldCompile)
            {
                DeclarationHarness.Release(r);
                continue;
            }
            if (r.GeneratedChars > DeclarationHarness.MaxCompiledChars)
            {
                r.TooLargeToCompile = true;
                run.TooLargeToCompile++;
                DeclarationHarness.Release(r);
                continue;
            }
            if (c.Isolated)
            {
                TimeSpan start = ThreadCpu.Now();
                DeclarationHarness.CompileBatch([r]);
                run.CompileTime += ThreadCpu.Now() - start;
                run.Batches++;
                DeclarationHarness.Release(r);
                continue;
            }
            if (batchChars + r.GeneratedChars > BatchChars || batch.Count >= BatchCases) Flush();
            batch.Add(r);
            batchChars += r.GeneratedChars;
            if ((i + 1) % 250 == 0) log?.Invoke($"{i + 1} cases, {total.Elapsed.TotalSeconds:0} s");
        }
        Flush();

        foreach (CaseResult r in results)
        {
            if (r.Compiled) run.Compiled++;
            foreach (Failure f in r.Failures) Record(run, r, f, KnownGeneratorFailures.Match(r, f));
        }
        run.Total = total.Elapsed;
        run.ProcessCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return run;
    }

    /// <summary>Minimizes the example of each class: unknown ones always (up to <paramref name="most"/>), known ones when asked.</summary>
    public static void Minimize(DeclarationRun run, bool known, int most = 5)
    {
        foreach (FailureClass c in run.Classes.Where(c => (known || c.Known is null) && c.Example is not null && c.ExampleFailure!.Key != "skipped").Take(most))
        {
            c.Minimal = Minimizer.Minimize(c.Example!.Case, c.ExampleFailure!.Key);
        }
    }

    /// <summary>The report: figures, then every class with its (minimal) repro, known classes with their entry.</summary>
    public static string Report(DeclarationRun run)
    {
        var text = new StringBuilder("# Declaration fuzzer report\n\n").Append(run.Summary()).Append('\n');
        foreach (FailureClass c in run.Classes.OrderBy(c => c.Known is null ? 0 : 1).ThenByDescending(c => c.Count))
        {
            text.Append(CultureInfo.InvariantCulture, $"## {(c.Known is null ? "UNKNOWN: " : $"known {c.Known.Id}: ")}{c.Name} ({c.Count} cases)\n\n");
            if (c.Known is not null) text.Append(c.Known.Failure).Append("\n\n");
            text.Append(CultureInfo.InvariantCulture, $"Example: {c.Example?.Case}, {c.ExampleFailure?.Key}\n\n```\n{c.ExampleFailure?.Detail}\n```\n\n");
            FuzzCase repro = c.Minimal ?? c.Example!.Case;
            text.Append(c.Minimal is null ? "Repro (not minimized):" : "Minimal repro:")
                .Append(repro.SimdPath is null ? "" : $" (StaticNetSimdPath={repro.SimdPath})")
                .Append("\n\n```csharp\n").Append(repro.Text()).Append("\n```\n\n");
        }
        return text.ToString();
    }

    private static void Record(DeclarationRun run, CaseResult r, Failure f, KnownGeneratorFailure? known)
    {
        string name = known?.Id ?? f.Key;
        FailureClass? c = run.Classes.FirstOrDefault(x => x.Name == name);
        if (c is null)
        {
            c = new FailureClass(name, known);
            run.Classes.Add(c);
        }
        c.Count++;
        if (c.Example is null || r.Case.Text().Length < c.Example.Case.Text().Length)
        {
            c.Example = r;
            c.ExampleFailure = f;
        }
    }

    /// <summary>One untimed run of each stage, so the first case's time is not the JIT's.</summary>
    private static void WarmUp()
    {
        var c = new FuzzCase(-1, "warm-up", [new TypeSpec("FuzzWarmUp", "Net", TypeKind.Class, [new AttributeSpec("Network", [], [new("Inputs", "3")]), new AttributeSpec("Dense", ["2"], [])])], SimdPath: "Vector256");
        CaseResult r = DeclarationHarness.Generate(c);
        DeclarationHarness.CompileBatch([r]);
        DeclarationHarness.Generate(c with { SimdPath = null });
    }
}
