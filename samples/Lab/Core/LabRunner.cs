using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace StaticNet.Samples.Lab;

/// <summary>Runs a list of experiments one after the other, times each, and writes the report.</summary>
public static class LabRunner
{
    /// <summary>
    /// Runs <paramref name="experiments"/> in order. An experiment that throws is recorded as failed (its message in
    /// the report) and the next one runs; cancellation stops the run.
    /// </summary>
    /// <param name="context">The shared context (its <see cref="LabContext.Progress"/> is replaced per experiment by <paramref name="progressFor"/>).</param>
    /// <param name="experiments">The experiments to run.</param>
    /// <param name="progressFor">The progress sink of each experiment, or null.</param>
    /// <param name="finished">Called after each experiment.</param>
    public static IReadOnlyList<ExperimentRun> Run(LabContext context, IReadOnlyList<Experiment> experiments,
        Func<Experiment, ILabProgress?>? progressFor = null, Action<ExperimentRun>? finished = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(experiments);
        var runs = new List<ExperimentRun>();
        foreach (Experiment experiment in experiments)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var own = new LabContext
            {
                Data = context.Data,
                OutputDirectory = context.OutputDirectory,
                Tiny = context.Tiny,
                Seeds = context.Seeds,
                Threads = context.Threads,
                Progress = progressFor?.Invoke(experiment) ?? context.Progress,
                Cancellation = context.Cancellation,
            };
            var clock = Stopwatch.StartNew();
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            ExperimentRun run;
            try
            {
                ExperimentResult result = experiment.Run(own);
                run = new ExperimentRun(experiment, result, clock.Elapsed);
            }
            catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                run = new ExperimentRun(experiment, null, clock.Elapsed, $"{e.GetType().Name}: {e.Message}");
            }
            run = run with { ProcessorTime = Process.GetCurrentProcess().TotalProcessorTime - cpu };
            runs.Add(run);
            finished?.Invoke(run);
        }
        return runs;
    }

    /// <summary>Writes <c>REPORT.md</c> into the context's output folder and returns its path.</summary>
    public static string WriteReport(LabContext context, RunInfo info, IReadOnlyList<ExperimentRun> runs)
    {
        ArgumentNullException.ThrowIfNull(context);
        Directory.CreateDirectory(context.OutputDirectory);
        string path = Path.Combine(context.OutputDirectory, "REPORT.md");
        File.WriteAllText(path, Report.Render(info, runs), new UTF8Encoding(false));
        return path;
    }

    /// <summary>The processor's name, its logical cores and the kernels' vector path.</summary>
    public static string Machine()
    {
        string cpu = RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null) cpu = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
            // keep the architecture
        }
        return $"{cpu}, {Environment.ProcessorCount} logical cores, kernel path {Simd.Active}, .NET {Environment.Version}";
    }
}
