namespace StaticNet.Training;

/// <summary>
/// Feature standardization, as the notes prescribe: every input dimension i becomes
/// <c>(x_i − μ_i) / σ_i</c> with the training set's mean μ_i and population standard deviation
/// σ_i (divisor n, as scikit-learn's <c>StandardScaler</c> and Keras' <c>Normalization</c>).
/// A constant feature (σ_i = 0) is only centred, divided by 1 as scikit-learn does, so it becomes
/// 0 and never NaN. Keras divides by max(σ, 1e-7) instead, which gives the same 0 on the training
/// data but huge values for unseen ones.
/// </summary>
public sealed class Standardizer
{
    private readonly float[] _mean;
    private readonly float[] _standardDeviation;
    private readonly float[] _divisor;

    /// <summary>Creates a standardizer from known statistics (for example loaded from a file).</summary>
    /// <param name="mean">μ per feature, finite.</param>
    /// <param name="standardDeviation">σ per feature, finite and not negative.</param>
    /// <exception cref="ArgumentException">The arrays are empty or of different lengths, or a value is not allowed.</exception>
    public Standardizer(ReadOnlySpan<float> mean, ReadOnlySpan<float> standardDeviation)
    {
        if (mean.IsEmpty)
        {
            throw new ArgumentException("mean is empty; expected one value per input feature.", nameof(mean));
        }
        if (standardDeviation.Length != mean.Length)
        {
            throw new ArgumentException($"standardDeviation has {standardDeviation.Length} values; expected {mean.Length}, as many as mean.", nameof(standardDeviation));
        }
        for (int i = 0; i < mean.Length; i++)
        {
            if (!float.IsFinite(mean[i]))
            {
                throw new ArgumentException($"mean[{i}] is {mean[i]}; expected a finite number.", nameof(mean));
            }
            if (!float.IsFinite(standardDeviation[i]) || standardDeviation[i] < 0)
            {
                throw new ArgumentException($"standardDeviation[{i}] is {standardDeviation[i]}; expected a finite number, 0 or more.", nameof(standardDeviation));
            }
        }
        _mean = mean.ToArray();
        _standardDeviation = standardDeviation.ToArray();
        _divisor = new float[mean.Length];
        for (int i = 0; i < _divisor.Length; i++)
        {
            _divisor[i] = _standardDeviation[i] == 0 ? 1f : _standardDeviation[i];
        }
    }

    /// <summary>Computes μ and σ of every feature of <paramref name="features"/> in double precision (two passes).</summary>
    /// <param name="features">Row-major [rows, <paramref name="width"/>] values, at least one row, all finite.</param>
    /// <param name="width">The number of features per row.</param>
    /// <returns>The standardizer.</returns>
    /// <exception cref="ArgumentException">The features are empty, not whole rows, or contain NaN or infinity.</exception>
    public static Standardizer Fit(ReadOnlySpan<float> features, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (features.IsEmpty || features.Length % width != 0)
        {
            throw new ArgumentException($"features has {features.Length} values; expected a positive multiple of {width} (whole rows).", nameof(features));
        }
        int rows = features.Length / width;
        double[] sum = new double[width];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = features.Slice(r * width, width);
            for (int i = 0; i < width; i++)
            {
                if (!float.IsFinite(row[i]))
                {
                    throw new ArgumentException($"features row {r}, feature {i} is {row[i]}; standardization needs finite values.", nameof(features));
                }
                sum[i] += row[i];
            }
        }
        float[] mean = new float[width];
        double[] meanD = new double[width];
        for (int i = 0; i < width; i++)
        {
            meanD[i] = sum[i] / rows;
            mean[i] = (float)meanD[i];
        }
        double[] squares = new double[width];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = features.Slice(r * width, width);
            for (int i = 0; i < width; i++)
            {
                double d = row[i] - meanD[i];
                squares[i] += d * d;
            }
        }
        float[] deviation = new float[width];
        for (int i = 0; i < width; i++)
        {
            deviation[i] = (float)Math.Sqrt(squares[i] / rows);
        }
        return new Standardizer(mean, deviation);
    }

    /// <summary>The number of features.</summary>
    public int Width => _mean.Length;

    /// <summary>μ per feature.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>σ per feature (0 for a constant feature).</summary>
    public ReadOnlySpan<float> StandardDeviation => _standardDeviation;

    /// <summary>Writes the standardized <paramref name="input"/> rows to <paramref name="output"/> (the two may be the same memory).</summary>
    /// <param name="input">Row-major [rows, <see cref="Width"/>].</param>
    /// <param name="output">As long as <paramref name="input"/>.</param>
    /// <exception cref="ArgumentException">The spans are not whole rows or differ in length.</exception>
    public void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length % Width != 0)
        {
            throw new ArgumentException($"input has {input.Length} values; expected a multiple of {Width} (whole rows).", nameof(input));
        }
        if (output.Length != input.Length)
        {
            throw new ArgumentException($"output has {output.Length} values; expected {input.Length}, as many as input.", nameof(output));
        }
        ReadOnlySpan<float> mean = _mean;
        ReadOnlySpan<float> divisor = _divisor;
        for (int start = 0; start < input.Length; start += Width)
        {
            ReadOnlySpan<float> x = input.Slice(start, Width);
            Span<float> y = output.Slice(start, Width);
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = (x[i] - mean[i]) / divisor[i];
            }
        }
    }

    /// <summary>Standardizes rows in place.</summary>
    /// <param name="values">Row-major [rows, <see cref="Width"/>].</param>
    public void ApplyInPlace(Span<float> values) => Apply(values, values);

    /// <summary>Whether the two standardizers hold bit-identical statistics.</summary>
    internal bool SameAs(Standardizer other) =>
        _mean.AsSpan().SequenceEqual(other._mean) && _standardDeviation.AsSpan().SequenceEqual(other._standardDeviation);
}
