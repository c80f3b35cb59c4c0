using System.Numerics;
using System.Runtime.InteropServices;
using StaticNet.Metrics;

namespace StaticNet.Training;

/// <summary>
/// A copy of everything that makes up a network's trained state, to put back later (the best
/// epoch of early stopping).
/// </summary>
/// <remarks>
/// Parameters and BatchNorm running statistics, so restoring the best epoch restores both; the
/// optimizer state is not rolled back (as Keras).
/// </remarks>
internal sealed class NetworkSnapshot
{
    private readonly float[] _parameters;
    private readonly float[] _statistics;

    public NetworkSnapshot(INetwork network)
    {
        _parameters = new float[network.Parameters.Length];
        _statistics = new float[network.Statistics.Length];
    }

    public void Capture(INetwork network)
    {
        network.Parameters.CopyTo(_parameters);
        network.Statistics.CopyTo(_statistics); // Keras counts moving statistics as weights
    }

    public void Restore(INetwork network)
    {
        _parameters.AsSpan().CopyTo(network.Parameters);
        _statistics.AsSpan().CopyTo(network.Statistics);
    }
}

/// <summary>
/// What a mini-batch's forward pass changes before the fit decides whether to take its step: batch normalization's
/// running statistics, the training-noise counter, and the learning rate the schedule set. Captured before every
/// mini-batch (a few floats per batch-normalized unit) and put back when the mini-batch diverges. The parameters and
/// the optimizer state need no copy: only the step changes them, and it is not taken.
/// </summary>
internal sealed class DivergenceGuard(INetwork network)
{
    private readonly float[] _statistics = new float[network.Statistics.Length];
    private long _noiseStep;
    private float _learningRate;

    public void Capture()
    {
        if (_statistics.Length > 0) network.Statistics.CopyTo(_statistics);
        _noiseStep = network.NoiseStep;
        _learningRate = network.LearningRate;
    }

    public void Restore()
    {
        if (_statistics.Length > 0) _statistics.AsSpan().CopyTo(network.Statistics);
        network.NoiseStep = _noiseStep;
        network.LearningRate = _learningRate;
    }

    /// <summary>
    /// The first NaN or infinite input of a mini-batch (or dense target, when none of the inputs is), in row order, with the
    /// training-data row it came from; when every value is finite, a sentence on the largest input instead.
    /// </summary>
    public static (NonFiniteValue? First, string? Detail) DescribeInputs(ReadOnlySpan<float> inputs, int width, ReadOnlySpan<float> targets, int outputs, ReadOnlySpan<int> sourceRows)
    {
        NonFiniteValue? first = FirstNonFinite(inputs, width, sourceRows, isTarget: false) ?? FirstNonFinite(targets, outputs, sourceRows, isTarget: true);
        if (first is not null || inputs.IsEmpty) return (first, null);
        int largest = 0;
        for (int i = 1; i < inputs.Length; i++)
        {
            if (Math.Abs(inputs[i]) > Math.Abs(inputs[largest])) largest = i;
        }
        int batchRow = largest / width;
        return (null, $"Every input is finite; the largest in magnitude is {inputs[largest]} (row {sourceRows[batchRow]} of the training data, input {largest % width}).");
    }

    private static NonFiniteValue? FirstNonFinite(ReadOnlySpan<float> values, int width, ReadOnlySpan<int> sourceRows, bool isTarget)
    {
        if (values.IsEmpty || Numerics.AllFinite(values)) return null;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                int batchRow = i / width;
                return new NonFiniteValue(sourceRows[batchRow], batchRow, i % width, values[i], isTarget);
            }
        }
        return null;
    }
}

/// <summary>Small numeric helpers.</summary>
internal static class Numerics
{
    /// <summary>Whether every value is finite: x − x is 0 for finite x and NaN for ±∞ and NaN.</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            Vector<float> acc = Vector<float>.Zero;
            ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            foreach (Vector<float> v in vectors) acc += v - v;
            if (!Vector.EqualsAll(acc, Vector<float>.Zero)) return false;
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return false;
        }
        return true;
    }

    /// <summary>A seed for random stream <paramref name="stream"/> derived from <paramref name="seed"/> (SplitMix64's finalizer), the same on every run and platform.</summary>
    public static int DeriveSeed(int seed, int stream)
    {
        ulong z = unchecked((ulong)(uint)seed + ((ulong)(uint)stream * 0x9E3779B97F4A7C15UL));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((int)(z ^ (z >> 31)));
    }
}

/// <summary>
/// Evaluates a network on a dataset in chunks in inference mode: mean loss through the generated
/// <c>ComputeLoss</c>, class predictions through <c>Infer</c>. Buffers are allocated once.
/// </summary>
internal sealed class Evaluator<TNet> where TNet : class, INetwork<TNet>
{
    private readonly TNet _network;
    private readonly int _chunk;
    private readonly int _inputs;
    private readonly int _outputs;
    private readonly float[] _x;
    private readonly float[] _scores;
    private readonly int[] _labels;
    private float[] _targets = [];

