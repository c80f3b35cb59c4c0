using System.Diagnostics;
using System.Globalization;
using StaticNet.Data;
using TorchSharp;

namespace StaticNet.Peers;

/// <summary>
/// <c>--epoch</c>: one epoch of mini-batch training on the real MNIST training digits, StaticNet (<see cref="PeerDigitNet"/>,
/// the MNIST sample's DigitNet) against TorchSharp (<see cref="TorchDigitNet"/>), one thread each, outside
/// BenchmarkDotNet. It answers "the sample reports its epoch time; what is TorchSharp's on the same network and batch?"
/// <list type="bullet">
/// <item>Data: the first 54,000 of the 60,000 training digits (the sample holds out the last 10% for validation),
/// in one fixed shuffled order (seed <c>--seed</c>, default 1) used for every epoch of both; batches of <c>--batch</c>
/// (default 32, the sample's), the last one partial. Loading and shuffling happen once, before any timing.</item>
/// <item>Timed: the loop over the epoch's train steps, nothing else. StaticNet's <c>TrainStep</c> reads each batch as a
/// span of the shuffled array (no copy needed). TorchSharp's step includes copying the batch's rows and labels into
/// its input tensors, because a training loop over data in .NET memory must do that; that copy is also reported on
/// its own. Both read the loss of every step (StaticNet's return value, TorchSharp's <c>loss.item()</c>).</item>
/// <item>Each framework first runs <c>--warmup</c> steps (default 300) on a throwaway network, then <c>--runs</c>
/// (default 3) epochs, each from a fresh network with the same initial weights (StaticNet's He-uniform initialization
/// from the seed, copied into TorchSharp), alternating StaticNet and TorchSharp so that a load swing on a shared
/// machine hits both. The table gives the median epoch; test accuracy (10,000 test digits, no dropout) is measured
/// after each epoch, outside the timing, as a check that both trained.</item>
/// </list>
/// </summary>
public static class EpochComparison
{
    private const int Inputs = PeerData.Inputs;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int batch = IntOption(args, "--batch", 32);
        int runs = IntOption(args, "--runs", 3);
        int warmup = IntOption(args, "--warmup", 300);
        int seed = IntOption(args, "--seed", 1);
        if (batch < 1 || runs < 1 || warmup < 0)
        {
            Console.Error.WriteLine("--batch and --runs must be at least 1, --warmup at least 0.");
            return 2;
        }

        string? directory = Mnist.FindDataDirectory();
        if (directory is null)
        {
            Console.Error.WriteLine("MNIST not found: expected samples/data/mnist in a folder above the program's.");
            return 2;
        }
        var loadClock = Stopwatch.StartNew();
        MnistSet all = Mnist.LoadTraining(directory);
        MnistSet test = Mnist.LoadTest(directory);
        int count = (int)(all.Count * (1.0 - 0.1)); // the sample's ValidationSplit 0.1 keeps the first 90% for training
        var order = new int[count];
        for (int k = 0; k < count; k++) order[k] = k;
        new Random(seed).Shuffle(order);
        var images = new float[count * Inputs];
        var labels = new int[count];
        var longLabels = new long[count];
        for (int k = 0; k < count; k++)
        {
            all.Images.AsSpan(order[k] * Inputs, Inputs).CopyTo(images.AsSpan(k * Inputs, Inputs));
            labels[k] = all.Labels[order[k]];
            longLabels[k] = labels[k];
        }
        var data = new EpochData(images, labels, longLabels, batch);
        loadClock.Stop();

        Console.WriteLine(Invariant($"Epoch comparison: the MNIST sample's network (784 → 128 ReLU, dropout 0.2 → 10, softmax cross-entropy, Adam η 0.001), batch {batch}, one thread"));
        Console.WriteLine(Invariant($"Data: {count:N0} training digits of {all.Count:N0} (the sample's 10% validation split left out), one fixed shuffled order (seed {seed}), {data.Steps:N0} steps per epoch{(count % batch == 0 ? "" : $" (the last has {count % batch} rows)")}; {test.Count:N0} test digits; loaded and shuffled in {loadClock.Elapsed.TotalSeconds:F1} s (not timed)"));
        Console.WriteLine($"StaticNet: PeerDigitNet (same attributes as samples/Mnist/DigitNet.cs), kernel path {PeerDigitNet.KernelPath}");
        bool torchLoaded = TorchPeer.TryInitialize(out string torchMessage);
        Console.WriteLine(torchLoaded ? torchMessage : "SKIPPED TorchSharp: " + torchMessage);
        Console.WriteLine($"Load average at start: {LoadAverage()}");

