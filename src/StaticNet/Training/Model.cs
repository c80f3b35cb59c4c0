using System.Diagnostics;
using StaticNet.Metrics;
using StaticNet.Serialization;

namespace StaticNet.Training;

/// <summary>
/// A generated network together with what is fitted around it, its input standardization: the
/// unit that is trained (<see cref="Fit"/>), evaluated, used for prediction, saved and loaded.
/// Like the network, a model is not thread-safe.
/// </summary>
/// <typeparam name="TNet">The generated network class.</typeparam>
/// <remarks>
/// The training loop is generic over <typeparamref name="TNet"/>: every per-element loop runs in
/// the network's generated kernels, and the loop calls the network once per mini-batch
/// (<c>ComputeGradients</c>, then <c>Step</c>), never per example.
/// </remarks>
public sealed class Model<TNet> where TNet : class, INetwork<TNet>
{
    private Standardizer? _normalization;
    private float[] _predictBuffer = [];

    /// <summary>Wraps an existing network.</summary>
    /// <param name="network">The network; the model uses it, it is not copied.</param>
    /// <param name="normalization">Input standardization, or null for none.</param>
    /// <exception cref="ArgumentException">The standardization's width is not the network's input width.</exception>
    public Model(TNet network, Standardizer? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        Normalization = normalization;
    }

    /// <summary>A model around a new network initialized from <paramref name="seed"/>, without standardization.</summary>
    /// <param name="seed">The network's initialization seed.</param>
    public static Model<TNet> Create(int seed) => new(TNet.Create(seed));

    /// <summary>The network.</summary>
    public TNet Network { get; }

    /// <summary>
    /// The input standardization applied before the network in training, evaluation and
    /// prediction; null for none. <see cref="Fit"/> with <see cref="FitOptions.Normalize"/> sets it.
    /// </summary>
    /// <exception cref="ArgumentException">Setting a standardizer whose width is not the network's input width.</exception>
    public Standardizer? Normalization
    {
        get => _normalization;
        set
        {
            if (value is not null && value.Width != Network.Description.Inputs)
            {
                throw new ArgumentException(
                    $"The standardizer has {value.Width} features, but {Network.Description.TypeName} takes {Network.Description.Inputs} inputs.", nameof(value));
            }
            _normalization = value;
        }
    }

