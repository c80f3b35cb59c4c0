using System.Globalization;

namespace StaticNet.Fuzz;

/// <summary>
/// How much the fuzzers run. <c>STATICNET_FUZZ</c> unset or <c>short</c>: the CI mode (1,000 declarations, 2,000+ file
/// mutations); <c>long</c>: 10,000 of each; a number: that many of each. <c>STATICNET_FUZZ_SEED</c> changes the seed
/// (default 16, the number): every case is a pure function of the seed and its index, so a failure's report
/// (seed and index) reproduces it alone. <c>STATICNET_FUZZ_REPORT=1</c> also minimizes one example of every failure
/// class, known ones included, and writes the report to <c>fuzz-report.md</c> in the test's output folder;
/// <c>STATICNET_FUZZ_CASES</c> runs only the listed case indices.
/// </summary>
public static class FuzzSettings
{
    public const string ModeVariable = "STATICNET_FUZZ";
    public const string SeedVariable = "STATICNET_FUZZ_SEED";
    public const string ReportVariable = "STATICNET_FUZZ_REPORT";

    public static string Mode { get; } = (Environment.GetEnvironmentVariable(ModeVariable) ?? "short").Trim().ToLowerInvariant();

    public static bool Long => Mode != "short";

    /// <summary>Declarations generated (and, where the generator reports no error, compiled).</summary>
    public static int Declarations => Count(1000, 10_000);

    /// <summary>Mutations of model files.</summary>
    public static int ModelFileMutations => Count(2000, 10_000);

    /// <summary>Mutations of IDX files.</summary>
    public static int IdxMutations => Count(600, 10_000);

    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : 16;

    public static bool Report { get; } = Environment.GetEnvironmentVariable(ReportVariable) == "1";

    public const string CasesVariable = "STATICNET_FUZZ_CASES";

    /// <summary>
    /// <c>STATICNET_FUZZ_CASES=5222,9125</c>: the declaration fuzzer runs only these case indices (with the seed), to
    /// reproduce a reported failure alone; null when unset.
    /// </summary>
    public static IReadOnlyList<int>? Cases { get; } = Environment.GetEnvironmentVariable(CasesVariable) is string list && list.Length > 0
        ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToList()
        : null;

    private static int Count(int shortCount, int longCount) =>
        Mode switch
        {
            "short" or "" => shortCount,
            "long" => longCount,
            _ when int.TryParse(Mode, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 => n,
            _ => throw new InvalidOperationException($"{ModeVariable}='{Mode}': expected short, long or a positive count."),
        };

    /// <summary>A random stream for case <paramref name="index"/> of fuzzer <paramref name="stream"/>, independent of every other case.</summary>
    public static Random RandomFor(int stream, int index)
    {
        ulong z = unchecked((ulong)(uint)Seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)stream * 0xBF58476D1CE4E5B9UL + (ulong)(uint)index * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return new Random(unchecked((int)(z ^ (z >> 31))));
    }
}
