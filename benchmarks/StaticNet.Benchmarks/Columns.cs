using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace StaticNet.Benchmarks;

/// <summary>
/// The config every benchmark class here uses: the GFLOP/s, % of peak, vs Naive and GB/s columns, and the filter that
/// leaves the naive baseline out above each network's <see cref="NetworkBenchmarks{TNet}.NaiveMaxBatch"/>.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        // Throughput figures divide by the median, which one descheduled iteration on this shared 2-vCPU machine does
        // not move the way it moves the mean.
        AddColumn(StatisticColumn.Median, new GflopsColumn(), new PercentOfPeakColumn(), new NaiveRatioColumn(), new BandwidthColumn());
        WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40));
        AddFilter(new SimpleFilter(IsWanted));
    }

    /// <summary>False for the naive cases above their network's naive batch limit.</summary>
    public static bool IsWanted(BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        if (!benchmarkCase.Descriptor.WorkloadMethod.Name.StartsWith("Naive_", StringComparison.Ordinal)) return true;
        Type type = benchmarkCase.Descriptor.Type;
        PropertyInfo? limit = type.GetProperty("NaiveMaxBatch");
        if (limit is null || type.IsAbstract) return true;
        return ColumnHelpers.Batch(benchmarkCase) <= (int)limit.GetValue(Activator.CreateInstance(type))!;
    }
}

