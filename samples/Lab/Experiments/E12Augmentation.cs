using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 12's network.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class AugmentationNet;

/// <summary>12. Augmentation: shifted, rotated and noisy copies of a reduced training set.</summary>
public sealed class DataAugmentation : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="Training">Training digits (reduced).</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="Epochs">Epochs.</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    /// <param name="MaxShift">Shift in pixels, up to ±.</param>
    /// <param name="MaxRotation">Rotation in degrees, up to ±.</param>
    /// <param name="Noise">σ of the Gaussian noise added to pixels in [0, 1].</param>
    public sealed record Settings(int Training, int Test, int Epochs, int BatchSize, int MaxShift, double MaxRotation, double Noise);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(5_000, 10_000, 20, 32, 2, 10, 0.1);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(200, 200, 1, 32, 2, 10, 0.1);

    /// <summary>The arms, in order: none, each transform alone, all three.</summary>
    public static IReadOnlyList<string> Arms { get; } = ["none", "shift", "rotation", "noise", "shift + rotation + noise"];

    /// <summary>What the rule looks at: final test accuracy per arm.</summary>
    /// <param name="Accuracy">Per arm.</param>
    public sealed record Figures(IReadOnlyDictionary<string, Summary> Accuracy);

    /// <inheritdoc />
    public override int Number => 12;

    /// <inheritdoc />
    public override string Id => "augmentation";

    /// <inheritdoc />
    public override string Title => "Augmentation";

    /// <inheritdoc />
    public override string Claim =>
        "When training data are scarce, training on randomly shifted, rotated and noisy copies of the examples improves the test accuracy.";

    /// <inheritdoc />
    public override string Rule =>
        "Two parts, on the mean final test accuracy over seeds. (a) Shift + rotation + noise together beat no augmentation by at least 0.5 points. " +
        "(b) Each transform alone does not lower it. Both: reproduced; neither: not reproduced; one: partly.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        Summary none = f.Accuracy["none"], all = f.Accuracy["shift + rotation + noise"];
        string[] lower = new[] { "shift", "rotation", "noise" }.Where(a => !(f.Accuracy[a].Mean >= none.Mean)).ToArray();
        return ClaimVerdict.FromParts(
            new Part("all three ≥ none + 0.5 points", all.Mean - none.Mean >= 0.005, $"{all.Percent()} vs {none.Percent()}"),
            new Part("no single transform lowers it", lower.Length == 0,
                lower.Length == 0 ? string.Join(", ", new[] { "shift", "rotation", "noise" }.Select(a => $"{a} {f.Accuracy[a].Percent()}")) : $"lower: {string.Join(", ", lower.Select(a => $"{a} {f.Accuracy[a].Percent()}"))}"));
    }

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset train = context.Data.Training(s.Training), test = context.Data.Test(s.Test);
        var image = new ImageShape(28, 28);
        var augmentations = new Dictionary<string, Func<Augmentation?>>
        {
            ["none"] = () => null,
            ["shift"] = () => new Augmentation { Image = image, MaxShift = s.MaxShift },
            ["rotation"] = () => new Augmentation { Image = image, MaxRotationDegrees = s.MaxRotation },
            ["noise"] = () => new Augmentation { NoiseStandardDeviation = s.Noise },
            ["shift + rotation + noise"] = () => new Augmentation { Image = image, MaxShift = s.MaxShift, MaxRotationDegrees = s.MaxRotation, NoiseStandardDeviation = s.Noise },
        };
        RunTracker tracker = context.Track(Arms.Count * context.Seeds);
        var runs = Arms.ToDictionary(a => a, a => context.SeedList.Select(seed =>
        {
            var model = Model<AugmentationNet>.Create(seed);
            FitRun run = Runs.Fit(model, train, new FitOptions
            {
                Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = seed, TrainingAccuracySamples = train.Count, Augmentation = augmentations[a](), Threads = context.Threads,
            }, tracker.Start($"{a}, seed {seed}"), context.Cancellation);
            double accuracy = run.Diverged ? double.NaN : model.Evaluate(test).Accuracy ?? double.NaN;
            tracker.Finish();
            return (Run: run, Test: accuracy);
        }).ToArray());

        var figures = new Figures(runs.ToDictionary(r => r.Key, r => Summary.Of(r.Value.Select(x => x.Test))));
        var result = new ExperimentResult(Judge(figures),
            $"test accuracy with {train.Count:N0} training digits: none {figures.Accuracy["none"].Percent()}, shift + rotation + noise {figures.Accuracy["shift + rotation + noise"].Percent()}");
        result.Setup.Add($"{Describe.Declaration(AugmentationNet.Descriptor)}, plain SGD η = 0.1, batch {s.BatchSize}, {s.Epochs} epochs on only the first {train.Count:N0} training digits; " +
                         $"test accuracy on {test.Count:N0} after the last epoch.");
        result.Setup.Add($"`FitOptions.Augmentation` on every training mini-batch (fresh random parameters per digit, from the fit's seed): shift up to ±{s.MaxShift} px (zero fill), " +
                         $"rotation up to ±{s.MaxRotation}° (bilinear), Gaussian noise σ = {s.Noise} on pixels in [0, 1]; never on the test digits.");
        result.Setup.Add($"Seeds {string.Join(", ", context.SeedList)}.");

        var table = new Table("Per augmentation (mean ± std over seeds)", "augmentation", "training accuracy (unaugmented digits)", "test accuracy", "gain over none", "time per epoch");
        foreach (string arm in Arms)
        {
            var r = runs[arm];
            table.Add(arm, Summary.Of(r.Select(x => x.Run.Final?.TrainAccuracy ?? double.NaN)).Percent(), figures.Accuracy[arm].Percent(),
                Fmt.Points(figures.Accuracy[arm].Mean - figures.Accuracy["none"].Mean),
                Fmt.Time(TimeSpan.FromSeconds(r.SelectMany(x => x.Run.History.Epochs).Average(e => e.WallTime.TotalSeconds))));
        }
        result.Tables.Add(table);

        const string file = "e12-augmentation.png";
        string[] arms = Arms.ToArray();
        double[] epochs = Runs.Epochs(s.Epochs);
        Charts.Save(context.PlotPath(file),
        [
            p => Charts.Bars(p, "Test accuracy", "%", arms, arms.Select(a => figures.Accuracy[a].Mean * 100).ToArray(), arms.Select(a => figures.Accuracy[a].Std * 100).ToArray(),
                baseline: Math.Floor(arms.Min(a => figures.Accuracy[a].Mean) * 100 - 2)),
            p => Charts.Lines(p, "Training accuracy (unaugmented training digits)", "epoch", "%",
                arms.Select(a => new Series(a, epochs, Runs.MeanCurve(runs[a].Select(x => x.Run.Curve(e => e.TrainAccuracy * 100, s.Epochs))))), integerX: true,
                legend: ScottPlot.Alignment.LowerRight),
        ], 560, 440);
        result.Plots.Add(new PlotFile(file, "Test accuracy per augmentation (mean ± std over seeds) and the training accuracy per epoch."));
        return result;
    }
}
