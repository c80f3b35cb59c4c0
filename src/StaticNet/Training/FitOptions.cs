namespace StaticNet.Training;

/// <summary>
/// How <see cref="Model{TNet}.Fit"/> trains. Defaults follow Keras' <c>Model.fit</c> where it has
/// one (batch size 32, shuffling on, one epoch); every setting is checked when the fit starts.
/// </summary>
public sealed class FitOptions
{
    /// <summary>The maximum number of passes over the training data. Default 1 (Keras).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>
    /// The rows per mini-batch. Default 32 (Keras). The last batch of an epoch holds the remaining
    /// rows when the training set is not a multiple of it; it is used, never dropped. With batch
    /// normalization, which needs at least 2 rows per training batch, a remainder of 1 row joins
    /// the batch before it (one batch of <c>BatchSize + 1</c> rows: unlike PyTorch's
    /// <c>drop_last</c>, no row is left out of the epoch), and a batch size of 1 is refused.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether the training rows are reshuffled before every epoch (from <see cref="Seed"/>). Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Seeds the shuffling, the augmentation and the choice of training rows for
    /// <see cref="TrainingAccuracySamples"/>: the same seed, data, options and initial network give
    /// bit-identical parameters. The network's own initialization has its own seed. Default 0.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>
    /// The fraction in (0, 1) of the training data held out for validation, taken from the end of
    /// the data before any shuffling (Keras' <c>validation_split</c>: the validation rows are the
    /// last <c>count − ⌊count·(1 − split)⌋</c>). Default 0, none. Cannot be combined with <see cref="ValidationData"/>.
    /// </summary>
    public double ValidationSplit { get; init; }

    /// <summary>A separate validation set, evaluated after every epoch. Default none.</summary>
    public Dataset? ValidationData { get; init; }

    /// <summary>
    /// Whether to fit a <see cref="Standardizer"/> on the training rows (after any validation split)
    /// and store it in the model, so training, validation and every later prediction see
    /// standardized inputs. When false, the model's existing <see cref="Model{TNet}.Normalization"/>
    /// (for example one loaded with it) is used as it is. Default false.
    /// </summary>
    public bool Normalize { get; init; }

    /// <summary>Early stopping; null (the default) trains every epoch.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// The learning-rate schedule, asked before every step; null (the default) leaves
    /// <see cref="INetwork.LearningRate"/> as it is.
    /// </summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Augmentation applied on the fly to each training mini-batch, never to validation data. Default none.</summary>
    public Augmentation? Augmentation { get; init; }

    /// <summary>
    /// How many training rows (a fixed random sample, chosen once from <see cref="Seed"/>) are
    /// evaluated in inference mode after every epoch for <see cref="EpochRecord.TrainAccuracy"/>.
    /// Default 10,000; 0 turns the training accuracy off; a number at or above the training set's
    /// size evaluates every row. Keras instead averages the accuracy of the mini-batches during
    /// the epoch, which needs the outputs the generated training step does not return.
    /// </summary>
    public int TrainingAccuracySamples { get; init; } = 10_000;

    /// <summary>
    /// Progress is reported every this many mini-batches, and after every epoch. 0 (the default)
    /// picks about 100 reports per epoch.
    /// </summary>
    public int ProgressInterval { get; init; }

    /// <summary>The rows per call when evaluating (validation and training accuracy). Default 1000.</summary>
    public int EvaluationBatchSize { get; init; } = 1000;

