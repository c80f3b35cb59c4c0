using StaticNet.Training;

namespace StaticNet.Samples.Lab;

/// <summary>One fit: its history, and whether it diverged (then the history holds the epochs before).</summary>
/// <param name="History">The per-epoch record.</param>
/// <param name="DivergedAt">Where the loss stopped being finite ("epoch 1, step 12"), or null.</param>
public sealed record FitRun(TrainingHistory History, string? DivergedAt)
{
    /// <summary>Whether the fit stopped on a non-finite loss or gradient.</summary>
    public bool Diverged => DivergedAt is not null;

    /// <summary>The record of the epoch whose weights the network holds; null when no epoch finished.</summary>
    public EpochRecord? Final => History.Final;

    /// <summary>The validation (in most experiments: test) accuracy of the weights the network holds; NaN when diverged.</summary>
    public double FinalValidationAccuracy => Diverged ? double.NaN : Final?.ValidationAccuracy ?? double.NaN;

    /// <summary>The mean training mini-batch loss of the last epoch; NaN when diverged.</summary>
    public double FinalTrainLoss => Diverged ? double.NaN : History.Epochs.Count == 0 ? double.NaN : History.Epochs[^1].TrainLoss;

    /// <summary>The per-epoch values of <paramref name="pick"/> over <paramref name="epochs"/> epochs, NaN past the end of a diverged or stopped fit.</summary>
    public double[] Curve(Func<EpochRecord, double?> pick, int epochs)
    {
        ArgumentNullException.ThrowIfNull(pick);
        var values = new double[epochs];
        for (int e = 0; e < epochs; e++) values[e] = e < History.Epochs.Count ? pick(History.Epochs[e]) ?? double.NaN : double.NaN;
        return values;
    }

    /// <summary>The first epoch (from 1) at which <paramref name="reached"/> holds, or null if none did.</summary>
    public int? FirstEpoch(Func<EpochRecord, bool> reached)
    {
        ArgumentNullException.ThrowIfNull(reached);
        foreach (EpochRecord r in History.Epochs)
        {
            if (reached(r)) return r.Epoch;
        }
        return null;
    }
}

/// <summary>Fitting helpers shared by the experiments.</summary>
public static class Runs
{
    /// <summary>
    /// Fits <paramref name="model"/> and returns the history; a <see cref="TrainingDivergedException"/> is
    /// caught and recorded (a diverging setup is a result, not an error). Cancellation propagates.
    /// </summary>
    public static FitRun Fit<TNet>(Model<TNet> model, Dataset training, FitOptions options, IProgress<FitProgress>? progress, CancellationToken cancellation)
        where TNet : class, INetwork<TNet>
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            return new FitRun(model.Fit(training, options, progress, cancellation), null);
        }
        catch (TrainingDivergedException e)
        {
            return new FitRun(e.History, $"epoch {e.Epoch}, step {e.Step}");
        }
    }

    /// <summary>
    /// Fits until <paramref name="stop"/> holds for a finished epoch (or the options' epochs run out): the fit is cancelled
    /// before the next mini-batch, so the network keeps that epoch's weights. Divergence is recorded as in <see cref="Fit{TNet}"/>.
    /// </summary>
    public static FitRun FitUntil<TNet>(Model<TNet> model, Dataset training, FitOptions options, Func<EpochRecord, bool> stop, IProgress<FitProgress>? progress, CancellationToken cancellation)
        where TNet : class, INetwork<TNet>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stop);
        using var reached = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var hook = new EpochHook(progress, record =>
        {
            if (stop(record)) reached.Cancel();
        });
        try
        {
            return Fit(model, training, options, hook, reached.Token);
        }
        catch (TrainingCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            return new FitRun(e.History, null);
        }
    }

    /// <summary>The mean over seeds of per-epoch curves (NaN entries skipped; NaN where every seed is NaN).</summary>
    public static double[] MeanCurve(IEnumerable<double[]> curves)
    {
        double[][] all = curves.ToArray();
        int length = all.Max(c => c.Length);
        var mean = new double[length];
        for (int i = 0; i < length; i++)
        {
            double[] values = all.Where(c => i < c.Length && !double.IsNaN(c[i])).Select(c => c[i]).ToArray();
            mean[i] = values.Length == 0 ? double.NaN : values.Average();
        }
        return mean;
    }

    /// <summary>The epochs 1 … <paramref name="count"/> as doubles (x values of a plot).</summary>
    public static double[] Epochs(int count) => Enumerable.Range(1, count).Select(e => (double)e).ToArray();

    /// <summary>The first <paramref name="rows"/> rows of a dataset as a flat feature copy and a label copy.</summary>
    public static (float[] Features, int[] Labels) Copy(Dataset data, int rows)
    {
        ArgumentNullException.ThrowIfNull(data);
        rows = Math.Min(rows, data.Count);
        return (data.Features.Span[..(rows * data.InputWidth)].ToArray(), data.Labels.Span[..rows].ToArray());
    }

    /// <summary>
    /// A copy of <paramref name="data"/> whose rows are in the order <paramref name="order"/> (a permutation
    /// of its rows); for fixed presentation orders.
    /// </summary>
    public static Dataset Reordered(Dataset data, int[] order)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(order);
        if (order.Length != data.Count) throw new ArgumentException($"order has {order.Length} entries; the data has {data.Count} rows.", nameof(order));
        int width = data.InputWidth;
        var features = new float[data.Count * width];
        var labels = new int[data.Count];
        ReadOnlySpan<float> source = data.Features.Span;
        ReadOnlySpan<int> sourceLabels = data.Labels.Span;
        for (int i = 0; i < order.Length; i++)
        {
            source.Slice(order[i] * width, width).CopyTo(features.AsSpan(i * width, width));
            labels[i] = sourceLabels[order[i]];
        }
        return new Dataset(features, width, labels);
    }
}

/// <summary>A fit progress that forwards to another and calls an action at the end of every epoch.</summary>
public sealed class EpochHook(IProgress<FitProgress>? inner, Action<EpochRecord> onEpoch) : IProgress<FitProgress>
{
    /// <inheritdoc />
    public void Report(FitProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        inner?.Report(value);
        if (value.Completed is EpochRecord record) onEpoch(record);
    }
}
