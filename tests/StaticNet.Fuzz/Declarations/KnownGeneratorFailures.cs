namespace StaticNet.Fuzz.Declarations;

/// <summary>
/// A generator failure the fuzzer finds today and that is someone's to fix: the failure, which failures it covers, and a
/// minimal repro. Delete the entry when the fix lands; the short mode then fails if the failure comes back.
/// </summary>
/// <param name="Id">A short name.</param>
/// <param name="Failure">What goes wrong, in words.</param>
/// <param name="Matches">Whether a failure of a case is this one.</param>
/// <param name="Repro">A minimal declaration that shows it.</param>
/// <param name="SkipRun">Cases not to run at all while the entry stands (hangs that would stall the suite), or null.</param>
public sealed record KnownGeneratorFailure(string Id, string Failure, Func<CaseResult, Failure, bool> Matches, string Repro, Func<FuzzCase, bool>? SkipRun = null);

/// <summary>
/// The generator failures the declaration fuzzer finds today (issue 16, part 4: the lead's to fix). One list, in one
/// place: the CI's short mode passes while every failure it meets is listed here, and fails on any other. Each entry names
/// the failure and carries its minimal repro; delete an entry when its fix lands (the fuzzer then guards the fix).
/// </summary>
public static class KnownGeneratorFailures
{
    public static readonly IReadOnlyList<KnownGeneratorFailure> All =
    [
        new("keyword-class-name-unescaped",
            "A class or namespace spelled with @ (@record, @partial, @event) is written without the @ in places of the generated " +
            "code: syntax errors for a real keyword (CS1514, CS1519… for @record), CS8981 for a contextual one (partial class partial).",
            (r, f) => f.Kind == FailureKind.CompileError && r.Case.WrittenClassNames.Concat(r.Case.WrittenNamespaces).Any(n => n.Contains('@', StringComparison.Ordinal)),
            """
            [Network(Inputs = 4)] [Dense(2)] partial class @record;
            """),
    ];

    public static KnownGeneratorFailure? Match(CaseResult result, Failure failure) => All.FirstOrDefault(k => k.Matches(result, failure));

    public static KnownGeneratorFailure? SkipRun(FuzzCase fuzzCase) => All.FirstOrDefault(k => k.SkipRun?.Invoke(fuzzCase) == true);
}
