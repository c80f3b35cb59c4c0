using StaticNet.Metrics;
using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 9, overfitting regime: no dropout.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(256, Activation.ReLU)]
[Dense(10)]
public partial class DropoutNoneNet;

/// <summary>… hidden dropout 0.2.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(256, Activation.ReLU, Dropout = 0.2f)]
[Dense(10)]
public partial class DropoutHidden02Net;

/// <summary>… hidden dropout 0.5.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(256, Activation.ReLU, Dropout = 0.5f)]
[Dense(10)]
public partial class DropoutHidden05Net;

/// <summary>… input dropout 0.2 and hidden dropout 0.5 (inverted dropout).</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, InputDropout = 0.2f)]
[Dense(256, Activation.ReLU, Dropout = 0.5f)]
[Dense(10)]
public partial class DropoutInputHiddenNet;

/// <summary>… the same rates in the notes' form (no scaling in training, weights × (1 − p) at test time).</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, InputDropout = 0.2f, DropoutForm = DropoutForm.Notes)]
[Dense(256, Activation.ReLU, Dropout = 0.5f)]
[Dense(10)]
public partial class DropoutNotesFormNet;

/// <summary>Experiment 9, no-overfitting regime: a small network on all the digits, no dropout.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(32, Activation.ReLU)]
[Dense(10)]
public partial class DropoutSmallNoneNet;

/// <summary>… hidden dropout 0.2.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(32, Activation.ReLU, Dropout = 0.2f)]
[Dense(10)]
public partial class DropoutSmallHidden02Net;

/// <summary>… hidden dropout 0.5.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(32, Activation.ReLU, Dropout = 0.5f)]
[Dense(10)]
public partial class DropoutSmallHidden05Net;

