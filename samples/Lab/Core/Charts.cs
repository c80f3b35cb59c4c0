using ScottPlot;

namespace StaticNet.Samples.Lab;

/// <summary>A line of a plot: y over x, with an optional band (for example mean ± std, or min–max over seeds).</summary>
/// <param name="Label">The legend text.</param>
/// <param name="X">The x values.</param>
/// <param name="Y">The y values (NaN points are left out).</param>
/// <param name="Low">The band's lower edge, or null for no band.</param>
/// <param name="High">The band's upper edge, or null for no band.</param>
public sealed record Series(string Label, double[] X, double[] Y, double[]? Low = null, double[]? High = null)
{
    /// <summary>A series with a mean ± std band.</summary>
    public static Series WithStd(string label, double[] x, double[] mean, double[] std) =>
        new(label, x, mean, mean.Zip(std, (m, s) => m - s).ToArray(), mean.Zip(std, (m, s) => m + s).ToArray());
}

/// <summary>The lab's plots, drawn with ScottPlot and saved as PNG.</summary>
public static class Charts
{
    /// <summary>Saves one or more panels side by side (or in a grid of <paramref name="columns"/>) as a PNG.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="panels">One action per panel, drawing into its plot.</param>
    /// <param name="panelWidth">The width of one panel in pixels.</param>
    /// <param name="panelHeight">The height of one panel in pixels.</param>
    /// <param name="columns">Panels per row; 0 for all in one row.</param>
    public static void Save(string path, IReadOnlyList<Action<Plot>> panels, int panelWidth = 640, int panelHeight = 440, int columns = 0)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentOutOfRangeException.ThrowIfZero(panels.Count);
        if (panels.Count == 1)
        {
            var plot = new Plot();
            panels[0](plot);
            plot.SavePng(path, panelWidth, panelHeight);
            return;
        }
        columns = columns <= 0 ? panels.Count : Math.Min(columns, panels.Count);
        int rows = (panels.Count + columns - 1) / columns;
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        for (int i = 0; i < panels.Count; i++) panels[i](multiplot.GetPlot(i));
        multiplot.SavePng(path, panelWidth * columns, panelHeight * rows);
    }

    /// <summary>Saves a single panel.</summary>
    public static void Save(string path, Action<Plot> panel, int width = 800, int height = 480) => Save(path, [panel], width, height);

    /// <summary>
    /// Draws lines with optional bands. With <paramref name="logY"/> (or <paramref name="logX"/>) the values are
    /// plotted as log10 with ticks labelled in the original units; non-positive values are left out.
    /// </summary>
    public static void Lines(Plot plot, string title, string xLabel, string yLabel, IEnumerable<Series> series, bool logY = false, bool logX = false, bool integerX = false, Alignment legend = Alignment.UpperRight)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(series);
        Series[] all = series.ToArray();
        if (logY)
        {
            // Within less than a decade a log axis would show no labelled tick: plot linearly instead.
            double[] positive = all.SelectMany(x => x.Y).Where(v => v > 0 && double.IsFinite(v)).ToArray();
            if (positive.Length > 0 && Math.Log10(positive.Max() / positive.Min()) < 1)
            {
                logY = false;
                yLabel = yLabel.Replace(" (log scale)", "", StringComparison.Ordinal);
            }
        }
        int index = 0;
        foreach (Series s in all)
        {
            Color color = Palette(index++);
            double[] xs = logX ? s.X.Select(Log).ToArray() : s.X;
            double[] ys = logY ? s.Y.Select(Log).ToArray() : s.Y;
            if (s.Low is not null && s.High is not null)
            {
                double[] low = logY ? s.Low.Select(Log).ToArray() : s.Low;
                double[] high = logY ? s.High.Select(Log).ToArray() : s.High;
                int[] ok = Enumerable.Range(0, Math.Min(xs.Length, Math.Min(low.Length, high.Length))).Where(i => Finite(xs[i]) && Finite(low[i]) && Finite(high[i])).ToArray();
                if (ok.Length > 1)
                {
                    var band = plot.Add.FillY(ok.Select(i => xs[i]).ToArray(), ok.Select(i => low[i]).ToArray(), ok.Select(i => high[i]).ToArray());
                    band.FillColor = color.WithAlpha(0.18);
                    band.LineWidth = 0;
                }
            }
            int[] points = Enumerable.Range(0, Math.Min(xs.Length, ys.Length)).Where(i => Finite(xs[i]) && Finite(ys[i])).ToArray();
            if (points.Length == 0) continue;
            var scatter = plot.Add.Scatter(points.Select(i => xs[i]).ToArray(), points.Select(i => ys[i]).ToArray(), color);
            scatter.LegendText = s.Label;
            scatter.LineWidth = 2;
            scatter.MarkerSize = points.Length > 40 ? 0 : 5;
            if (index > 10) scatter.LinePattern = LinePattern.Dashed; // Category10 repeats its colours from the 11th series
        }
        Titles(plot, title, xLabel, yLabel);
        if (logY) plot.Axes.Left.TickGenerator = LogTicks();
        if (logX) plot.Axes.Bottom.TickGenerator = LogTicks();
        else if (integerX) plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(legend);
        plot.Legend.FontSize = 11;
    }

    /// <summary>Draws bars with error bars (for example mean ± std over seeds), one per category, labelled below.</summary>
    public static void Bars(Plot plot, string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<double> values, IReadOnlyList<double>? errors = null, double? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var bars = new List<Bar>();
        for (int i = 0; i < categories.Count; i++)
        {
            if (!Finite(values[i])) continue;
            bars.Add(new Bar
            {
                Position = i,
                Value = values[i],
                ValueBase = baseline ?? 0,
                Error = errors is null || !Finite(errors[i]) ? 0 : errors[i],
                FillColor = Palette(i),
            });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, categories.Count).Select(i => (double)i).ToArray(), categories.ToArray());
        if (categories.Count > 5 || categories.Any(c => c.Length > 12))
        {
            // ScottPlot's recipe for long category names: rotate, anchor at the tick, and make the axis as tall as the longest label.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 24 + 5.5f * categories.Max(c => c.Length);
        }
        Titles(plot, title, "", yLabel);
        double[] finite = values.Where(Finite).ToArray();
        if (finite.Length > 0)
        {
            double low = baseline ?? Math.Min(0, finite.Min()), high = values.Select((v, i) => v + (errors is null || !Finite(errors[i]) ? 0 : errors[i])).Where(Finite).Max();
            plot.Axes.SetLimitsY(low, high + (high - low) * 0.08);
        }
    }

    /// <summary>Draws step histograms of several value sets on shared bins (counts, log scale when <paramref name="logCounts"/>).</summary>
    public static void Histograms(Plot plot, string title, string xLabel, IReadOnlyList<(string Label, double[] Values)> sets, double min, double max, int bins = 80, bool logCounts = true)
    {
        ArgumentNullException.ThrowIfNull(plot);
        double width = (max - min) / bins;
        var series = new List<Series>();
        foreach ((string label, double[] values) in sets)
        {
            var counts = new double[bins];
            foreach (double v in values)
            {
                int b = (int)Math.Floor((v - min) / width);
                if (b >= 0 && b < bins) counts[b]++;
                else if (v == max) counts[bins - 1]++;
            }
            double[] centres = Enumerable.Range(0, bins).Select(b => min + (b + 0.5) * width).ToArray();
            series.Add(new Series(label, centres, counts.Select(c => logCounts && c == 0 ? double.NaN : c).ToArray()));
        }
        Lines(plot, title, xLabel, logCounts ? "count (log scale)" : "count", series, logY: logCounts);
    }

    /// <summary>A dashed vertical marker with a legend entry.</summary>
    public static void Marker(Plot plot, double x, string label, int colorIndex = 7)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var line = plot.Add.VerticalLine(x, color: Palette(colorIndex));
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = label;
    }

    /// <summary>The colour of series <paramref name="index"/> (Category10, cycling).</summary>
    public static Color Palette(int index) => new ScottPlot.Palettes.Category10().GetColor(index);

    private static void Titles(Plot plot, string title, string xLabel, string yLabel)
    {
        plot.Title(title, size: 14);
        plot.XLabel(xLabel, size: 12);
        plot.YLabel(yLabel, size: 12);
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = y => Math.Abs(y) >= 4 ? Fmt.Sci(Math.Pow(10, y), 1) : Math.Pow(10, y).ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static double Log(double v) => v > 0 && double.IsFinite(v) ? Math.Log10(v) : double.NaN;

    private static bool Finite(double v) => double.IsFinite(v);
}
