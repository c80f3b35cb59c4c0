using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using StaticNet.Peers;

// StaticNet's generated 784-128-10 against TorchSharp and ONNX Runtime, one thread each (see benchmarks/README.md, "Peers").
//   dotnet run -c Release --project benchmarks/StaticNet.Peers -- --check                      load both peers and check equality, no timing
//   dotnet run -c Release --project benchmarks/StaticNet.Peers -- --filter '*' --job short     all benchmarks, BenchmarkDotNet's short job
//   dotnet run -c Release --project benchmarks/StaticNet.Peers -- --epoch                      one MNIST epoch at batch 32, StaticNet vs TorchSharp
//                                                        [--batch 32 --runs 3 --warmup 300 --seed 1]  (EpochComparison.cs), not BenchmarkDotNet
if (args.Contains("--check")) return Check();
if (args.Contains("--epoch")) return EpochComparison.Run(args);

// If libtorch cannot be loaded here, leave the TorchSharp benchmarks out (with the reason) and run the rest.
IConfig config = DefaultConfig.Instance;
if (!args.Contains("--list") && !args.Contains("--help") && !args.Contains("--info"))
{
    if (TorchPeer.TryInitialize(out string torchMessage))
    {
        Console.WriteLine("// " + torchMessage);
    }
    else
    {
        Console.WriteLine("// Skipping the TorchSharp benchmarks: " + torchMessage);
        config = ManualConfig.Create(DefaultConfig.Instance)
            .AddFilter(new SimpleFilter(b => !b.Descriptor.WorkloadMethod.Name.StartsWith("TorchSharp_", StringComparison.Ordinal)));
    }
}

// Reports go next to this project (benchmarks/StaticNet.Peers/BenchmarkDotNet.Artifacts, git-ignored) unless --artifacts is given.
if (!args.Contains("--artifacts") && FindProjectDirectory() is { } projectDirectory)
{
    args = [.. args, "--artifacts", Path.Combine(projectDirectory, "BenchmarkDotNet.Artifacts")];
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;

// --check: build both peers at every batch of PeerData.Batches (1, 32, 128, 1024) and compare them with StaticNet (ONNX Runtime's and TorchSharp's
// probabilities, TorchSharp's loss, gradients and parameters over three Adam steps). Exit code 1 on a mismatch;
// a TorchSharp that cannot load is reported and skipped.
static int Check()
{
    Console.WriteLine($"StaticNet: PeerMlp, {PeerData.ParameterCount:N0} parameters, kernel path {PeerMlp.KernelPath}");
    Console.WriteLine($"ONNX Runtime {OnnxPeer.Version}");
    bool torch = TorchPeer.TryInitialize(out string torchMessage);
    Console.WriteLine(torch ? torchMessage : "SKIPPED TorchSharp: " + torchMessage);
    try
    {
        foreach (int batch in PeerData.Batches)
        {
            (float[] inputs, _) = PeerData.Batch(batch);
            int[][] labelSets = PeerData.LabelSets(batch);
            var network = new PeerMlp(PeerData.Seed);
            using (var onnx = new OnnxPeer(OnnxModel.Build(network), inputs))
            {
                Console.WriteLine(PeerChecks.Onnx(network, inputs, onnx));
            }
            if (torch)
            {
                using var peer = new TorchPeer(network, inputs, labelSets);
                Console.WriteLine(PeerChecks.TorchInfer(network, inputs, peer));
                Console.WriteLine(PeerChecks.TorchTrain(network, inputs, labelSets, peer));
            }
        }
    }
    catch (InvalidOperationException e)
    {
        Console.WriteLine("FAILED: " + e.Message);
        return 1;
    }
    Console.WriteLine(torch ? "Checked: ONNX Runtime and TorchSharp agree with StaticNet." : "Checked: ONNX Runtime agrees with StaticNet (TorchSharp skipped).");
    return 0;
}

// The directory holding StaticNet.Peers.csproj, searched upwards from the build output (bin/Release/net10.0/).
static string? FindProjectDirectory()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "StaticNet.Peers.csproj"))) return directory.FullName;
    }
    return null;
}
