using System.Globalization;
using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 13's broken setup with an optimization problem: a deep sigmoid network with plain SGD.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(10)]
public partial class RecipeDeepSigmoidNet;

/// <summary>Its fix "ReLU-family activations".</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class RecipeDeepReluNet;

/// <summary>Its fix "an adaptive optimizer".</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Adam, LearningRate = 0.001f)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(10)]
public partial class RecipeDeepSigmoidAdamNet;

/// <summary>Experiment 13's broken setup with a generalization problem: a wide network on 1,000 digits.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Adam, LearningRate = 0.001f)]
[Dense(512, Activation.ReLU)]
[Dense(10)]
public partial class RecipeWideNet;

/// <summary>Its fix "L2 weight decay".</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Adam, LearningRate = 0.001f, L2 = 0.01f)]
[Dense(512, Activation.ReLU)]
[Dense(10)]
public partial class RecipeWideL2Net;

/// <summary>Its fix "dropout".</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Adam, LearningRate = 0.001f)]
[Dense(512, Activation.ReLU, Dropout = 0.5f)]
[Dense(10)]
public partial class RecipeWideDropoutNet;

/// <summary>Its fix "a smaller network".</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Adam, LearningRate = 0.001f)]
[Dense(32, Activation.ReLU)]
[Dense(10)]
public partial class RecipeNarrowNet;

