using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 4's network.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class ShufflingNet;

/// <summary>4. Shuffling: reshuffled every epoch against a fixed order.</summary>
public sealed class Shuffling : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="Training">Training digits.</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="Epochs">Epochs.</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    public sealed record Settings(int Training, int Test, int Epochs, int BatchSize);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(60_000, 10_000, 5, 32);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(300, 200, 1, 32);

    /// <summary>What the rule looks at: final test accuracy per presentation order.</summary>
    /// <param name="Reshuffled">Reshuffled before every epoch.</param>
    /// <param name="Fixed">One random order, drawn once and kept.</param>
    /// <param name="Sorted">Sorted by class (all 0s, then all 1s, …) and kept.</param>
    public sealed record Figures(Summary Reshuffled, Summary Fixed, Summary Sorted);

    /// <inheritdoc />
    public override int Number => 4;

    /// <inheritdoc />
    public override string Id => "shuffling";

    /// <inheritdoc />
    public override string Title => "Shuffling";

    /// <inheritdoc />
    public override string Claim => "Reshuffling the training examples before every epoch trains better than presenting them in one fixed order.";

    /// <inheritdoc />
    public override string Rule =>
        "Two parts, on the mean final test accuracy over seeds. (a) Reshuffled beats one fixed random order by more than the larger of their two standard deviations. " +
        "(b) Reshuffled beats a fixed order sorted by class by at least 1 point. Both: reproduced; neither: not reproduced; one: partly " +
        "(typically: only a pathological fixed order hurts).";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        double noise = Math.Max(f.Reshuffled.Std, f.Fixed.Std);
        return ClaimVerdict.FromParts(
            new Part("reshuffled beats a fixed random order beyond seed noise", f.Reshuffled.Mean - f.Fixed.Mean > noise,
                $"{f.Reshuffled.Percent()} vs {f.Fixed.Percent()}, difference {Fmt.Points(f.Reshuffled.Mean - f.Fixed.Mean)} against a std of {Fmt.Points(noise).TrimStart('+')}"),
            new Part("reshuffled beats the class-sorted order by ≥ 1 point", f.Reshuffled.Mean - f.Sorted.Mean >= 0.01,
                $"{f.Reshuffled.Percent()} vs {f.Sorted.Percent()}"));
    }

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset train = context.Data.Training(s.Training), test = context.Data.Test(s.Test);
        RunTracker tracker = context.Track(3 * context.Seeds);
        int[] byClass = Enumerable.Range(0, train.Count).OrderBy(i => train.Labels.Span[i]).ThenBy(i => i).ToArray();
        Dataset sorted = Runs.Reordered(train, byClass);

        var reshuffled = new List<FitRun>();
        var fixedOrder = new List<FitRun>();
        var sortedOrder = new List<FitRun>();
        foreach (int seed in context.SeedList)
        {
            reshuffled.Add(Train(train, true, seed, "reshuffled"));
            int[] once = Enumerable.Range(0, train.Count).ToArray();
            new Random(seed + 1000).Shuffle(once);
            fixedOrder.Add(Train(Runs.Reordered(train, once), false, seed, "fixed order"));
            sortedOrder.Add(Train(sorted, false, seed, "sorted by class"));
        }

        var figures = new Figures(
            Summary.Of(reshuffled.Select(r => r.FinalValidationAccuracy)),
            Summary.Of(fixedOrder.Select(r => r.FinalValidationAccuracy)),
            Summary.Of(sortedOrder.Select(r => r.FinalValidationAccuracy)));
        var result = new ExperimentResult(Judge(figures),
            $"test accuracy after {s.Epochs} epochs: reshuffled {figures.Reshuffled.Percent()}, one fixed random order {figures.Fixed.Percent()}, sorted by class {figures.Sorted.Percent()}");
        result.Setup.Add($"{Describe.Declaration(ShufflingNet.Descriptor)}, plain SGD η = 0.1, batch {s.BatchSize}, {s.Epochs} epochs on {train.Count:N0} training digits, test accuracy on {test.Count:N0}.");
        result.Setup.Add("Reshuffled: `FitOptions.Shuffle = true` (a new permutation before every epoch, from the fit's seed). Fixed: the digits permuted once (seeded) and presented in that order " +
                         "every epoch (`Shuffle = false`). Sorted: all 0s, then all 1s, …, every epoch.");
        result.Setup.Add($"Seeds {string.Join(", ", context.SeedList)} (initialization, the permutations).");

        var table = new Table("Per presentation order (mean ± std over seeds)", "order", "test accuracy after epoch 1", $"test accuracy after epoch {s.Epochs}", "training loss, last epoch");
        foreach ((string name, List<FitRun> runs) in new[] { ("reshuffled every epoch", reshuffled), ("one random order, kept", fixedOrder), ("sorted by class, kept", sortedOrder) })
        {
            table.Add(name, Summary.Of(runs.Select(r => r.Curve(e => e.ValidationAccuracy, 1)[0])).Percent(), Summary.Of(runs.Select(r => r.FinalValidationAccuracy)).Percent(),
                Summary.Of(runs.Select(r => r.FinalTrainLoss)).Format("F4"));
        }
        result.Tables.Add(table);

        const string file = "e04-shuffling.png";
        double[] epochs = Runs.Epochs(s.Epochs);
        Series Curve(string label, List<FitRun> runs) => new(label, epochs, Runs.MeanCurve(runs.Select(r => r.Curve(e => e.ValidationAccuracy * 100, s.Epochs))),
            Enumerable.Range(0, s.Epochs).Select(e => runs.Min(r => r.Curve(x => x.ValidationAccuracy * 100, s.Epochs)[e])).ToArray(),
            Enumerable.Range(0, s.Epochs).Select(e => runs.Max(r => r.Curve(x => x.ValidationAccuracy * 100, s.Epochs)[e])).ToArray());
        Charts.Save(context.PlotPath(file),
        [
            p => Charts.Lines(p, "Test accuracy", "epoch", "%",
                [Curve("reshuffled", reshuffled), Curve("one fixed order", fixedOrder), Curve("sorted by class", sortedOrder)], integerX: true, legend: ScottPlot.Alignment.LowerRight),
            p => Charts.Lines(p, "Test accuracy (reshuffled and fixed order)", "epoch", "%",
                [Curve("reshuffled", reshuffled), Curve("one fixed order", fixedOrder)], integerX: true, legend: ScottPlot.Alignment.LowerRight),
        ]);
        result.Plots.Add(new PlotFile(file, "Test accuracy per epoch, mean over seeds (band: min–max); right: the two random orders only."));
        result.Notes.Add("A class-sorted order ends every epoch on a long run of 9s, so the last updates pull the network towards predicting 9: the test accuracy after each epoch shows it.");
        return result;

        FitRun Train(Dataset data, bool shuffle, int seed, string label)
        {
            var model = Model<ShufflingNet>.Create(seed);
            FitRun run = Runs.Fit(model, data, new FitOptions
            {
                Epochs = s.Epochs, BatchSize = s.BatchSize, Shuffle = shuffle, Seed = seed, ValidationData = test, TrainingAccuracySamples = 0, Threads = context.Threads,
            }, tracker.Start($"{label}, seed {seed}"), context.Cancellation);
            tracker.Finish();
            return run;
        }
    }
}