/// <summary>9. Dropout: training against test accuracy with and without overfitting; the notes' form against inverted dropout.</summary>
public sealed class Dropout : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="OverfitTraining">Training digits of the overfitting regime.</param>
    /// <param name="OverfitEpochs">Its epochs.</param>
    /// <param name="FitTraining">Training digits of the regime without overfitting.</param>
    /// <param name="FitEpochs">Its epochs.</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    public sealed record Settings(int OverfitTraining, int OverfitEpochs, int FitTraining, int FitEpochs, int Test, int BatchSize);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(2_000, 40, 60_000, 5, 10_000, 32);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(200, 2, 300, 1, 200, 32);

    /// <summary>What the rule looks at.</summary>
    /// <param name="OverfitTrain">Overfitting regime: training accuracy (inference mode, all training digits) per arm ("none" first).</param>
    /// <param name="OverfitTest">Its test accuracy per arm.</param>
    /// <param name="FitTrain">Regime without overfitting: training accuracy per arm.</param>
    /// <param name="FitTest">Its test accuracy per arm.</param>
    /// <param name="Agreement">The notes' form moved into the inverted network (weights × (1 − p)): the fraction of test digits classified alike, worst seed.</param>
    /// <param name="MaxDifference">The largest |Δ probability| between the two, worst seed.</param>
    public sealed record Figures(IReadOnlyDictionary<string, Summary> OverfitTrain, IReadOnlyDictionary<string, Summary> OverfitTest,
        IReadOnlyDictionary<string, Summary> FitTrain, IReadOnlyDictionary<string, Summary> FitTest, double Agreement, double MaxDifference);

    /// <inheritdoc />
    public override int Number => 9;

    /// <inheritdoc />
    public override string Id => "dropout";

    /// <inheritdoc />
    public override string Title => "Dropout";

    /// <inheritdoc />
    public override string Claim =>
        "Dropout lowers the training accuracy and raises the test accuracy only when the network overfits; " +
        "scaling the weights by (1 − p) at test time (the notes) and scaling the kept units by 1/(1 − p) in training (inverted dropout) give the same predictions.";

    /// <inheritdoc />
    public override string Rule =>
        "Four parts, on the means over seeds. (a) In both regimes every dropout arm has a lower training accuracy than no dropout. " +
        "(b) Overfitting regime: the best dropout arm's test accuracy is at least 0.3 points above no dropout. " +
        "(c) Regime without overfitting: no dropout arm's test accuracy is more than 0.1 points above no dropout. " +
        "(d) A network trained in the notes' form, its parameters moved into the inverted-dropout network with each weight that reads a dropped layer multiplied by (1 − p), " +
        "classifies at least 99.9 % of the test digits alike, with no probability differing by more than 1e-4. All four: reproduced; none: not reproduced; otherwise partly.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        string[] overfitArms = f.OverfitTrain.Keys.Where(k => k != "none").ToArray();
        string[] fitArms = f.FitTrain.Keys.Where(k => k != "none").ToArray();
        string[] notLower = overfitArms.Where(a => !(f.OverfitTrain[a].Mean < f.OverfitTrain["none"].Mean)).Select(a => $"{a} (overfitting)")
            .Concat(fitArms.Where(a => !(f.FitTrain[a].Mean < f.FitTrain["none"].Mean)).Select(a => $"{a} (no overfitting)")).ToArray();
        string bestOverfit = overfitArms.MaxBy(a => f.OverfitTest[a].Mean)!;
        string bestFit = fitArms.MaxBy(a => f.FitTest[a].Mean)!;
        return ClaimVerdict.FromParts(
            new Part("dropout lowers the training accuracy", notLower.Length == 0,
                notLower.Length == 0 ? $"overfitting: none {f.OverfitTrain["none"].Percent()}, {bestOverfit} {f.OverfitTrain[bestOverfit].Percent()}" : $"not lower: {string.Join(", ", notLower)}"),
            new Part("helps the test accuracy when overfitting (≥ +0.3 points)", f.OverfitTest[bestOverfit].Mean - f.OverfitTest["none"].Mean >= 0.003,
                $"{bestOverfit} {f.OverfitTest[bestOverfit].Percent()} vs none {f.OverfitTest["none"].Percent()}"),
            new Part("does not help without overfitting (≤ +0.1 points)", f.FitTest[bestFit].Mean - f.FitTest["none"].Mean <= 0.001,
                $"best {bestFit} {f.FitTest[bestFit].Percent()} vs none {f.FitTest["none"].Percent()}"),
            new Part("the notes' form and inverted dropout predict alike", f.Agreement >= 0.999 && f.MaxDifference <= 1e-4,
                $"{Fmt.Percent(f.Agreement, 2)} of test digits alike, max |Δp| {Fmt.Sci(f.MaxDifference, 2)}"));
    }

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset overfitTrain = context.Data.Training(s.OverfitTraining), fitTrain = context.Data.Training(s.FitTraining), test = context.Data.Test(s.Test);
        RunTracker tracker = context.Track(context.Seeds * 8);
        var overfitArms = new (string Name, NetworkDescription Description, Func<int, Measurement> Train)[]
        {
            ("none", DropoutNoneNet.Descriptor, seed => Train<DropoutNoneNet>(overfitTrain, s.OverfitEpochs, seed, "overfitting, none")),
            ("hidden 0.2", DropoutHidden02Net.Descriptor, seed => Train<DropoutHidden02Net>(overfitTrain, s.OverfitEpochs, seed, "overfitting, hidden 0.2")),
            ("hidden 0.5", DropoutHidden05Net.Descriptor, seed => Train<DropoutHidden05Net>(overfitTrain, s.OverfitEpochs, seed, "overfitting, hidden 0.5")),
            ("input 0.2 + hidden 0.5", DropoutInputHiddenNet.Descriptor, seed => Train<DropoutInputHiddenNet>(overfitTrain, s.OverfitEpochs, seed, "overfitting, input 0.2 + hidden 0.5")),
        };
        var fitArms = new (string Name, NetworkDescription Description, Func<int, Measurement> Train)[]
        {
            ("none", DropoutSmallNoneNet.Descriptor, seed => Train<DropoutSmallNoneNet>(fitTrain, s.FitEpochs, seed, "no overfitting, none")),
            ("hidden 0.2", DropoutSmallHidden02Net.Descriptor, seed => Train<DropoutSmallHidden02Net>(fitTrain, s.FitEpochs, seed, "no overfitting, hidden 0.2")),
            ("hidden 0.5", DropoutSmallHidden05Net.Descriptor, seed => Train<DropoutSmallHidden05Net>(fitTrain, s.FitEpochs, seed, "no overfitting, hidden 0.5")),
        };
        var overfit = overfitArms.ToDictionary(a => a.Name, a => context.SeedList.Select(a.Train).ToArray());
        var fit = fitArms.ToDictionary(a => a.Name, a => context.SeedList.Select(a.Train).ToArray());

        // The notes' form, trained with the same seeds, then moved into the inverted network.
        var notes = new List<Measurement>();
        var agreement = new List<double>();
        var difference = new List<double>();
        foreach (int seed in context.SeedList)
        {
            notes.Add(Train<DropoutNotesFormNet>(overfitTrain, s.OverfitEpochs, seed, "notes' form", keep: true));
            var notesNet = (DropoutNotesFormNet)notes[^1].Network!;
            var inverted = DropoutInputHiddenNet.Create(seed);
            notesNet.Parameters.CopyTo(inverted.Parameters);
            Scale(inverted.Parameter("layers.0.weight"), 1 - DropoutNotesFormNet.Descriptor.InputDropout);
            Scale(inverted.Parameter("layers.1.weight"), 1 - DropoutNotesFormNet.Descriptor.Layers[0].Dropout);
            (double alike, double maxDiff) = Compare(notesNet, inverted, test);
            agreement.Add(alike);
            difference.Add(maxDiff);
        }

        var figures = new Figures(
            overfit.ToDictionary(r => r.Key, r => Summary.Of(r.Value.Select(m => m.Train))), overfit.ToDictionary(r => r.Key, r => Summary.Of(r.Value.Select(m => m.Test))),
            fit.ToDictionary(r => r.Key, r => Summary.Of(r.Value.Select(m => m.Train))), fit.ToDictionary(r => r.Key, r => Summary.Of(r.Value.Select(m => m.Test))),
            agreement.Min(), difference.Max());
        var result = new ExperimentResult(Judge(figures),
            $"overfitting (2,000 digits): test none {figures.OverfitTest["none"].Percent()} vs input 0.2 + hidden 0.5 {figures.OverfitTest["input 0.2 + hidden 0.5"].Percent()}; " +
            $"not overfitting: none {figures.FitTest["none"].Percent()} vs hidden 0.5 {figures.FitTest["hidden 0.5"].Percent()}; notes' form ≡ inverted: {Fmt.Percent(figures.Agreement)} alike");
        result.Setup.Add($"Overfitting regime: {Describe.Declaration(DropoutNoneNet.Descriptor)} on only {overfitTrain.Count:N0} training digits for {s.OverfitEpochs} epochs; " +
                         "arms: " + string.Join("; ", overfitArms.Skip(1).Select(a => Describe.Declaration(a.Description))) + ".");
        result.Setup.Add($"Regime without overfitting: {Describe.Declaration(DropoutSmallNoneNet.Descriptor)} on {fitTrain.Count:N0} digits for {s.FitEpochs} epochs; arms: " +
                         string.Join("; ", fitArms.Skip(1).Select(a => Describe.Declaration(a.Description))) + ".");
        result.Setup.Add($"Notes' form: {Describe.Declaration(DropoutNotesFormNet.Descriptor)}, trained like the overfitting arms; its parameters are then copied into the inverted network " +
                         "`DropoutInputHiddenNet` with `layers.0.weight` × 0.8 and `layers.1.weight` × 0.5, and both infer the test digits.");
        result.Setup.Add($"Plain SGD η = 0.1, batch {s.BatchSize}. Training accuracy in inference mode (no units dropped) on all the training digits, test accuracy on {test.Count:N0}, both after the last epoch; " +
                         $"seeds {string.Join(", ", context.SeedList)} (initialization, shuffling, dropout masks).");

        foreach ((string caption, Dictionary<string, Measurement[]> runs) in new[] { ("Overfitting regime", overfit), ("Regime without overfitting", fit) })
        {
            var table = new Table($"{caption} (mean ± std over seeds)", "dropout", "training loss (units dropped), last epoch", "training accuracy", "test accuracy", "gap");
            foreach ((string name, Measurement[] m) in runs)
            {
                table.Add(name, Summary.Of(m.Select(x => x.Run.FinalTrainLoss)).Format("F4"), Summary.Of(m.Select(x => x.Train)).Percent(), Summary.Of(m.Select(x => x.Test)).Percent(),
                    Fmt.Points(m.Average(x => x.Train - x.Test)));
            }
            result.Tables.Add(table);
        }
        var forms = new Table("The two forms of input 0.2 + hidden 0.5 (overfitting regime; mean ± std over seeds)", "form", "training accuracy", "test accuracy", "moved into the other form");
        forms.Add("inverted (trained as such)", figures.OverfitTrain["input 0.2 + hidden 0.5"].Percent(), figures.OverfitTest["input 0.2 + hidden 0.5"].Percent(), "");
        forms.Add("notes' (trained as such)", Summary.Of(notes.Select(x => x.Train)).Percent(), Summary.Of(notes.Select(x => x.Test)).Percent(),
            $"{Fmt.Percent(agreement.Min())} of test digits alike (worst seed), max |Δp| {Fmt.Sci(difference.Max(), 2)}");
        result.Tables.Add(forms);

        const string file = "e09-dropout.png";
        string[] overfitNames = overfitArms.Select(a => a.Name).ToArray(), fitNames = fitArms.Select(a => a.Name).ToArray();
        double[] epochs = Runs.Epochs(s.OverfitEpochs);
        Charts.Save(context.PlotPath(file),
        [
            p => Charts.Lines(p, "Overfitting regime: training accuracy", "epoch", "% (inference mode)",
                overfitNames.Select(n => new Series(n, epochs, Runs.MeanCurve(overfit[n].Select(m => m.Run.Curve(e => e.TrainAccuracy * 100, s.OverfitEpochs))))), legend: ScottPlot.Alignment.LowerRight),
            p => Charts.Bars(p, "Overfitting regime: test accuracy", "%", overfitNames, overfitNames.Select(n => figures.OverfitTest[n].Mean * 100).ToArray(),
                overfitNames.Select(n => figures.OverfitTest[n].Std * 100).ToArray(), baseline: Math.Floor(overfitNames.Min(n => figures.OverfitTest[n].Mean) * 100 - 2)),
            p => Charts.Bars(p, "Without overfitting: test accuracy", "%", fitNames, fitNames.Select(n => figures.FitTest[n].Mean * 100).ToArray(),
                fitNames.Select(n => figures.FitTest[n].Std * 100).ToArray(), baseline: Math.Floor(fitNames.Min(n => figures.FitTest[n].Mean) * 100 - 2)),
        ], 520, 420);
        result.Plots.Add(new PlotFile(file, "Training accuracy per epoch in the overfitting regime; test accuracy per arm in both regimes (mean ± std over seeds)."));
        result.Notes.Add("The two forms are the same network only at equal parameters (the transplant above). Trained separately they are two training procedures: in the inverted form the weights " +
                         "after a dropped layer see its kept outputs scaled by 1/(1 − p), so their gradients, and with SGD their effective learning rate, differ from the notes' form.");
        result.Notes.Add("Training accuracy is measured in inference mode (nothing dropped), as the library's `EpochRecord.TrainAccuracy`; Keras would report the accuracy of the mini-batches " +
                         "with units dropped, which the training loss column reflects.");
        return result;

        Measurement Train<TNet>(Dataset data, int epochs, int seed, string label, bool keep = false) where TNet : class, INetwork<TNet>
        {
            var model = Model<TNet>.Create(seed);
            FitRun run = Runs.Fit(model, data, new FitOptions
            {
                Epochs = epochs, BatchSize = s.BatchSize, Seed = seed, TrainingAccuracySamples = data.Count, Threads = context.Threads,
            }, tracker.Start($"{label}, seed {seed}"), context.Cancellation);
            double trainAccuracy = run.Diverged ? double.NaN : run.Final?.TrainAccuracy ?? double.NaN;
            double testAccuracy = run.Diverged ? double.NaN : model.Evaluate(test).Accuracy ?? double.NaN;
            tracker.Finish();
            return new Measurement(run, trainAccuracy, testAccuracy, keep ? model.Network : null);
        }
    }

    private static void Scale(Span<float> values, float factor)
    {
        for (int i = 0; i < values.Length; i++) values[i] *= factor;
    }

    /// <summary>The fraction of rows both networks classify alike and the largest difference of a probability.</summary>
    private static (double Agreement, double MaxDifference) Compare(INetwork a, INetwork b, Dataset data)
    {
        int outputs = a.Description.Outputs;
        var pa = new float[data.Count * outputs];
        var pb = new float[data.Count * outputs];
        a.Infer(data.Features.Span, pa);
        b.Infer(data.Features.Span, pb);
        int alike = 0;
        double max = 0;
        for (int r = 0; r < data.Count; r++)
        {
            ReadOnlySpan<float> ra = pa.AsSpan(r * outputs, outputs), rb = pb.AsSpan(r * outputs, outputs);
            if (ClassificationMetrics.ArgMax(ra) == ClassificationMetrics.ArgMax(rb)) alike++;
            for (int j = 0; j < outputs; j++) max = Math.Max(max, Math.Abs(ra[j] - rb[j]));
        }
        return (alike / (double)data.Count, max);
    }

    private sealed record Measurement(FitRun Run, double Train, double Test, INetwork? Network);
}
