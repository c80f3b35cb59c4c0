using System.Globalization;

namespace StaticNet.Packaging.Tests;

/// <summary>
/// Packs src/StaticNet once per test run, with a unique prerelease version, into a private local
/// feed; then makes fresh consumer projects that restore from nothing but that feed into a private
/// package folder, so neither the user's NuGet cache nor an earlier run can satisfy the reference.
/// </summary>
public sealed class PackedStaticNet : IDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    public PackedStaticNet()
    {
        RepoRoot = FindRepoRoot();
        Version = "0.1.0-test." + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
        Root = Directory.CreateTempSubdirectory("staticnet-packaging-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        PackagesFolder = Directory.CreateDirectory(Path.Combine(Root, "nuget-packages")).FullName;

        // Pack a copy of the sources without any bin/ or obj/, as a clean clone would be: the pack
        // must build the generator itself rather than pick up a prebuilt dll, and it must not race
        // with (or leave a test-versioned build in) the working tree's own Release outputs.
        Source = Path.Combine(Root, "source");
        CopySources(RepoRoot, Source);
        // A git repository of its own, one commit, so that SourceLink has a revision to map the PDB to (a clone has one).
        SourceCommit = CommitSnapshot(Source);
        PackResult = DotnetCli.Run(Source, environment: null, StepTimeout,
            "pack", Path.Combine(Source, "src", "StaticNet", "StaticNet.csproj"),
            "-c", "Release", "-o", Feed, $"-p:Version={Version}", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        PackagePath = Path.Combine(Feed, $"StaticNet.{Version}.nupkg");
    }

    public string RepoRoot { get; }
    /// <summary>The commit of the packed copy's own git repository, or null when git is not on PATH.</summary>
    public string? SourceCommit { get; }
    /// <summary>The symbols package beside <see cref="PackagePath"/>.</summary>
    public string SymbolsPackagePath => Path.ChangeExtension(PackagePath, ".snupkg");
    public string Version { get; }
    public string Root { get; }
    /// <summary>The copy of the repository that was packed.</summary>
    public string Source { get; }
    public string Feed { get; }
    public string PackagesFolder { get; }
    public ProcessResult PackResult { get; }
    public string PackagePath { get; }

    /// <summary>Environment for consumer builds: a private, initially empty global packages folder.</summary>
    public IReadOnlyDictionary<string, string> ConsumerEnvironment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = PackagesFolder,
        ["NUGET_HTTP_CACHE_PATH"] = Path.Combine(Root, "nuget-http-cache"),
    };

    /// <summary>Fails the calling test with the pack output if packing failed.</summary>
    public void AssertPacked()
    {
        Assert.True(PackResult.ExitCode == 0 && File.Exists(PackagePath),
            $"dotnet pack did not produce {PackagePath}. {PackResult.Describe()}");
    }

    /// <summary>
    /// Writes a new console project that references the packed StaticNet, as `dotnet new console`
    /// would but by hand, with a NuGet.config whose only source is the local feed.
    /// </summary>
    /// <param name="name">The project's name (and folder).</param>
    /// <param name="programSource">Program.cs.</param>
    /// <param name="allowUpstreamSources">
    /// Keep the machine's package sources beside the local feed, with the machine's global packages folder as a
    /// read-only fallback: for packages the SDK adds itself (a NativeAOT publish needs the ILCompiler packages).
    /// StaticNet still comes from the local feed, as its test version exists nowhere else.
    /// </param>
    /// <param name="outputType">The project's OutputType: Exe, or Library for code without an entry point.</param>
    public string CreateConsumerProject(string name, string programSource, bool allowUpstreamSources = false, string outputType = "Exe")
    {
        string directory = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>{outputType}</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="StaticNet" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        string sources = allowUpstreamSources ? "" : "<clear />";
        string fallback = allowUpstreamSources ? $"""<add key="machine-global-packages" value="{MachineGlobalPackagesFolder()}" />""" : "";
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                {sources}
                <add key="staticnet-local" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
                {fallback}
              </fallbackPackageFolders>
              <packageSourceMapping>
                <clear />
              </packageSourceMapping>
            </configuration>
            """);
        // Stop MSBuild's upward search so nothing above the temp folder leaks into the project.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Program.cs"), programSource);
        return directory;
    }

    /// <summary>The machine's own global packages folder (NUGET_PACKAGES of the test process, else ~/.nuget/packages).</summary>
    private static string MachineGlobalPackagesFolder()
    {
        string? configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return !string.IsNullOrEmpty(configured) ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    public ProcessResult Dotnet(string workingDirectory, params string[] arguments) =>
        DotnetCli.Run(workingDirectory, ConsumerEnvironment, StepTimeout, arguments);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Copies what packing src/StaticNet needs: the repository's root files (Directory.Build.props,
    /// global.json, README, ...) and the src/ and generators/ trees, without build outputs.
    /// </summary>
    private static void CopySources(string repoRoot, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.EnumerateFiles(repoRoot))
        {
            // Not a worktree's .git file: it points at the real repository.
            if (Path.GetFileName(file) == ".git") continue;
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
        foreach (string tree in (string[])["src", "generators"])
        {
            CopyTree(Path.Combine(repoRoot, tree), Path.Combine(destination, tree));
        }
    }

    private static string? CommitSnapshot(string directory)
    {
        string? git = ProcessRunner.FindOnPath("git");
        if (git is null) return null;
        var identity = new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = "StaticNet tests", ["GIT_AUTHOR_EMAIL"] = "tests@staticnet.invalid",
            ["GIT_COMMITTER_NAME"] = "StaticNet tests", ["GIT_COMMITTER_EMAIL"] = "tests@staticnet.invalid",
            ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            // This folder's own repository and nothing else, whatever lies above it.
            ["GIT_DIR"] = Path.Combine(directory, ".git"), ["GIT_WORK_TREE"] = directory,
        };
        if (File.Exists(Path.Combine(directory, ".git")) || Directory.Exists(Path.Combine(directory, ".git")))
        {
            throw new InvalidOperationException($"{directory} already has a .git; the packaging copy must not share a repository.");
        }
        foreach (string[] command in (string[][])[["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-gpg-sign", "-m", "packaging test snapshot"]])
        {
            ProcessResult result = ProcessRunner.Run(git, directory, identity, TimeSpan.FromMinutes(1), command);
            if (result.ExitCode != 0) throw new InvalidOperationException($"git failed in the packaging copy. {result.Describe()}");
        }
        return ProcessRunner.Run(git, directory, identity, TimeSpan.FromMinutes(1), "rev-parse", "HEAD").StandardOutput.Trim();
    }

    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.OrdinalIgnoreCase)
    {
        "bin", "obj", ".vs", "TestResults", "artifacts", "BenchmarkDotNet.Artifacts",
    };

    private static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
        foreach (string directory in Directory.EnumerateDirectories(source))
        {
            string name = Path.GetFileName(directory);
            if (!SkippedDirectories.Contains(name)) CopyTree(directory, Path.Combine(destination, name));
        }
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StaticNet.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"StaticNet.sln not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>
/// The test classes that consume the package share one pack (packing takes tens of seconds); they run one after the
/// other, as the machine has few cores and each step is a build.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackedStaticNetCollection : ICollectionFixture<PackedStaticNet>
{
    public const string Name = "Packed StaticNet";
}