    /// <summary>
    /// The threads each mini-batch is split across (see <see cref="DataParallel{TNet}"/>): 1 (the
    /// default) trains on the calling thread; n &gt; 1 uses n threads, 0 one per processor. The
    /// result equals one-core training within float rounding and is bitwise reproducible for the
    /// same thread count; with dropout or RReLU the replicas draw their own noise. Networks with
    /// batch normalization cannot use more than one thread (<see cref="NotSupportedException"/>).
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>A copy of these options with another seed (used for ensemble members).</summary>
    internal FitOptions WithSeed(int seed) => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        Shuffle = Shuffle,
        Seed = seed,
        ValidationSplit = ValidationSplit,
        ValidationData = ValidationData,
        Normalize = Normalize,
        EarlyStopping = EarlyStopping,
        Schedule = Schedule,
        Augmentation = Augmentation,
        TrainingAccuracySamples = TrainingAccuracySamples,
        ProgressInterval = ProgressInterval,
        EvaluationBatchSize = EvaluationBatchSize,
        Threads = Threads,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first unusable setting.</summary>
    internal void Validate(string parameterName)
    {
        if (Epochs < 1) throw Bad(parameterName, nameof(Epochs), Epochs, "expected 1 or more");
        if (BatchSize < 1) throw Bad(parameterName, nameof(BatchSize), BatchSize, "expected 1 or more");
        if (!(ValidationSplit >= 0 && ValidationSplit < 1)) throw Bad(parameterName, nameof(ValidationSplit), ValidationSplit, "expected 0 (none) or a fraction in (0, 1)");
        if (ValidationSplit > 0 && ValidationData is not null)
        {
            throw new ArgumentException($"{parameterName} sets both {nameof(ValidationSplit)} and {nameof(ValidationData)}; use one.", parameterName);
        }
        if (TrainingAccuracySamples < 0) throw Bad(parameterName, nameof(TrainingAccuracySamples), TrainingAccuracySamples, "expected 0 or more");
        if (ProgressInterval < 0) throw Bad(parameterName, nameof(ProgressInterval), ProgressInterval, "expected 0 (automatic) or more");
        if (EvaluationBatchSize < 1) throw Bad(parameterName, nameof(EvaluationBatchSize), EvaluationBatchSize, "expected 1 or more");
        if (Threads < 0) throw Bad(parameterName, nameof(Threads), Threads, "expected 1 (one core), more, or 0 (one per processor)");
        EarlyStopping?.Validate($"{parameterName}.{nameof(EarlyStopping)}");
    }

    private static ArgumentException Bad(string parameterName, string setting, object value, string expected) =>
        new($"{parameterName}.{setting} is {value}; {expected}.", parameterName);
}

/// <summary>A progress report from a fit.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">The maximum number of epochs.</param>
/// <param name="Batch">The mini-batches completed in this epoch.</param>
/// <param name="BatchesPerEpoch">The mini-batches in one epoch.</param>
/// <param name="Step">The optimizer steps completed since the fit began.</param>
/// <param name="Loss">The mean mini-batch loss of this epoch so far.</param>
/// <param name="LearningRate">The learning rate of the last step.</param>
/// <param name="Elapsed">The time since the fit began.</param>
/// <param name="Completed">The epoch's record when this report ends an epoch, otherwise null.</param>
public sealed record FitProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int BatchesPerEpoch,
    long Step,
    double Loss,
    double LearningRate,
    TimeSpan Elapsed,
    EpochRecord? Completed);

/// <summary>What was not finite when a fit stopped with <see cref="TrainingDivergedException"/>.</summary>
public enum DivergedQuantity
{
    /// <summary>The mini-batch loss was NaN or infinite.</summary>
    Loss = 0,

    /// <summary>The loss was finite, but the gradient had NaN or infinite values.</summary>
    Gradient = 1,

    /// <summary>
    /// The loss and the gradient were finite, but batch normalization's running statistics became NaN or infinite (for
    /// example a finite input of 1e38, whose square overflows the running variance).
    /// </summary>
    Statistics = 2,
}

/// <summary>The first non-finite value a diverged mini-batch fed the network (after standardization and augmentation).</summary>
/// <param name="Row">The row of the training data (after any validation split, which keeps the first rows), from 0.</param>
/// <param name="BatchRow">The row within the mini-batch, from 0.</param>
/// <param name="Column">The input (or target) index within the row, from 0.</param>
/// <param name="Value">The value: NaN or ±∞.</param>
/// <param name="IsTarget">Whether it is a dense target rather than an input.</param>
public sealed record NonFiniteValue(int Row, int BatchRow, int Column, float Value, bool IsTarget);