        if (torchLoaded)
        {
            // Same network: from the same weights, TorchSharp's eval-mode probabilities must be StaticNet's Infer.
            var reference = new PeerDigitNet(seed);
            using var probe = new TorchDigitNet(reference);
            double worst = MaxDifference(Probabilities(reference, test.Images), probe.Probabilities(test.Images));
            if (!(worst <= PeerChecks.ProbabilityTolerance))
            {
                Console.WriteLine(Invariant($"FAILED: TorchDigitNet's probabilities differ from PeerDigitNet's by up to {worst:E2} (limit {PeerChecks.ProbabilityTolerance:E0}) on the test digits; not timing different networks."));
                return 1;
            }
            Console.WriteLine(Invariant($"Checked: from the same weights, TorchSharp's and StaticNet's probabilities on the {test.Count:N0} test digits differ by at most {worst:E2} (limit {PeerChecks.ProbabilityTolerance:E0})."));
        }

        Console.WriteLine(Invariant($"Warm-up: {warmup} steps per framework on a throwaway network; then {runs} epoch(s) each from the same initial weights, alternating."));
        Console.WriteLine();

        // Warm-up: JIT tiers, caches, libtorch's allocator and kernels.
        StaticNetSteps(new PeerDigitNet(seed), data, Math.Min(warmup, data.Steps));
        if (torchLoaded)
        {
            using var throwaway = new TorchDigitNet(new PeerDigitNet(seed));
            TorchSteps(throwaway, data, Math.Min(warmup, data.Steps));
        }

        var staticNet = new List<EpochResult>();
        var torchSharp = new List<EpochResult>();
        for (int run = 1; run <= runs; run++)
        {
            EpochResult s = StaticNetEpoch(data, seed, test);
            staticNet.Add(s);
            Console.WriteLine(Invariant($"run {run}  StaticNet   {s.Line()}"));
            if (torchLoaded)
            {
                EpochResult t = TorchEpoch(data, seed, test);
                torchSharp.Add(t);
                Console.WriteLine(Invariant($"run {run}  TorchSharp  {t.Line()}"));
            }
        }
        Console.WriteLine($"Load average at end: {LoadAverage()}");
        Console.WriteLine();

