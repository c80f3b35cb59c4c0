using StaticNet.Metrics;

namespace StaticNet.Training;

/// <summary>A progress report from one member of an ensemble fit.</summary>
/// <param name="Member">The member being trained, from 0.</param>
/// <param name="Members">The number of members.</param>
/// <param name="Progress">The member's own report.</param>
public sealed record EnsembleProgress(int Member, int Members, FitProgress Progress);

/// <summary>The ensemble's measurements beside each member's.</summary>
/// <param name="Ensemble">The averaged model's loss, accuracy, top-k accuracy and confusion matrix.</param>
/// <param name="Members">Each member's own, in member order.</param>
public sealed record EnsembleEvaluation(EvaluationResult Ensemble, IReadOnlyList<EvaluationResult> Members);

/// <summary>
/// K independently trained networks of one declaration whose outputs are averaged at inference,
/// as the notes put it: "train multiple independent models, at test time average their results".
/// For softmax cross-entropy the average is of the members' probabilities.
/// </summary>
/// <typeparam name="TNet">The generated network class.</typeparam>
public sealed class Ensemble<TNet> where TNet : class, INetwork<TNet>
{
    private readonly Model<TNet>[] _members;
    private float[] _sum = [];
    private float[] _one = [];

    /// <summary>An ensemble of existing models.</summary>
    /// <param name="members">At least one model; each is used, not copied.</param>
    public Ensemble(IEnumerable<Model<TNet>> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        _members = members.ToArray();
        if (_members.Length == 0)
        {
            throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        }
        for (int i = 0; i < _members.Length; i++)
        {
            if (_members[i] is null) throw new ArgumentException($"members[{i}] is null.", nameof(members));
        }
    }

    /// <summary><paramref name="count"/> new models, member i initialized from seed <paramref name="seed"/> + i.</summary>
    /// <param name="count">The number of members, at least 1.</param>
    /// <param name="seed">The first member's initialization seed.</param>
    public static Ensemble<TNet> Create(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var members = new Model<TNet>[count];
        for (int i = 0; i < count; i++) members[i] = Model<TNet>.Create(unchecked(seed + i));
        return new Ensemble<TNet>(members);
    }

    /// <summary>The members.</summary>
    public IReadOnlyList<Model<TNet>> Members => _members;

    /// <summary>
    /// Fits every member in turn on the same data with the same options, except that member i uses
    /// the seed <c>options.Seed + i</c> for shuffling and augmentation.
    /// </summary>
    /// <param name="training">The training data.</param>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <param name="progress">Receives each member's reports; may be null.</param>
    /// <param name="cancellationToken">Cancels the member being trained (see <see cref="Model{TNet}.Fit"/>).</param>
    /// <returns>Each member's history.</returns>
    public IReadOnlyList<TrainingHistory> Fit(Dataset training, FitOptions? options = null, IProgress<EnsembleProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new FitOptions();
        var histories = new TrainingHistory[_members.Length];
        for (int i = 0; i < _members.Length; i++)
        {
            int member = i;
            IProgress<FitProgress>? inner = progress is null ? null : new ForwardProgress(progress, member, _members.Length);
            histories[i] = _members[i].Fit(training, options.WithSeed(unchecked(options.Seed + i)), inner, cancellationToken);
        }
        return histories;
    }

    /// <summary>The mean of the members' <see cref="Model{TNet}.Predict"/> outputs.</summary>
    /// <param name="inputs">Row-major [rows, Inputs] raw inputs.</param>
    /// <param name="outputs">Row-major [rows, Outputs].</param>
    public void Predict(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        if (_one.Length < outputs.Length)
        {
            _one = new float[outputs.Length];
            _sum = new float[outputs.Length];
        }
        Span<float> one = _one.AsSpan(0, outputs.Length);
        Span<float> sum = _sum.AsSpan(0, outputs.Length);
        sum.Clear();
        foreach (Model<TNet> member in _members)
        {
            member.Predict(inputs, one);
            for (int i = 0; i < sum.Length; i++) sum[i] += one[i];
        }
        float scale = 1f / _members.Length;
        for (int i = 0; i < sum.Length; i++) outputs[i] = sum[i] * scale;
    }

    /// <summary>
    /// Evaluates the ensemble and each member on <paramref name="data"/>. The ensemble's loss is
    /// computed from the averaged outputs: mean −Σ t·ln p for softmax cross-entropy (p floored at
    /// 1e-30), mean squared error otherwise.
    /// </summary>
    /// <param name="data">The data.</param>
    /// <param name="topK">The k of the top-k accuracy. Default 5.</param>
    /// <param name="batchSize">Rows per call. Default 1000.</param>
    public EnsembleEvaluation Evaluate(Dataset data, int topK = 5, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        NetworkDescription description = _members[0].Network.Description;
        data.CheckFits(description, nameof(data));
        var memberResults = new EvaluationResult[_members.Length];
        for (int i = 0; i < _members.Length; i++) memberResults[i] = _members[i].Evaluate(data, topK, batchSize);

        int width = description.Outputs, inputs = description.Inputs;
        bool classes = data.HasLabels || description.Loss == Loss.SoftmaxCrossEntropy;
        ConfusionMatrix? confusion = classes && width >= 2 ? new ConfusionMatrix(width) : null;
        int chunk = Math.Min(batchSize, data.Count);
        float[] averaged = new float[chunk * width];
        float[] target = new float[width];
        double lossSum = 0;
        long correct = 0, topCorrect = 0;
        ReadOnlySpan<float> features = data.Features.Span;
        for (int start = 0; start < data.Count; start += chunk)
        {
            int n = Math.Min(chunk, data.Count - start);
            Span<float> scores = averaged.AsSpan(0, n * width);
            Predict(features.Slice(start * inputs, n * inputs), scores);
            for (int r = 0; r < n; r++)
            {
                ReadOnlySpan<float> row = scores.Slice(r * width, width);
                if (data.HasLabels)
                {
                    target.AsSpan().Clear();
                    target[data.Labels.Span[start + r]] = 1f;
                }
                else
                {
                    data.Targets.Span.Slice((start + r) * width, width).CopyTo(target);
                }
                double loss = 0;
                for (int j = 0; j < width; j++)
                {
                    loss += description.Loss == Loss.SoftmaxCrossEntropy
                        ? (target[j] == 0 ? 0 : -target[j] * Math.Log(Math.Max(row[j], 1e-30)))
                        : (row[j] - (double)target[j]) * (row[j] - target[j]) / width;
                }
                lossSum += loss;
                if (classes)
                {
                    int label = data.HasLabels ? data.Labels.Span[start + r] : ClassificationMetrics.ArgMax(target);
                    int rank = ClassificationMetrics.Rank(row, label);
                    if (rank == 0) correct++;
                    if (rank < topK) topCorrect++;
                    confusion?.Add(label, ClassificationMetrics.ArgMax(row));
                }
            }
        }
        var ensemble = new EvaluationResult(
            data.Count,
            lossSum / data.Count,
            classes ? (double)correct / data.Count : null,
            topK,
            classes ? (double)topCorrect / data.Count : null,
            confusion);
        return new EnsembleEvaluation(ensemble, memberResults);
    }

    /// <summary>Wraps a member's reports with its index.</summary>
    private sealed class ForwardProgress(IProgress<EnsembleProgress> target, int member, int members) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) => target.Report(new EnsembleProgress(member, members, value));
    }
}
