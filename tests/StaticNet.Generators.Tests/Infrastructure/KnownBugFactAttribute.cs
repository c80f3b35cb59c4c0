namespace StaticNet.Generators.Tests.Infrastructure;

/// <summary>
/// A test of the intended behavior that the generator does not have yet. Skipped, with the bug
/// as the reason, unless <c>STATICNET_RUN_KNOWN_BUGS=1</c>: run them that way to see them fail
/// today, and to check a fix (then turn the attribute into a plain <c>[Fact]</c>).
/// </summary>
public sealed class KnownBugFactAttribute : FactAttribute
{
    public const string RunVariable = "STATICNET_RUN_KNOWN_BUGS";

    public KnownBugFactAttribute(string bug)
    {
        Bug = bug;
        if (Environment.GetEnvironmentVariable(RunVariable) != "1") Skip = "Known generator bug: " + bug;
    }

    public string Bug { get; }
}
