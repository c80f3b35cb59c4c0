using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 10's network: wide, Adam, on few digits, so that the validation loss turns up.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Adam, LearningRate = 0.001f)]
[Dense(256, Activation.ReLU)]
[Dense(10)]
public partial class EarlyStoppingNet;

/// <summary>10. Early stopping: the validation curve, where it stops, and the restored weights against the last ones.</summary>
public sealed class EarlyStopping : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="Training">Training digits, of which the last <paramref name="ValidationSplit"/> are held out.</param>
    /// <param name="ValidationSplit">The held-out fraction.</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="Epochs">The epoch limit.</param>
    /// <param name="Patience">Epochs without improvement of the validation loss before stopping.</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    public sealed record Settings(int Training, double ValidationSplit, int Test, int Epochs, int Patience, int BatchSize);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(5_000, 0.2, 10_000, 40, 5, 32);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(300, 0.2, 200, 3, 1, 32);

    /// <summary>What the rule looks at: test loss and accuracy of three sets of weights.</summary>
    /// <param name="RestoredLoss">The restored (best validation loss) weights.</param>
    /// <param name="StopLoss">The weights at the epoch early stopping stopped at.</param>
    /// <param name="EndLoss">The weights after every epoch, without early stopping.</param>
    /// <param name="RestoredAccuracy">Test accuracy of the restored weights.</param>
    /// <param name="StopAccuracy">… of the weights at the stop.</param>
    /// <param name="EndAccuracy">… after every epoch.</param>
    public sealed record Figures(Summary RestoredLoss, Summary StopLoss, Summary EndLoss, Summary RestoredAccuracy, Summary StopAccuracy, Summary EndAccuracy);

    /// <inheritdoc />
    public override int Number => 10;

    /// <inheritdoc />
    public override string Id => "early-stopping";

    /// <inheritdoc />
    public override string Title => "Early stopping";

    /// <inheritdoc />
    public override string Claim =>
        "Stop training when the validation loss stops improving and keep the best epoch's weights: they do better on unseen data than the weights training ends with.";

    /// <inheritdoc />
    public override string Rule =>
        "Two parts, on the means over seeds. (a) The restored weights have a lower test loss than both the weights at the stopping epoch and the weights after all epochs without early stopping. " +
        "(b) Their test accuracy is no more than 0.1 points below either. Both: reproduced; neither: not reproduced; one: partly.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return ClaimVerdict.FromParts(
            new Part("restored weights have the lowest test loss", f.RestoredLoss.Mean < f.StopLoss.Mean && f.RestoredLoss.Mean < f.EndLoss.Mean,
                $"{f.RestoredLoss.Format("F4")} vs {f.StopLoss.Format("F4")} at the stop and {f.EndLoss.Format("F4")} at the end"),
            new Part("and no worse test accuracy (−0.1 points at most)", f.RestoredAccuracy.Mean >= f.StopAccuracy.Mean - 0.001 && f.RestoredAccuracy.Mean >= f.EndAccuracy.Mean - 0.001,
                $"{f.RestoredAccuracy.Percent()} vs {f.StopAccuracy.Percent()} and {f.EndAccuracy.Percent()}"));
    }

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset data = context.Data.Training(s.Training), test = context.Data.Test(s.Test);
        RunTracker tracker = context.Track(2 * context.Seeds);
        var measured = context.SeedList.Select(Measure).ToArray();

        var figures = new Figures(
            Summary.Of(measured.Select(m => m.Restored.Loss)), Summary.Of(measured.Select(m => m.TestLoss[m.StopEpoch - 1])), Summary.Of(measured.Select(m => m.TestLoss[^1])),
            Summary.Of(measured.Select(m => m.Restored.Accuracy ?? double.NaN)), Summary.Of(measured.Select(m => m.TestAccuracy[m.StopEpoch - 1])),
            Summary.Of(measured.Select(m => m.TestAccuracy[^1])));
        var result = new ExperimentResult(Judge(figures),
            $"stopped at epoch {Summary.Of(measured.Select(m => (double)m.StopEpoch)).Format("0.#")}, best {Summary.Of(measured.Select(m => (double)m.BestEpoch)).Format("0.#")}; " +
            $"test loss restored {figures.RestoredLoss.Format("F4")} vs at the stop {figures.StopLoss.Format("F4")} vs after {s.Epochs} epochs {figures.EndLoss.Format("F4")}; " +
            $"accuracy {figures.RestoredAccuracy.Percent()} / {figures.StopAccuracy.Percent()} / {figures.EndAccuracy.Percent()}");
        int validation = data.Count - (int)(data.Count * (1 - s.ValidationSplit));
        result.Setup.Add($"{Describe.Declaration(EarlyStoppingNet.Descriptor)}, Adam η = 0.001, batch {s.BatchSize}, on the first {data.Count:N0} training digits of which the last {validation:N0} " +
                         $"are held out for validation (`ValidationSplit = {s.ValidationSplit}`).");
        result.Setup.Add($"Early stopping: `EarlyStopping {{ Monitor = ValidationLoss, Patience = {s.Patience}, RestoreBestWeights = true }}`, at most {s.Epochs} epochs. " +
                         $"The same seeds without early stopping run all {s.Epochs} epochs and give the test curve (the two fits are identical up to the stop, which the lab checks).");
        result.Setup.Add($"Test loss and accuracy on {test.Count:N0} test digits: of the restored weights (evaluated after the fit), of the weights at the stopping epoch and after all epochs " +
                         $"(from the test curve). Seeds {string.Join(", ", context.SeedList)}.");

        var table = new Table("Per seed", "seed", "best epoch", "stopped after epoch", "test loss: restored / at the stop / at the end", "test accuracy: restored / at the stop / at the end");
        foreach (Measurement m in measured)
        {
            table.Add(m.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), m.BestEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                m.StopEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{Fmt.Num(m.Restored.Loss, "F4")} / {Fmt.Num(m.TestLoss[m.StopEpoch - 1], "F4")} / {Fmt.Num(m.TestLoss[^1], "F4")}",
                $"{Fmt.Percent(m.Restored.Accuracy ?? double.NaN)} / {Fmt.Percent(m.TestAccuracy[m.StopEpoch - 1])} / {Fmt.Percent(m.TestAccuracy[^1])}");
        }
        table.Add("mean ± std", Summary.Of(measured.Select(m => (double)m.BestEpoch)).Format("0.#"), Summary.Of(measured.Select(m => (double)m.StopEpoch)).Format("0.#"),
            $"{figures.RestoredLoss.Format("F4")} / {figures.StopLoss.Format("F4")} / {figures.EndLoss.Format("F4")}",
            $"{figures.RestoredAccuracy.Percent()} / {figures.StopAccuracy.Percent()} / {figures.EndAccuracy.Percent()}");
        result.Tables.Add(table);

        const string file = "e10-early-stopping.png";
        double[] epochs = Runs.Epochs(s.Epochs);
        Measurement first = measured[0];
        Charts.Save(context.PlotPath(file),
        [
            p =>
            {
                Charts.Lines(p, $"Losses, seed {first.Seed}", "epoch", "cross-entropy",
                [
                    new Series("training (mean mini-batch)", epochs, first.Full.Curve(e => e.TrainLoss, s.Epochs)),
                    new Series("validation", epochs, first.Full.Curve(e => e.ValidationLoss, s.Epochs)),
                    new Series("test", epochs, first.TestLoss),
                ], integerX: true, legend: ScottPlot.Alignment.UpperCenter);
                Charts.Marker(p, first.BestEpoch, $"best (epoch {first.BestEpoch})", 2);
                Charts.Marker(p, first.StopEpoch, $"stopped (epoch {first.StopEpoch})", 3);
            },
            p =>
            {
                Charts.Lines(p, $"Test accuracy, seed {first.Seed}", "epoch", "%",
                    [new Series("test", epochs, first.TestAccuracy.Select(a => a * 100).ToArray())], integerX: true, legend: ScottPlot.Alignment.LowerRight);
                Charts.Marker(p, first.BestEpoch, $"best (epoch {first.BestEpoch})", 2);
                Charts.Marker(p, first.StopEpoch, $"stopped (epoch {first.StopEpoch})", 3);
            },
        ]);
        result.Plots.Add(new PlotFile(file, $"The validation curve and the test curve of seed {first.Seed} over all {s.Epochs} epochs, with the epoch early stopping kept and the one it stopped at."));
        int mismatches = measured.Count(m => !m.Consistent);
        result.Notes.Add(mismatches == 0
            ? "Self-check passed: in every seed the early-stopped fit and the full fit recorded the same validation losses up to the stop, and the restored weights evaluate on the test set to the test curve's value at the best epoch."
            : $"Self-check FAILED in {mismatches} seed(s): the early-stopped and the full fit differ before the stop, or the restored weights do not match the best epoch.");
        return result;

        Measurement Measure(int seed)
        {
            // All epochs, recording the test loss and accuracy after each.
            var full = Model<EarlyStoppingNet>.Create(seed);
            var testLoss = new List<double>();
            var testAccuracy = new List<double>();
            var hook = new EpochHook(tracker.Start($"all {s.Epochs} epochs, seed {seed}"), _ =>
            {
                var r = full.Evaluate(test);
                testLoss.Add(r.Loss);
                testAccuracy.Add(r.Accuracy ?? double.NaN);
            });
            FitRun all = Runs.Fit(full, data, new FitOptions
            {
                Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = seed, ValidationSplit = s.ValidationSplit, TrainingAccuracySamples = 0, Threads = context.Threads,
            }, hook, context.Cancellation);
            tracker.Finish();

            // The same fit with early stopping.
            var stopped = Model<EarlyStoppingNet>.Create(seed);
            FitRun early = Runs.Fit(stopped, data, new FitOptions
            {
                Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = seed, ValidationSplit = s.ValidationSplit, TrainingAccuracySamples = 0, Threads = context.Threads,
                EarlyStopping = new StaticNet.Training.EarlyStopping { Monitor = MonitoredQuantity.ValidationLoss, Patience = s.Patience, RestoreBestWeights = true },
            }, tracker.Start($"early stopping, seed {seed}"), context.Cancellation);
            tracker.Finish();
            var restored = stopped.Evaluate(test);
            int stop = early.History.Epochs.Count, best = early.History.WeightsEpoch;
            bool consistent = Enumerable.Range(0, stop).All(e => e < all.History.Epochs.Count && early.History.Epochs[e].ValidationLoss == all.History.Epochs[e].ValidationLoss)
                              && best >= 1 && best <= testLoss.Count && Math.Abs(restored.Loss - testLoss[best - 1]) < 1e-9;
            return new Measurement(seed, all, testLoss.ToArray(), testAccuracy.ToArray(), best, stop, restored, consistent);
        }
    }

    private sealed record Measurement(int Seed, FitRun Full, double[] TestLoss, double[] TestAccuracy, int BestEpoch, int StopEpoch, StaticNet.Metrics.EvaluationResult Restored, bool Consistent);
}
