using System.Globalization;
using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 7's network for input scaling.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.01f)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class InputScalingNet;

/// <summary>Experiment 7's deeper network without batch normalization.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.01f)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class PlainDeepNet;

/// <summary>… and with batch normalization on both hidden layers.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.01f)]
[Dense(64, Activation.ReLU, BatchNorm = true)]
[Dense(64, Activation.ReLU, BatchNorm = true)]
[Dense(10)]
public partial class BatchNormDeepNet;

/// <summary>7. Normalization: raw against standardized inputs; without and with batch normalization.</summary>
public sealed class Normalization : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="Training">Training digits.</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="Epochs">Epochs of the convergence runs.</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    /// <param name="Rate">η of the convergence runs.</param>
    /// <param name="SweepTraining">Training digits per run of the stability sweep (one epoch).</param>
    /// <param name="SweepRates">The rates of the stability sweep.</param>
    /// <param name="StableAccuracy">A rate is stable when no seed diverges and every seed reaches this test accuracy.</param>
    public sealed record Settings(int Training, int Test, int Epochs, int BatchSize, double Rate, int SweepTraining, double[] SweepRates, double StableAccuracy);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(60_000, 10_000, 3, 32, 0.01, 10_000, [0.01, 0.03, 0.1, 0.3, 1, 3, 10], 0.5);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(300, 200, 1, 32, 0.01, 200, [0.01, 1], 0.5);

    /// <summary>What the rule looks at.</summary>
    /// <param name="RawLoss">Inputs as stored bytes 0–255: mean training loss of epoch 1 (NaN if it diverged).</param>
    /// <param name="ScaledLoss">Inputs scaled to [0, 1]: the same.</param>
    /// <param name="StandardizedLoss">Standardized inputs: the same.</param>
    /// <param name="PlainLoss">Deeper network without batch normalization: the same.</param>
    /// <param name="BatchNormLoss">With batch normalization: the same.</param>
    /// <param name="PlainLargestStable">The largest stable swept rate without batch normalization (0 if none).</param>
    /// <param name="BatchNormLargestStable">With batch normalization.</param>
    public sealed record Figures(Summary RawLoss, Summary ScaledLoss, Summary StandardizedLoss, Summary PlainLoss, Summary BatchNormLoss, double PlainLargestStable, double BatchNormLargestStable);

    /// <inheritdoc />
    public override int Number => 7;

    /// <inheritdoc />
    public override string Id => "normalization";

    /// <inheritdoc />
    public override string Title => "Normalization";

    /// <inheritdoc />
    public override string Claim =>
        "Standardized inputs make gradient descent converge faster than raw ones; batch normalization speeds training up further and tolerates much larger learning rates.";

    /// <inheritdoc />
    public override string Rule =>
        "Four parts, on the mean training loss of the first epoch over seeds (a diverged run counts as infinitely bad). " +
        "(a) Standardized inputs end epoch 1 lower than the raw bytes 0–255; (b) no higher than the inputs scaled to [0, 1]. " +
        "(c) With batch normalization the network ends epoch 1 lower than without, at the same rate. " +
        "(d) Batch normalization's largest stable rate (no seed diverges, every seed ≥ 50 % test accuracy after one epoch) is at least 3× the plain network's. " +
        "All four: reproduced; none: not reproduced; otherwise partly.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        static double Bad(double loss) => double.IsNaN(loss) ? double.PositiveInfinity : loss;
        return ClaimVerdict.FromParts(
            new Part("standardized below raw bytes", Bad(f.StandardizedLoss.Mean) < Bad(f.RawLoss.Mean), $"{Loss(f.StandardizedLoss)} vs {Loss(f.RawLoss)}"),
            new Part("standardized no higher than [0, 1]", Bad(f.StandardizedLoss.Mean) <= Bad(f.ScaledLoss.Mean), $"{Loss(f.StandardizedLoss)} vs {Loss(f.ScaledLoss)}"),
            new Part("batch norm below plain", Bad(f.BatchNormLoss.Mean) < Bad(f.PlainLoss.Mean), $"{Loss(f.BatchNormLoss)} vs {Loss(f.PlainLoss)}"),
            new Part("batch norm's largest stable rate ≥ 3× plain's", f.BatchNormLargestStable >= 3 * f.PlainLargestStable,
                $"η {Fmt.Num(f.BatchNormLargestStable, "G3")} vs {Fmt.Num(f.PlainLargestStable, "G3")}"));
    }

    private static string Loss(Summary s) => double.IsNaN(s.Mean) ? "diverged" : s.Format("F4");

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset train = context.Data.Training(s.Training), test = context.Data.Test(s.Test);
        Dataset rawTrain = Bytes(train), rawTest = Bytes(test);
        Dataset sweepTrain = context.Data.Training(s.SweepTraining);
        RunTracker tracker = context.Track(context.Seeds * (5 + 2 * s.SweepRates.Length));

        var raw = new List<FitRun>();
        var scaled = new List<FitRun>();
        var standardized = new List<FitRun>();
        var plain = new List<FitRun>();
        var normalized = new List<FitRun>();
        var dead = new Dictionary<List<FitRun>, List<double>> { [raw] = [], [scaled] = [], [standardized] = [] };
        foreach (int seed in context.SeedList)
        {
            raw.Add(Train<InputScalingNet>(rawTrain, rawTest, s.Epochs, s.Rate, false, seed, "bytes 0–255", m => dead[raw].Add(DeadUnits(m, rawTest))));
            scaled.Add(Train<InputScalingNet>(train, test, s.Epochs, s.Rate, false, seed, "[0, 1]", m => dead[scaled].Add(DeadUnits(m, test))));
            standardized.Add(Train<InputScalingNet>(train, test, s.Epochs, s.Rate, true, seed, "standardized", m => dead[standardized].Add(DeadUnits(m, test))));
            plain.Add(Train<PlainDeepNet>(train, test, s.Epochs, s.Rate, false, seed, "no batch norm"));
            normalized.Add(Train<BatchNormDeepNet>(train, test, s.Epochs, s.Rate, false, seed, "batch norm"));
        }
        var plainSweep = s.SweepRates.Select(rate => context.SeedList.Select(seed => Train<PlainDeepNet>(sweepTrain, test, 1, rate, false, seed, $"no batch norm, η {rate}")).ToArray()).ToArray();
        var normSweep = s.SweepRates.Select(rate => context.SeedList.Select(seed => Train<BatchNormDeepNet>(sweepTrain, test, 1, rate, false, seed, $"batch norm, η {rate}")).ToArray()).ToArray();
        bool Stable(FitRun[] runs) => runs.All(r => !r.Diverged && r.FinalValidationAccuracy >= s.StableAccuracy);
        double Largest(FitRun[][] sweep) => Enumerable.Range(0, s.SweepRates.Length).Where(i => Stable(sweep[i])).Select(i => s.SweepRates[i]).DefaultIfEmpty(0).Max();

        static Summary EpochOne(List<FitRun> runs) => Summary.Of(runs.Select(r => r.Diverged && r.History.Epochs.Count == 0 ? double.NaN : r.Curve(e => e.TrainLoss, 1)[0]));
        var figures = new Figures(EpochOne(raw), EpochOne(scaled), EpochOne(standardized), EpochOne(plain), EpochOne(normalized), Largest(plainSweep), Largest(normSweep));
        var result = new ExperimentResult(Judge(figures),
            $"epoch-1 training loss: bytes {Loss(figures.RawLoss)}, [0, 1] {Loss(figures.ScaledLoss)}, standardized {Loss(figures.StandardizedLoss)}; " +
            $"without/with batch norm {Loss(figures.PlainLoss)} / {Loss(figures.BatchNormLoss)}; largest stable η {Fmt.Num(figures.PlainLargestStable, "G3")} / {Fmt.Num(figures.BatchNormLargestStable, "G3")}");
        result.Setup.Add($"Inputs: {Describe.Declaration(InputScalingNet.Descriptor)}, SGD η = {s.Rate}, batch {s.BatchSize}, {s.Epochs} epochs on {train.Count:N0} training digits, on " +
                         "(1) the stored bytes 0–255, (2) the bytes / 255, as the MNIST loader gives them, (3) standardized per pixel with the training set's mean and standard deviation " +
                         "(`FitOptions.Normalize`; a pixel that is always 0 is only centred).");
        result.Setup.Add($"Batch normalization: {Describe.Declaration(PlainDeepNet.Descriptor)} against {Describe.Declaration(BatchNormDeepNet.Descriptor)} on the [0, 1] inputs, " +
                         $"same SGD η = {s.Rate}, batch {s.BatchSize}, {s.Epochs} epochs; one thread (batch normalization cannot be split across threads).");
        result.Setup.Add($"Stability sweep: one epoch on {sweepTrain.Count:N0} training digits at η ∈ {{{string.Join(", ", s.SweepRates.Select(r => Fmt.Num(r, "G3")))}}}, every seed; " +
                         $"a rate is stable when no seed diverges (a non-finite loss stops the fit) and every seed reaches {s.StableAccuracy:P0} test accuracy.");
        result.Setup.Add($"Seeds {string.Join(", ", context.SeedList)}; test accuracy on {test.Count:N0} test digits.");

        var table = new Table("Convergence (mean ± std over seeds)", "setup", "training loss, epoch 1", $"training loss, epoch {s.Epochs}", "test accuracy", "dead hidden units");
        foreach ((string name, List<FitRun> runs) in new[] { ("bytes 0–255", raw), ("scaled to [0, 1]", scaled), ("standardized", standardized), ("deeper, no batch norm", plain), ("deeper, batch norm", normalized) })
        {
            string diverged = runs.Any(r => r.Diverged) ? $" ({runs.Count(r => r.Diverged)} of {runs.Count} diverged: {runs.First(r => r.Diverged).DivergedAt})" : "";
            table.Add(name + diverged, Loss(EpochOne(runs)), Loss(Summary.Of(runs.Select(r => r.FinalTrainLoss))), Summary.Of(runs.Select(r => r.FinalValidationAccuracy)).Percent(),
                dead.TryGetValue(runs, out List<double>? d) ? Summary.Of(d).Percent(1) : "");
        }
        result.Tables.Add(table);
        var sweepTable = new Table("Stability sweep: test accuracy after one epoch (mean ± std over seeds; \"diverged\" if any seed did)", "η", "no batch norm", "batch norm");
        for (int i = 0; i < s.SweepRates.Length; i++)
        {
            sweepTable.Add(Fmt.Num(s.SweepRates[i], "G3"), Cell(plainSweep[i]), Cell(normSweep[i]));
        }
        result.Tables.Add(sweepTable);

        const string file = "e07-normalization.png";
        double[] epochs = Runs.Epochs(s.Epochs);
        Series Curve(string label, List<FitRun> runs) => new(label, epochs, Runs.MeanCurve(runs.Select(r => r.Curve(e => e.TrainLoss, s.Epochs))));
        Charts.Save(context.PlotPath(file),
        [
            p => Charts.Lines(p, "Input scaling", "epoch", "training loss (log scale)",
                [Curve("bytes 0–255", raw), Curve("[0, 1]", scaled), Curve("standardized", standardized)], logY: true, integerX: true),
            p => Charts.Lines(p, "Batch normalization", "epoch", "training loss (log scale)",
                [Curve("no batch norm", plain), Curve("batch norm", normalized)], logY: true, integerX: true),
            p => Charts.Lines(p, "Stability: one epoch per rate", "η (log scale)", "test accuracy, %",
            [
                new Series("no batch norm", s.SweepRates, plainSweep.Select(r => r.Any(x => x.Diverged) ? double.NaN : r.Average(x => x.FinalValidationAccuracy) * 100).ToArray()),
                new Series("batch norm", s.SweepRates, normSweep.Select(r => r.Any(x => x.Diverged) ? double.NaN : r.Average(x => x.FinalValidationAccuracy) * 100).ToArray()),
            ], logX: true, legend: ScottPlot.Alignment.LowerLeft),
        ], 520, 420);
        result.Plots.Add(new PlotFile(file, "Training loss per epoch (mean over seeds; a diverged run has no points) and the stability sweep (a missing point: some seed diverged)."));
        result.Notes.Add($"Dead hidden units: the fraction of the 64 ReLU units that output 0 for every one of the first {Math.Min(1_000, test.Count):N0} test digits after training " +
                         "(a unit pushed there gets no gradient and stays there).");
        if (raw.Any(r => r.Diverged))
        {
            result.Notes.Add("The raw bytes diverge at η = " + s.Rate.ToString(CultureInfo.InvariantCulture) + ": inputs 255× larger make the gradient of the first layer 255× larger; the same rate that works on [0, 1] overshoots.");
        }
        return result;

        string Cell(FitRun[] runs) => runs.Any(r => r.Diverged) ? $"diverged ({runs.Count(r => r.Diverged)}/{runs.Length})" : Summary.Of(runs.Select(r => r.FinalValidationAccuracy)).Percent();

        FitRun Train<TNet>(Dataset data, Dataset testData, int epochs, double rate, bool normalize, int seed, string label, Action<Model<TNet>>? after = null) where TNet : class, INetwork<TNet>
        {
            var model = Model<TNet>.Create(seed);
            model.Network.LearningRate = (float)rate;
            FitRun run = Runs.Fit(model, data, new FitOptions
            {
                Epochs = epochs, BatchSize = s.BatchSize, Seed = seed, ValidationData = testData, TrainingAccuracySamples = 0, Normalize = normalize,
                Threads = TNet.Descriptor.StatisticCount > 0 ? 1 : context.Threads,
            }, tracker.Start($"{label}, seed {seed}"), context.Cancellation);
            after?.Invoke(model);
            tracker.Finish();
            return run;
        }
    }

    /// <summary>The fraction of the first layer's units that are 0 for every one of the first 1,000 rows of <paramref name="data"/> (inference, through the model's standardization).</summary>
    private static double DeadUnits<TNet>(Model<TNet> model, Dataset data) where TNet : class, INetwork<TNet>
    {
        int rows = Math.Min(1_000, data.Count), units = model.Network.Description.Layers[0].Units;
        var outputs = new float[rows * model.Network.Description.Outputs];
        model.Predict(data.Features.Span[..(rows * data.InputWidth)], outputs);
        ReadOnlySpan<float> hidden = model.Network.LayerOutput(0);
        int dead = 0;
        for (int u = 0; u < units; u++)
        {
            bool zero = true;
            for (int r = 0; r < rows && zero; r++) zero = hidden[r * units + u] == 0;
            if (zero) dead++;
        }
        return dead / (double)units;
    }

    /// <summary>The digits as the IDX files store them: bytes 0–255 (the loader divides by 255).</summary>
    private static Dataset Bytes(Dataset data)
    {
        float[] x = data.Features.ToArray();
        for (int i = 0; i < x.Length; i++) x[i] = MathF.Round(x[i] * 255f);
        return new Dataset(x, data.InputWidth, data.Labels);
    }
}
