using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 2's MLP with ReLU.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class ActivationReluNet;

/// <summary>… with LeakyReLU (α 0.01).</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.LeakyReLU)]
[Dense(64, Activation.LeakyReLU)]
[Dense(10)]
public partial class ActivationLeakyReluNet;

/// <summary>… with PReLU (α learned per unit, from 0.25).</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.PReLU)]
[Dense(64, Activation.PReLU)]
[Dense(10)]
public partial class ActivationPReluNet;

/// <summary>… with RReLU (random slope in training).</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.RReLU)]
[Dense(64, Activation.RReLU)]
[Dense(10)]
public partial class ActivationRReluNet;

/// <summary>… with ELU.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.ELU)]
[Dense(64, Activation.ELU)]
[Dense(10)]
public partial class ActivationEluNet;

/// <summary>… with SELU (LeCun-normal initialization).</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.SELU)]
[Dense(64, Activation.SELU)]
[Dense(10)]
public partial class ActivationSeluNet;

/// <summary>… with SiLU (swish).</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.SiLU)]
[Dense(64, Activation.SiLU)]
[Dense(10)]
public partial class ActivationSiluNet;

/// <summary>… with GELU (tanh form).</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.GELU)]
[Dense(64, Activation.GELU)]
[Dense(10)]
public partial class ActivationGeluNet;

/// <summary>… with softplus.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.SoftPlus)]
[Dense(64, Activation.SoftPlus)]
[Dense(10)]
public partial class ActivationSoftPlusNet;

/// <summary>… with tanh.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.Tanh)]
[Dense(64, Activation.Tanh)]
[Dense(10)]
public partial class ActivationTanhNet;

/// <summary>… with sigmoid.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(10)]
public partial class ActivationSigmoidNet;

/// <summary>Maxout with two pieces of 32 units per layer: the first layer has the ReLU network's 50,240 weights and biases.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Maxout(32, 2)]
[Maxout(32, 2)]
[Dense(10)]
public partial class ActivationMaxoutNet;