/// <summary>13. The recipe: two deliberately broken setups; does <see cref="Recipe.Diagnose"/> name each, and does its fix help?</summary>
public sealed class RecipeCheck : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="OptimizationTraining">Digits of the optimization setup (10 % held out for validation).</param>
    /// <param name="OptimizationEpochs">Its epochs.</param>
    /// <param name="GeneralizationTraining">Digits of the generalization setup (20 % held out).</param>
    /// <param name="GeneralizationEpochs">Its epochs.</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    public sealed record Settings(int OptimizationTraining, int OptimizationEpochs, int GeneralizationTraining, int GeneralizationEpochs, int BatchSize);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(10_000, 3, 1_000, 30, 32);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(300, 1, 200, 2, 32);

    /// <summary>What the rule looks at.</summary>
    /// <param name="OptimizationDiagnosed">The fraction of seeds whose optimization setup is diagnosed <see cref="StaticNet.Training.Verdict.Optimization"/>.</param>
    /// <param name="GeneralizationDiagnosed">The fraction of seeds whose generalization setup is diagnosed <see cref="StaticNet.Training.Verdict.Generalization"/>.</param>
    /// <param name="OptimizationFix">The fix of the recipe's first suggestion for the optimization setup, or null when the lab has none.</param>
    /// <param name="TrainingAccuracyBefore">The optimization setup's training accuracy.</param>
    /// <param name="TrainingAccuracyAfter">… after the first suggestion's fix.</param>
    /// <param name="GeneralizationFix">The fix of the first suggestion for the generalization setup, or null.</param>
    /// <param name="GapBefore">The generalization setup's training − validation accuracy.</param>
    /// <param name="GapAfter">… after the first suggestion's fix.</param>
    public sealed record Figures(double OptimizationDiagnosed, double GeneralizationDiagnosed, string? OptimizationFix, Summary TrainingAccuracyBefore, Summary TrainingAccuracyAfter,
        string? GeneralizationFix, Summary GapBefore, Summary GapAfter);

    /// <inheritdoc />
    public override int Number => 13;

    /// <inheritdoc />
    public override string Id => "recipe";

    /// <inheritdoc />
    public override string Title => "The recipe";

    /// <inheritdoc />
    public override string Claim =>
        "First make the network good on its training data, then on unseen data: a poor training result is an optimization problem (change the activation, the optimizer, the rate), " +
        "a good training result with a poor validation result is a generalization problem (stop early, regularize, dropout, more data) — and the right fix for each helps.";

    /// <inheritdoc />
    public override string Rule =>
        "Four parts. (a) `Recipe.Diagnose` names the deep-sigmoid setup an optimization problem in every seed; (b) the wide-network-on-1,000-digits setup a generalization problem in every seed. " +
        "(c) The fix of its first suggestion for (a), applied, raises the training accuracy (mean over seeds); (d) the fix of its first suggestion for (b), applied, " +
        "narrows the training − validation accuracy gap. All four: reproduced; none: not reproduced; otherwise partly.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return ClaimVerdict.FromParts(
            new Part("deep sigmoid diagnosed as optimization", f.OptimizationDiagnosed == 1, $"in {Fmt.Percent(f.OptimizationDiagnosed, 0)} of seeds"),
            new Part("wide network on 1,000 digits diagnosed as generalization", f.GeneralizationDiagnosed == 1, $"in {Fmt.Percent(f.GeneralizationDiagnosed, 0)} of seeds"),
            new Part($"first fix ({f.OptimizationFix ?? "none in the lab"}) raises the training accuracy", f.OptimizationFix is not null && f.TrainingAccuracyAfter.Mean > f.TrainingAccuracyBefore.Mean,
                $"{f.TrainingAccuracyBefore.Percent()} → {f.TrainingAccuracyAfter.Percent()}"),
            new Part($"first fix ({f.GeneralizationFix ?? "none in the lab"}) narrows the gap", f.GeneralizationFix is not null && f.GapAfter.Mean < f.GapBefore.Mean,
                $"{Fmt.Points(f.GapBefore.Mean)} → {Fmt.Points(f.GapAfter.Mean)}"));
    }

    /// <summary>A fix the lab can apply for a suggestion: the keyword it recognizes the suggestion by, and what it does.</summary>
    /// <param name="Keyword">A word of the suggestion's text (case-insensitive).</param>
    /// <param name="Name">What is applied.</param>
    /// <param name="Apply">Trains the fixed setup for a seed and returns its history.</param>
    public sealed record Fix(string Keyword, string Name, Func<int, FitRun> Apply);

    /// <summary>The fixes for an optimization problem, in the order they are matched.</summary>
    public static IReadOnlyList<string> OptimizationKeywords { get; } = ["ReLU-family", "adaptive optimizer", "learning rate", "more epochs", "Standardize"];

    /// <summary>The fixes for a generalization problem, in the order they are matched.</summary>
    public static IReadOnlyList<string> GeneralizationKeywords { get; } = ["Stop early", "Regularize", "dropout", "augment", "smaller network"];

    /// <summary>The first fix whose keyword the suggestion contains, or null.</summary>
    public static Fix? Match(string suggestion, IEnumerable<Fix> fixes)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        ArgumentNullException.ThrowIfNull(fixes);
        return fixes.FirstOrDefault(f => suggestion.Contains(f.Keyword, StringComparison.OrdinalIgnoreCase));
    }

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset optimizationData = context.Data.Training(s.OptimizationTraining), generalizationData = context.Data.Training(s.GeneralizationTraining);
        RunTracker tracker = context.Track(context.Seeds * 14);

        FitOptions OptimizationOptions(int seed, int epochs, bool normalize = false) => new()
        {
            Epochs = epochs, BatchSize = s.BatchSize, Seed = seed, ValidationSplit = 0.1, TrainingAccuracySamples = optimizationData.Count, Normalize = normalize, Threads = context.Threads,
        };
        FitOptions GeneralizationOptions(int seed, StaticNet.Training.EarlyStopping? stopping = null, Augmentation? augmentation = null) => new()
        {
            Epochs = s.GeneralizationEpochs, BatchSize = s.BatchSize, Seed = seed, ValidationSplit = 0.2, TrainingAccuracySamples = generalizationData.Count,
            EarlyStopping = stopping, Augmentation = augmentation, Threads = context.Threads,
        };
        FitRun Train<TNet>(Dataset data, FitOptions options, int seed, string label, float? rate = null) where TNet : class, INetwork<TNet>
        {
            var model = Model<TNet>.Create(seed);
            if (rate is float r) model.Network.LearningRate = r;
            FitRun run = Runs.Fit(model, data, options, tracker.Start($"{label}, seed {seed}"), context.Cancellation);
            tracker.Finish();
            return run;
        }

        var optimizationFixes = new Fix[]
        {
            new("ReLU-family", "ReLU instead of sigmoid", seed => Train<RecipeDeepReluNet>(optimizationData, OptimizationOptions(seed, s.OptimizationEpochs), seed, "fix: ReLU")),
            new("adaptive optimizer", "Adam (η 0.001) instead of SGD", seed => Train<RecipeDeepSigmoidAdamNet>(optimizationData, OptimizationOptions(seed, s.OptimizationEpochs), seed, "fix: Adam")),
            new("learning rate", "η × 10 and × 0.1, the better of the two", seed =>
            {
                FitRun up = Train<RecipeDeepSigmoidNet>(optimizationData, OptimizationOptions(seed, s.OptimizationEpochs), seed, "fix: η × 10", 1f);
                FitRun down = Train<RecipeDeepSigmoidNet>(optimizationData, OptimizationOptions(seed, s.OptimizationEpochs), seed, "fix: η × 0.1", 0.01f);
                return TrainingAccuracy(up) >= TrainingAccuracy(down) ? up : down;
            }),
            new("more epochs", $"3× the epochs ({3 * s.OptimizationEpochs})", seed => Train<RecipeDeepSigmoidNet>(optimizationData, OptimizationOptions(seed, 3 * s.OptimizationEpochs), seed, "fix: more epochs")),
            new("Standardize", "standardized inputs", seed => Train<RecipeDeepSigmoidNet>(optimizationData, OptimizationOptions(seed, s.OptimizationEpochs, normalize: true), seed, "fix: standardized")),
        };
        var generalizationFixes = new Fix[]
        {
            new("Stop early", "early stopping (patience 3, best weights restored)", seed => Train<RecipeWideNet>(generalizationData,
                GeneralizationOptions(seed, new StaticNet.Training.EarlyStopping { Patience = 3, RestoreBestWeights = true }), seed, "fix: early stopping")),
            new("Regularize", "L2 = 0.01", seed => Train<RecipeWideL2Net>(generalizationData, GeneralizationOptions(seed), seed, "fix: L2")),
            new("dropout", "dropout 0.5 on the hidden layer", seed => Train<RecipeWideDropoutNet>(generalizationData, GeneralizationOptions(seed), seed, "fix: dropout")),
            new("augment", "augmentation (shift ±2 px, rotation ±10°)", seed => Train<RecipeWideNet>(generalizationData,
                GeneralizationOptions(seed, augmentation: new Augmentation { Image = new ImageShape(28, 28), MaxShift = 2, MaxRotationDegrees = 10 }), seed, "fix: augmentation")),
            new("smaller network", "784-32-10 instead of 784-512-10", seed => Train<RecipeNarrowNet>(generalizationData, GeneralizationOptions(seed), seed, "fix: smaller network")),
        };

        var optimization = context.SeedList.Select(seed => Train<RecipeDeepSigmoidNet>(optimizationData, OptimizationOptions(seed, s.OptimizationEpochs), seed, "deep sigmoid")).ToArray();
        var generalization = context.SeedList.Select(seed => Train<RecipeWideNet>(generalizationData, GeneralizationOptions(seed), seed, "wide network")).ToArray();
        Diagnosis[] optimizationDiagnoses = optimization.Select(r => Recipe.Diagnose(r.History)).ToArray();
        Diagnosis[] generalizationDiagnoses = generalization.Select(r => Recipe.Diagnose(r.History)).ToArray();

        // Every suggestion of seed 1's diagnosis, in the recipe's order, applied where the lab has a fix.
        var optimizationResults = Apply(optimizationDiagnoses[0], optimizationFixes);
        var generalizationResults = Apply(generalizationDiagnoses[0], generalizationFixes);
        (string Suggestion, Fix? Fix, FitRun[]? Runs) firstOptimization = optimizationResults.Count > 0 ? optimizationResults[0] : ("(none)", null, null);
        (string Suggestion, Fix? Fix, FitRun[]? Runs) firstGeneralization = generalizationResults.Count > 0 ? generalizationResults[0] : ("(none)", null, null);

        Summary trainBefore = Summary.Of(optimization.Select(TrainingAccuracy));
        Summary gapBefore = Summary.Of(generalization.Select(Gap));
        var figures = new Figures(
            optimizationDiagnoses.Average(d => d.Verdict == StaticNet.Training.Verdict.Optimization ? 1.0 : 0.0),
            generalizationDiagnoses.Average(d => d.Verdict == StaticNet.Training.Verdict.Generalization ? 1.0 : 0.0),
            firstOptimization.Fix?.Name, trainBefore, firstOptimization.Runs is null ? trainBefore : Summary.Of(firstOptimization.Runs.Select(TrainingAccuracy)),
            firstGeneralization.Fix?.Name, gapBefore, firstGeneralization.Runs is null ? gapBefore : Summary.Of(firstGeneralization.Runs.Select(Gap)));
        var result = new ExperimentResult(Judge(figures),
            $"diagnosed {optimizationDiagnoses[0].Verdict} / {generalizationDiagnoses[0].Verdict}; first fixes: {figures.OptimizationFix ?? "none"}: training accuracy {figures.TrainingAccuracyBefore.Percent()} → {figures.TrainingAccuracyAfter.Percent()}; " +
            $"{figures.GeneralizationFix ?? "none"}: gap {Fmt.Points(figures.GapBefore.Mean)} → {Fmt.Points(figures.GapAfter.Mean)}");
        result.Setup.Add($"Optimization problem: {Describe.Declaration(RecipeDeepSigmoidNet.Descriptor)}, plain SGD, batch {s.BatchSize}, {s.OptimizationEpochs} epochs on the first {optimizationData.Count:N0} training digits " +
                         "(the last 10 % held out for validation).");
        result.Setup.Add($"Generalization problem: {Describe.Declaration(RecipeWideNet.Descriptor)}, Adam, batch {s.BatchSize}, {s.GeneralizationEpochs} epochs on only {generalizationData.Count:N0} training digits " +
                         "(the last 20 % held out for validation).");
        result.Setup.Add("`Recipe.Diagnose` judges each fit's history (training accuracy on all the fit's training digits, validation accuracy) with its documented thresholds " +
                         "(training accuracy < 90 %: optimization; gap > 3 points: generalization). Each of its suggestions, in its order, is matched by a keyword to a fix the lab applies " +
                         "(same data, seeds and epochs; only the fix changes); the figure the diagnosis names (training accuracy, or the gap) is measured again on the fixed fit's judged epoch.");
        result.Setup.Add($"Seeds {string.Join(", ", context.SeedList)}. Fixes: {string.Join("; ", optimizationFixes.Concat(generalizationFixes).Select(f => f.Name))}. " +
                         $"Fix networks: {Describe.Declaration(RecipeDeepSigmoidAdamNet.Descriptor)}, {Describe.Declaration(RecipeWideL2Net.Descriptor, "L2 = 0.01")}, " +
                         $"{Describe.Declaration(RecipeWideDropoutNet.Descriptor)}, {Describe.Declaration(RecipeNarrowNet.Descriptor)}.");

        var diagnoses = new Table("The diagnoses (per seed)", "seed", "deep sigmoid: verdict", "training accuracy", "wide network: verdict", "training / validation accuracy");
        for (int i = 0; i < context.Seeds; i++)
        {
            diagnoses.Add(context.SeedList[i].ToString(CultureInfo.InvariantCulture), optimizationDiagnoses[i].Verdict.ToString(), Fmt.Percent(TrainingAccuracy(optimization[i])),
                generalizationDiagnoses[i].Verdict.ToString(),
                $"{Fmt.Percent(generalization[i].Final?.TrainAccuracy ?? double.NaN)} / {Fmt.Percent(generalization[i].Final?.ValidationAccuracy ?? double.NaN)}");
        }
        result.Tables.Add(diagnoses);
        var fixes = new Table("The recipe's suggestions, applied (mean ± std over seeds)", "problem", "suggestion (the recipe's order)", "fix applied", "figure before", "after", "helped");
        foreach ((string problem, var list, Func<FitRun, double> figure, Summary before, bool lowerIsBetter, Func<Summary, string> show) in new[]
        {
            ("optimization", optimizationResults, (Func<FitRun, double>)TrainingAccuracy, trainBefore, false, (Func<Summary, string>)(x => "training accuracy " + x.Percent())),
            ("generalization", generalizationResults, Gap, gapBefore, true, x => "gap " + Fmt.Points(x.Mean) + " ± " + (x.Std * 100).ToString("F2", CultureInfo.InvariantCulture)),
        })
        {
            foreach ((string suggestion, Fix? fix, FitRun[]? runs) in list)
            {
                if (fix is null || runs is null)
                {
                    fixes.Add(problem, suggestion, "none in the lab", show(before), "", "");
                    continue;
                }
                Summary after = Summary.Of(runs.Select(figure));
                bool helped = lowerIsBetter ? after.Mean < before.Mean : after.Mean > before.Mean;
                fixes.Add(problem, suggestion, fix.Name, show(before), show(after), helped ? "yes" : "no");
            }
        }
        result.Tables.Add(fixes);

        const string file = "e13-recipe.png";
        string[] optNames = ["as broken", .. optimizationResults.Where(x => x.Runs is not null).Select(x => x.Fix!.Keyword)];
        double[] optValues = [trainBefore.Mean * 100, .. optimizationResults.Where(x => x.Runs is not null).Select(x => x.Runs!.Average(TrainingAccuracy) * 100)];
        string[] genNames = ["as broken", .. generalizationResults.Where(x => x.Runs is not null).Select(x => x.Fix!.Keyword)];
        double[] genValues = [gapBefore.Mean * 100, .. generalizationResults.Where(x => x.Runs is not null).Select(x => x.Runs!.Average(Gap) * 100)];
        Charts.Save(context.PlotPath(file),
        [
            p => Charts.Bars(p, "Optimization problem: training accuracy", "%", optNames, optValues),
            p => Charts.Bars(p, "Generalization problem: training − validation accuracy", "points", genNames, genValues),
        ], 560, 440);
        result.Plots.Add(new PlotFile(file, "The figure each diagnosis names, as broken and after each suggested fix (mean over seeds)."));
        result.Notes.Add($"Seed 1, optimization setup: \"{optimizationDiagnoses[0].Summary}\"");
        result.Notes.Add($"Seed 1, generalization setup: \"{generalizationDiagnoses[0].Summary}\"");
        return result;

        List<(string Suggestion, Fix? Fix, FitRun[]? Runs)> Apply(Diagnosis diagnosis, Fix[] available) => diagnosis.Suggestions
            .Select(suggestion => (suggestion, Match(suggestion, available)))
            .Select(x => (x.suggestion, x.Item2, x.Item2 is null ? null : context.SeedList.Select(x.Item2.Apply).ToArray()))
            .ToList();
    }

    private static double TrainingAccuracy(FitRun run) => run.Diverged ? double.NaN : run.Final?.TrainAccuracy ?? double.NaN;

    private static double Gap(FitRun run) => run.Diverged ? double.NaN : (run.Final?.TrainAccuracy ?? double.NaN) - (run.Final?.ValidationAccuracy ?? double.NaN);
}
