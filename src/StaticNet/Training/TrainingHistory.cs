using System.Globalization;
using System.Text;

namespace StaticNet.Training;

/// <summary>What one epoch of a fit measured.</summary>
/// <param name="Epoch">The epoch, counted from 1.</param>
/// <param name="TrainLoss">
/// The mean mini-batch loss over the epoch, each batch weighted by its rows (Keras' <c>loss</c>):
/// measured while the weights change, in training mode.
/// </param>
/// <param name="TrainAccuracy">
/// The accuracy on the training data at the end of the epoch, in inference mode, over all the
/// training rows or a fixed sample of them (<see cref="FitOptions.TrainingAccuracySamples"/>);
/// null when the data has no classes (dense targets with mean squared error) or the option is 0.
/// </param>
/// <param name="ValidationLoss">The mean loss on the validation data at the end of the epoch, in inference mode; null without validation data.</param>
/// <param name="ValidationAccuracy">The accuracy on the validation data at the end of the epoch; null without validation data or classes.</param>
/// <param name="LearningRate">The learning rate of the epoch's last optimizer step.</param>
/// <param name="WallTime">The time the epoch took, training and evaluation.</param>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double? TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    TimeSpan WallTime)
{
    /// <summary>
    /// Of <see cref="WallTime"/>, the time spent inside the network's training calls
    /// (<c>ComputeGradients</c> and <c>Step</c>: forward, backward, optimizer). The rest went to
    /// assembling, standardizing and augmenting mini-batches and to <see cref="EvaluationTime"/>.
    /// </summary>
    public TimeSpan StepTime { get; init; }

    /// <summary>Of <see cref="WallTime"/>, the time spent evaluating the training accuracy and the validation data.</summary>
    public TimeSpan EvaluationTime { get; init; }

    /// <summary>The number of training rows the epoch stepped on.</summary>
    public int Examples { get; init; }
}

/// <summary>Why a fit ended.</summary>
public enum StopReason
{
    /// <summary>Every requested epoch ran.</summary>
    Completed = 0,

    /// <summary><see cref="EarlyStopping"/> ran out of patience.</summary>
    EarlyStopped = 1,

    /// <summary>The fit was cancelled (the history of a <see cref="TrainingCanceledException"/>).</summary>
    Canceled = 2,

    /// <summary>The loss or gradient stopped being finite (the history of a <see cref="TrainingDivergedException"/>).</summary>
    Diverged = 3,
}

/// <summary>The per-epoch record of a fit, as Keras' <c>History</c>; can be written as CSV.</summary>
public sealed class TrainingHistory
{
    /// <summary>The CSV header <see cref="WriteCsv"/> writes.</summary>
    public const string CsvHeader = "epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,seconds";

    /// <summary>Creates a history, for example to test <see cref="Recipe.Diagnose"/> on constructed numbers.</summary>
    /// <param name="epochs">The epochs in order, numbered 1, 2, 3, …</param>
    /// <param name="stopReason">Why the fit ended.</param>
    /// <param name="bestEpoch">The best epoch by the early-stopping monitor, 0 when there was no early stopping.</param>
    /// <param name="weightsEpoch">
    /// The epoch whose weights the network holds after the fit: the best epoch when early stopping
    /// restored it, otherwise the last; 0 means the last.
    /// </param>
    /// <exception cref="ArgumentException">The epochs are not numbered 1, 2, 3, …, or an epoch number is outside the history.</exception>
    public TrainingHistory(IEnumerable<EpochRecord> epochs, StopReason stopReason = StopReason.Completed, int bestEpoch = 0, int weightsEpoch = 0)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        EpochRecord[] list = epochs.ToArray();
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"epochs[{i}] is null.", nameof(epochs));
            }
            if (list[i].Epoch != i + 1)
            {
                throw new ArgumentException($"epochs[{i}] is numbered {list[i].Epoch}; expected {i + 1} (epochs are numbered from 1, in order).", nameof(epochs));
            }
        }
        if (bestEpoch < 0 || bestEpoch > list.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(bestEpoch), bestEpoch, $"expected 0 (none) or an epoch in [1, {list.Length}].");
        }
        if (weightsEpoch < 0 || weightsEpoch > list.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(weightsEpoch), weightsEpoch, $"expected 0 (the last) or an epoch in [1, {list.Length}].");
        }
        Epochs = Array.AsReadOnly(list);
        StopReason = stopReason;
        BestEpoch = bestEpoch;
        WeightsEpoch = weightsEpoch == 0 ? list.Length : weightsEpoch;
    }

    /// <summary>The completed epochs, in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs { get; }

    /// <summary>Why the fit ended.</summary>
    public StopReason StopReason { get; }

    /// <summary>The best epoch by the early-stopping monitor (from 1), or 0 without early stopping.</summary>
    public int BestEpoch { get; }

    /// <summary>The epoch whose parameters the network holds after the fit (from 1; 0 for an empty history).</summary>
    public int WeightsEpoch { get; }

    /// <summary>The record of <see cref="WeightsEpoch"/>: what the network as returned measured; null for an empty history.</summary>
    public EpochRecord? Final => WeightsEpoch == 0 ? null : Epochs[WeightsEpoch - 1];

    /// <summary>The total wall time of the recorded epochs.</summary>
    public TimeSpan WallTime
    {
        get
        {
            TimeSpan total = TimeSpan.Zero;
            foreach (EpochRecord record in Epochs) total += record.WallTime;
            return total;
        }
    }

    /// <summary>
    /// Writes the history as CSV: the header <see cref="CsvHeader"/>, then one line per epoch, numbers
    /// in the invariant culture with round-trip precision, a missing value as an empty field.
    /// Keras' <c>CSVLogger</c> numbers epochs from 0; this numbers them from 1, as <see cref="EpochRecord.Epoch"/>.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(CsvHeader);
        writer.Write('\n');
        foreach (EpochRecord r in Epochs)
        {
            writer.Write(r.Epoch.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(Number(r.TrainLoss));
            writer.Write(',');
            writer.Write(Number(r.TrainAccuracy));
            writer.Write(',');
            writer.Write(Number(r.ValidationLoss));
            writer.Write(',');
            writer.Write(Number(r.ValidationAccuracy));
            writer.Write(',');
            writer.Write(Number(r.LearningRate));
            writer.Write(',');
            writer.Write(Number(r.WallTime.TotalSeconds));
            writer.Write('\n');
        }
    }

    /// <summary>The history as CSV text (see <see cref="WriteCsv"/>).</summary>
    public string ToCsv()
    {
        var writer = new StringWriter(new StringBuilder(), CultureInfo.InvariantCulture);
        WriteCsv(writer);
        return writer.ToString();
    }

    /// <summary>Writes the history as a UTF-8 CSV file (see <see cref="WriteCsv"/>), replacing any file at <paramref name="path"/>.</summary>
    /// <param name="path">The file to write.</param>
    public void SaveCsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, ToCsv(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static string Number(double? value) => value is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
