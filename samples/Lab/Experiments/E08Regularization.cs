using System.Globalization;
using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>
/// Experiment 8's network: both penalties are declared, so both terms are compiled into the step; each arm sets their
/// strengths at run time (<c>Hyperparameters.L1</c>, <c>L2</c>), 0 switching a term off.
/// </summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, L1 = 0.0002f, L2 = 0.005f)]
[Dense(256, Activation.ReLU)]
[Dense(10)]
public partial class RegularizedNet;

/// <summary>8. Regularization: none, L2, L1 and elastic net on a network that overfits.</summary>
public sealed class Regularization : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="Training">Training digits (few, so that the network overfits).</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="Epochs">Epochs.</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    /// <param name="L1">λ₁ of the L1 and elastic-net arms.</param>
    /// <param name="L2">λ₂ of the L2 and elastic-net arms.</param>
    /// <param name="ZeroBelow">A weight counts as (nearly) zero below this magnitude.</param>
    public sealed record Settings(int Training, int Test, int Epochs, int BatchSize, float L1, float L2, double ZeroBelow);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(2_000, 10_000, 40, 32, 0.0002f, 0.005f, 1e-3);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(200, 200, 2, 32, 0.0002f, 0.005f, 1e-3);

    /// <summary>The arms: name, λ₁, λ₂ (from the settings).</summary>
    public static IReadOnlyList<string> Arms { get; } = ["none", "L2", "L1", "elastic net"];

    /// <summary>What the rule looks at, per arm.</summary>
    /// <param name="Gap">Training accuracy (all training digits) minus test accuracy.</param>
    /// <param name="NearZero">The fraction of first-layer weights below the zero threshold in magnitude.</param>
    public sealed record Figures(IReadOnlyDictionary<string, Summary> Gap, IReadOnlyDictionary<string, Summary> NearZero);

    /// <inheritdoc />
    public override int Number => 8;

    /// <inheritdoc />
    public override string Id => "regularization";

    /// <inheritdoc />
    public override string Title => "Regularization";

    /// <inheritdoc />
    public override string Claim =>
        "Penalizing the weights narrows the gap between training and test accuracy of an overfitting network; L1 drives many weights to zero (sparsity), L2 only shrinks them.";

    /// <inheritdoc />
    public override string Rule =>
        "Three parts, on the means over seeds. (a) L2's train–test gap is smaller than no regularization's; (b) so is the elastic net's. " +
        "(c) L1's fraction of near-zero first-layer weights (|w| < 0.001) is at least 5× no regularization's and at least 2× L2's. " +
        "All three: reproduced; none: not reproduced; otherwise partly.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        Summary none = f.Gap["none"];
        double zeros = f.NearZero["L1"].Mean;
        return ClaimVerdict.FromParts(
            new Part("L2 narrows the gap", f.Gap["L2"].Mean < none.Mean, $"{Points(f.Gap["L2"])} vs {Points(none)}"),
            new Part("elastic net narrows the gap", f.Gap["elastic net"].Mean < none.Mean, $"{Points(f.Gap["elastic net"])} vs {Points(none)}"),
            new Part("L1 makes ≥ 5× the near-zero weights of none and ≥ 2× L2's", zeros >= 5 * f.NearZero["none"].Mean && zeros >= 2 * f.NearZero["L2"].Mean,
                $"{Fmt.Percent(zeros)} vs {Fmt.Percent(f.NearZero["none"].Mean)} and {Fmt.Percent(f.NearZero["L2"].Mean)}"));
    }

    private static string Points(Summary gap) => $"{(gap.Mean * 100).ToString("F2", CultureInfo.InvariantCulture)} ± {(gap.Std * 100).ToString("F2", CultureInfo.InvariantCulture)} points";

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset train = context.Data.Training(s.Training), test = context.Data.Test(s.Test);
        var strengths = new Dictionary<string, (float L1, float L2)>
        {
            ["none"] = (0, 0), ["L2"] = (0, s.L2), ["L1"] = (s.L1, 0), ["elastic net"] = (s.L1, s.L2),
        };
        RunTracker tracker = context.Track(Arms.Count * context.Seeds);
        var runs = Arms.ToDictionary(a => a, a => context.SeedList.Select(seed => Train(a, seed)).ToArray());

        var figures = new Figures(
            runs.ToDictionary(r => r.Key, r => Summary.Of(r.Value.Select(m => m.Train - m.Test))),
            runs.ToDictionary(r => r.Key, r => Summary.Of(r.Value.Select(m => m.NearZero))));
        var result = new ExperimentResult(Judge(figures),
            $"train–test gap: none {Points(figures.Gap["none"])}, L2 {Points(figures.Gap["L2"])}, L1 {Points(figures.Gap["L1"])}, elastic {Points(figures.Gap["elastic net"])}; " +
            $"near-zero weights: none {Fmt.Percent(figures.NearZero["none"].Mean)}, L1 {Fmt.Percent(figures.NearZero["L1"].Mean)}");
        result.Setup.Add($"{Describe.Declaration(RegularizedNet.Descriptor, "L1 = 0.0002", "L2 = 0.005")}: both terms declared; each arm sets λ₁, λ₂ at run time " +
                         $"(none 0, 0; L2 0, {s.L2}; L1 {s.L1}, 0; elastic net {s.L1}, {s.L2}). The notes' forms: L2 adds λ₂w to the gradient, L1 adds λ₁·sign(w); weights only, not biases.");
        result.Setup.Add($"Plain SGD η = 0.1, batch {s.BatchSize}, {s.Epochs} epochs on only {train.Count:N0} training digits (so that the network overfits); " +
                         $"training accuracy on all of them and test accuracy on {test.Count:N0} after the last epoch.");
        result.Setup.Add($"Sparsity: the fraction of the first layer's {RegularizedNet.Descriptor["layers.0.weight"].Length:N0} weights with |w| < {s.ZeroBelow} (and exactly 0). Seeds {string.Join(", ", context.SeedList)}.");

        var table = new Table("Per regularizer (mean ± std over seeds)", "regularizer", "training accuracy", "test accuracy", "gap", "first-layer |w| < " + s.ZeroBelow.ToString(CultureInfo.InvariantCulture), "exactly 0", "‖W₁‖₂");
        foreach (string arm in Arms)
        {
            Measurement[] m = runs[arm];
            table.Add(arm, Summary.Of(m.Select(x => x.Train)).Percent(), Summary.Of(m.Select(x => x.Test)).Percent(), Points(figures.Gap[arm]),
                Summary.Of(m.Select(x => x.NearZero)).Percent(), Summary.Of(m.Select(x => x.ExactZero)).Percent(3), Summary.Of(m.Select(x => x.Norm)).Format("F2"));
        }
        result.Tables.Add(table);

        const string histogramFile = "e08-weight-histogram.png";
        Charts.Save(context.PlotPath(histogramFile),
        [
            p => Charts.Histograms(p, "First-layer weights (seed 1)", "w", Arms.Select(a => (a, runs[a][0].Weights)).ToArray(), -0.3, 0.3, 120),
            p => Charts.Histograms(p, "Near zero (seed 1)", "w", Arms.Select(a => (a, runs[a][0].Weights)).ToArray(), -0.01, 0.01, 80),
        ]);
        result.Plots.Add(new PlotFile(histogramFile, "Histogram of the first layer's weights after training, log counts; right: the band around 0."));
        const string barsFile = "e08-gap.png";
        string[] arms = Arms.ToArray();
        Charts.Save(context.PlotPath(barsFile),
        [
            p => Charts.Bars(p, "Training − test accuracy", "points", arms, arms.Select(a => figures.Gap[a].Mean * 100).ToArray(), arms.Select(a => figures.Gap[a].Std * 100).ToArray()),
            p => Charts.Bars(p, "Test accuracy", "%", arms, arms.Select(a => runs[a].Average(x => x.Test) * 100).ToArray(), arms.Select(a => Summary.Of(runs[a].Select(x => x.Test)).Std * 100).ToArray(),
                baseline: Math.Floor(arms.Min(a => runs[a].Average(x => x.Test)) * 100 - 2)),
        ], 520, 420);
        result.Plots.Add(new PlotFile(barsFile, "The train–test gap and the test accuracy per regularizer (mean ± std over seeds)."));
        result.Notes.Add("The library's L1 is the notes' subgradient step, w ← w − η(∂L/∂w + λ₁·sign(w)): a weight the data do not hold oscillates within about ηλ₁ of zero instead of " +
                         "landing on exactly 0 (a proximal soft-threshold step would; StaticNet has none). Hence the threshold for \"zero\".");
        return result;

        Measurement Train(string arm, int seed)
        {
            var model = Model<RegularizedNet>.Create(seed);
            model.Network.Hyperparameters.L1 = strengths[arm].L1;
            model.Network.Hyperparameters.L2 = strengths[arm].L2;
            FitRun run = Runs.Fit(model, train, new FitOptions
            {
                Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = seed, TrainingAccuracySamples = 0, Threads = context.Threads,
            }, tracker.Start($"{arm}, seed {seed}"), context.Cancellation);
            double trainAccuracy = model.Evaluate(train).Accuracy ?? double.NaN, testAccuracy = model.Evaluate(test).Accuracy ?? double.NaN;
            if (run.Diverged) trainAccuracy = testAccuracy = double.NaN;
            double[] w = model.Network.Parameter("layers.0.weight").ToArray().Select(x => (double)x).ToArray();
            tracker.Finish();
            return new Measurement(trainAccuracy, testAccuracy, w.Count(x => Math.Abs(x) < s.ZeroBelow) / (double)w.Length, w.Count(x => x == 0) / (double)w.Length,
                Math.Sqrt(w.Sum(x => x * x)), w);
        }
    }

    private sealed record Measurement(double Train, double Test, double NearZero, double ExactZero, double Norm, double[] Weights);
}