/// <summary>2. Activations: the notes' activation table on one MLP.</summary>
public sealed class Activations : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="Training">Training digits.</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="Epochs">Epochs.</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    /// <param name="Target">The test accuracy whose first epoch is counted.</param>
    public sealed record Settings(int Training, int Test, int Epochs, int BatchSize, double Target);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(60_000, 10_000, 8, 32, 0.97);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(300, 200, 1, 32, 0.97);

    /// <summary>The activations the rule calls the ReLU family.</summary>
    public static IReadOnlyList<string> ReluFamily { get; } = ["ReLU", "LeakyReLU", "PReLU", "RReLU", "ELU", "SELU", "SiLU", "GELU"];

    /// <summary>What the rule looks at.</summary>
    /// <param name="Accuracy">Final test accuracy per activation.</param>
    /// <param name="EpochsToTarget">Mean first epoch reaching the target test accuracy per activation; a seed that never reached it counts as <paramref name="Epochs"/> + 1.</param>
    /// <param name="Epochs">The epochs trained.</param>
    public sealed record Figures(IReadOnlyDictionary<string, Summary> Accuracy, IReadOnlyDictionary<string, double> EpochsToTarget, int Epochs);

    /// <inheritdoc />
    public override int Number => 2;

    /// <inheritdoc />
    public override string Id => "activations";

    /// <inheritdoc />
    public override string Title => "Activations";

    /// <inheritdoc />
    public override string Claim =>
        "ReLU and its relatives train a multilayer network faster and to a better result than sigmoid; Maxout, a learned piecewise-linear activation, is at least as good as ReLU for the same number of parameters.";

    /// <inheritdoc />
    public override string Rule =>
        "Four parts, on the mean over seeds. (a) ReLU's final test accuracy is at least 0.5 points above sigmoid's. (b) ReLU reaches 97 % test accuracy in fewer epochs than sigmoid " +
        "(a seed that never does counts as epochs + 1). (c) Every ReLU-family activation (ReLU, LeakyReLU, PReLU, RReLU, ELU, SELU, SiLU, GELU) ends above sigmoid. " +
        "(d) Maxout ends no more than 0.3 points below ReLU. All four: reproduced; none: not reproduced; otherwise partly.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        Summary relu = f.Accuracy["ReLU"], sigmoid = f.Accuracy["Sigmoid"], maxout = f.Accuracy["Maxout"];
        string[] below = ReluFamily.Where(a => !(f.Accuracy[a].Mean > sigmoid.Mean)).ToArray();
        return ClaimVerdict.FromParts(
            new Part("ReLU ≥ sigmoid + 0.5 points", relu.Mean - sigmoid.Mean >= 0.005, $"{relu.Percent()} vs {sigmoid.Percent()}"),
            new Part("ReLU reaches 97 % sooner than sigmoid", f.EpochsToTarget["ReLU"] < f.EpochsToTarget["Sigmoid"],
                $"epoch {Epochs(f.EpochsToTarget["ReLU"], f.Epochs)} vs {Epochs(f.EpochsToTarget["Sigmoid"], f.Epochs)}"),
            new Part("every ReLU-family activation above sigmoid", below.Length == 0, below.Length == 0 ? "all are" : $"not: {string.Join(", ", below)}"),
            new Part("Maxout ≥ ReLU − 0.3 points", maxout.Mean >= relu.Mean - 0.003, $"{maxout.Percent()} vs {relu.Percent()}"));
    }

    private static string Epochs(double mean, int epochs) => mean > epochs ? $"> {epochs}" : Fmt.Num(mean, "0.#");

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset train = context.Data.Training(s.Training), test = context.Data.Test(s.Test);
        RunTracker tracker = context.Track(12 * context.Seeds);
        var arms = new (string Name, NetworkDescription Description, Func<int, FitRun> Train)[]
        {
            ("ReLU", ActivationReluNet.Descriptor, seed => Train<ActivationReluNet>("ReLU", seed)),
            ("LeakyReLU", ActivationLeakyReluNet.Descriptor, seed => Train<ActivationLeakyReluNet>("LeakyReLU", seed)),
            ("PReLU", ActivationPReluNet.Descriptor, seed => Train<ActivationPReluNet>("PReLU", seed)),
            ("RReLU", ActivationRReluNet.Descriptor, seed => Train<ActivationRReluNet>("RReLU", seed)),
            ("ELU", ActivationEluNet.Descriptor, seed => Train<ActivationEluNet>("ELU", seed)),
            ("SELU", ActivationSeluNet.Descriptor, seed => Train<ActivationSeluNet>("SELU", seed)),
            ("SiLU", ActivationSiluNet.Descriptor, seed => Train<ActivationSiluNet>("SiLU", seed)),
            ("GELU", ActivationGeluNet.Descriptor, seed => Train<ActivationGeluNet>("GELU", seed)),
            ("SoftPlus", ActivationSoftPlusNet.Descriptor, seed => Train<ActivationSoftPlusNet>("SoftPlus", seed)),
            ("Tanh", ActivationTanhNet.Descriptor, seed => Train<ActivationTanhNet>("Tanh", seed)),
            ("Sigmoid", ActivationSigmoidNet.Descriptor, seed => Train<ActivationSigmoidNet>("Sigmoid", seed)),
            ("Maxout", ActivationMaxoutNet.Descriptor, seed => Train<ActivationMaxoutNet>("Maxout", seed)),
        };
        var runs = arms.ToDictionary(a => a.Name, a => context.SeedList.Select(a.Train).ToArray());

        var accuracy = runs.ToDictionary(r => r.Key, r => Summary.Of(r.Value.Select(x => x.FinalValidationAccuracy)));
        var epochsTo = runs.ToDictionary(r => r.Key, r => r.Value.Average(x => (double)(x.FirstEpoch(e => e.ValidationAccuracy >= s.Target) ?? s.Epochs + 1)));
        var figures = new Figures(accuracy, epochsTo, s.Epochs);
        string best = accuracy.MaxBy(a => a.Value.Mean).Key;
        var result = new ExperimentResult(Judge(figures),
            $"test accuracy after {s.Epochs} epochs: ReLU {accuracy["ReLU"].Percent()}, sigmoid {accuracy["Sigmoid"].Percent()}, Maxout {accuracy["Maxout"].Percent()}; best {best} {accuracy[best].Percent()}");

        result.Setup.Add($"One MLP, 784-64-64-10, with each activation on both hidden layers, e.g. {Describe.Declaration(ActivationReluNet.Descriptor)}; " +
                         "each activation's default parameters and the library's default initializer for it (He for the ReLU family, LeCun normal for SELU, Glorot for sigmoid, tanh and softplus).");
        result.Setup.Add($"Maxout at (almost) equal parameter count: {Describe.Declaration(ActivationMaxoutNet.Descriptor)} against ReLU's {ActivationReluNet.ParameterCount:N0} " +
                         "(the first layer is the same size; the second layer reads 32 outputs instead of 64).");
        result.Setup.Add($"Plain SGD η = 0.1, batch {s.BatchSize}, {s.Epochs} epochs on {train.Count:N0} training digits, test accuracy on {test.Count:N0} test digits after every epoch; seeds {string.Join(", ", context.SeedList)}.");

        var table = new Table("Per activation (mean ± std over seeds)", "activation", "parameters", "test accuracy", $"epochs to {s.Target:P0} (seeds reaching it)", "training loss, last epoch", "step time per epoch");
        foreach (var arm in arms)
        {
            FitRun[] r = runs[arm.Name];
            int reached = r.Count(x => x.FirstEpoch(e => e.ValidationAccuracy >= s.Target) is not null);
            double[] reachedAt = r.Select(x => x.FirstEpoch(e => e.ValidationAccuracy >= s.Target)).Where(e => e is not null).Select(e => (double)e!.Value).ToArray();
            table.Add(arm.Name, arm.Description.ParameterCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), accuracy[arm.Name].Percent(),
                reachedAt.Length == 0 ? $"> {s.Epochs} (0/{r.Length})" : $"{Summary.Of(reachedAt).Format("0.0")} ({reached}/{r.Length})",
                Summary.Of(r.Select(x => x.FinalTrainLoss)).Format("F4"),
                Fmt.Time(TimeSpan.FromSeconds(r.SelectMany(x => x.History.Epochs).DefaultIfEmpty().Average(e => e?.StepTime.TotalSeconds ?? double.NaN))));
        }
        result.Tables.Add(table);

        const string barsFile = "e02-test-accuracy.png";
        string[] names = arms.Select(a => a.Name).ToArray();
        double floor = Math.Floor(Math.Max(0, accuracy.Values.Where(v => double.IsFinite(v.Mean)).DefaultIfEmpty().Min(v => v.Mean) * 100 - 1));
        Charts.Save(context.PlotPath(barsFile), p => Charts.Bars(p, $"Test accuracy after {s.Epochs} epochs (mean ± std)", "%", names,
            names.Select(n => accuracy[n].Mean * 100).ToArray(), names.Select(n => accuracy[n].Std * 100).ToArray(), baseline: floor), 900, 480);
        result.Plots.Add(new PlotFile(barsFile, "Final test accuracy per activation, mean ± std over seeds."));

        const string curvesFile = "e02-learning-curves.png";
        double[] epochs = Runs.Epochs(s.Epochs);
        Charts.Save(context.PlotPath(curvesFile), p => Charts.Lines(p, "Test accuracy per epoch (mean over seeds)", "epoch", "%",
            names.Select(n => new Series(n, epochs, Runs.MeanCurve(runs[n].Select(x => x.Curve(e => e.ValidationAccuracy * 100, s.Epochs))))),
            integerX: true, legend: ScottPlot.Alignment.LowerRight), 900, 560);
        result.Plots.Add(new PlotFile(curvesFile, "Test accuracy per epoch, mean over seeds (dashed: the 11th and 12th activations)."));

        foreach (var arm in arms.Where(a => runs[a.Name].Any(r => r.Diverged)))
        {
            result.Notes.Add($"{arm.Name} diverged in {runs[arm.Name].Count(r => r.Diverged)} seed(s) ({string.Join("; ", runs[arm.Name].Where(r => r.Diverged).Select(r => r.DivergedAt))}); its figures count that as NaN.");
        }
        return result;

        FitRun Train<TNet>(string name, int seed) where TNet : class, INetwork<TNet>
        {
            var model = Model<TNet>.Create(seed);
            FitRun run = Runs.Fit(model, train, new FitOptions
            {
                Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = seed, ValidationData = test, TrainingAccuracySamples = 0, Threads = context.Threads,
            }, tracker.Start($"{name}, seed {seed}"), context.Cancellation);
            tracker.Finish();
            return run;
        }
    }
}