    public Evaluator(TNet network, int chunk)
    {
        _network = network;
        _chunk = chunk;
        _inputs = network.Description.Inputs;
        _outputs = network.Description.Outputs;
        _x = new float[chunk * _inputs];
        _scores = new float[chunk * _outputs];
        _labels = new int[chunk];
    }

    /// <summary>Whether accuracy applies to <paramref name="data"/>: labels, or softmax targets (their arg-max is the class).</summary>
    public static bool HasClasses(Dataset data, NetworkDescription description) =>
        data.HasLabels || description.Loss == Loss.SoftmaxCrossEntropy;

    /// <summary>
    /// Evaluates the rows <paramref name="rows"/> of <paramref name="data"/> (all rows when null).
    /// Fills <paramref name="confusion"/> when given; counts top-<paramref name="topK"/> hits when it is positive.
    /// <paramref name="onScores"/>, when given, sees each chunk's outputs and first row index (ensembles).
    /// Without <paramref name="computeLoss"/> only <c>Infer</c> runs and the loss is NaN.
    /// </summary>
    public (double Loss, double? Accuracy, double? TopKAccuracy) Evaluate(
        Dataset data,
        int[]? rows,
        Standardizer? normalization,
        CancellationToken cancellationToken,
        ConfusionMatrix? confusion = null,
        int topK = 0,
        ScoresCallback? onScores = null,
        bool computeLoss = true)
    {
        int count = rows?.Length ?? data.Count;
        bool classes = HasClasses(data, _network.Description);
        double lossSum = 0;
        long correct = 0, topKCorrect = 0;
        if (!data.HasLabels && _targets.Length == 0) _targets = new float[_chunk * _outputs];
        for (int start = 0; start < count; start += _chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(_chunk, count - start);
            ReadOnlySpan<float> x = Gather(data, rows, start, n, normalization);
            float loss = float.NaN;
            if (computeLoss)
            {
                loss = data.HasLabels
                    ? _network.ComputeLoss(x, GatherLabels(data, rows, start, n))
                    : _network.ComputeLoss(x, GatherTargets(data, rows, start, n));
            }
            lossSum += (double)loss * n;
            Span<float> scores = _scores.AsSpan(0, n * _outputs);
            _network.Infer(x, scores);
            onScores?.Invoke(scores, start, n);
            if (classes)
            {
                ReadOnlySpan<int> labels = data.HasLabels ? GatherLabels(data, rows, start, n) : TargetClasses(data, rows, start, n);
                for (int r = 0; r < n; r++)
                {
                    ReadOnlySpan<float> row = scores.Slice(r * _outputs, _outputs);
                    int rank = ClassificationMetrics.Rank(row, labels[r]);
                    if (rank == 0) correct++;
                    if (topK > 0 && rank < topK) topKCorrect++;
                    confusion?.Add(labels[r], ClassificationMetrics.ArgMax(row));
                }
            }
        }
        return (lossSum / count,
            classes ? (double)correct / count : null,
            classes && topK > 0 ? (double)topKCorrect / count : null);
    }

    /// <summary>Sees the outputs of rows [start, start + rows) of an evaluation.</summary>
    public delegate void ScoresCallback(ReadOnlySpan<float> scores, int start, int rows);

    private ReadOnlySpan<float> Gather(Dataset data, int[]? rows, int start, int n, Standardizer? normalization)
    {
        ReadOnlySpan<float> features = data.Features.Span;
        Span<float> x = _x.AsSpan(0, n * _inputs);
        if (rows is null)
        {
            ReadOnlySpan<float> source = features.Slice(start * _inputs, n * _inputs);
            if (normalization is null) return source;
            normalization.Apply(source, x);
            return x;
        }
        for (int r = 0; r < n; r++)
        {
            features.Slice(rows[start + r] * _inputs, _inputs).CopyTo(x.Slice(r * _inputs, _inputs));
        }
        normalization?.ApplyInPlace(x);
        return x;
    }

    private ReadOnlySpan<int> GatherLabels(Dataset data, int[]? rows, int start, int n)
    {
        ReadOnlySpan<int> labels = data.Labels.Span;
        if (rows is null) return labels.Slice(start, n);
        for (int r = 0; r < n; r++) _labels[r] = labels[rows[start + r]];
        return _labels.AsSpan(0, n);
    }

    private ReadOnlySpan<float> GatherTargets(Dataset data, int[]? rows, int start, int n)
    {
        ReadOnlySpan<float> targets = data.Targets.Span;
        if (rows is null) return targets.Slice(start * _outputs, n * _outputs);
        Span<float> t = _targets.AsSpan(0, n * _outputs);
        for (int r = 0; r < n; r++) targets.Slice(rows[start + r] * _outputs, _outputs).CopyTo(t.Slice(r * _outputs, _outputs));
        return t;
    }

    private ReadOnlySpan<int> TargetClasses(Dataset data, int[]? rows, int start, int n)
    {
        ReadOnlySpan<float> targets = data.Targets.Span;
        for (int r = 0; r < n; r++)
        {
            int row = rows is null ? start + r : rows[start + r];
            _labels[r] = ClassificationMetrics.ArgMax(targets.Slice(row * _outputs, _outputs));
        }
        return _labels.AsSpan(0, n);
    }
}