    /// <summary>
    /// Trains the network on <paramref name="training"/> with mini-batches for up to
    /// <see cref="FitOptions.Epochs"/> epochs and returns the per-epoch history.
    /// </summary>
    /// <param name="training">The training data; labels or dense targets matching the network's outputs.</param>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <param name="progress">Receives reports during each epoch and after it; may be null.</param>
    /// <param name="cancellationToken">Checked before every mini-batch and evaluation chunk.</param>
    /// <returns>The history of every epoch.</returns>
    /// <exception cref="ArgumentException">The data do not fit the network, or a setting is unusable; the message names it.</exception>
    /// <exception cref="TrainingDivergedException">
    /// A mini-batch loss or gradient, or batch normalization's running statistics, became NaN or infinite; the network is
    /// left exactly as it was before that mini-batch (parameters, optimizer state, running statistics, noise counter,
    /// learning rate), and the exception names the mini-batch and its first non-finite input.
    /// </exception>
    /// <exception cref="TrainingCanceledException">The token was cancelled; the exception holds the history of the completed epochs.</exception>
    /// <exception cref="InvalidOperationException">The schedule returned a learning rate that is not finite and positive.</exception>
    /// <exception cref="NotSupportedException"><see cref="FitOptions.Threads"/> asks for more than one thread and the network uses batch normalization.</exception>
    public TrainingHistory Fit(Dataset training, FitOptions? options = null, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        options ??= new FitOptions();
        options.Validate(nameof(options));
        NetworkDescription description = Network.Description;
        training.CheckFits(description, nameof(training));

        Dataset train = training;
        Dataset? validation = options.ValidationData;
        if (options.ValidationSplit > 0)
        {
            int trainCount = (int)(training.Count * (1.0 - options.ValidationSplit));
            if (trainCount < 1 || trainCount >= training.Count)
            {
                throw new ArgumentException(
                    $"options.ValidationSplit {options.ValidationSplit} of {training.Count} rows leaves {trainCount} training and {training.Count - trainCount} validation rows; both need at least one.",
                    nameof(options));
            }
            validation = training.Slice(trainCount, training.Count - trainCount);
            train = training.Slice(0, trainCount);
        }
        validation?.CheckFits(description, "options.ValidationData");
        if (description.Layers.Any(l => l.BatchNorm is not null))
        {
            // Checked before anything changes: batch normalization cannot train on a batch of one row.
            if (train.Count < 2)
            {
                throw new ArgumentException(
                    $"{description.TypeName} uses batch normalization, which needs at least 2 rows per training batch, but there {(train.Count == 1 ? "is 1 training row" : $"are {train.Count} training rows")}{(options.ValidationSplit > 0 ? " after the validation split" : "")}.",
                    nameof(training));
            }
            if (options.BatchSize < 2)
            {
                throw new ArgumentException(
                    $"options.BatchSize is {options.BatchSize}; {description.TypeName} uses batch normalization, which needs at least 2 rows per training batch.",
                    nameof(options));
            }
        }
        options.Augmentation?.Validate(description.Inputs, "options.Augmentation");
        if (options.EarlyStopping is EarlyStopping stopping)
        {
            bool needsValidation = stopping.Monitor is MonitoredQuantity.ValidationLoss or MonitoredQuantity.ValidationAccuracy;
            if (needsValidation && validation is null)
            {
                throw new ArgumentException(
                    $"options.EarlyStopping monitors {stopping.Monitor}, but there is no validation data: set ValidationSplit or ValidationData, or monitor {MonitoredQuantity.TrainingLoss}.",
                    nameof(options));
            }
            bool accuracy = stopping.Monitor is MonitoredQuantity.ValidationAccuracy or MonitoredQuantity.TrainingAccuracy;
            Dataset watched = stopping.Monitor == MonitoredQuantity.ValidationAccuracy ? validation! : train;
            if (accuracy && !Evaluator<TNet>.HasClasses(watched, description))
            {
                throw new ArgumentException(
                    $"options.EarlyStopping monitors {stopping.Monitor}, but the data have dense targets and a {description.Loss} loss, so there are no classes to be accurate about.",
                    nameof(options));
            }
            if (stopping.Monitor == MonitoredQuantity.TrainingAccuracy && options.TrainingAccuracySamples == 0)
            {
                throw new ArgumentException("options.EarlyStopping monitors TrainingAccuracy, but options.TrainingAccuracySamples is 0, which turns it off.", nameof(options));
            }
        }

        // Created before anything changes: a batch-normalized network with Threads > 1 throws here.
        int threads = options.Threads == 0 ? Environment.ProcessorCount : options.Threads;
        using DataParallel<TNet>? parallel = threads > 1 ? new DataParallel<TNet>(Network, threads) : null;
        if (options.Normalize)
        {
            Normalization = Standardizer.Fit(train.Features.Span, description.Inputs);
        }
        return new FitLoop(this, train, validation, options, parallel, progress, cancellationToken).Run();
    }

    /// <summary>Inference: standardizes <paramref name="inputs"/> when the model has a standardizer, then runs the network.</summary>
    /// <param name="inputs">Row-major [rows, Inputs] raw inputs.</param>
    /// <param name="outputs">Row-major [rows, Outputs]: probabilities for softmax cross-entropy, the outputs otherwise.</param>
    /// <exception cref="ArgumentException">The spans are not whole, matching rows.</exception>
    public void Predict(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        if (_normalization is null)
        {
            Network.Infer(inputs, outputs);
            return;
        }
        int rows = NetworkRuntime.Rows(inputs, Network.Description.Inputs, nameof(inputs));
        if (_predictBuffer.Length < inputs.Length) _predictBuffer = new float[inputs.Length];
        Span<float> x = _predictBuffer.AsSpan(0, rows * Network.Description.Inputs);
        _normalization.Apply(inputs, x);
        Network.Infer(x, outputs);
    }

    /// <summary>Evaluates the model on <paramref name="data"/> in inference mode: loss, accuracy, top-k accuracy and confusion matrix.</summary>
    /// <param name="data">The data (never augmented).</param>
    /// <param name="topK">The k of the top-k accuracy, at least 1. Default 5.</param>
    /// <param name="batchSize">Rows per call. Default 1000.</param>
    /// <returns>The measurements; accuracy, top-k and confusion are null when the data have no classes.</returns>
    public EvaluationResult Evaluate(Dataset data, int topK = 5, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        NetworkDescription description = Network.Description;
        data.CheckFits(description, nameof(data));
        bool classes = Evaluator<TNet>.HasClasses(data, description);
        ConfusionMatrix? confusion = classes && description.Outputs >= 2 ? new ConfusionMatrix(description.Outputs) : null;
        var evaluator = new Evaluator<TNet>(Network, Math.Min(batchSize, data.Count));
        (double loss, double? accuracy, double? top) = evaluator.Evaluate(data, null, _normalization, CancellationToken.None, confusion, topK);
        return new EvaluationResult(data.Count, loss, accuracy, topK, top, confusion);
    }

