using System.Globalization;

namespace StaticNet.Samples.Lab;

/// <summary>
/// The mean and the sample standard deviation (n − 1 in the denominator, as NumPy's <c>std(ddof=1)</c>) of a
/// figure measured once per seed. With one value the deviation is 0; a NaN value (a diverged run) makes the mean NaN.
/// </summary>
/// <param name="Mean">The mean.</param>
/// <param name="Std">The sample standard deviation.</param>
/// <param name="Count">The number of values.</param>
public readonly record struct Summary(double Mean, double Std, int Count)
{
    /// <summary>Summarizes the values.</summary>
    /// <exception cref="ArgumentException">There are no values.</exception>
    public static Summary Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] v = values.ToArray();
        if (v.Length == 0) throw new ArgumentException("A summary needs at least one value.", nameof(values));
        double mean = v.Average();
        double std = 0;
        if (v.Length > 1)
        {
            double squares = 0;
            foreach (double x in v) squares += (x - mean) * (x - mean);
            std = Math.Sqrt(squares / (v.Length - 1));
        }
        return new Summary(mean, std, v.Length);
    }

    /// <summary>"97.81 ± 0.12 %" for a fraction.</summary>
    public string Percent(int decimals = 2) => double.IsNaN(Mean)
        ? "diverged"
        : $"{Fixed(Mean * 100, decimals)} ± {Fixed(Std * 100, decimals)} %";

    /// <summary>"0.123 ± 0.004" with a .NET numeric format.</summary>
    public string Format(string format) => double.IsNaN(Mean)
        ? "diverged"
        : $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {Std.ToString(format, CultureInfo.InvariantCulture)}";

    /// <summary>"2.32e-5 ± 2.2e-6": scientific notation with <paramref name="digits"/> significant digits for the mean.</summary>
    public string Sci(int digits = 3) => double.IsNaN(Mean) ? "diverged" : $"{Fmt.Sci(Mean, digits)} ± {Fmt.Sci(Std, 2)}";

    private static string Fixed(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}

/// <summary>Formatting of single figures in the invariant culture.</summary>
public static class Fmt
{
    /// <summary>A fraction as percent: 0.9781 → "97.81 %".</summary>
    public static string Percent(double fraction, int decimals = 2) =>
        double.IsNaN(fraction) ? "n/a" : (fraction * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + " %";

    /// <summary>A difference of fractions in percentage points: 0.0123 → "+1.23 points".</summary>
    public static string Points(double difference, int decimals = 2) =>
        double.IsNaN(difference) ? "n/a" : (difference * 100).ToString("+0." + new string('0', decimals) + ";−0." + new string('0', decimals), CultureInfo.InvariantCulture) + " points";

    /// <summary>A number with a .NET format ("G3", "F4", "E2").</summary>
    public static string Num(double value, string format = "G3") =>
        double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Scientific notation with a short exponent: 2.32e-5, 0.153 stays 1.53e-1.</summary>
    public static string Sci(double value, int digits = 3)
    {
        if (double.IsNaN(value)) return "n/a";
        if (value == 0 || double.IsInfinity(value)) return value.ToString(CultureInfo.InvariantCulture);
        int exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        double mantissa = value / Math.Pow(10, exponent);
        if (Math.Abs(mantissa) >= 9.995 && digits <= 3) { mantissa /= 10; exponent++; }
        return mantissa.ToString("F" + Math.Max(0, digits - 1), CultureInfo.InvariantCulture) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A duration: "850 µs", "12.3 ms", "4.56 s", "2 min 03 s".</summary>
    public static string Time(TimeSpan time)
    {
        double s = time.TotalSeconds;
        if (s < 1e-3) return (s * 1e6).ToString("F1", CultureInfo.InvariantCulture) + " µs";
        if (s < 1) return (s * 1e3).ToString("F1", CultureInfo.InvariantCulture) + " ms";
        if (s < 60) return s.ToString("F2", CultureInfo.InvariantCulture) + " s";
        return $"{(int)(s / 60)} min {(int)s % 60:00} s";
    }
}
