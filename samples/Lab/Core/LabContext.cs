using StaticNet.Data;
using StaticNet.Training;

namespace StaticNet.Samples.Lab;

/// <summary>The MNIST digits every experiment draws from: the 60,000 training and 10,000 test images.</summary>
public sealed class LabData
{
    /// <summary>Wraps loaded sets.</summary>
    public LabData(MnistSet training, MnistSet test)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(test);
        TrainingSet = training;
        TestSet = test;
    }

    /// <summary>Loads both sets from the repository's <c>samples/data/mnist</c> (found above the program's folder).</summary>
    /// <exception cref="DirectoryNotFoundException">The MNIST folder is not found.</exception>
    public static LabData Load(string? directory = null)
    {
        directory ??= Mnist.FindDataDirectory()
            ?? throw new DirectoryNotFoundException("MNIST not found: expected samples/data/mnist above the program's folder.");
        return new LabData(Mnist.LoadTraining(directory), Mnist.LoadTest(directory));
    }

    /// <summary>The 60,000 training digits.</summary>
    public MnistSet TrainingSet { get; }

    /// <summary>The 10,000 test digits.</summary>
    public MnistSet TestSet { get; }

    /// <summary>The first <paramref name="count"/> training digits (all of them when there are fewer), without a copy.</summary>
    public Dataset Training(int count) => First(TrainingSet, count);

    /// <summary>The first <paramref name="count"/> test digits (all of them when there are fewer), without a copy.</summary>
    public Dataset Test(int count) => First(TestSet, count);

    private static Dataset First(MnistSet set, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Dataset.From(set).Slice(0, Math.Min(count, set.Count));
    }
}

/// <summary>Receives an experiment's progress: the fraction done and what it is doing.</summary>
public interface ILabProgress
{
    /// <summary>Reports progress.</summary>
    /// <param name="fraction">Done so far, in [0, 1].</param>
    /// <param name="status">What runs now ("ReLU, seed 2, epoch 3/8").</param>
    void Report(double fraction, string status);
}

/// <summary>Everything an experiment needs to run: the data, the scale, the seeds, where to write plots.</summary>
public sealed class LabContext
{
    /// <summary>The MNIST digits.</summary>
    public required LabData Data { get; init; }

    /// <summary>The folder the report and the plots go to (created if missing).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>
    /// Whether to run each experiment's tiny configuration (a few hundred digits, one or two epochs): for the
    /// unit tests and a smoke run, never for the report's figures.
    /// </summary>
    public bool Tiny { get; init; }

    /// <summary>The number of seeds every measured figure is averaged over (seeds 1, 2, …). Default 3.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Threads per fit (FitOptions.Threads; networks with batch normalization always use 1). Default 1.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Where progress goes; null for nowhere.</summary>
    public ILabProgress? Progress { get; init; }

    /// <summary>Cancels the experiment between mini-batches.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>The seeds 1 … <see cref="Seeds"/>.</summary>
    public IReadOnlyList<int> SeedList => Enumerable.Range(1, Seeds).ToArray();

    /// <summary>The full path of a plot file in the output folder.</summary>
    public string PlotPath(string fileName)
    {
        Directory.CreateDirectory(OutputDirectory);
        return Path.Combine(OutputDirectory, fileName);
    }

    /// <summary>Counts the runs of an experiment for its progress bar.</summary>
    public RunTracker Track(int runs) => new(this, runs);
}

/// <summary>
/// An experiment's progress over a known number of runs (fits or measurements); inside a fit, the
/// epochs and mini-batches move the bar too.
/// </summary>
public sealed class RunTracker
{
    private readonly LabContext _context;
    private readonly int _runs;
    private int _done;

    internal RunTracker(LabContext context, int runs)
    {
        _context = context;
        _runs = Math.Max(1, runs);
    }

    /// <summary>The runs finished so far.</summary>
    public int Done => _done;

    /// <summary>Reports that a run starts and returns the fit progress that moves the bar within it.</summary>
    public IProgress<FitProgress> Start(string label)
    {
        Report(0, label);
        return new FitReporter(this, label);
    }

    /// <summary>Marks one run finished.</summary>
    public void Finish() => _done = Math.Min(_done + 1, _runs);

    private void Report(double within, string status) =>
        _context.Progress?.Report(Math.Clamp((_done + within) / _runs, 0, 1), status);

    private sealed class FitReporter(RunTracker tracker, string label) : IProgress<FitProgress>
    {
        public void Report(FitProgress p)
        {
            double within = (p.Epoch - 1 + (double)p.Batch / Math.Max(1, p.BatchesPerEpoch)) / Math.Max(1, p.Epochs);
            tracker.Report(within, $"{label}, epoch {p.Epoch}/{p.Epochs}");
        }
    }
}
