using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace StaticNet.Peers;

/// <summary>Adds <see cref="GflopsColumn"/> to the summary.</summary>
public sealed class PeerConfig : ManualConfig
{
    public PeerConfig() => AddColumn(new GflopsColumn());
}

/// <summary>
/// Model GFLOP/s from the mean time, with P = 101,770 parameters: a train step counts 6·Batch·P FLOPs (forward
/// 2·B·P, backward 4·B·P), an inference 2·Batch·P. Conventional counts, the same for every framework (see
/// benchmarks/README.md for what is actually executed).
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Model FLOPs per second: 6·Batch·101,770 per train step, 2·Batch·101,770 per inference call, over the mean time";

    /// <summary>The conventional FLOP count of one call of <paramref name="benchmarkCase"/>.</summary>
    public static double Flops(BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        int batch = (int)benchmarkCase.Parameters["Batch"]!;
        double perRow = benchmarkCase.Descriptor.HasCategory(Peers.Train) ? 6.0 : 2.0;
        return perRow * batch * PeerData.ParameterCount;
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNanoseconds is not > 0) return "NA";
        return (Flops(benchmarkCase) / meanNanoseconds.Value).ToString("F2", CultureInfo.InvariantCulture); // FLOP/ns = GFLOP/s
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
