namespace StaticNet.Training;

/// <summary>The per-epoch quantity early stopping watches.</summary>
public enum MonitoredQuantity
{
    /// <summary>The validation loss; lower is better (Keras' <c>val_loss</c>, the default).</summary>
    ValidationLoss = 0,

    /// <summary>The validation accuracy; higher is better (Keras' <c>val_accuracy</c>). Needs class labels or softmax targets.</summary>
    ValidationAccuracy = 1,

    /// <summary>The mean training mini-batch loss; lower is better (Keras' <c>loss</c>).</summary>
    TrainingLoss = 2,

    /// <summary>The training accuracy; higher is better (Keras' <c>accuracy</c>).</summary>
    TrainingAccuracy = 3,
}

/// <summary>
/// Keras' <c>EarlyStopping</c>: stop when the monitored quantity has not improved for
/// <see cref="Patience"/> epochs, and restore the weights of the best epoch.
/// </summary>
/// <remarks>
/// <para>
/// An epoch improves on the best so far when, for a loss, <c>value &lt; best − MinDelta</c>, and for an
/// accuracy, <c>value &gt; best + MinDelta</c>; the first epoch always improves (unless its value is
/// NaN, which never improves). After every epoch that does not improve, a counter grows by one; an
/// improvement resets it to 0; when it reaches <see cref="Patience"/>, fitting stops after that
/// epoch. So with losses 1.0, 0.9, 0.95, 0.96 and patience 2 the fit stops after epoch 4 and the
/// best epoch is 2.
/// </para>
/// <para>
/// Differences from Keras: <see cref="RestoreBestWeights"/> defaults to <c>true</c> here (Keras
/// defaults <c>restore_best_weights</c> to <c>False</c>), and, as in Keras 3, the best weights are
/// restored when the fit ends whether or not it stopped early. There is no <c>baseline</c> or
/// <c>start_from_epoch</c>.
/// </para>
/// </remarks>
public sealed class EarlyStopping
{
    /// <summary>The quantity watched. Default: <see cref="MonitoredQuantity.ValidationLoss"/>.</summary>
    public MonitoredQuantity Monitor { get; init; } = MonitoredQuantity.ValidationLoss;

    /// <summary>The smallest absolute change that counts as an improvement (Keras' <c>min_delta</c>). Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>The number of epochs without improvement after which fitting stops (Keras' <c>patience</c>). Default 3.</summary>
    public int Patience { get; init; } = 3;

    /// <summary>
    /// Whether the network gets the parameters of the best epoch back when the fit ends. Default
    /// <c>true</c>; Keras defaults <c>restore_best_weights</c> to <c>False</c>. As in Keras, the
    /// optimizer's state (for example Adam's moments) is not rolled back.
    /// </summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>Whether a higher value of <see cref="Monitor"/> is better.</summary>
    internal bool HigherIsBetter => Monitor is MonitoredQuantity.ValidationAccuracy or MonitoredQuantity.TrainingAccuracy;

    /// <summary>Throws unless the settings are usable.</summary>
    internal void Validate(string parameterName)
    {
        if (Monitor is not (MonitoredQuantity.ValidationLoss or MonitoredQuantity.ValidationAccuracy or MonitoredQuantity.TrainingLoss or MonitoredQuantity.TrainingAccuracy))
        {
            throw new ArgumentException($"{parameterName}.{nameof(Monitor)} is {Monitor}, not a defined {nameof(MonitoredQuantity)}.", parameterName);
        }
        if (!double.IsFinite(MinDelta) || MinDelta < 0)
        {
            throw new ArgumentException($"{parameterName}.{nameof(MinDelta)} is {MinDelta}; expected a finite number, 0 or more.", parameterName);
        }
        if (Patience < 0)
        {
            throw new ArgumentException($"{parameterName}.{nameof(Patience)} is {Patience}; expected 0 or more.", parameterName);
        }
    }

    /// <summary>The monitored value in <paramref name="record"/>, NaN when the record does not have it.</summary>
    internal double Value(EpochRecord record) => Monitor switch
    {
        MonitoredQuantity.ValidationLoss => record.ValidationLoss ?? double.NaN,
        MonitoredQuantity.ValidationAccuracy => record.ValidationAccuracy ?? double.NaN,
        MonitoredQuantity.TrainingLoss => record.TrainLoss,
        _ => record.TrainAccuracy ?? double.NaN,
    };
}

/// <summary>The running state of <see cref="EarlyStopping"/> during one fit.</summary>
internal sealed class EarlyStoppingState(EarlyStopping settings)
{
    private int _wait;

    /// <summary>The best value so far (±∞ before the first epoch).</summary>
    public double Best { get; private set; } = settings.HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>The 1-based epoch of <see cref="Best"/>, 0 before any improvement.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Feeds one epoch's value; returns whether it improved on the best, and sets <paramref name="stop"/> when patience ran out.</summary>
    public bool Update(int epoch, double value, out bool stop)
    {
        bool improved = settings.HigherIsBetter ? value > Best + settings.MinDelta : value < Best - settings.MinDelta;
        if (improved)
        {
            Best = value;
            BestEpoch = epoch;
            _wait = 0;
            stop = false;
            return true;
        }
        _wait++;
        stop = _wait >= settings.Patience && epoch > 1; // Keras: never after the first epoch
        return false;
    }
}
