using StaticNet.Samples.Lab;
using StaticNet.Samples.Lab.Experiments;

namespace StaticNet.Lab.Tests;

/// <summary>Each experiment's verdict rule on hand-made figures: one set that reproduces the claim, one that does not, and one that partly does.</summary>
public sealed class VerdictRuleTests
{
    private static Summary S(double mean, double std = 0.001) => new(mean, std, 3);

    [Fact]
    public void Parts_combine_into_reproduced_partly_and_not()
    {
        Assert.Equal(Outcome.Reproduced, ClaimVerdict.FromParts(new Part("a", true, "1"), new Part("b", true, "2")).Outcome);
        Assert.Equal(Outcome.Partly, ClaimVerdict.FromParts(new Part("a", true, "1"), new Part("b", false, "2")).Outcome);
        Assert.Equal(Outcome.NotReproduced, ClaimVerdict.FromParts(new Part("a", false, "1"), new Part("b", false, "2")).Outcome);
        ClaimVerdict v = ClaimVerdict.FromParts(new Part("first", true, "x = 1"), new Part("second", false, "y = 2"));
        Assert.Equal("partly reproduced, because ✓ first (x = 1); ✗ second (y = 2)", v.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => ClaimVerdict.FromParts());
    }

    [Fact]
    public void Vanishing_gradients()
    {
        var yes = new VanishingGradients.Figures(S(1e-4), S(3), S(2e4), S(0.11), S(0.96));
        Assert.Equal(Outcome.Reproduced, VanishingGradients.Judge(yes).Outcome);
        var no = new VanishingGradients.Figures(S(0.8), S(1), S(1.2), S(0.95), S(0.96));
        Assert.Equal(Outcome.NotReproduced, VanishingGradients.Judge(no).Outcome);
        var gradientsOnly = yes with { ReluAccuracy = S(0.13) };
        Assert.Equal(Outcome.Partly, VanishingGradients.Judge(gradientsOnly).Outcome);
        Assert.Contains("✗ ReLU's test accuracy", VanishingGradients.Judge(gradientsOnly).Because, StringComparison.Ordinal);
        // The thresholds are inclusive as the rule says: exactly 1/10, exactly 10×, exactly 5 points.
        Assert.Equal(Outcome.Reproduced, VanishingGradients.Judge(new VanishingGradients.Figures(S(0.1), S(1), S(10), S(0.5), S(0.55))).Outcome);
    }

    private static Dictionary<string, Summary> Accuracies(double relu, double sigmoid, double maxout, double family)
    {
        var d = Activations.ReluFamily.ToDictionary(a => a, _ => S(family));
        d["ReLU"] = S(relu);
        d["Sigmoid"] = S(sigmoid);
        d["Maxout"] = S(maxout);
        d["Tanh"] = S(0.97);
        d["SoftPlus"] = S(0.97);
        return d;
    }

