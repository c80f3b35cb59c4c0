using System.Globalization;
using System.Text;

namespace StaticNet.Metrics;

/// <summary>
/// Counts of (actual class, predicted class) pairs: row = actual, column = predicted
/// (scikit-learn's <c>confusion_matrix</c> layout). The prediction is the arg-max score
/// (<see cref="ClassificationMetrics.ArgMax"/>).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>Creates an empty matrix.</summary>
    /// <param name="classes">The number of classes, at least 2.</param>
    public ConfusionMatrix(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        Classes = classes;
        _counts = new long[classes * classes];
    }

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>The number of examples counted.</summary>
    public long Total { get; private set; }

    /// <summary>How many examples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">The true class.</param>
    /// <param name="predicted">The predicted class.</param>
    public long this[int actual, int predicted]
    {
        get
        {
            Check(actual, nameof(actual));
            Check(predicted, nameof(predicted));
            return _counts[(actual * Classes) + predicted];
        }
    }

    /// <summary>Counts one example.</summary>
    /// <param name="actual">The true class.</param>
    /// <param name="predicted">The predicted class.</param>
    public void Add(int actual, int predicted)
    {
        Check(actual, nameof(actual));
        Check(predicted, nameof(predicted));
        _counts[(actual * Classes) + predicted]++;
        Total++;
    }

    /// <summary>Counts every row: its label against the arg-max of its scores.</summary>
    /// <param name="scores">Row-major [rows, <see cref="Classes"/>] scores.</param>
    /// <param name="labels">One class per row.</param>
    /// <exception cref="ArgumentException">The shapes differ from [labels.Length, Classes], or a label is not a class.</exception>
    public void Add(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels)
    {
        int classes = ClassificationMetrics.Classes(scores, labels);
        if (classes != Classes)
        {
            throw new ArgumentException($"scores has {classes} values per row; this matrix has {Classes} classes.", nameof(scores));
        }
        for (int r = 0; r < labels.Length; r++)
        {
            ClassificationMetrics.CheckLabel(labels[r], r, classes);
        }
        for (int r = 0; r < labels.Length; r++)
        {
            Add(labels[r], ClassificationMetrics.ArgMax(scores.Slice(r * classes, classes)));
        }
    }

    /// <summary>The fraction on the diagonal; NaN when empty.</summary>
    public double Accuracy
    {
        get
        {
            long diagonal = 0;
            for (int c = 0; c < Classes; c++) diagonal += _counts[(c * Classes) + c];
            return Total == 0 ? double.NaN : (double)diagonal / Total;
        }
    }

    /// <summary>Of the examples of class <paramref name="c"/>, the fraction predicted as <paramref name="c"/>; NaN when there are none.</summary>
    /// <param name="c">The class.</param>
    public double Recall(int c)
    {
        Check(c, nameof(c));
        long row = 0;
        for (int p = 0; p < Classes; p++) row += _counts[(c * Classes) + p];
        return row == 0 ? double.NaN : (double)_counts[(c * Classes) + c] / row;
    }

    /// <summary>Of the examples predicted as class <paramref name="c"/>, the fraction that are <paramref name="c"/>; NaN when there are none.</summary>
    /// <param name="c">The class.</param>
    public double Precision(int c)
    {
        Check(c, nameof(c));
        long column = 0;
        for (int a = 0; a < Classes; a++) column += _counts[(a * Classes) + c];
        return column == 0 ? double.NaN : (double)_counts[(c * Classes) + c] / column;
    }

    /// <summary>A text table: one row per actual class, one column per predicted class, then the recall.</summary>
    public override string ToString()
    {
        int cell = Math.Max(4, _counts.Length == 0 ? 1 : _counts.Max().ToString(CultureInfo.InvariantCulture).Length + 1);
        var text = new StringBuilder();
        text.Append("actual\\predicted".PadRight(17));
        for (int p = 0; p < Classes; p++) text.Append(p.ToString(CultureInfo.InvariantCulture).PadLeft(cell));
        text.Append("  recall\n");
        for (int a = 0; a < Classes; a++)
        {
            text.Append(a.ToString(CultureInfo.InvariantCulture).PadRight(17));
            for (int p = 0; p < Classes; p++) text.Append(_counts[(a * Classes) + p].ToString(CultureInfo.InvariantCulture).PadLeft(cell));
            double recall = Recall(a);
            text.Append(double.IsNaN(recall) ? "       -" : recall.ToString("P1", CultureInfo.InvariantCulture).PadLeft(8));
            text.Append('\n');
        }
        return text.ToString();
    }

    private void Check(int c, string parameterName)
    {
        if ((uint)c >= (uint)Classes)
        {
            throw new ArgumentOutOfRangeException(parameterName, c, $"expected a class in [0, {Classes}).");
        }
    }
}
