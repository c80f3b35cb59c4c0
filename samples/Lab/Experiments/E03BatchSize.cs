using System.Diagnostics;
using System.Globalization;
using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 3's network for the small- against large-batch comparison (Adam, as Keskar et al.).</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Adam, LearningRate = 0.001f)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class BatchSizeNet;

/// <summary>Experiment 3's network for the timing and gradient-noise table (the MNIST sample's shape, plain SGD).</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class BatchTimingNet;

/// <summary>
/// 3. Batch size: the notes' first table (Keskar et al.'s F₁: small batch 256 against a large batch of 10 % of the training set)
/// and their second (time per update, time per epoch and gradient noise from batch 1 to the full batch).
/// </summary>
public sealed class BatchSize : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="Training">Training digits of the small/large comparison.</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="SmallBatch">The small batch (Keskar: 256).</param>
    /// <param name="LargeFraction">The large batch as a fraction of the training digits (Keskar: 10 %).</param>
    /// <param name="TargetTrainingAccuracy">Both train until the training accuracy (on all their training digits) reaches this.</param>
    /// <param name="MaxEpochsSmall">At most this many epochs with the small batch.</param>
    /// <param name="MaxEpochsLarge">At most this many epochs with the large batch.</param>
    /// <param name="TimingTraining">Training digits of the timing/noise table (one epoch).</param>
    /// <param name="TimingBatches">The batch sizes of the timing/noise table.</param>
    /// <param name="NoiseRows">Rows sampled per batch size for the gradient noise (at least one batch each).</param>
    public sealed record Settings(int Training, int Test, int SmallBatch, double LargeFraction, double TargetTrainingAccuracy, int MaxEpochsSmall, int MaxEpochsLarge,
        int TimingTraining, int[] TimingBatches, int NoiseRows);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(20_000, 10_000, 256, 0.10, 0.995, 40, 200, 60_000, [1, 32, 256, 6_000, 60_000], 60_000);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(400, 200, 32, 0.25, 0.995, 2, 2, 600, [1, 32, 600], 600);

    /// <summary>Keskar et al.'s F₁ figures as the notes quote them: training and test accuracy, small then large batch.</summary>
    public static (double SmallTrain, double LargeTrain, double SmallTest, double LargeTest) Keskar { get; } = (0.9966, 0.9992, 0.9803, 0.9781);

    /// <summary>What the rule looks at.</summary>
    /// <param name="SmallTest">Small batch: test accuracy.</param>
    /// <param name="LargeTest">Large batch: test accuracy.</param>
    /// <param name="SmallTrain">Small batch: training accuracy on all its training digits.</param>
    /// <param name="LargeTrain">Large batch: training accuracy.</param>
    /// <param name="Target">The training accuracy both were trained to.</param>
    /// <param name="SmallReached">Small batch: the fraction of seeds that reached the target.</param>
    /// <param name="LargeReached">Large batch: the fraction of seeds that reached the target.</param>
    /// <param name="Batches">The timing table's batch sizes, ascending.</param>
    /// <param name="UpdateSeconds">Mean time per update, per batch size.</param>
    /// <param name="EpochSeconds">Mean time per epoch, per batch size.</param>
    /// <param name="Noise">Mean relative gradient noise ‖g_B − g‖/‖g‖, per batch size.</param>
    public sealed record Figures(Summary SmallTest, Summary LargeTest, Summary SmallTrain, Summary LargeTrain, double Target, double SmallReached, double LargeReached,
        int[] Batches, double[] UpdateSeconds, double[] EpochSeconds, double[] Noise);

    /// <inheritdoc />
    public override int Number => 3;

    /// <inheritdoc />
    public override string Id => "batch-size";

    /// <inheritdoc />
    public override string Title => "Batch size";

    /// <inheritdoc />
    public override string Claim =>
        "A large batch fits the training data as well as a small one but generalizes worse (Keskar et al.); larger batches make each update slower " +
        "but an epoch faster, and their gradient less noisy.";

    /// <inheritdoc />
    public override string Rule =>
        "Two halves, on the mean over seeds. Keskar's table: (a) the large batch's test accuracy is lower than the small batch's, " +
        "(b) while both fit the training data: each batch size reaches the target training accuracy (99.5 % of all its training digits) in every seed, so the gap is not under-fitting. " +
        "The notes' second table: (c) an epoch at batch 1 takes at least 2× as long as at the middle batch size (256), (d) the time per update grows with the batch size, " +
        "(e) the gradient noise falls as the batch size grows. All five: reproduced; none: not reproduced; otherwise partly.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        int middle = Array.IndexOf(f.Batches, 256);
        if (middle < 0) middle = f.Batches.Length / 2;
        bool updatesGrow = Enumerable.Range(1, f.Batches.Length - 1).All(i => f.UpdateSeconds[i] > f.UpdateSeconds[i - 1]);
        bool noiseFalls = Enumerable.Range(1, f.Batches.Length - 1).All(i => f.Noise[i] < f.Noise[i - 1]);
        return ClaimVerdict.FromParts(
            new Part("large batch tests lower", f.LargeTest.Mean < f.SmallTest.Mean, $"{f.LargeTest.Percent()} vs {f.SmallTest.Percent()}"),
            new Part($"both reach {Fmt.Percent(f.Target, 1)} training accuracy in every seed", f.LargeReached == 1 && f.SmallReached == 1,
                $"large batch in {Fmt.Percent(f.LargeReached, 0)} of seeds, small in {Fmt.Percent(f.SmallReached, 0)}; training {f.LargeTrain.Percent()} vs {f.SmallTrain.Percent()}"),
            new Part($"batch-1 epoch ≥ 2× the batch-{f.Batches[middle]} epoch", f.EpochSeconds[0] >= 2 * f.EpochSeconds[middle],
                $"{Fmt.Time(TimeSpan.FromSeconds(f.EpochSeconds[0]))} vs {Fmt.Time(TimeSpan.FromSeconds(f.EpochSeconds[middle]))}"),
            new Part("time per update grows with the batch", updatesGrow, string.Join(" < ", f.UpdateSeconds.Select(t => Fmt.Time(TimeSpan.FromSeconds(t))))),
            new Part("gradient noise falls with the batch", noiseFalls, string.Join(" > ", f.Noise.Select(n => Fmt.Sci(n)))));
    }

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset train = context.Data.Training(s.Training), test = context.Data.Test(s.Test);
        int large = (int)Math.Round(train.Count * s.LargeFraction);
        RunTracker tracker = context.Track(context.Seeds * (2 + s.TimingBatches.Length + 2));

        // Keskar's comparison: both batch sizes until the training accuracy reaches the target.
        var small = new List<(FitRun Run, double Train)>();
        var big = new List<(FitRun Run, double Train)>();
        foreach (int seed in context.SeedList)
        {
            small.Add(UntilFitted(seed, s.SmallBatch, s.MaxEpochsSmall, $"batch {s.SmallBatch}"));
            big.Add(UntilFitted(seed, large, s.MaxEpochsLarge, $"batch {large}"));
        }

        // The second table: one epoch of updates per batch size, timed; then the gradient noise at trained weights.
        Dataset timing = context.Data.Training(s.TimingTraining);
        int[] batches = s.TimingBatches.Where(b => b <= timing.Count).ToArray();
        var update = batches.Select(_ => new List<double>()).ToArray();
        var epoch = batches.Select(_ => new List<double>()).ToArray();
        var noise = batches.Select(_ => new List<double>()).ToArray();
        foreach (int seed in context.SeedList)
        {
            for (int b = 0; b < batches.Length; b++)
            {
                tracker.Start($"timing batch {batches[b]}, seed {seed}");
                (double perUpdate, double perEpoch) = TimeEpoch(timing, batches[b], seed);
                update[b].Add(perUpdate);
                epoch[b].Add(perEpoch);
                tracker.Finish();
            }
            double[] n = GradientNoise(timing, batches, s.NoiseRows, seed, tracker);
            for (int b = 0; b < batches.Length; b++) noise[b].Add(n[b]);
        }

        var figures = new Figures(
            Summary.Of(small.Select(x => x.Run.FinalValidationAccuracy)), Summary.Of(big.Select(x => x.Run.FinalValidationAccuracy)),
            Summary.Of(small.Select(x => x.Train)), Summary.Of(big.Select(x => x.Train)), s.TargetTrainingAccuracy,
            small.Average(x => x.Train >= s.TargetTrainingAccuracy ? 1.0 : 0.0), big.Average(x => x.Train >= s.TargetTrainingAccuracy ? 1.0 : 0.0),
            batches, update.Select(u => u.Average()).ToArray(), epoch.Select(u => u.Average()).ToArray(), noise.Select(u => u.Average()).ToArray());
        var result = new ExperimentResult(Judge(figures),
            $"batch {s.SmallBatch} vs {large:N0}: training {figures.SmallTrain.Percent()} / {figures.LargeTrain.Percent()}, test {figures.SmallTest.Percent()} / {figures.LargeTest.Percent()} " +
            $"(Keskar: 99.66 / 99.92, 98.03 / 97.81); epoch at batch 1 {Fmt.Time(TimeSpan.FromSeconds(figures.EpochSeconds[0]))} vs {Fmt.Time(TimeSpan.FromSeconds(figures.EpochSeconds[^1]))} at {batches[^1]:N0}");

        result.Setup.Add($"Small against large batch: {Describe.Declaration(BatchSizeNet.Descriptor)}, Adam with its defaults (as Keskar et al.), " +
                         $"on the first {train.Count:N0} training digits: batch {s.SmallBatch} against {large:N0} ({s.LargeFraction:P0} of the training set, Keskar's proportion). " +
                         $"Each trains until its training accuracy (on all its training digits, after every epoch) reaches {s.TargetTrainingAccuracy:P1}, " +
                         $"at most {s.MaxEpochsSmall} / {s.MaxEpochsLarge} epochs; test accuracy on {test.Count:N0} test digits at that epoch.");
        result.Setup.Add($"Timing and noise: {Describe.Declaration(BatchTimingNet.Descriptor)} on {timing.Count:N0} training digits; for each batch size one epoch of " +
                         $"`TrainStep` calls over consecutive slices (no shuffling, no evaluation), timed with a stopwatch on one thread (whatever `--threads` says), from a fresh network per seed.");
        result.Setup.Add($"Gradient noise: the network trained one epoch (batch 32, η 0.1); g = the gradient of the mean loss over all {timing.Count:N0} digits, g_B = over a random batch of B; " +
                         $"noise = √(mean ‖g_B − g‖²)/‖g‖ over {s.NoiseRows:N0} rows' worth of batches per size (between 1 and 200 batches; rows drawn without replacement within a batch). " +
                         "For sampling without replacement the expected value is proportional to √((N − B)/(B(N − 1))), which the last column scales from batch 1; at the full batch it is 0, " +
                         "and what is measured there is float rounding (the same rows summed in another order).");
        result.Setup.Add($"Seeds {string.Join(", ", context.SeedList)} (initialization, shuffling, batch draws).");

        var keskar = new Table("Small against large batch (mean ± std over seeds; Keskar et al.'s F₁ for comparison)", "batch", "epochs trained", "training accuracy", "test accuracy", "test loss", "Keskar F₁ training / test");
        keskar.Add($"{s.SmallBatch}", Summary.Of(small.Select(x => (double)x.Run.History.Epochs.Count)).Format("0.0"), figures.SmallTrain.Percent(), figures.SmallTest.Percent(),
            Summary.Of(small.Select(x => x.Run.Final?.ValidationLoss ?? double.NaN)).Format("F4"), "99.66 % / 98.03 %");
        keskar.Add($"{large:N0} ({s.LargeFraction:P0})", Summary.Of(big.Select(x => (double)x.Run.History.Epochs.Count)).Format("0.0"), figures.LargeTrain.Percent(), figures.LargeTest.Percent(),
            Summary.Of(big.Select(x => x.Run.Final?.ValidationLoss ?? double.NaN)).Format("F4"), "99.92 % / 97.81 %");
        result.Tables.Add(keskar);

        var second = new Table($"The notes' second table, measured on this machine ({timing.Count:N0} digits per epoch; mean ± std over seeds)",
            "batch", "updates per epoch", "time per update", "time per epoch", "gradient noise ‖g_B − g‖/‖g‖", "noise predicted from batch 1");
        int n0 = timing.Count;
        for (int b = 0; b < batches.Length; b++)
        {
            double predicted = noise[0].Average() * Math.Sqrt((n0 - batches[b]) / (batches[b] * (n0 - 1.0)));
            second.Add(batches[b].ToString("N0", CultureInfo.InvariantCulture), ((n0 + batches[b] - 1) / batches[b]).ToString("N0", CultureInfo.InvariantCulture),
                $"{Fmt.Time(TimeSpan.FromSeconds(update[b].Average()))} ± {Fmt.Time(TimeSpan.FromSeconds(Summary.Of(update[b]).Std))}",
                $"{Fmt.Time(TimeSpan.FromSeconds(epoch[b].Average()))} ± {Fmt.Time(TimeSpan.FromSeconds(Summary.Of(epoch[b]).Std))}",
                Summary.Of(noise[b]).Sci(), Fmt.Sci(predicted));
        }
        result.Tables.Add(second);

        const string keskarFile = "e03-small-large-batch.png";
        int longest = Math.Max(small.Max(x => x.Run.History.Epochs.Count), big.Max(x => x.Run.History.Epochs.Count));
        double[] axis = Runs.Epochs(longest);
        Charts.Save(context.PlotPath(keskarFile),
        [
            p => Charts.Lines(p, "Training accuracy", "epoch", "%",
            [
                new Series($"batch {s.SmallBatch}", axis, Runs.MeanCurve(small.Select(x => x.Run.Curve(e => e.TrainAccuracy * 100, longest)))),
                new Series($"batch {large:N0}", axis, Runs.MeanCurve(big.Select(x => x.Run.Curve(e => e.TrainAccuracy * 100, longest)))),
            ], legend: ScottPlot.Alignment.LowerRight),
            p => Charts.Lines(p, "Test accuracy", "epoch", "%",
            [
                new Series($"batch {s.SmallBatch}", axis, Runs.MeanCurve(small.Select(x => x.Run.Curve(e => e.ValidationAccuracy * 100, longest)))),
                new Series($"batch {large:N0}", axis, Runs.MeanCurve(big.Select(x => x.Run.Curve(e => e.ValidationAccuracy * 100, longest)))),
            ], legend: ScottPlot.Alignment.LowerRight),
        ]);
        result.Plots.Add(new PlotFile(keskarFile, "Small against large batch: training and test accuracy per epoch (mean over the seeds still training)."));

        const string tableFile = "e03-time-and-noise.png";
        double[] bx = batches.Select(b => (double)b).ToArray();
        Charts.Save(context.PlotPath(tableFile),
        [
            p => Charts.Lines(p, "Time per update and per epoch", "batch size (log scale)", "seconds (log scale)",
            [
                new Series("per update", bx, update.Select(u => u.Average()).ToArray(), update.Select(u => u.Min()).ToArray(), update.Select(u => u.Max()).ToArray()),
                new Series("per epoch", bx, epoch.Select(u => u.Average()).ToArray(), epoch.Select(u => u.Min()).ToArray(), epoch.Select(u => u.Max()).ToArray()),
            ], logY: true, logX: true, legend: ScottPlot.Alignment.UpperCenter),
            p => Charts.Lines(p, "Gradient noise", "batch size (log scale)", "‖g_B − g‖/‖g‖ (log scale)",
            [
                new Series("measured", bx, noise.Select(u => u.Average()).ToArray(), noise.Select(u => u.Min()).ToArray(), noise.Select(u => u.Max()).ToArray()),
                new Series("batch 1's × √((N − B)/(B(N − 1)))", bx, batches.Select(b => noise[0].Average() * Math.Sqrt((n0 - b) / (b * (n0 - 1.0)))).ToArray()),
            ], logY: true, logX: true),
        ]);
        result.Plots.Add(new PlotFile(tableFile, "Time per update and per epoch, and gradient noise, against the batch size (log–log; band: min–max over seeds)."));
        result.Notes.Add("Keskar et al. trained a larger network (F₁: 5 hidden layers of 512 with batch normalization) on all 60,000 digits; here a one-hidden-layer network on a subset, " +
                         "so that the large batch (10 steps per epoch) can reach the same training accuracy within the lab's time budget. The figures to compare are the differences, not the levels.");
        result.Notes.Add("On one CPU core a larger batch is faster per example only while the kernels' vectors and caches are used better; there is no GPU-style parallel speed-up to gain, " +
                         "and the full batch's work buffers no longer fit in cache.");
        return result;

        (FitRun, double) UntilFitted(int seed, int batch, int maxEpochs, string label)
        {
            var model = Model<BatchSizeNet>.Create(seed);
            FitRun run = Runs.FitUntil(model, train, new FitOptions
            {
                Epochs = maxEpochs, BatchSize = batch, Seed = seed, ValidationData = test, TrainingAccuracySamples = train.Count, Threads = context.Threads,
            }, r => r.TrainAccuracy >= s.TargetTrainingAccuracy, tracker.Start($"{label}, seed {seed}"), context.Cancellation);
            double trainAccuracy = run.Diverged ? double.NaN : run.Final?.TrainAccuracy ?? double.NaN;
            tracker.Finish();
            return (run, trainAccuracy);
        }
    }

    /// <summary>One epoch of TrainStep over consecutive slices; returns the seconds per update and per epoch.</summary>
    private static (double PerUpdate, double PerEpoch) TimeEpoch(Dataset data, int batch, int seed)
    {
        BatchTimingNet net = BatchTimingNet.Create(seed);
        ReadOnlySpan<float> x = data.Features.Span;
        ReadOnlySpan<int> y = data.Labels.Span;
        int n = data.Count, width = data.InputWidth;
        int warm = Math.Min(batch, n);
        net.TrainStep(x[..(warm * width)], y[..warm]); // work buffers grown to the batch (and the JIT warm) before the clock starts
        int updates = 0;
        long start = Stopwatch.GetTimestamp();
        for (int row = 0; row < n; row += batch)
        {
            int rows = Math.Min(batch, n - row);
            net.TrainStep(x.Slice(row * width, rows * width), y.Slice(row, rows));
            updates++;
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (seconds / updates, seconds);
    }

    /// <summary>The relative gradient noise per batch size at the weights after one epoch of training.</summary>
    private static double[] GradientNoise(Dataset data, int[] batches, int noiseRows, int seed, RunTracker tracker)
    {
        var model = Model<BatchTimingNet>.Create(seed);
        model.Fit(data, new FitOptions { Epochs = 1, BatchSize = 32, Seed = seed, TrainingAccuracySamples = 0 }, tracker.Start($"noise: training, seed {seed}"));
        tracker.Finish();
        tracker.Start($"noise: gradients, seed {seed}");
        BatchTimingNet net = model.Network;
        int n = data.Count, width = data.InputWidth;
        net.ComputeGradients(data.Features.Span, data.Labels.Span);
        float[] full = net.Gradients.ToArray();
        double fullNorm = Math.Sqrt(full.Sum(g => (double)g * g));
        var random = new Random(seed);
        int[] order = Enumerable.Range(0, n).ToArray();
        var noise = new double[batches.Length];
        var x = new float[batches.Max() * width];
        var y = new int[batches.Max()];
        for (int b = 0; b < batches.Length; b++)
        {
            int batch = batches[b];
            int draws = Math.Clamp(noiseRows / batch, 1, 200);
            double sum = 0;
            for (int d = 0; d < draws; d++)
            {
                random.Shuffle(order);
                for (int k = 0; k < batch; k++)
                {
                    data.Features.Span.Slice(order[k] * width, width).CopyTo(x.AsSpan(k * width, width));
                    y[k] = data.Labels.Span[order[k]];
                }
                net.ComputeGradients(x.AsSpan(0, batch * width), y.AsSpan(0, batch));
                ReadOnlySpan<float> g = net.Gradients;
                double squares = 0;
                for (int i = 0; i < g.Length; i++) squares += (g[i] - (double)full[i]) * (g[i] - (double)full[i]);
                sum += squares;
            }
            noise[b] = Math.Sqrt(sum / draws) / fullNorm;
        }
        tracker.Finish();
        return noise;
    }
}