internal static class ColumnHelpers
{
    public static int Batch(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Batch")?.Value is int batch ? batch : 0;

    /// <summary>The median time of one call in nanoseconds (what every derived column divides by).</summary>
    public static double? Median(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics?.Median is double median && median > 0 ? median : null;

    /// <summary>
    /// The median time to divide FLOPs by: null for an FmaPeak row under 0.1 ms, which did not run its loop
    /// (Vector512Peak returns at once where Vector512 is not accelerated; the real loops take milliseconds).
    /// </summary>
    public static double? FlopsMean(Summary summary, BenchmarkCase benchmarkCase) =>
        Median(summary, benchmarkCase) is double mean && !(benchmarkCase.Descriptor.Type == typeof(FmaPeak) && mean < 1e5) ? mean : null;

    /// <summary>
    /// Model FLOPs of one call: 6·B·P for a network train step, 2·B·P for inference (P the network's own parameter
    /// count), 2·lanes·12·10⁶ for FmaPeak, 2·rows·inputs·outputs for a KernelBreakdown kernel; null for anything else.
    /// </summary>
    public static double? Flops(BenchmarkCase benchmarkCase)
    {
        Type type = benchmarkCase.Descriptor.Type;
        if (type == typeof(FmaPeak))
        {
            return benchmarkCase.Descriptor.WorkloadMethod.Name switch
            {
                nameof(FmaPeak.Vector256Peak) => FmaPeak.Flops(8),
                nameof(FmaPeak.Vector512Peak) => FmaPeak.Flops(16),
                _ => null,
            };
        }
        if (type == typeof(KernelBreakdown))
        {
            return KernelBreakdown.Flops((string)benchmarkCase.Parameters[nameof(KernelBreakdown.Kernel)]!, (int)benchmarkCase.Parameters[nameof(KernelBreakdown.Rows)]!);
        }
        if (type.GetProperty("ModelParameterCount", BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy)?.GetValue(null) is not int parameters) return null;
        double perRow = benchmarkCase.Descriptor.HasCategory(NetworkBenchmarks<Mlp784>.Train) ? 6.0 : 2.0;
        return perRow * Batch(benchmarkCase) * parameters;
    }

    /// <summary>
    /// The machine's FMA peak in GFLOP/s: the larger of FmaPeak.Vector256Peak and Vector512Peak in this summary (the 512-bit
    /// loop returns at once without AVX-512 and is then ignored; on Zen 4 the two are equal, on Zen 5 the 512-bit one is about
    /// twice as high), taken from the job without environment variables (the host ISA) when there is one, else from the same
    /// job as <paramref name="benchmarkCase"/>. Every job divides by it, so the AVX2 and Vector128 jobs show how far their
    /// paths fall short of what the machine can do.
    /// </summary>
    public static double? PeakGflops(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? best = null;
        foreach ((string method, int lanes) in new[] { (nameof(FmaPeak.Vector256Peak), 8), (nameof(FmaPeak.Vector512Peak), 16) })
        {
            var peaks = summary.BenchmarksCases.Where(c => c.Descriptor.Type == typeof(FmaPeak) && c.Descriptor.WorkloadMethod.Name == method).ToList();
            BenchmarkCase? peak = peaks.FirstOrDefault(c => (c.Job.Environment.EnvironmentVariables?.Count ?? 0) == 0)
                ?? peaks.FirstOrDefault(c => c.Job.DisplayInfo == benchmarkCase.Job.DisplayInfo)
                ?? peaks.FirstOrDefault();
            if (peak is null || Median(summary, peak) is not double mean || mean < 1e5) continue; // < 0.1 ms: not a real measurement
            double gflops = FmaPeak.Flops(lanes) / mean;
            if (best is null || gflops > best) best = gflops;
        }
        return best;
    }
}

/// <summary>Base for the custom numeric columns.</summary>
public abstract class CustomColumn : IColumn
{
    public abstract string ColumnName { get; }
    public abstract string Legend { get; }
    public string Id => GetType().Name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public virtual int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        return Value(summary, benchmarkCase) is double value && double.IsFinite(value) ? value.ToString(Format, CultureInfo.InvariantCulture) : "-";
    }
    protected virtual string Format => "F2";
    protected abstract double? Value(Summary summary, BenchmarkCase benchmarkCase);
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public override string ToString() => ColumnName;
}

/// <summary>Model GFLOP/s: the conventional FLOPs of one call (see <see cref="ColumnHelpers.Flops"/>) over the median time.</summary>
public sealed class GflopsColumn : CustomColumn
{
    public override string ColumnName => "GFLOP/s";
    public override string Legend => "Model FLOPs per second over the median time: 6·Batch·P per train step, 2·Batch·P per inference call, P the network's parameter count (101,770 or 669,706); FmaPeak rows: 2·lanes·12·10⁶";
    protected override double? Value(Summary summary, BenchmarkCase benchmarkCase) =>
        ColumnHelpers.Flops(benchmarkCase) is double flops && ColumnHelpers.FlopsMean(summary, benchmarkCase) is double mean ? flops / mean : null; // FLOP per ns = GFLOP/s
}

/// <summary>GFLOP/s as a percentage of the machine's FMA peak measured in the same summary.</summary>
public sealed class PercentOfPeakColumn : CustomColumn
{
    public override string ColumnName => "% of peak";
    public override int PriorityInCategory => 1;
    public override string Legend => "GFLOP/s ÷ the machine's FMA peak, the larger FmaPeak GFLOP/s (Vector256 or Vector512) of the same summary's host-ISA job, in percent; needs FmaPeak in the run (--join)";
    protected override string Format => "F1";
    protected override double? Value(Summary summary, BenchmarkCase benchmarkCase) =>
        ColumnHelpers.Flops(benchmarkCase) is double flops && ColumnHelpers.FlopsMean(summary, benchmarkCase) is double mean
        && ColumnHelpers.PeakGflops(summary, benchmarkCase) is double peak ? 100 * flops / mean / peak : null;
}

/// <summary>The median time over the naive baseline's median time for the same network, category, batch and job.</summary>
public sealed class NaiveRatioColumn : CustomColumn
{
    public override string ColumnName => "vs Naive";
    public override int PriorityInCategory => 2;
    public override string Legend => "Median ÷ the Naive_ median of the same network, category, batch and job (below 1: faster than the scalar baseline); - where Naive is not run";
    protected override string Format => "F3";
    protected override double? Value(Summary summary, BenchmarkCase benchmarkCase)
    {
        string name = benchmarkCase.Descriptor.WorkloadMethod.Name;
        int underscore = name.IndexOf('_', StringComparison.Ordinal);
        if (underscore < 0) return null;
        string naiveName = "Naive" + name[underscore..];
        BenchmarkCase? naive = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Type == benchmarkCase.Descriptor.Type && c.Descriptor.WorkloadMethod.Name == naiveName
            && c.Parameters.ValueInfo == benchmarkCase.Parameters.ValueInfo && c.Job.DisplayInfo == benchmarkCase.Job.DisplayInfo);
        return naive is not null && ColumnHelpers.Median(summary, naive) is double naiveMean && ColumnHelpers.Median(summary, benchmarkCase) is double mean
            ? mean / naiveMean : null;
    }
}

/// <summary>Bytes moved per second, for the <see cref="MemoryRoofline"/> rows.</summary>
public sealed class BandwidthColumn : CustomColumn
{
    public override string ColumnName => "GB/s";
    public override int PriorityInCategory => 3;
    public override string Legend => "MemoryRoofline rows: bytes read plus bytes written per call over the median time (10⁹ bytes per second)";
    protected override double? Value(Summary summary, BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Type == typeof(MemoryRoofline) && MemoryRoofline.Bytes(benchmarkCase.Descriptor.WorkloadMethod.Name) is long bytes
        && ColumnHelpers.Median(summary, benchmarkCase) is double mean ? bytes / mean : null;
}
