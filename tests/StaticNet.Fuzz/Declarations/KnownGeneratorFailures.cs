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
        new("hint-names-differ-only-in-case",
            "Two network classes whose names differ only in case (Net and NET) throw from AddSource: the hint names collide " +
            "(hint names are case-insensitive), ArgumentException 'The hintName ... must be unique', reported as CS8785.",
            (_, f) => f.Kind == FailureKind.Threw && f.Detail.Contains("The hintName", StringComparison.Ordinal) && f.Detail.Contains("must be unique", StringComparison.Ordinal),
            """
            namespace N;
            [Network(Inputs = 4)] [Dense(2)] public partial class Net;
            [Network(Inputs = 4)] [Dense(2)] public partial class NET;
            """),
        new("parameter-count-overflows",
            "Very wide layers overflow the parameter count: Dense(int.MaxValue) three times throws OverflowException from a checked " +
            "int sum in ParameterLayout.ParameterCount (reported as CS8785) instead of reporting only SNET0009.",
            (_, f) => f.Kind == FailureKind.Threw && f.Key.Contains("OverflowException", StringComparison.Ordinal),
            """
            namespace N;
            [Network(Inputs = 4)] [Dense(int.MaxValue)] [Dense(int.MaxValue)] [Dense(int.MaxValue)] public partial class Huge;
            """),
        new("non-finite-float-literal",
            "An extreme but valid constant (SELU α or λ, RReLU bounds near float.MaxValue) reaches a float product or sum that " +
            "overflows in the generator, which prints the literal Infinityf: CS0103 'The name 'Infinityf' does not exist'.",
            (_, f) => f.Kind == FailureKind.CompileError && f.Key.Contains("CS0103", StringComparison.Ordinal)
                && (f.Detail.Contains("'Infinityf'", StringComparison.Ordinal) || f.Detail.Contains("'NaNf'", StringComparison.Ordinal)),
            """
            namespace N;
            [Network(Inputs = 4)] [Dense(5, Activation.SELU, Alpha = float.MaxValue, Lambda = 3e38f)] [Dense(3)] public partial class Selu;
            """),
        new("keyword-class-name-unescaped",
            "A class or namespace spelled with @ (@record, @partial, @event) is written without the @ in places of the generated " +
            "code: syntax errors for a real keyword (CS1514, CS1519… for @record), CS8981 for a contextual one (partial class partial).",
            (r, f) => f.Kind == FailureKind.CompileError && r.Case.WrittenClassNames.Concat(r.Case.WrittenNamespaces).Any(n => n.Contains('@', StringComparison.Ordinal))
                && !Shadows(r),
            """
            [Network(Inputs = 4)] [Dense(2)] partial class @record;
            """),
        new("class-named-like-a-generated-member",
            "A network class named like a member the generated code declares (Frozen, Infer, ParameterCount, Descriptor, Step…) " +
            "gets CS0542 'member names cannot be the same as their enclosing type' and what follows from it.",
            (r, f) => f.Kind == FailureKind.CompileError && f.Key.Contains("CS0542", StringComparison.Ordinal),
            """
            namespace N;
            [Network(Inputs = 4)] [Dense(2)] public partial class Frozen;
            """),
        new("names-shadow-what-the-generated-code-uses",
            "A namespace segment or a type in scope named like a type the generated code names without global:: (Math, MathF, " +
            "Unsafe, Vector128, GC, Array, NetworkRuntime, INetwork, IFrozenNetwork, NetworkDescription, Hyperparameters, Task…) " +
            "is found first: CS0117 ('Math' does not contain 'Min'), CS0234, CS0118 ('INetwork' is a namespace but is used like a type), CS0738, CS0539.",
            (r, f) => f.Kind == FailureKind.CompileError && Shadows(r),
            """
            namespace N.Math;
            [Network(Inputs = 4)] [Dense(2)] public partial class Net;
            """),
        new("primary-constructor",
            "A network class with a primary constructor gets the generated constructors' errors: CS8862 (a constructor of a type " +
            "with a parameter list must call this(...)), CS8618, and CS0111/CS0121 when the primary constructor takes one int.",
            (r, f) => f.Kind == FailureKind.CompileError && (r.Case.Types.Any(t => t.Kind == TypeKind.PrimaryConstructorClass)
                || (r.Case.RawFiles?.Any(text => text.Contains("(int size)", StringComparison.Ordinal)) ?? false)),
            """
            namespace N;
            [Network(Inputs = 4)] [Dense(2)] public partial class Net(int size);
            """),
        new("record-is-ignored-silently",
            "[Network] on a record (a class) generates nothing and reports nothing: the generator's syntax predicate looks at " +
            "class declarations only. Expected: code, or an SNET diagnostic saying records are not supported.",
            (r, f) => f.Kind == FailureKind.Silent && r.Case.Types.Any(t => t.Kind == TypeKind.Record),
            """
            namespace N;
            [Network(Inputs = 4)] [Dense(2)] public partial record Net;
            """),
        new("layer-order-follows-file-order",
            "[Dense] attributes split over two partial declarations in two files: the layer order follows the order the files " +
            "are given to the compiler, so swapping them turns a 4-8-3 network into 4-3-8 with no diagnostic.",
            (_, f) => f.Kind == FailureKind.OrderDependent,
            """
            // file A.cs
            namespace N;
            [Network(Inputs = 4)] [Dense(8)] public partial class Split;
            // file B.cs
            namespace N;
            [Dense(3)] public partial class Split;
            """),
        new("huge-maxout",
            "A Maxout layer with many pieces generates for minutes (the issue: Maxout(2, 20000) takes 45 s and 6.2 GB; ~2²¹ pieces hang): " +
            "the pieces are unrolled. Expected: an SNET error with a documented limit, or code whose size does not grow with the pieces. " +
            "Not run while listed (a run would stall the suite).",
            (_, f) => f.Kind is FailureKind.Slow or FailureKind.Hung && false,
            """
            [Network(Inputs = 4)]
            [Maxout(2, 20000)]
            public partial class N;
            """,
            SkipRun: c => c.Attributes.Any(a => a.Name == "Maxout" && a.Positional.Count > 1 && MaxoutPieces(a.Positional[1]) >= 1000)),
    ];

    /// <summary>Whether a class or namespace segment of the case is one of the names the generated code uses unqualified.</summary>
    private static bool Shadows(CaseResult r) =>
        r.Case.ClassNames.Concat(r.Case.NamespaceSegments).Any(n => Array.IndexOf(CaseGenerator.AdversarialNames, n) >= 0);

    /// <summary>The value of a Maxout pieces argument as the fuzzer writes it, or 0.</summary>
    private static long MaxoutPieces(string text) => text switch
    {
        "int.MaxValue" => int.MaxValue,
        "1 << 21" => 1 << 21,
        _ => long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long n) ? n : 0,
    };

    public static KnownGeneratorFailure? Match(CaseResult result, Failure failure) => All.FirstOrDefault(k => k.Matches(result, failure));

    public static KnownGeneratorFailure? SkipRun(FuzzCase fuzzCase) => All.FirstOrDefault(k => k.SkipRun?.Invoke(fuzzCase) == true);
}
