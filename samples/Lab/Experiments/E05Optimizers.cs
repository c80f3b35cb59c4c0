using System.Globalization;
using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 5's network with plain SGD.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class OptimizerSgdNet;

/// <summary>… with the notes' momentum.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Momentum)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class OptimizerMomentumNet;

/// <summary>… with Nesterov momentum.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Nesterov)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class OptimizerNesterovNet;

/// <summary>… with PyTorch's Adagrad.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Adagrad)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class OptimizerAdagradNet;

/// <summary>… with the notes' Adagrad.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Adagrad, NotesForm = true)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class OptimizerAdagradNotesNet;

/// <summary>… with RMSProp.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.RMSProp)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class OptimizerRmsPropNet;

/// <summary>… with the notes' RMSProp.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.RMSProp, NotesForm = true)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class OptimizerRmsPropNotesNet;

/// <summary>… with Adam.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Adam)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class OptimizerAdamNet;

/// <summary>… with AdamW (decoupled weight decay 0.01).</summary>
[Network(Inputs = 784, Optimizer = Optimizer.AdamW)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class OptimizerAdamWNet;

/// <summary>5. Optimizers: learning curves at each optimizer's best rate, and a learning-rate sweep.</summary>
public sealed class Optimizers : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="Training">Training digits.</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="Epochs">Epochs of the main comparison.</param>
    /// <param name="SweepEpochs">Epochs per rate of the sweep (one seed).</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    /// <param name="Rates">The swept learning rates.</param>
    /// <param name="TargetLoss">The training loss whose first epoch is counted.</param>
    /// <param name="WorkingAccuracy">A swept rate "works" when its test accuracy reaches this.</param>
    public sealed record Settings(int Training, int Test, int Epochs, int SweepEpochs, int BatchSize, double[] Rates, double TargetLoss, double WorkingAccuracy);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(20_000, 10_000, 10, 3, 32, [1e-4, 1e-3, 1e-2, 1e-1, 1], 0.1, 0.90);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(300, 200, 1, 1, 32, [1e-3, 1e-1], 0.1, 0.90);

    /// <summary>The optimizers, in the order of the report.</summary>
    public static IReadOnlyList<string> Names { get; } = ["SGD", "Momentum", "Nesterov", "Adagrad", "Adagrad (notes)", "RMSProp", "RMSProp (notes)", "Adam", "AdamW"];

    /// <summary>What the rule looks at.</summary>
    /// <param name="EpochsToTarget">Mean first epoch at which the training loss is at most the target, per optimizer (a seed that never reaches it counts as <paramref name="Epochs"/> + 1).</param>
    /// <param name="WorkingRates">Per optimizer, how many of the swept rates reach the working accuracy.</param>
    /// <param name="Epochs">The epochs of the main comparison.</param>
    public sealed record Figures(IReadOnlyDictionary<string, double> EpochsToTarget, IReadOnlyDictionary<string, int> WorkingRates, int Epochs);

    /// <inheritdoc />
    public override int Number => 5;

    /// <inheritdoc />
    public override string Id => "optimizers";

    /// <inheritdoc />
    public override string Title => "Optimizers";

    /// <inheritdoc />
    public override string Claim =>
        "Momentum and the adaptive optimizers (Adagrad, RMSProp, Adam) bring the training loss down in fewer epochs than plain SGD, and the adaptive ones depend less on the choice of learning rate.";

    /// <inheritdoc />
    public override string Rule =>
        "Each optimizer runs at the rate of the sweep that left the lowest training loss. Three parts, on the mean over seeds. " +
        "(a) Adam reaches the target training loss (0.1) in fewer epochs than SGD; (b) so does Momentum (a seed that never reaches it counts as epochs + 1). " +
        "(c) Adagrad, RMSProp and Adam each reach 90 % test accuracy at at least as many of the swept rates as SGD. " +
        "All three: reproduced; none: not reproduced; otherwise partly.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        string[] adaptive = ["Adagrad", "RMSProp", "Adam"];
        string[] narrower = adaptive.Where(a => f.WorkingRates[a] < f.WorkingRates["SGD"]).ToArray();
        return ClaimVerdict.FromParts(
            new Part("Adam reaches the target loss sooner than SGD", f.EpochsToTarget["Adam"] < f.EpochsToTarget["SGD"],
                $"epoch {Epochs(f.EpochsToTarget["Adam"], f.Epochs)} vs {Epochs(f.EpochsToTarget["SGD"], f.Epochs)}"),
            new Part("Momentum reaches it sooner than SGD", f.EpochsToTarget["Momentum"] < f.EpochsToTarget["SGD"],
                $"epoch {Epochs(f.EpochsToTarget["Momentum"], f.Epochs)} vs {Epochs(f.EpochsToTarget["SGD"], f.Epochs)}"),
            new Part("adaptive optimizers work at as many rates as SGD", narrower.Length == 0,
                $"working rates: SGD {f.WorkingRates["SGD"]}, " + string.Join(", ", adaptive.Select(a => $"{a} {f.WorkingRates[a]}"))));
    }

    private static string Epochs(double mean, int epochs) => mean > epochs ? $"> {epochs}" : Fmt.Num(mean, "0.#");

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset train = context.Data.Training(s.Training), test = context.Data.Test(s.Test);
        RunTracker tracker = context.Track(Names.Count * (s.Rates.Length + context.Seeds));
        var arms = new (string Name, NetworkDescription Description, string Extra, Func<int, double, int, string, FitRun> Train)[]
        {
            ("SGD", OptimizerSgdNet.Descriptor, "", Train<OptimizerSgdNet>),
            ("Momentum", OptimizerMomentumNet.Descriptor, "", Train<OptimizerMomentumNet>),
            ("Nesterov", OptimizerNesterovNet.Descriptor, "", Train<OptimizerNesterovNet>),
            ("Adagrad", OptimizerAdagradNet.Descriptor, "", Train<OptimizerAdagradNet>),
            ("Adagrad (notes)", OptimizerAdagradNotesNet.Descriptor, "NotesForm = true", Train<OptimizerAdagradNotesNet>),
            ("RMSProp", OptimizerRmsPropNet.Descriptor, "", Train<OptimizerRmsPropNet>),
            ("RMSProp (notes)", OptimizerRmsPropNotesNet.Descriptor, "NotesForm = true", Train<OptimizerRmsPropNotesNet>),
            ("Adam", OptimizerAdamNet.Descriptor, "", Train<OptimizerAdamNet>),
            ("AdamW", OptimizerAdamWNet.Descriptor, "", Train<OptimizerAdamWNet>),
        };

        // The sweep: one seed, a few epochs per rate.
        var sweep = arms.ToDictionary(a => a.Name, a => s.Rates.Select(rate => a.Train(1, rate, s.SweepEpochs, $"{a.Name} sweep η {Fmt.Num(rate, "G2")}")).ToArray());
        var bestRate = arms.ToDictionary(a => a.Name, a =>
        {
            FitRun[] runs = sweep[a.Name];
            int best = Enumerable.Range(0, s.Rates.Length).MinBy(i => runs[i].Diverged || double.IsNaN(runs[i].FinalTrainLoss) ? double.PositiveInfinity : runs[i].FinalTrainLoss);
            return s.Rates[best];
        });
        var working = arms.ToDictionary(a => a.Name, a => sweep[a.Name].Count(r => r.FinalValidationAccuracy >= s.WorkingAccuracy));

        // The comparison: every seed at the best rate.
        var main = arms.ToDictionary(a => a.Name, a => context.SeedList.Select(seed => a.Train(seed, bestRate[a.Name], s.Epochs, $"{a.Name} η {Fmt.Num(bestRate[a.Name], "G2")}, seed {seed}")).ToArray());
        var epochsTo = main.ToDictionary(m => m.Key, m => m.Value.Average(r => (double)(r.FirstEpoch(e => e.TrainLoss <= s.TargetLoss) ?? s.Epochs + 1)));
        var figures = new Figures(epochsTo, working, s.Epochs);
        Summary Accuracy(string name) => Summary.Of(main[name].Select(r => r.FinalValidationAccuracy));
        var result = new ExperimentResult(Judge(figures),
            $"epochs to training loss {s.TargetLoss}: SGD {Epochs(epochsTo["SGD"], s.Epochs)}, Momentum {Epochs(epochsTo["Momentum"], s.Epochs)}, Adam {Epochs(epochsTo["Adam"], s.Epochs)}; " +
            $"rates (of {s.Rates.Length}) reaching {s.WorkingAccuracy:P0}: SGD {working["SGD"]}, Adam {working["Adam"]}");

        result.Setup.Add($"One network per optimizer, the same shape: {Describe.Declaration(OptimizerSgdNet.Descriptor)} with `Optimizer =` each of {string.Join(", ", Names)} " +
                         "(the notes' forms of Adagrad and RMSProp declare `NotesForm = true`); every other hyperparameter at its default (momentum 0.9, RMSProp α 0.9, Adam β 0.9/0.999, AdamW decay 0.01).");
        result.Setup.Add($"Sweep: η ∈ {{{string.Join(", ", s.Rates.Select(r => Fmt.Num(r, "G2")))}}} set at run time (`net.LearningRate`), {s.SweepEpochs} epochs each, seed 1; " +
                         $"the rate with the lowest final training loss is the optimizer's rate for the comparison.");
        result.Setup.Add($"Comparison: batch {s.BatchSize}, {s.Epochs} epochs on {train.Count:N0} training digits (the first ones: a subset to fit 9 optimizers × {s.Rates.Length} rates in the budget), " +
                         $"test accuracy on {test.Count:N0}; seeds {string.Join(", ", context.SeedList)}.");

        var table = new Table($"At each optimizer's best swept rate (mean ± std over seeds)", "optimizer", "η", $"epochs to training loss {s.TargetLoss}", "training loss, last epoch", "test accuracy");
        foreach (var arm in arms)
        {
            table.Add(arm.Name, Fmt.Num(bestRate[arm.Name], "G2"), $"{Epochs(epochsTo[arm.Name], s.Epochs)} ({main[arm.Name].Count(r => r.FirstEpoch(e => e.TrainLoss <= s.TargetLoss) is not null)}/{main[arm.Name].Length} seeds)",
                Summary.Of(main[arm.Name].Select(r => r.FinalTrainLoss)).Format("F4"), Accuracy(arm.Name).Percent());
        }
        result.Tables.Add(table);
        var sweepTable = new Table($"Sweep: test accuracy after {s.SweepEpochs} epochs per learning rate (seed 1)", ["optimizer", .. s.Rates.Select(r => $"η {Fmt.Num(r, "G2")}"), $"rates ≥ {s.WorkingAccuracy:P0}"]);
        foreach (var arm in arms)
        {
            sweepTable.Add([arm.Name, .. sweep[arm.Name].Select(r => r.Diverged ? "diverged" : Fmt.Percent(r.FinalValidationAccuracy)), working[arm.Name].ToString(CultureInfo.InvariantCulture)]);
        }
        result.Tables.Add(sweepTable);

        const string curvesFile = "e05-learning-curves.png";
        double[] epochs = Runs.Epochs(s.Epochs);
        Charts.Save(context.PlotPath(curvesFile), p => Charts.Lines(p, "Training loss at each optimizer's best rate (mean over seeds)", "epoch", "mean mini-batch cross-entropy (log scale)",
            arms.Select(a => new Series($"{a.Name} (η {Fmt.Num(bestRate[a.Name], "G2")})", epochs, Runs.MeanCurve(main[a.Name].Select(r => r.Curve(e => e.TrainLoss, s.Epochs))))),
            logY: true, integerX: true), 900, 560);
        result.Plots.Add(new PlotFile(curvesFile, "Learning curves of all optimizers in one plot, each at its best swept rate."));
        const string sweepFile = "e05-learning-rate-sweep.png";
        Charts.Save(context.PlotPath(sweepFile), p => Charts.Lines(p, $"Test accuracy after {s.SweepEpochs} epochs against the learning rate", "η (log scale)", "%",
            arms.Select(a => new Series(a.Name, s.Rates, sweep[a.Name].Select(r => r.FinalValidationAccuracy * 100).ToArray())), logX: true, legend: ScottPlot.Alignment.LowerLeft), 900, 560);
        result.Plots.Add(new PlotFile(sweepFile, "Learning-rate sensitivity: test accuracy per swept rate (a missing point diverged)."));
        return result;

        FitRun Train<TNet>(int seed, double rate, int epochs, string label) where TNet : class, INetwork<TNet>
        {
            var model = Model<TNet>.Create(seed);
            model.Network.LearningRate = (float)rate;
            FitRun run = Runs.Fit(model, train, new FitOptions
            {
                Epochs = epochs, BatchSize = s.BatchSize, Seed = seed, ValidationData = test, TrainingAccuracySamples = 0, Threads = context.Threads,
            }, tracker.Start(label), context.Cancellation);
            tracker.Finish();
            return run;
        }
    }
}
