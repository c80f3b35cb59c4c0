using System.Globalization;
using System.Text;

namespace StaticNet.Samples.Lab;

/// <summary>One experiment's part of a lab run: its result, or the error that stopped it, and its time.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="Result">What it measured; null when it failed.</param>
/// <param name="Elapsed">Its wall time.</param>
/// <param name="Error">The exception message when it failed.</param>
public sealed record ExperimentRun(Experiment Experiment, ExperimentResult? Result, TimeSpan Elapsed, string? Error = null)
{
    /// <summary>The processor time the process used meanwhile (all its threads: the fits, the JIT and the GC); on a busy machine closer to the cost than <see cref="Elapsed"/>.</summary>
    public TimeSpan ProcessorTime { get; init; }
}

/// <summary>What the report says about the run as a whole.</summary>
/// <param name="Command">The command that produced it.</param>
/// <param name="Started">When the run started.</param>
/// <param name="Total">The total wall time, data loading included.</param>
/// <param name="Machine">The processor, cores and kernel path.</param>
/// <param name="Seeds">Seeds per figure.</param>
/// <param name="Threads">Threads per fit.</param>
/// <param name="Tiny">Whether the tiny configuration ran (not a real measurement).</param>
public sealed record RunInfo(string Command, DateTimeOffset Started, TimeSpan Total, string Machine, int Seeds, int Threads, bool Tiny)
{
    /// <summary>The processor time of the whole run (on a shared machine, closer to the cost than <see cref="Total"/>).</summary>
    public TimeSpan ProcessorTime { get; init; }
}

/// <summary>Writes <c>REPORT.md</c>.</summary>
public static class Report
{
    /// <summary>The whole report: the run, a summary table of verdicts, then one section per experiment.</summary>
    public static string Render(RunInfo info, IReadOnlyList<ExperimentRun> runs)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(runs);
        var text = new StringBuilder();
        text.Append("# The notes' lab: report\n\n");
        if (info.Tiny)
        {
            text.Append("> **Tiny configuration** (`--tiny`): a smoke run on a few hundred digits. The figures below say nothing about the claims.\n\n");
        }
        text.Append(FormattableString.Invariant(
            $"Written by `{info.Command}` on {info.Started:yyyy-MM-dd HH:mm} UTC; {info.Machine}; {info.Seeds} seed(s) per figure, {info.Threads} thread(s) per fit; total {Fmt.Time(info.Total)} (processor time {Fmt.Time(info.ProcessorTime)}). "));
        text.Append("Every figure below comes from this run. Figures are mean ± sample standard deviation over the seeds; " +
                    "each verdict is computed by the rule printed with it, which is code written before the run.\n\n");

        var summary = new Table("Summary", "#", "experiment", "verdict", "headline", "time (processor)");
        foreach (ExperimentRun run in runs)
        {
            Experiment e = run.Experiment;
            summary.Add(
                e.Number.ToString(CultureInfo.InvariantCulture),
                $"[{e.Title}](#{Anchor(e)})",
                run.Result?.Verdict.Label ?? "failed",
                run.Result?.Headline ?? run.Error ?? "",
                $"{Fmt.Time(run.Elapsed)} ({Fmt.Time(run.ProcessorTime)})");
        }
        text.Append(summary.ToMarkdown()).Append('\n');
        foreach (ExperimentRun run in runs) text.Append(Section(run));
        return text.ToString();
    }

    /// <summary>One experiment's section: claim, setup, tables, plots, rule, verdict, notes, time.</summary>
    public static string Section(ExperimentRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Experiment e = run.Experiment;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"<a id=\"{Anchor(e)}\"></a>\n## {e.Number}. {e.Title}\n\n");
        text.Append("**Claim.** ").Append(e.Claim).Append("\n\n");
        if (run.Result is not ExperimentResult r)
        {
            text.Append("**Failed:** ").Append(run.Error ?? "unknown error").Append("\n\n");
            text.Append("**Rule.** ").Append(e.Rule).Append("\n\n");
            return text.ToString();
        }
        text.Append("**Setup.**\n\n");
        foreach (string line in r.Setup) text.Append("- ").Append(line).Append('\n');
        text.Append('\n');
        foreach (Table table in r.Tables) text.Append(table.ToMarkdown()).Append('\n');
        foreach (PlotFile plot in r.Plots) text.Append(CultureInfo.InvariantCulture, $"![{plot.Caption}]({plot.FileName})\n\n*{plot.Caption}*\n\n");
        text.Append("**Rule (fixed before the run).** ").Append(e.Rule).Append("\n\n");
        text.Append("**Verdict: ").Append(r.Verdict.Label).Append("**, because ").Append(r.Verdict.Because).Append(".\n\n");
        if (r.Notes.Count > 0)
        {
            text.Append("**Notes.**\n\n");
            foreach (string note in r.Notes) text.Append("- ").Append(note).Append('\n');
            text.Append('\n');
        }
        text.Append(CultureInfo.InvariantCulture, $"*Time: {Fmt.Time(run.Elapsed)} (processor time of the process meanwhile: {Fmt.Time(run.ProcessorTime)}).*\n\n");
        return text.ToString();
    }

    private static string Anchor(Experiment e) => $"e{e.Number}-{e.Id}";
}
