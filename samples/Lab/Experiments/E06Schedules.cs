using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 6's network.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class ScheduleNet;

/// <summary>6. Learning-rate schedules: constant against step, exponential and 1/t decay.</summary>
public sealed class Schedules : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="Training">Training digits.</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="Epochs">Epochs.</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    /// <param name="InitialRate">η₀ of every schedule.</param>
    public sealed record Settings(int Training, int Test, int Epochs, int BatchSize, double InitialRate);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(60_000, 10_000, 8, 32, 0.1);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(300, 200, 2, 32, 0.1);

    /// <summary>What the rule looks at, per schedule (the constant one under "constant").</summary>
    /// <param name="TestAccuracy">Final test accuracy.</param>
    /// <param name="TrainLoss">Mean training mini-batch loss of the last epoch.</param>
    public sealed record Figures(IReadOnlyDictionary<string, Summary> TestAccuracy, IReadOnlyDictionary<string, Summary> TrainLoss);

    /// <inheritdoc />
    public override int Number => 6;

    /// <inheritdoc />
    public override string Id => "lr-schedules";

    /// <inheritdoc />
    public override string Title => "Learning-rate schedules";

    /// <inheritdoc />
    public override string Claim =>
        "Large steps while far from a minimum and small ones near it: decaying the learning rate over the epochs ends better than keeping it constant.";

    /// <inheritdoc />
    public override string Rule =>
        "A decaying schedule \"ends better\" when its mean final test accuracy is higher and its mean last-epoch training loss lower than the constant rate's. " +
        "All three decays (step, exponential, 1/t) end better: reproduced; one or two: partly; none: not reproduced.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        Summary acc = f.TestAccuracy["constant"], loss = f.TrainLoss["constant"];
        string[] decays = f.TestAccuracy.Keys.Where(k => k != "constant").ToArray();
        return ClaimVerdict.FromParts(decays.Select(d => new Part($"{d} ends better than constant",
            f.TestAccuracy[d].Mean > acc.Mean && f.TrainLoss[d].Mean < loss.Mean,
            $"test {f.TestAccuracy[d].Percent()} vs {acc.Percent()}, training loss {Fmt.Num(f.TrainLoss[d].Mean, "F4")} vs {Fmt.Num(loss.Mean, "F4")}")).ToArray());
    }

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset train = context.Data.Training(s.Training), test = context.Data.Test(s.Test);
        double eta = s.InitialRate;
        var schedules = new (string Name, LearningRateSchedule Schedule)[]
        {
            ("constant", LearningRateSchedule.Constant(eta)),
            ("step", LearningRateSchedule.StepDecay(eta, 0.5, 2)),
            ("exponential", LearningRateSchedule.Exponential(eta, 0.25)),
            ("1/t", LearningRateSchedule.InverseTime(eta, 0.5)),
        };
        RunTracker tracker = context.Track(schedules.Length * context.Seeds);
        var runs = schedules.ToDictionary(x => x.Name, x => context.SeedList.Select(seed =>
        {
            var model = Model<ScheduleNet>.Create(seed);
            FitRun run = Runs.Fit(model, train, new FitOptions
            {
                Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = seed, ValidationData = test, TrainingAccuracySamples = 0, Schedule = x.Schedule, Threads = context.Threads,
            }, tracker.Start($"{x.Name}, seed {seed}"), context.Cancellation);
            tracker.Finish();
            return run;
        }).ToArray());

        var figures = new Figures(
            runs.ToDictionary(r => r.Key, r => Summary.Of(r.Value.Select(x => x.FinalValidationAccuracy))),
            runs.ToDictionary(r => r.Key, r => Summary.Of(r.Value.Select(x => x.FinalTrainLoss))));
        var result = new ExperimentResult(Judge(figures),
            "test accuracy after " + s.Epochs + " epochs: " + string.Join(", ", schedules.Select(x => $"{x.Name} {figures.TestAccuracy[x.Name].Percent()}")));
        result.Setup.Add($"{Describe.Declaration(ScheduleNet.Descriptor)}, plain SGD, batch {s.BatchSize}, {s.Epochs} epochs on {train.Count:N0} training digits, test accuracy on {test.Count:N0}.");
        result.Setup.Add("Schedules (`FitOptions.Schedule`, per epoch t from 0): " + string.Join("; ", schedules.Select(x => $"{x.Name}: {x.Schedule}")) + ".");
        result.Setup.Add($"Seeds {string.Join(", ", context.SeedList)} (initialization and shuffling; the same for every schedule).");

        var table = new Table("Per schedule (mean ± std over seeds)", "schedule", "η in the last epoch", "training loss, last epoch", "test accuracy", "test loss");
        foreach (var x in schedules)
        {
            FitRun[] r = runs[x.Name];
            table.Add(x.Name, Fmt.Num(r[0].History.Epochs.Count > 0 ? r[0].History.Epochs[^1].LearningRate : double.NaN, "G3"), figures.TrainLoss[x.Name].Format("F4"),
                figures.TestAccuracy[x.Name].Percent(), Summary.Of(r.Select(y => y.Final?.ValidationLoss ?? double.NaN)).Format("F4"));
        }
        result.Tables.Add(table);

        const string file = "e06-schedules.png";
        double[] epochs = Runs.Epochs(s.Epochs);
        IEnumerable<Series> Curves(Func<EpochRecord, double?> pick) => schedules.Select(x => new Series(x.Name, epochs, Runs.MeanCurve(runs[x.Name].Select(r => r.Curve(pick, s.Epochs)))));
        Charts.Save(context.PlotPath(file),
        [
            p => Charts.Lines(p, "Learning rate", "epoch", "η (log scale)", Curves(e => e.LearningRate), logY: true, integerX: true),
            p => Charts.Lines(p, "Training loss", "epoch", "mean mini-batch cross-entropy (log scale)", Curves(e => e.TrainLoss), logY: true, integerX: true),
            p => Charts.Lines(p, "Test accuracy", "epoch", "%", Curves(e => e.ValidationAccuracy * 100), integerX: true, legend: ScottPlot.Alignment.LowerRight),
        ], 520, 420);
        result.Plots.Add(new PlotFile(file, "The schedules, the training loss and the test accuracy per epoch (mean over seeds)."));
        return result;
    }
}