/// <summary>
/// Thrown when the loss or the gradient of a mini-batch is NaN or infinite, or batch normalization's running statistics
/// became so. The step that would have used it is not taken and the running statistics and the training-noise counter
/// (<see cref="INetwork.NoiseStep"/>) the mini-batch's forward pass had already changed are put back, as is the learning
/// rate, so the network is exactly as it was before that mini-batch: the state reached by the last steps whose loss,
/// gradient and statistics were finite. Only <see cref="INetwork.Gradients"/> holds the diverged mini-batch's gradient,
/// for inspection.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="batch">The mini-batch within the epoch, from 1.</param>
    /// <param name="step">The optimizer step since the fit began, from 1.</param>
    /// <param name="loss">The mini-batch loss.</param>
    /// <param name="learningRate">The learning rate of the step.</param>
    /// <param name="gradientNotFinite">Whether the loss was finite but the gradient was not.</param>
    /// <param name="history">The epochs completed before the divergence.</param>
    public TrainingDivergedException(int epoch, int batch, long step, float loss, double learningRate, bool gradientNotFinite, TrainingHistory history)
        : this(epoch, batch, step, loss, learningRate, gradientNotFinite ? DivergedQuantity.Gradient : DivergedQuantity.Loss, null, null, history)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="batch">The mini-batch within the epoch, from 1.</param>
    /// <param name="step">The optimizer step since the fit began, from 1.</param>
    /// <param name="loss">The mini-batch loss.</param>
    /// <param name="learningRate">The learning rate of the step.</param>
    /// <param name="quantity">What was not finite.</param>
    /// <param name="firstNonFinite">The first NaN or infinite input (or target) of the mini-batch, or null when all were finite.</param>
    /// <param name="detail">More about the inputs, for the message (for example the largest input when all were finite), or null.</param>
    /// <param name="history">The epochs completed before the divergence.</param>
    /// <param name="innerException">The network's own <see cref="NonFiniteException"/> when it refused the batch, or null.</param>
    public TrainingDivergedException(int epoch, int batch, long step, float loss, double learningRate, DivergedQuantity quantity, NonFiniteValue? firstNonFinite, string? detail, TrainingHistory history, Exception? innerException = null)
        : base(Describe(epoch, batch, step, loss, learningRate, quantity, firstNonFinite, detail, innerException), innerException)
    {
        ArgumentNullException.ThrowIfNull(history);
        Epoch = epoch;
        Batch = batch;
        Step = step;
        Loss = loss;
        Quantity = quantity;
        FirstNonFinite = firstNonFinite;
        History = history;
    }

    private static string Describe(int epoch, int batch, long step, float loss, double learningRate, DivergedQuantity quantity, NonFiniteValue? first, string? detail, Exception? inner)
    {
        if (inner is not null)
        {
            // The network refused the batch; its own message says what it found.
            detail = detail is null ? "The network: " + inner.Message : detail + " The network: " + inner.Message;
        }
        string what = quantity switch
        {
            DivergedQuantity.Gradient => $"the loss was {loss} but the gradient has NaN or infinite values",
            DivergedQuantity.Statistics => "batch normalization's running statistics would become NaN or infinite" + (float.IsFinite(loss) ? $" (the loss was {loss})" : ""),
            _ => $"the loss is {loss}",
        };
        string input = first is null
            ? ""
            : $" Row {first.Row} of the training data (row {first.BatchRow} of the mini-batch) has {(first.IsTarget ? "target" : "input")} {first.Column} = {first.Value}.";
        string more = detail is null ? "" : " " + detail;
        string advice = first is null
            ? $" Try a smaller learning rate (this step's was {learningRate:G4}) or standardized inputs."
            : " Remove or repair the non-finite values.";
        return $"Training diverged in epoch {epoch}, mini-batch {batch} (step {step}): {what}.{input}{more} " +
            "The network is as it was before this mini-batch (parameters, optimizer state, running statistics)." + advice;
    }

    /// <summary>The epoch in which the loss diverged, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The mini-batch within <see cref="Epoch"/>, from 1.</summary>
    public int Batch { get; }

    /// <summary>The optimizer step since the fit began, from 1, that was not taken.</summary>
    public long Step { get; }

    /// <summary>The mini-batch loss (NaN or infinite, or finite when only the gradient or the statistics were not).</summary>
    public float Loss { get; }

    /// <summary>What was not finite.</summary>
    public DivergedQuantity Quantity { get; }

    /// <summary>The first NaN or infinite input (or dense target) of the mini-batch, in row order; null when all were finite.</summary>
    public NonFiniteValue? FirstNonFinite { get; }

    /// <summary>The epochs completed before the divergence.</summary>
    public TrainingHistory History { get; }
}

/// <summary>
/// Thrown when a fit is cancelled through its <see cref="CancellationToken"/>. Cancellation is
/// checked between mini-batches, so the network holds the parameters after its last complete
/// step; <see cref="History"/> holds every epoch that ended before the cancellation.
/// </summary>
public sealed class TrainingCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="history">The epochs completed before the cancellation.</param>
    /// <param name="cancellationToken">The token that was cancelled.</param>
    public TrainingCanceledException(TrainingHistory history, CancellationToken cancellationToken)
        : base($"The fit was cancelled after {history?.Epochs.Count ?? 0} complete epoch(s).", cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(history);
        History = history;
    }

    /// <summary>The epochs completed before the cancellation.</summary>
    public TrainingHistory History { get; }
}