    /// <summary>
    /// Saves the parameters and the standardization as a safetensors file, atomically (a temporary
    /// file in the same folder, then a rename over <paramref name="path"/>). See <see cref="ModelFile"/>.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="includeOptimizerState">Whether to store the optimizer's state and step count too, to resume training exactly. Default false.</param>
    public void Save(string path, bool includeOptimizerState = false) => ModelFile.Save(Network, path, _normalization, null, includeOptimizerState);

    /// <summary>
    /// Loads a model saved by <see cref="Save"/> into a new <typeparamref name="TNet"/>; checks the
    /// declaration fingerprint and every tensor (see <see cref="ModelFile.Load(INetwork, string, bool)"/>).
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The model, with the saved standardization if there was one.</returns>
    public static Model<TNet> Load(string path)
    {
        TNet network = TNet.Create(0);
        LoadedModel loaded = ModelFile.Load(network, path);
        return new Model<TNet>(network, loaded.Normalization);
    }

    /// <summary>One run of <see cref="Fit"/>: its buffers, random streams and state.</summary>
    private sealed class FitLoop
    {
        private readonly Model<TNet> _model;
        private readonly TNet _net;
        private readonly Dataset _train;
        private readonly Dataset? _validation;
        private readonly FitOptions _options;
        private readonly DataParallel<TNet>? _parallel;
        private readonly IProgress<FitProgress>? _progress;
        private readonly CancellationToken _cancellationToken;
        private readonly List<EpochRecord> _records = [];
        private readonly int _inputs;
        private readonly int _outputs;