    [Fact]
    public void Activations_rule()
    {
        var epochs = new Dictionary<string, double> { ["ReLU"] = 3, ["Sigmoid"] = 9 };
        var yes = new Activations.Figures(Accuracies(0.975, 0.96, 0.974, 0.972), epochs, 8);
        Assert.Equal(Outcome.Reproduced, Activations.Judge(yes).Outcome);
        var no = new Activations.Figures(Accuracies(0.96, 0.965, 0.95, 0.95), new Dictionary<string, double> { ["ReLU"] = 9, ["Sigmoid"] = 9 }, 8);
        Assert.Equal(Outcome.NotReproduced, Activations.Judge(no).Outcome);
        var maxoutWorse = new Activations.Figures(Accuracies(0.975, 0.96, 0.96, 0.972), epochs, 8);
        ClaimVerdict partly = Activations.Judge(maxoutWorse);
        Assert.Equal(Outcome.Partly, partly.Outcome);
        Assert.Contains("✗ Maxout", partly.Because, StringComparison.Ordinal);
        Assert.Contains("> 8", partly.Because, StringComparison.Ordinal); // a never-reached target reads "> epochs"
        var oneBelow = Accuracies(0.975, 0.96, 0.974, 0.972);
        oneBelow["SELU"] = S(0.95);
        Assert.Contains("not: SELU", Activations.Judge(new Activations.Figures(oneBelow, epochs, 8)).Because, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_size_rule()
    {
        int[] b = [1, 32, 256, 6000, 60000];
        var yes = new BatchSize.Figures(S(0.967), S(0.962), S(0.996), S(0.996), 0.995, 1, 1, b,
            [3e-5, 3e-4, 2e-3, 5e-2, 0.5], [2.0, 0.5, 0.4, 0.45, 0.5], [26, 5, 1.7, 0.3, 3e-6]);
        Assert.Equal(Outcome.Reproduced, BatchSize.Judge(yes).Outcome);
        var no = new BatchSize.Figures(S(0.962), S(0.967), S(0.996), S(0.99), 0.995, 1, 0, b,
            [3e-5, 3e-6, 2e-3, 5e-2, 0.5], [0.5, 0.5, 0.4, 0.45, 0.5], [26, 30, 1.7, 0.3, 3e-6]);
        Assert.Equal(Outcome.NotReproduced, BatchSize.Judge(no).Outcome);
        var underfit = yes with { LargeReached = 2.0 / 3 };
        ClaimVerdict v = BatchSize.Judge(underfit);
        Assert.Equal(Outcome.Partly, v.Outcome);
        Assert.Contains("✗ both reach", v.Because, StringComparison.Ordinal);
    }

    [Fact]
    public void Shuffling_rule()
    {
        Assert.Equal(Outcome.Reproduced, Shuffling.Judge(new(S(0.975, 0.001), S(0.970, 0.001), S(0.5))).Outcome);
        Assert.Equal(Outcome.NotReproduced, Shuffling.Judge(new(S(0.97), S(0.971), S(0.965))).Outcome);
        // A difference within the seeds' spread is not a difference.
        ClaimVerdict withinNoise = Shuffling.Judge(new(S(0.975, 0.004), S(0.972, 0.002), S(0.5)));
        Assert.Equal(Outcome.Partly, withinNoise.Outcome);
        Assert.StartsWith("✗ reshuffled beats a fixed random order", withinNoise.Because, StringComparison.Ordinal);
    }

    [Fact]
    public void Optimizers_rule()
    {
        var working = Optimizers.Names.ToDictionary(n => n, _ => 3);
        var epochs = Optimizers.Names.ToDictionary(n => n, _ => 3.0);
        epochs["SGD"] = 8;
        Assert.Equal(Outcome.Reproduced, Optimizers.Judge(new(epochs, working, 10)).Outcome);
        var slow = Optimizers.Names.ToDictionary(n => n, _ => 11.0);
        var narrow = Optimizers.Names.ToDictionary(n => n, _ => 1);
        narrow["SGD"] = 3;
        Assert.Equal(Outcome.NotReproduced, Optimizers.Judge(new(slow, narrow, 10)).Outcome);
        ClaimVerdict partly = Optimizers.Judge(new(epochs, narrow, 10));
        Assert.Equal(Outcome.Partly, partly.Outcome);
        Assert.Contains("SGD 3", partly.Because, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedules_rule()
    {
        Dictionary<string, Summary> Map(double constant, double step, double exponential, double inverse) =>
            new() { ["constant"] = S(constant), ["step"] = S(step), ["exponential"] = S(exponential), ["1/t"] = S(inverse) };
        Assert.Equal(Outcome.Reproduced, Schedules.Judge(new(Map(0.970, 0.975, 0.976, 0.974), Map(0.05, 0.03, 0.03, 0.04))).Outcome);
        Assert.Equal(Outcome.NotReproduced, Schedules.Judge(new(Map(0.975, 0.970, 0.971, 0.972), Map(0.03, 0.05, 0.05, 0.04))).Outcome);
        // Better accuracy but a higher training loss does not count as "ends better".
        ClaimVerdict partly = Schedules.Judge(new(Map(0.970, 0.975, 0.976, 0.974), Map(0.05, 0.03, 0.06, 0.06)));
        Assert.Equal(Outcome.Partly, partly.Outcome);
        Assert.Contains("✓ step", partly.Because, StringComparison.Ordinal);
        Assert.Contains("✗ exponential", partly.Because, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalization_rule()
    {
        var yes = new Normalization.Figures(S(double.NaN), S(0.5), S(0.3), S(0.6), S(0.2), 0.3, 3);
        Assert.Equal(Outcome.Reproduced, Normalization.Judge(yes).Outcome); // a diverged raw run counts as infinitely bad
        var no = new Normalization.Figures(S(0.2), S(0.3), S(0.5), S(0.2), S(0.6), 1, 1);
        Assert.Equal(Outcome.NotReproduced, Normalization.Judge(no).Outcome);
        ClaimVerdict partly = Normalization.Judge(yes with { BatchNormLargestStable = 0.3 });
        Assert.Equal(Outcome.Partly, partly.Outcome);
        Assert.Contains("diverged", partly.Because, StringComparison.Ordinal);
    }

    [Fact]
    public void Regularization_rule()
    {
        Dictionary<string, Summary> Map(double none, double l2, double l1, double elastic) =>
            new() { ["none"] = S(none), ["L2"] = S(l2), ["L1"] = S(l1), ["elastic net"] = S(elastic) };
        Assert.Equal(Outcome.Reproduced, Regularization.Judge(new(Map(0.12, 0.10, 0.11, 0.09), Map(0.011, 0.012, 0.30, 0.25))).Outcome);
        Assert.Equal(Outcome.NotReproduced, Regularization.Judge(new(Map(0.10, 0.11, 0.11, 0.12), Map(0.011, 0.012, 0.02, 0.02))).Outcome);
        // L1 sparse against none but not against L2 (L2 alone already made as many small weights): the third part fails.
        ClaimVerdict partly = Regularization.Judge(new(Map(0.12, 0.10, 0.11, 0.09), Map(0.011, 0.20, 0.30, 0.25)));
        Assert.Equal(Outcome.Partly, partly.Outcome);
    }

    [Fact]
    public void Dropout_rule()
    {
        Dictionary<string, Summary> Overfit(double none, double h2, double h5, double ih) =>
            new() { ["none"] = S(none), ["hidden 0.2"] = S(h2), ["hidden 0.5"] = S(h5), ["input 0.2 + hidden 0.5"] = S(ih) };
        Dictionary<string, Summary> Fit(double none, double h2, double h5) => new() { ["none"] = S(none), ["hidden 0.2"] = S(h2), ["hidden 0.5"] = S(h5) };
        var yes = new Dropout.Figures(Overfit(1.0, 0.999, 0.998, 0.99), Overfit(0.90, 0.905, 0.91, 0.915), Fit(0.95, 0.94, 0.93), Fit(0.95, 0.945, 0.94), 1, 2e-7);
        Assert.Equal(Outcome.Reproduced, Dropout.Judge(yes).Outcome);
        var no = new Dropout.Figures(Overfit(0.99, 1, 1, 1), Overfit(0.91, 0.905, 0.90, 0.90), Fit(0.93, 0.94, 0.95), Fit(0.93, 0.94, 0.95), 0.9, 0.1);
        Assert.Equal(Outcome.NotReproduced, Dropout.Judge(no).Outcome);
        ClaimVerdict partly = Dropout.Judge(yes with { MaxDifference = 1e-3 });
        Assert.Equal(Outcome.Partly, partly.Outcome);
        Assert.Contains("✗ the notes' form", partly.Because, StringComparison.Ordinal);
        // "Lowers the training accuracy" is strict: equal is not lower.
        Assert.Equal(Outcome.Partly, Dropout.Judge(yes with { OverfitTrain = Overfit(1.0, 1.0, 0.998, 0.99) }).Outcome);
    }

    [Fact]
    public void Early_stopping_rule()
    {
        Assert.Equal(Outcome.Reproduced, StaticNet.Samples.Lab.Experiments.EarlyStopping.Judge(new(S(0.20), S(0.25), S(0.40), S(0.950), S(0.950), S(0.949))).Outcome);
        Assert.Equal(Outcome.NotReproduced, StaticNet.Samples.Lab.Experiments.EarlyStopping.Judge(new(S(0.30), S(0.25), S(0.20), S(0.940), S(0.950), S(0.955))).Outcome);
        Assert.Equal(Outcome.Partly, StaticNet.Samples.Lab.Experiments.EarlyStopping.Judge(new(S(0.20), S(0.25), S(0.40), S(0.940), S(0.950), S(0.955))).Outcome);
    }

    [Fact]
    public void Ensembles_rule()
    {
        int[] sizes = [1, 3, 5, 10];
        Assert.Equal(Outcome.Reproduced, Ensembles.Judge(new(sizes, [S(0.950), S(0.957), S(0.959), S(0.960)])).Outcome);
        Assert.Equal(Outcome.NotReproduced, Ensembles.Judge(new(sizes, [S(0.950), S(0.949), S(0.951), S(0.960)])).Outcome);
        ClaimVerdict accelerating = Ensembles.Judge(new(sizes, [S(0.950), S(0.954), S(0.957), S(0.965)]));
        Assert.Equal(Outcome.Partly, accelerating.Outcome);
        Assert.Contains("✗ diminishing returns", accelerating.Because, StringComparison.Ordinal);
    }

    [Fact]
    public void Augmentation_rule()
    {
        Dictionary<string, Summary> Map(double none, double shift, double rotation, double noise, double all) =>
            new() { ["none"] = S(none), ["shift"] = S(shift), ["rotation"] = S(rotation), ["noise"] = S(noise), ["shift + rotation + noise"] = S(all) };
        Assert.Equal(Outcome.Reproduced, DataAugmentation.Judge(new(Map(0.94, 0.95, 0.945, 0.941, 0.955))).Outcome);
        Assert.Equal(Outcome.NotReproduced, DataAugmentation.Judge(new(Map(0.94, 0.93, 0.945, 0.941, 0.942))).Outcome);
        ClaimVerdict partly = DataAugmentation.Judge(new(Map(0.94, 0.95, 0.945, 0.939, 0.955)));
        Assert.Equal(Outcome.Partly, partly.Outcome);
        Assert.Contains("lower: noise", partly.Because, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipe_rule()
    {
        var yes = new RecipeCheck.Figures(1, 1, "ReLU", S(0.11), S(0.93), "early stopping", S(0.12), S(0.08));
        Assert.Equal(Outcome.Reproduced, RecipeCheck.Judge(yes).Outcome);
        var no = new RecipeCheck.Figures(0, 0, null, S(0.11), S(0.11), null, S(0.12), S(0.12));
        Assert.Equal(Outcome.NotReproduced, RecipeCheck.Judge(no).Outcome);
        ClaimVerdict noFix = RecipeCheck.Judge(yes with { GeneralizationFix = null });
        Assert.Equal(Outcome.Partly, noFix.Outcome);
        Assert.Contains("none in the lab", noFix.Because, StringComparison.Ordinal);
        Assert.Equal(Outcome.Partly, RecipeCheck.Judge(yes with { OptimizationDiagnosed = 2.0 / 3 }).Outcome);
    }

    [Fact]
    public void Every_suggestion_of_the_recipe_has_a_fix_in_the_lab()
    {
        // The recipe's suggestions come from the library; if their wording changes, the lab's keyword matching must follow.
        var broken = new StaticNet.Training.TrainingHistory([new StaticNet.Training.EpochRecord(1, 2.0, 0.2, 2.0, 0.2, 0.1, TimeSpan.Zero)]);
        var overfit = new StaticNet.Training.TrainingHistory([new StaticNet.Training.EpochRecord(1, 0.01, 1.0, 0.5, 0.85, 0.1, TimeSpan.Zero)]);
        StaticNet.Training.Diagnosis optimization = StaticNet.Training.Recipe.Diagnose(broken);
        StaticNet.Training.Diagnosis generalization = StaticNet.Training.Recipe.Diagnose(overfit);
        Assert.Equal(StaticNet.Training.Verdict.Optimization, optimization.Verdict);
        Assert.Equal(StaticNet.Training.Verdict.Generalization, generalization.Verdict);
        var optimizationFixes = RecipeCheck.OptimizationKeywords.Select(k => new RecipeCheck.Fix(k, k, _ => throw new InvalidOperationException())).ToArray();
        var generalizationFixes = RecipeCheck.GeneralizationKeywords.Select(k => new RecipeCheck.Fix(k, k, _ => throw new InvalidOperationException())).ToArray();
        Assert.All(optimization.Suggestions, s => Assert.NotNull(RecipeCheck.Match(s, optimizationFixes)));
        Assert.All(generalization.Suggestions, s => Assert.NotNull(RecipeCheck.Match(s, generalizationFixes)));
        // Each suggestion maps to a different fix, and the first ones to the activation and to early stopping.
        Assert.Equal(optimization.Suggestions.Count, optimization.Suggestions.Select(s => RecipeCheck.Match(s, optimizationFixes)!.Keyword).Distinct().Count());
        Assert.Equal(generalization.Suggestions.Count, generalization.Suggestions.Select(s => RecipeCheck.Match(s, generalizationFixes)!.Keyword).Distinct().Count());
        Assert.Equal("ReLU-family", RecipeCheck.Match(optimization.Suggestions[0], optimizationFixes)!.Keyword);
        Assert.Equal("Stop early", RecipeCheck.Match(generalization.Suggestions[0], generalizationFixes)!.Keyword);
        Assert.Null(RecipeCheck.Match("Buy a bigger computer.", optimizationFixes));
    }
}
