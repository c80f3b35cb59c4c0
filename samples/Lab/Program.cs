// The notes' lab: runs every experiment in Experiments/ on the real MNIST digits and writes
// out/lab/REPORT.md (with its PNG plots) under this sample's folder.
//
//   dotnet run -c Release --project samples/Lab [-- --only batch-size,dropout --seeds 3 --threads 1 --tiny --plain --out DIR --list]
//
// --only     a comma-separated list of experiment ids or numbers (--list shows them); default all
// --seeds    seeds per figure (default 3; the report's ± needs at least 2)
// --threads  threads per fit (default 1: the budget is one core; 2 uses DataParallel where the network allows)
// --tiny     each experiment's tiny configuration (a smoke run: a few hundred digits), not a measurement
// --plain    one line per finished experiment instead of the live progress display (the default when redirected)
// --out      the output folder (default samples/Lab/out/lab)

using System.Diagnostics;
using Spectre.Console;
using StaticNet.Data;
using StaticNet.Samples.Lab;

string[] known = ["--only", "--seeds", "--threads", "--out", "--tiny", "--plain", "--list", "--help"];
string? unknown = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).FirstOrDefault(a => !known.Contains(a));
if (unknown is not null || args.Contains("--help"))
{
    if (unknown is not null) Console.Error.WriteLine($"Unknown option {unknown}.");
    Console.Error.WriteLine("Usage: dotnet run -c Release --project samples/Lab [-- --only ID,ID --seeds N --threads N --tiny --plain --out DIR --list]");
    return unknown is null ? 0 : 2;
}
if (args.Contains("--list"))
{
    foreach (Experiment e in Catalog.All) Console.WriteLine($"{e.Number,2}  {e.Id,-20} {e.Title}");
    return 0;
}

IReadOnlyList<Experiment> experiments;
int seeds, threads;
try
{
    experiments = Catalog.Select(Option("--only"));
    seeds = IntOption("--seeds", 3, 1);
    threads = IntOption("--threads", 1, 1);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
bool tiny = args.Contains("--tiny");
bool live = !args.Contains("--plain") && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 1000;

string dataDirectory = Mnist.FindDataDirectory()
    ?? throw new DirectoryNotFoundException("MNIST not found: expected samples/data/mnist above the program's folder.");
string outDirectory = Path.GetFullPath(Option("--out") ?? Path.Combine(dataDirectory, "..", "..", "Lab", "out", "lab"));
Directory.CreateDirectory(outDirectory);

var total = Stopwatch.StartNew();
DateTimeOffset started = DateTimeOffset.UtcNow;
LabData data = LabData.Load(dataDirectory);
AnsiConsole.MarkupLine($"[bold]The notes' lab[/]: {experiments.Count} experiment(s), {seeds} seed(s) each, {threads} thread(s) per fit{(tiny ? ", [yellow]tiny configuration[/]" : "")}; " +
                       $"MNIST loaded in {total.Elapsed.TotalSeconds:F1} s ({data.TrainingSet.Count:N0} training, {data.TestSet.Count:N0} test digits).");
AnsiConsole.MarkupLine($"[grey]{Markup.Escape(LabRunner.Machine())}[/]");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var context = new LabContext { Data = data, OutputDirectory = outDirectory, Tiny = tiny, Seeds = seeds, Threads = threads, Cancellation = cancel.Token };

IReadOnlyList<ExperimentRun> runs;
try
{
    if (live)
    {
        runs = AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var tasks = experiments.ToDictionary(e => e, e => progress.AddTask(Markup.Escape($"{e.Number,2} {e.Id}"), autoStart: false, maxValue: 1));
                return LabRunner.Run(context, experiments,
                    e =>
                    {
                        ProgressTask task = tasks[e];
                        task.StartTask();
                        return new TaskProgress(task, $"{e.Number,2} {e.Id}");
                    },
                    run =>
                    {
                        ProgressTask task = tasks[run.Experiment];
                        task.Value = 1;
                        task.Description = Markup.Escape($"{run.Experiment.Number,2} {run.Experiment.Id}");
                        task.StopTask();
                        Print(run);
                    });
            });
    }
    else
    {
        runs = LabRunner.Run(context, experiments, null, Print);
    }
}
catch (OperationCanceledException)
{
    AnsiConsole.MarkupLine("[yellow]Cancelled[/]: no report written.");
    return 1;
}

total.Stop();
string command = "dotnet run -c Release --project samples/Lab" + (args.Length > 0 ? " -- " + string.Join(' ', args) : "");
TimeSpan processor = Process.GetCurrentProcess().TotalProcessorTime;
string report = LabRunner.WriteReport(context, new RunInfo(command, started, total.Elapsed, LabRunner.Machine(), seeds, threads, tiny) { ProcessorTime = processor }, runs);
AnsiConsole.WriteLine();
AnsiConsole.MarkupLine($"[bold]Total {Fmt.Time(total.Elapsed)}[/] (experiments {Fmt.Time(TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)))}; processor time {Fmt.Time(processor)}). Report: [link]{Markup.Escape(report)}[/]");
int failed = runs.Count(r => r.Result is null);
if (failed > 0) AnsiConsole.MarkupLine($"[red]{failed} experiment(s) failed[/]; see the report.");
return failed > 0 ? 1 : 0;

static void Print(ExperimentRun run)
{
    string verdict = run.Result is null ? "[red]failed[/]" : run.Result.Verdict.Outcome switch
    {
        Outcome.Reproduced => "[green]reproduced[/]",
        Outcome.Partly => "[yellow]partly reproduced[/]",
        _ => "[red]not reproduced[/]",
    };
    string detail = run.Result?.Headline ?? run.Error ?? "";
    AnsiConsole.MarkupLine($"{run.Experiment.Number,2}. {Markup.Escape(run.Experiment.Title)}: {verdict} ({Fmt.Time(run.Elapsed)}, processor {Fmt.Time(run.ProcessorTime)}) — {Markup.Escape(detail)}");
}

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    if (i < 0) return null;
    if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) return args[i + 1];
    throw new ArgumentException($"{name} needs a value.");
}

int IntOption(string name, int fallback, int min)
{
    string? text = Option(name);
    if (text is null) return fallback;
    if (int.TryParse(text, out int value) && value >= min) return value;
    throw new ArgumentException($"{name} needs a whole number of at least {min}, for example {name} {fallback}.");
}

/// <summary>Shows an experiment's progress on its Spectre task.</summary>
internal sealed class TaskProgress(ProgressTask task, string name) : ILabProgress
{
    public void Report(double fraction, string status)
    {
        task.Value = fraction;
        task.Description = Markup.Escape($"{name}: {status}");
    }
}
