namespace StaticNet.Metrics;

/// <summary>
/// Accuracy and top-k accuracy of class scores (probabilities or logits, one row per example).
/// Ties are broken towards the lower class index everywhere (as NumPy's and PyTorch's
/// <c>argmax</c>), so <see cref="TopKAccuracy"/> with k = 1 always equals <see cref="Accuracy"/>.
/// TensorFlow's <c>in_top_k</c> counts every tied class as inside the top k instead.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>The index of the largest score, the first one on ties; NaN scores are never chosen unless all are NaN (then 0).</summary>
    /// <param name="scores">One row of scores, at least one.</param>
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        if (scores.IsEmpty)
        {
            throw new ArgumentException("scores is empty; expected at least one class.", nameof(scores));
        }
        int best = 0;
        for (int j = 1; j < scores.Length; j++)
        {
            if (scores[j] > scores[best] || (float.IsNaN(scores[best]) && !float.IsNaN(scores[j]))) best = j;
        }
        return best;
    }

    /// <summary>
    /// The rank of class <paramref name="label"/> in <paramref name="scores"/>, from 0 for the top:
    /// the number of classes with a higher score, plus those with an equal score and a lower index.
    /// </summary>
    /// <param name="scores">One row of scores.</param>
    /// <param name="label">The class, in [0, scores.Length).</param>
    public static int Rank(ReadOnlySpan<float> scores, int label)
    {
        if ((uint)label >= (uint)scores.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"expected a class in [0, {scores.Length}).");
        }
        float s = scores[label];
        if (float.IsNaN(s)) return scores.Length - 1;
        int rank = 0;
        for (int j = 0; j < scores.Length; j++)
        {
            if (scores[j] > s || (j < label && scores[j] == s)) rank++;
        }
        return rank;
    }

    /// <summary>The fraction of rows whose arg-max score is the label.</summary>
    /// <param name="scores">Row-major [rows, classes] scores, rows = <paramref name="labels"/>.Length.</param>
    /// <param name="labels">One class per row.</param>
    /// <exception cref="ArgumentException">No rows, scores not a whole row per label, or a label outside [0, classes).</exception>
    public static double Accuracy(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels) => TopKAccuracy(scores, labels, 1);

    /// <summary>The fraction of rows whose label is among the <paramref name="k"/> highest scores (ties broken towards the lower index).</summary>
    /// <param name="scores">Row-major [rows, classes] scores, rows = <paramref name="labels"/>.Length.</param>
    /// <param name="labels">One class per row.</param>
    /// <param name="k">How many top classes count, at least 1 (k ≥ classes gives 1).</param>
    /// <exception cref="ArgumentException">No rows, scores not a whole row per label, or a label outside [0, classes).</exception>
    public static double TopKAccuracy(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int classes = Classes(scores, labels);
        int correct = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            ReadOnlySpan<float> row = scores.Slice(r * classes, classes);
            CheckLabel(labels[r], r, classes);
            if (Rank(row, labels[r]) < k) correct++;
        }
        return (double)correct / labels.Length;
    }

    /// <summary>The number of classes per row, checking the shapes.</summary>
    internal static int Classes(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels)
    {
        if (labels.IsEmpty)
        {
            throw new ArgumentException("labels is empty; expected at least one row.", nameof(labels));
        }
        if (scores.Length == 0 || scores.Length % labels.Length != 0)
        {
            throw new ArgumentException($"scores has {scores.Length} values; expected a positive multiple of {labels.Length}, one row of class scores per label.", nameof(scores));
        }
        return scores.Length / labels.Length;
    }

    /// <summary>Throws unless <paramref name="label"/> is a class.</summary>
    internal static void CheckLabel(int label, int row, int classes)
    {
        if ((uint)label >= (uint)classes)
        {
            throw new ArgumentException($"labels[{row}] is {label}; expected a class in [0, {classes}).", "labels");
        }
    }
}
