using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace StaticNet.Generators.Tests.Infrastructure;

/// <summary>
/// A minimal stand-in for Verify (the package cannot be restored here) that follows its file
/// convention: <c>Snapshots/{TestClass}.{TestMethod}.verified.cs</c> next to the test source,
/// and <c>….received.cs</c> beside it when the text differs.
/// </summary>
/// <remarks>
/// <para>
/// Moving to Verify.Xunit is one line per test:
/// <c>Snapshot.Verify(source)</c> → <c>Verify(source, extension: "cs").UseDirectory("Snapshots")</c>
/// (the test class's file name must match its type name, as Verify's naming uses the type).
/// </para>
/// <para>
/// Accepting: run the tests with <c>STATICNET_ACCEPT_SNAPSHOTS=1</c>; every mismatching or missing
/// snapshot is overwritten with the received text and the test passes. Acceptance is refused
/// when <c>CI=true</c>, so a CI run can never bless its own output.
/// </para>
/// </remarks>
public static class Snapshot
{
    public const string AcceptVariable = "STATICNET_ACCEPT_SNAPSHOTS";
    public const string DirectoryName = "Snapshots";
    public const string Extension = "cs";

    /// <summary>
    /// Compares <paramref name="text"/> to <c>Snapshots/{file name of the caller}.{caller}.verified.cs</c>.
    /// Returns a task, as Verify does, so tests are written <c>public Task X() => Snapshot.Verify(…)</c>.
    /// </summary>
    public static Task Verify(
        string text,
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string testName = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(sourceFile)!, DirectoryName);
        string testClass = Path.GetFileNameWithoutExtension(sourceFile);
        Outcome outcome = Compare(text, directory, testClass + "." + testName, SnapshotEnvironment.Current);
        if (!outcome.Passed) throw new XunitException(outcome.Message);
        return Task.CompletedTask;
    }

    /// <summary>Normalizes line endings to \n, as the comparison sees the text.</summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    /// <summary>The result of one comparison.</summary>
    public sealed record Outcome(bool Passed, string Message);

    /// <summary>The environment the comparison reads, injectable so the rules can be tested.</summary>
    public sealed record SnapshotEnvironment(bool AcceptRequested, bool IsCi)
    {
        public static SnapshotEnvironment Current => new(
            Environment.GetEnvironmentVariable(AcceptVariable) is "1" or "true" or "TRUE" or "True",
            string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The comparison and its file effects, without the xUnit failure.</summary>
    public static Outcome Compare(string text, string directory, string name, SnapshotEnvironment environment)
    {
        string verifiedPath = Path.Combine(directory, $"{name}.verified.{Extension}");
        string receivedPath = Path.Combine(directory, $"{name}.received.{Extension}");
        string received = Normalize(text);
        string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;

        if (verified == received)
        {
            // A received file left by an earlier failure is stale now.
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return new Outcome(true, "");
        }

        Directory.CreateDirectory(directory);
        string problem = verified is null
            ? $"No verified snapshot yet: {verifiedPath}"
            : $"The snapshot differs from {verifiedPath}{Environment.NewLine}{FirstDifference(verified, received)}";

        if (environment.AcceptRequested && !environment.IsCi)
        {
            WriteText(verifiedPath, received);
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return new Outcome(true, $"Accepted {verifiedPath}.");
        }

        WriteText(receivedPath, received);
        string how = environment.AcceptRequested
            ? $"{AcceptVariable}=1 is set but CI=true: refusing to accept snapshots in CI. Accept them locally and commit the verified files."
            : $"Review it, then accept by rerunning with {AcceptVariable}=1 (refused when CI=true), or copy{Environment.NewLine}  {receivedPath}{Environment.NewLine}over{Environment.NewLine}  {verifiedPath}";
        return new Outcome(false, $"{problem}{Environment.NewLine}Received: {receivedPath}{Environment.NewLine}{how}");
    }

    private static void WriteText(string path, string text)
        => File.WriteAllText(path, text, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    private static string FirstDifference(string verified, string received)
    {
        string[] a = verified.Split('\n'), b = received.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string? x = i < a.Length ? a[i] : null, y = i < b.Length ? b[i] : null;
            if (x != y)
            {
                return $"First difference at line {i + 1}:{Environment.NewLine}  verified: {x ?? "<end of file>"}{Environment.NewLine}  received: {y ?? "<end of file>"}";
            }
        }
        return "";
    }
}
