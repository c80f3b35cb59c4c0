using BenchmarkDotNet.Running;
using StaticNet.Benchmarks;

// `--verify`: check that the naive baseline and the generated network agree (batches 1, 7, 32 and 128, five steps each)
// without running any benchmark. Everything else goes to BenchmarkDotNet, for example
//   dotnet run -c Release --project benchmarks/StaticNet.Benchmarks -- --filter '*'
//   dotnet run -c Release --project benchmarks/StaticNet.Benchmarks -- --filter '*' --job short
if (args.Contains("--verify"))
{
    foreach (int batch in new[] { 1, 7, 32, 128 })
    {
        (float[] inputs, int[] labels) = BenchmarkData.Batch(batch);
        var generated = new Mlp784(BenchmarkData.Seed);
        var naive = new NaiveMlp(batch);
        // Several steps: the check re-copies the parameters each time, so later steps start from trained weights.
        for (int step = 0; step < 5; step++)
        {
            Console.WriteLine(Verification.Check(generated, naive, inputs, labels));
        }
    }
    Console.WriteLine("Verified: NaiveMlp and the generated Mlp784 agree within " + Verification.Tolerance + " relative.");
    return 0;
}

// Keep BenchmarkDotNet's reports next to this project (benchmarks/StaticNet.Benchmarks/BenchmarkDotNet.Artifacts,
// git-ignored) rather than in whatever directory `dotnet run` was started from, unless --artifacts is given.
if (!args.Contains("--artifacts") && FindProjectDirectory() is { } projectDirectory)
{
    args = [.. args, "--artifacts", Path.Combine(projectDirectory, "BenchmarkDotNet.Artifacts")];
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

// The directory holding StaticNet.Benchmarks.csproj, searched upwards from the build output (bin/Release/net10.0/).
static string? FindProjectDirectory()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "StaticNet.Benchmarks.csproj"))) return directory.FullName;
    }
    return null;
}
