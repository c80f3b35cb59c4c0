using StaticNet.Data;

namespace StaticNet.Training;

/// <summary>
/// Examples for training or evaluation: row-major input features, and per row either a class
/// label or a dense target row. A dataset is a view: <see cref="Slice"/> shares the memory of
/// the original, nothing is copied, and the caller must not change the memory while a fit or an
/// evaluation reads it.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a classification dataset: one class label per row.</summary>
    /// <param name="features">Row-major [count, <paramref name="inputWidth"/>] inputs.</param>
    /// <param name="inputWidth">The width of one input row; a network's <c>InputSize</c>.</param>
    /// <param name="labels">One class index per row (checked against the network's outputs when used).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputWidth"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The features are not a whole number of rows, or there is not one label per row.</exception>
    public Dataset(ReadOnlyMemory<float> features, int inputWidth, ReadOnlyMemory<int> labels)
    {
        Count = CheckFeatures(features, inputWidth);
        if (labels.Length != Count)
        {
            throw new ArgumentException(
                $"labels has {labels.Length} elements; expected {Count}, one class label per row of features ({features.Length} values / {inputWidth} per row).",
                nameof(labels));
        }
        Features = features;
        InputWidth = inputWidth;
        Labels = labels;
        HasLabels = true;
    }

    /// <summary>Creates a dataset with dense targets: one row of target values per input row.</summary>
    /// <param name="features">Row-major [count, <paramref name="inputWidth"/>] inputs.</param>
    /// <param name="inputWidth">The width of one input row; a network's <c>InputSize</c>.</param>
    /// <param name="targets">Row-major [count, targetWidth] targets; the target width is <c>targets.Length / count</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputWidth"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The features are not a whole number of rows, or the targets are not a whole, non-empty row per input row.</exception>
    public Dataset(ReadOnlyMemory<float> features, int inputWidth, ReadOnlyMemory<float> targets)
    {
        Count = CheckFeatures(features, inputWidth);
        if (targets.Length == 0 || targets.Length % Count != 0)
        {
            throw new ArgumentException(
                $"targets has {targets.Length} elements; expected a positive multiple of {Count}, one row of targets per row of features.",
                nameof(targets));
        }
        Features = features;
        InputWidth = inputWidth;
        Targets = targets;
        TargetWidth = targets.Length / Count;
    }

    private Dataset(ReadOnlyMemory<float> features, int inputWidth, int count, ReadOnlyMemory<int> labels, bool hasLabels, ReadOnlyMemory<float> targets, int targetWidth)
    {
        Features = features;
        InputWidth = inputWidth;
        Count = count;
        Labels = labels;
        HasLabels = hasLabels;
        Targets = targets;
        TargetWidth = targetWidth;
    }

    /// <summary>A classification dataset over the images and labels of an MNIST set (no copy).</summary>
    /// <param name="set">The MNIST set.</param>
    /// <returns>784 inputs per row, labels 0 to 9.</returns>
    public static Dataset From(MnistSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new Dataset(set.Images, MnistSet.ImageSize, set.Labels);
    }

    /// <summary>The inputs, row-major [<see cref="Count"/>, <see cref="InputWidth"/>].</summary>
    public ReadOnlyMemory<float> Features { get; }

    /// <summary>The width of one input row.</summary>
    public int InputWidth { get; }

    /// <summary>The number of rows (examples).</summary>
    public int Count { get; }

    /// <summary>True when every row has a class label (<see cref="Labels"/>), false when it has dense <see cref="Targets"/>.</summary>
    public bool HasLabels { get; }

    /// <summary>One class index per row; empty when the dataset has dense targets.</summary>
    public ReadOnlyMemory<int> Labels { get; }

    /// <summary>Row-major [<see cref="Count"/>, <see cref="TargetWidth"/>] targets; empty when the dataset has labels.</summary>
    public ReadOnlyMemory<float> Targets { get; }

    /// <summary>The width of one target row; 0 when the dataset has labels.</summary>
    public int TargetWidth { get; }

    /// <summary>The input row <paramref name="index"/>.</summary>
    /// <param name="index">The row, in [0, <see cref="Count"/>).</param>
    public ReadOnlySpan<float> Row(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Features.Span.Slice(index * InputWidth, InputWidth);
    }

    /// <summary>The rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as a dataset sharing this one's memory.</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">The number of rows, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or not inside [0, <see cref="Count"/>).</exception>
    public Dataset Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (start + (long)count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"rows [{start}, {start + (long)count}) are not inside the dataset's {Count} rows.");
        }
        return new Dataset(
            Features.Slice(start * InputWidth, count * InputWidth),
            InputWidth,
            count,
            HasLabels ? Labels.Slice(start, count) : default,
            HasLabels,
            HasLabels ? default : Targets.Slice(start * TargetWidth, count * TargetWidth),
            TargetWidth);
    }

    /// <summary>Throws unless the dataset fits a network with these widths.</summary>
    internal void CheckFits(NetworkDescription description, string parameterName)
    {
        if (InputWidth != description.Inputs)
        {
            throw new ArgumentException(
                $"{parameterName} has {InputWidth} inputs per row, but {description.TypeName} takes {description.Inputs}.", parameterName);
        }
        if (HasLabels)
        {
            ReadOnlySpan<int> labels = Labels.Span;
            for (int i = 0; i < labels.Length; i++)
            {
                if ((uint)labels[i] >= (uint)description.Outputs)
                {
                    throw new ArgumentException(
                        $"{parameterName} label {i} is {labels[i]}; {description.TypeName} has {description.Outputs} outputs, so labels must be in [0, {description.Outputs}).",
                        parameterName);
                }
            }
        }
        else if (TargetWidth != description.Outputs)
        {
            throw new ArgumentException(
                $"{parameterName} has {TargetWidth} targets per row, but {description.TypeName} has {description.Outputs} outputs.", parameterName);
        }
    }

    private static int CheckFeatures(ReadOnlyMemory<float> features, int inputWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputWidth);
        if (features.Length == 0 || features.Length % inputWidth != 0)
        {
            throw new ArgumentException(
                $"features has {features.Length} elements; expected a positive multiple of {inputWidth} (one row of {inputWidth} values per example).",
                nameof(features));
        }
        return features.Length / inputWidth;
    }
}