        Console.WriteLine(Invariant($"Median of {runs} epoch(s), {data.Steps:N0} train steps of batch {batch} each:"));
        Console.WriteLine();
        Console.WriteLine("| framework  | epoch (s) | steps/s | µs/step | test accuracy |");
        Console.WriteLine("| ---------- | --------: | ------: | ------: | ------------: |");
        EpochResult sm = Median(staticNet);
        Console.WriteLine(sm.Row("StaticNet"));
        if (torchLoaded)
        {
            EpochResult tm = Median(torchSharp);
            Console.WriteLine(tm.Row("TorchSharp"));
            Console.WriteLine();
            Console.WriteLine(Invariant($"TorchSharp's time includes copying each batch into its input tensors: {tm.CopySeconds * 1e6 / data.Steps:F1} µs/step of the {tm.Seconds * 1e6 / data.Steps:F1}."));
            Console.WriteLine(Invariant($"TorchSharp ÷ StaticNet epoch time: {tm.Seconds / sm.Seconds:F2}"));
        }
        else
        {
            Console.WriteLine();
            Console.WriteLine("TorchSharp was skipped (see above).");
        }
        return 0;
    }

    /// <summary>The shuffled training set and the batch size.</summary>
    private sealed record EpochData(float[] Images, int[] Labels, long[] LongLabels, int Batch)
    {
        public int Steps => (Labels.Length + Batch - 1) / Batch;

        public (int Start, int Rows) Step(int step) => (step * Batch, Math.Min(Batch, Labels.Length - (step * Batch)));
    }

    private sealed record EpochResult(double Seconds, int Steps, double MeanLoss, double TestAccuracy, double CopySeconds)
    {
        public string Line() => Invariant(
            $"{Seconds,7:F3} s  {Steps / Seconds,7:F0} steps/s  {Seconds * 1e6 / Steps,8:F1} µs/step  mean train loss {MeanLoss:F4}  test accuracy {TestAccuracy:P2}");

        public string Row(string framework) => Invariant(
            $"| {framework,-10} | {Seconds,9:F3} | {Steps / Seconds,7:F0} | {Seconds * 1e6 / Steps,7:F1} | {TestAccuracy,13:P2} |");
    }

    private static EpochResult Median(List<EpochResult> results) => results.OrderBy(r => r.Seconds).ElementAt(results.Count / 2);

    private static double StaticNetSteps(PeerDigitNet network, EpochData data, int steps)
    {
        double lossSum = 0;
        for (int step = 0; step < steps; step++)
        {
            (int start, int rows) = data.Step(step);
            float loss = network.TrainStep(data.Images.AsSpan(start * Inputs, rows * Inputs), data.Labels.AsSpan(start, rows));
            lossSum += (double)loss * rows;
        }
        return lossSum;
    }

    private static double TorchSteps(TorchDigitNet network, EpochData data, int steps)
    {
        double lossSum = 0;
        for (int step = 0; step < steps; step++)
        {
            (int start, int rows) = data.Step(step);
            float loss = network.TrainStep(data.Images.AsSpan(start * Inputs, rows * Inputs), data.LongLabels.AsSpan(start, rows));
            lossSum += (double)loss * rows;
        }
        return lossSum;
    }

    private static EpochResult StaticNetEpoch(EpochData data, int seed, MnistSet test)
    {
        var network = new PeerDigitNet(seed);
        Quiesce();
        long start = Stopwatch.GetTimestamp();
        double lossSum = StaticNetSteps(network, data, data.Steps);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        return new EpochResult(seconds, data.Steps, lossSum / data.Labels.Length, Accuracy(Probabilities(network, test.Images), test.Labels), 0);
    }

    private static EpochResult TorchEpoch(EpochData data, int seed, MnistSet test)
    {
        torch.manual_seed(seed); // the dropout masks, the same in every run
        using var network = new TorchDigitNet(new PeerDigitNet(seed));
        Quiesce();
        long start = Stopwatch.GetTimestamp();
        double lossSum = TorchSteps(network, data, data.Steps);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new EpochResult(seconds, data.Steps, lossSum / data.Labels.Length, Accuracy(network.Probabilities(test.Images), test.Labels),
            Stopwatch.GetElapsedTime(0, network.CopyTicks).TotalSeconds);
    }

    /// <summary>StaticNet's inference (no dropout): softmax probabilities, [rows, 10].</summary>
    private static float[] Probabilities(PeerDigitNet network, float[] images)
    {
        var probabilities = new float[images.Length / Inputs * PeerData.Outputs];
        network.Infer(images, probabilities);
        return probabilities;
    }

    /// <summary>The fraction of rows whose most probable class is the label.</summary>
    private static double Accuracy(float[] probabilities, int[] labels)
    {
        long correct = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            if (ArgMax(probabilities.AsSpan(r * PeerData.Outputs, PeerData.Outputs)) == labels[r]) correct++;
        }
        return (double)correct / labels.Length;
    }

    private static double MaxDifference(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length) return double.PositiveInfinity;
        double worst = 0;
        for (int k = 0; k < expected.Length; k++)
        {
            double error = Math.Abs((double)expected[k] - actual[k]);
            if (!(error <= worst)) worst = double.IsNaN(error) ? double.PositiveInfinity : error;
        }
        return worst;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best]) best = k;
        }
        return best;
    }

    /// <summary>A full garbage collection before a timed epoch, so that none left over from setup lands in it.</summary>
    private static void Quiesce()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static string LoadAverage()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{fields[0]} {fields[1]} {fields[2]} on {Environment.ProcessorCount} logical cores";
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        if (index < 0 || index + 1 >= args.Length) return fallback;
        return int.TryParse(args[index + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"{name} expects an integer, got '{args[index + 1]}'.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
