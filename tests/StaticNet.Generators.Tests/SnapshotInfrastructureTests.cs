using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>The rules of <see cref="Snapshot"/>, in a temporary directory.</summary>
public sealed class SnapshotInfrastructureTests : IDisposable
{
    private static readonly Snapshot.SnapshotEnvironment Plain = new(AcceptRequested: false, IsCi: false);
    private static readonly Snapshot.SnapshotEnvironment Accept = new(AcceptRequested: true, IsCi: false);
    private static readonly Snapshot.SnapshotEnvironment AcceptInCi = new(AcceptRequested: true, IsCi: true);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "staticnet-snapshots-" + Guid.NewGuid().ToString("N"));

    private string Verified => Path.Combine(_directory, "T.M.verified.cs");

    private string Received => Path.Combine(_directory, "T.M.received.cs");

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Missing_snapshot_fails_writes_received_and_says_how_to_accept()
    {
        Snapshot.Outcome outcome = Snapshot.Compare("class A {}\n", _directory, "T.M", Plain);

        Assert.False(outcome.Passed);
        Assert.Contains(Verified, outcome.Message);
        Assert.Contains(Received, outcome.Message);
        Assert.Contains("STATICNET_ACCEPT_SNAPSHOTS=1", outcome.Message);
        Assert.False(File.Exists(Verified));
        Assert.Equal("class A {}\n", File.ReadAllText(Received));
    }

    [Fact]
    public void Mismatch_fails_with_the_first_differing_line()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Verified, "line 1\nline 2\n");

        Snapshot.Outcome outcome = Snapshot.Compare("line 1\nline two\n", _directory, "T.M", Plain);

        Assert.False(outcome.Passed);
        Assert.Contains("line 2", outcome.Message);
        Assert.Contains("line two", outcome.Message);
        Assert.Contains("First difference at line 2", outcome.Message);
        Assert.Equal("line 1\nline 2\n", File.ReadAllText(Verified));
        Assert.True(File.Exists(Received));
    }

    [Fact]
    public void Line_endings_are_normalized_and_a_stale_received_file_is_deleted()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Verified, "a\r\nb\r\n");
        File.WriteAllText(Received, "stale");

        Snapshot.Outcome outcome = Snapshot.Compare("a\nb\n", _directory, "T.M", Plain);

        Assert.True(outcome.Passed, outcome.Message);
        Assert.False(File.Exists(Received));
    }

    [Fact]
    public void Accepting_overwrites_the_verified_file_and_passes()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Verified, "old\n");
        File.WriteAllText(Received, "older\n");

        Snapshot.Outcome outcome = Snapshot.Compare("new\r\n", _directory, "T.M", Accept);

        Assert.True(outcome.Passed, outcome.Message);
        Assert.Equal("new\n", File.ReadAllText(Verified));
        Assert.False(File.Exists(Received));
    }

    [Fact]
    public void Accepting_is_refused_in_CI()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Verified, "old\n");

        Snapshot.Outcome outcome = Snapshot.Compare("new\n", _directory, "T.M", AcceptInCi);

        Assert.False(outcome.Passed);
        Assert.Contains("CI=true", outcome.Message);
        Assert.Contains("refusing", outcome.Message);
        Assert.Equal("old\n", File.ReadAllText(Verified));
        Assert.Equal("new\n", File.ReadAllText(Received));
    }

    [Fact]
    public void A_matching_snapshot_passes_in_CI_even_with_acceptance_requested()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Verified, "same\n");

        Assert.True(Snapshot.Compare("same\n", _directory, "T.M", AcceptInCi).Passed);
    }
}