        public FitLoop(Model<TNet> model, Dataset train, Dataset? validation, FitOptions options, DataParallel<TNet>? parallel, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
        {
            _parallel = parallel;
            _model = model;
            _net = model.Network;
            _train = train;
            _validation = validation;
            _options = options;
            _progress = progress;
            _cancellationToken = cancellationToken;
            _inputs = _net.Description.Inputs;
            _outputs = _net.Description.Outputs;
        }

        public TrainingHistory Run()
        {
            FitOptions o = _options;
            int n = _train.Count;
            int batchSize = Math.Min(o.BatchSize, n);
            int batchesPerEpoch = (n + batchSize - 1) / batchSize;
            // Batch normalization needs 2 rows per batch: a last batch of 1 row joins the one before it (Fit checked n ≥ 2 and BatchSize ≥ 2).
            bool batchNorm = _net.Description.Layers.Any(l => l.BatchNorm is not null);
            if (batchNorm && batchesPerEpoch > 1 && n % batchSize == 1) batchesPerEpoch--;
            int largestBatch = n - (batchesPerEpoch - 1) * batchSize;
            largestBatch = Math.Max(largestBatch, batchSize);
            int interval = o.ProgressInterval > 0 ? o.ProgressInterval : Math.Max(1, batchesPerEpoch / 100);
            Standardizer? normalization = _model.Normalization;
            Augmentation? augmentation = o.Augmentation;

            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            var shuffleRandom = new Random(o.Seed);
            var augmentRandom = new Random(Numerics.DeriveSeed(o.Seed, 1));

            float[] x = new float[largestBatch * _inputs];
            int[] labels = _train.HasLabels ? new int[largestBatch] : [];
            float[] targets = _train.HasLabels ? [] : new float[largestBatch * _outputs];
            var guard = new DivergenceGuard(_net);

            NetworkDescription description = _net.Description;
            bool trainClasses = Evaluator<TNet>.HasClasses(_train, description) && o.TrainingAccuracySamples > 0;
            int[]? accuracyRows = trainClasses ? ChooseRows(n, o.TrainingAccuracySamples, Numerics.DeriveSeed(o.Seed, 2)) : null;
            int evaluationChunk = Math.Min(o.EvaluationBatchSize, Math.Max(accuracyRows?.Length ?? n, _validation?.Count ?? 0));
            var evaluator = new Evaluator<TNet>(_net, Math.Max(1, evaluationChunk));

            EarlyStoppingState? stopping = o.EarlyStopping is null ? null : new EarlyStoppingState(o.EarlyStopping);
            NetworkSnapshot? best = o.EarlyStopping?.RestoreBestWeights == true ? new NetworkSnapshot(_net) : null;

            var total = Stopwatch.StartNew();
            long step = 0;
            double learningRate = _net.LearningRate;
            StopReason reason = StopReason.Completed;

            for (int epoch = 0; epoch < o.Epochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                if (o.Shuffle) shuffleRandom.Shuffle(order);
                double lossSum = 0;
                long seen = 0;
                long stepTicks = 0;
                for (int batch = 0; batch < batchesPerEpoch; batch++)
                {
                    if (_cancellationToken.IsCancellationRequested)
                    {
                        throw new TrainingCanceledException(History(StopReason.Canceled, stopping, 0), _cancellationToken);
                    }
                    int start = batch * batchSize;
                    int rows = batch == batchesPerEpoch - 1 ? n - start : batchSize;
                    Span<float> xb = x.AsSpan(0, rows * _inputs);
                    ReadOnlySpan<float> features = _train.Features.Span;
                    for (int k = 0; k < rows; k++)
                    {
                        int row = order[start + k];
                        features.Slice(row * _inputs, _inputs).CopyTo(xb.Slice(k * _inputs, _inputs));
                    }
                    if (_train.HasLabels)
                    {
                        ReadOnlySpan<int> source = _train.Labels.Span;
                        for (int k = 0; k < rows; k++) labels[k] = source[order[start + k]];
                    }
                    else
                    {
                        ReadOnlySpan<float> source = _train.Targets.Span;
                        for (int k = 0; k < rows; k++) source.Slice(order[start + k] * _outputs, _outputs).CopyTo(targets.AsSpan(k * _outputs, _outputs));
                    }
                    augmentation?.ApplyGeometric(xb, _inputs, augmentRandom);
                    normalization?.ApplyInPlace(xb);
                    augmentation?.ApplyNoise(xb, augmentRandom);

                    guard.Capture();
                    if (o.Schedule is LearningRateSchedule schedule)
                    {
                        learningRate = schedule.LearningRate(epoch, step);
                        if (!double.IsFinite(learningRate) || learningRate <= 0 || (float)learningRate <= 0 || !float.IsFinite((float)learningRate))
                        {
                            throw new InvalidOperationException(
                                $"The learning-rate schedule ({schedule}) returned {learningRate} for epoch {epoch} and step {step} (both counted from 0); expected a finite positive rate.");
                        }
                        _net.LearningRate = (float)learningRate;
                    }

                    long stepStart = Stopwatch.GetTimestamp();
                    float loss;
                    NonFiniteException? refused = null;
                    try
                    {
                        if (_parallel is null)
                        {
                            loss = _train.HasLabels
                                ? _net.ComputeGradients(xb, labels.AsSpan(0, rows))
                                : _net.ComputeGradients(xb, targets.AsSpan(0, rows * _outputs));
                        }
                        else
                        {
                            loss = _train.HasLabels
                                ? _parallel.ComputeGradients(xb, labels.AsSpan(0, rows))
                                : _parallel.ComputeGradients(xb, targets.AsSpan(0, rows * _outputs));
                        }
                    }
                    catch (NonFiniteException e)
                    {
                        // The network refused the batch and changed nothing; the fit stops here, whatever the gradients now hold.
                        refused = e;
                        loss = e.Loss;
                    }
                    DivergedQuantity? diverged;
                    if (refused is not null)
                    {
                        // Refused with every gradient finite: the running statistics would have overflowed (NonFiniteStatistics
                        // carries no loss, so its Loss is NaN).
                        bool statistics = Numerics.AllFinite(_net.Gradients) && _net.Statistics.Length > 0 && (float.IsFinite(refused.Loss) || float.IsNaN(refused.Loss));
                        diverged = statistics ? DivergedQuantity.Statistics : !float.IsFinite(loss) ? DivergedQuantity.Loss : DivergedQuantity.Gradient;
                    }
                    else
                    {
                        diverged =
                            !float.IsFinite(loss) ? DivergedQuantity.Loss
                            : !Numerics.AllFinite(_net.Gradients) ? DivergedQuantity.Gradient
                            : !Numerics.AllFinite(_net.Statistics) ? DivergedQuantity.Statistics
                            : null;
                    }
                    if (diverged is DivergedQuantity quantity)
                    {
                        guard.Restore();
                        (NonFiniteValue? first, string? detail) = DivergenceGuard.DescribeInputs(
                            xb, _inputs, _train.HasLabels ? default : targets.AsSpan(0, rows * _outputs), _outputs, order.AsSpan(start, rows));
                        throw new TrainingDivergedException(epoch + 1, batch + 1, step + 1, loss, learningRate, quantity, first, detail, History(StopReason.Diverged, stopping, 0), refused);
                    }
                    _net.Step();
                    stepTicks += Stopwatch.GetTimestamp() - stepStart;
                    step++;
                    lossSum += (double)loss * rows;
                    seen += rows;
                    if (_progress is not null && (batch + 1) % interval == 0 && batch + 1 < batchesPerEpoch)
                    {
                        _progress.Report(new FitProgress(epoch + 1, o.Epochs, batch + 1, batchesPerEpoch, step, lossSum / seen, learningRate, total.Elapsed, null));
                    }
                }

                long evaluationStart = Stopwatch.GetTimestamp();
                double? trainAccuracy = null;
                if (trainClasses)
                {
                    trainAccuracy = Evaluate(evaluator, _train, accuracyRows, normalization, stopping, computeLoss: false).Accuracy;
                }
                double? validationLoss = null, validationAccuracy = null;
                if (_validation is not null)
                {
                    (double loss, double? accuracy, _) = Evaluate(evaluator, _validation, null, normalization, stopping);
                    validationLoss = loss;
                    validationAccuracy = accuracy;
                }
                var record = new EpochRecord(epoch + 1, lossSum / seen, trainAccuracy, validationLoss, validationAccuracy, learningRate, epochClock.Elapsed)
                {
                    StepTime = Stopwatch.GetElapsedTime(0, stepTicks),
                    EvaluationTime = Stopwatch.GetElapsedTime(evaluationStart),
                    Examples = (int)seen,
                };
                _records.Add(record);

                bool stop = false;
                if (stopping is not null)
                {
                    if (stopping.Update(epoch + 1, o.EarlyStopping!.Value(record), out stop))
                    {
                        best?.Capture(_net);
                    }
                }
                _progress?.Report(new FitProgress(epoch + 1, o.Epochs, batchesPerEpoch, batchesPerEpoch, step, record.TrainLoss, learningRate, total.Elapsed, record));
                if (stop)
                {
                    reason = StopReason.EarlyStopped;
                    break;
                }
            }

            int weightsEpoch = _records.Count;
            if (best is not null && stopping!.BestEpoch > 0 && stopping.BestEpoch != _records.Count)
            {
                best.Restore(_net);
                weightsEpoch = stopping.BestEpoch;
            }
            return new TrainingHistory(_records, reason, stopping?.BestEpoch ?? 0, weightsEpoch);
        }

        /// <summary>An evaluation that turns cancellation into a <see cref="TrainingCanceledException"/> with the history so far.</summary>
        private (double Loss, double? Accuracy, double? TopK) Evaluate(Evaluator<TNet> evaluator, Dataset data, int[]? rows, Standardizer? normalization, EarlyStoppingState? stopping, bool computeLoss = true)
        {
            try
            {
                return evaluator.Evaluate(data, rows, normalization, _cancellationToken, computeLoss: computeLoss);
            }
            catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
            {
                throw new TrainingCanceledException(History(StopReason.Canceled, stopping, 0), _cancellationToken);
            }
        }

        private TrainingHistory History(StopReason reason, EarlyStoppingState? stopping, int weightsEpoch) =>
            new(_records, reason, stopping?.BestEpoch ?? 0, weightsEpoch);

        /// <summary><paramref name="wanted"/> distinct rows of [0, <paramref name="count"/>), ascending, or null for all of them.</summary>
        private static int[]? ChooseRows(int count, int wanted, int seed)
        {
            if (wanted >= count) return null;
            int[] all = new int[count];
            for (int i = 0; i < count; i++) all[i] = i;
            var random = new Random(seed);
            for (int i = 0; i < wanted; i++)
            {
                int j = random.Next(i, count);
                (all[i], all[j]) = (all[j], all[i]);
            }
            int[] chosen = all[..wanted];
            Array.Sort(chosen);
            return chosen;
        }
    }
}
