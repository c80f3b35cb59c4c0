using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using StaticNet;
using StaticNet.Benchmarks;

// Options of this program (everything else goes to BenchmarkDotNet's BenchmarkSwitcher):
//   --verify   check that SimdMlp and NaiveMlp agree with both generated networks (batches 1, 7, 32, 128; five Adam
//              steps each), no timing.
//   --quick    a short job (1 launch, 2 warm-up, 3 measured iterations), run in-process (out of process with --isa),
//              over a representative subset: 784-128-10 at batch 1 and 128, generated vs SIMD, plus FmaPeak; implies
//              --join and --filter '*'.
//   --isa      four jobs per benchmark: the host ISA, DOTNET_EnableAVX512=0 (AVX2 path), DOTNET_EnableAVX2=0
//              (Vector128 path), DOTNET_EnableHWIntrinsic=0 (scalar). Combines with --quick or --job dry|short|medium|long.
//   --cases    print the benchmark matrix (with --quick/--isa applied) and exit.
// Examples:
//   dotnet run -c Release --project benchmarks/StaticNet.Benchmarks -- --filter '*' --join
//   dotnet run -c Release --project benchmarks/StaticNet.Benchmarks -- --quick
if (args.Contains("--verify")) return Verify();

bool quick = args.Contains("--quick"), isa = args.Contains("--isa");
var rest = args.Where(a => a is not ("--quick" or "--isa")).ToList();
ManualConfig config = ManualConfig.Create(DefaultConfig.Instance);

if (quick || isa)
{
    // The jobs are built here rather than by BenchmarkDotNet's --job, so that --isa multiplies whichever base job is asked for.
    Job baseJob = quick ? Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(3).WithId("Quick") : Job.Default;
    int jobIndex = rest.IndexOf("--job");
    if (jobIndex >= 0 && jobIndex + 1 < rest.Count)
    {
        baseJob = rest[jobIndex + 1].ToLowerInvariant() switch
        {
            "dry" => Job.Dry,
            "short" => Job.ShortRun,
            "medium" => Job.MediumRun,
            "long" => Job.LongRun,
            "default" => Job.Default,
            string other => throw new ArgumentException($"--job {other} cannot be combined with --quick/--isa here; use dry, short, medium, long or default."),
        };
        rest.RemoveRange(jobIndex, 2);
    }
    if (isa)
    {
        string baseId = quick ? "Quick-" : baseJob == Job.Dry ? "Dry-" : baseJob == Job.ShortRun ? "Short-" : "";
        config.AddJob(
            baseJob.WithId(baseId + "HostISA"),
            baseJob.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableAVX512", "0")).WithId(baseId + "AVX2"),
            baseJob.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableAVX2", "0")).WithId(baseId + "Vector128"),
            baseJob.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableHWIntrinsic", "0")).WithId(baseId + "Scalar"));
    }
    else
    {
        // --quick alone runs in this process: no separate build of the benchmark project (about 1.5 minutes on the
        // loaded 2-core machine), at the cost of measuring in the host process. ISA jobs need their own processes.
        config.AddJob(quick ? baseJob.WithToolchain(InProcessEmitToolchain.Instance) : baseJob);
    }
}
if (quick)
{
    config.AddFilter(new SimpleFilter(c =>
        c.Descriptor.Type == typeof(FmaPeak)
        || (c.Descriptor.Type == typeof(Mlp784Benchmarks) && !c.Descriptor.WorkloadMethod.Name.StartsWith("Naive_", StringComparison.Ordinal)
            && c.Parameters["Batch"] is 1 or 128)));
    if (!rest.Contains("--join")) rest.Add("--join");
    if (!rest.Contains("--filter")) rest.AddRange(["--filter", "*"]);
}

if (rest.Contains("--cases"))
{
    // Print the benchmark matrix (after the naive batch limit and the --quick subset) without running anything.
    Type[] types = [typeof(Mlp784Benchmarks), typeof(Mlp784x512Benchmarks), typeof(AdamStep), typeof(FmaPeak), typeof(MemoryRoofline), typeof(KernelBreakdown), typeof(DataParallelStep), typeof(DataParallelSignalling)];
    var cases = types.SelectMany(t => BenchmarkConverter.TypeToBenchmarks(t, config).BenchmarksCases)
        .Where(c => config.GetFilters().All(f => f.Predicate(c)))
        .ToList();
    foreach (var c in cases) Console.WriteLine($"{c.Descriptor.Type.Name}.{c.Descriptor.WorkloadMethod.Name} {c.Parameters.DisplayInfo} [{c.Job.Id}]");
    Console.WriteLine($"{cases.Count} benchmark cases");
    return 0;
}

// Keep BenchmarkDotNet's reports next to this project (benchmarks/StaticNet.Benchmarks/BenchmarkDotNet.Artifacts,
// git-ignored) rather than in whatever directory `dotnet run` was started from, unless --artifacts is given.
if (!rest.Contains("--artifacts") && FindProjectDirectory() is { } projectDirectory)
{
    rest.AddRange(["--artifacts", Path.Combine(projectDirectory, "BenchmarkDotNet.Artifacts")]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. rest], config);
return 0;

static int Verify()
{
    Console.WriteLine($"Kernel path: {Simd.Active}");
    int[] batches = [1, 7, 32, 128];
    double worst = 0;
    worst = Math.Max(worst, VerifyNetwork<Mlp784>(batches));
    worst = Math.Max(worst, VerifyNetwork<Mlp784x512>(batches));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Verified: SimdMlp and NaiveMlp agree with the generated Mlp784 and Mlp784x512 within {Verification.Tolerance} relative (largest difference seen {worst:E2})."));
    return 0;
}

static double VerifyNetwork<TNet>(int[] batches) where TNet : class, INetwork<TNet>
{
    int[] sizes = NetworkBenchmarks<TNet>.Sizes;
    double worst = 0;
    foreach (int batch in batches)
    {
        (float[] inputs, _) = BenchmarkData.Batch(batch);
        int[][] labelSets = BenchmarkData.LabelSets(batch);
        foreach (MlpBaseline baseline in new MlpBaseline[] { new SimdMlp(sizes, batch), new NaiveMlp(sizes, batch) })
        {
            var generated = TNet.Create(BenchmarkData.Seed);
            // Several steps with changing labels: the check re-copies parameters and Adam state each time, so later
            // steps start from trained weights and non-zero moments at t > 1.
            for (int step = 0; step < 5; step++)
            {
                string report = Verification.Check(generated, baseline, inputs, labelSets[step]);
                Console.WriteLine(report);
                worst = Math.Max(worst, Verification.LastWorst);
            }
        }
    }
    return worst;
}

// The directory holding StaticNet.Benchmarks.csproj, searched upwards from the build output (bin/Release/net10.0/).
static string? FindProjectDirectory()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "StaticNet.Benchmarks.csproj"))) return directory.FullName;
    }
    return null;
}
