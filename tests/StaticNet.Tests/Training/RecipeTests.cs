using StaticNet.Training;

namespace StaticNet.Tests.Training;

/// <summary>The recipe's diagnosis on constructed histories.</summary>
public sealed class RecipeTests
{
    private static EpochRecord Epoch(int n, double trainLoss, double? trainAccuracy, double? validationLoss, double? validationAccuracy) =>
        new(n, trainLoss, trainAccuracy, validationLoss, validationAccuracy, 0.1, TimeSpan.FromSeconds(1));

    [Fact]
    public void Poor_training_accuracy_is_an_optimization_problem_even_with_a_large_gap()
    {
        var history = new TrainingHistory([Epoch(1, 2.0, 0.50, 2.1, 0.40), Epoch(2, 1.8, 0.60, 2.0, 0.45)]);
        Diagnosis d = Recipe.Diagnose(history);
        Assert.Equal(Verdict.Optimization, d.Verdict);
        Assert.Equal(2, d.Epoch);
        Assert.Contains("60.00 %", d.Summary);
        Assert.Contains("optimization problem, not overfitting", d.Summary);
        Assert.Contains(d.Suggestions, s => s.Contains("ReLU"));
        Assert.Contains(d.Suggestions, s => s.Contains("Adam"));
        Assert.DoesNotContain(d.Suggestions, s => s.Contains("dropout", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Good_training_and_much_worse_validation_is_a_generalization_problem()
    {
        var history = new TrainingHistory([Epoch(1, 0.1, 0.99, 0.6, 0.90)]);
        Diagnosis d = Recipe.Diagnose(history);
        Assert.Equal(Verdict.Generalization, d.Verdict);
        Assert.Contains("9.00 points", d.Summary);
        Assert.Contains(d.Suggestions, s => s.Contains("EarlyStopping"));
        Assert.Contains(d.Suggestions, s => s.Contains("dropout"));
        Assert.Contains(d.Suggestions, s => s.Contains("augment"));
    }

    [Fact]
    public void Good_on_both_is_good()
    {
        Diagnosis d = Recipe.Diagnose(new TrainingHistory([Epoch(1, 0.05, 0.99, 0.07, 0.98)]));
        Assert.Equal(Verdict.Good, d.Verdict);
        Assert.Contains("nothing to fix", d.Summary);
    }

    [Fact]
    public void Thresholds_are_strict_and_a_value_exactly_at_one_passes()
    {
        // Exactly representable numbers: 0.75 − 0.5 = 0.25.
        var thresholds = new RecipeThresholds { MinTrainingAccuracy = 0.75, MaxAccuracyGap = 0.25 };
        Assert.Equal(Verdict.Good, Recipe.Diagnose(new TrainingHistory([Epoch(1, 1, 0.75, 1, 0.5)]), thresholds).Verdict);
        Assert.Equal(Verdict.Generalization, Recipe.Diagnose(new TrainingHistory([Epoch(1, 1, 0.75, 1, 0.4921875)]), thresholds).Verdict);
        Assert.Equal(Verdict.Optimization, Recipe.Diagnose(new TrainingHistory([Epoch(1, 1, 0.7421875, 1, 0.7421875)]), thresholds).Verdict);
    }

    [Fact]
    public void The_epoch_judged_is_the_one_whose_weights_the_network_holds()
    {
        // Early stopping restored epoch 2 (gap 1 point); the last epoch overfits (gap 10 points).
        var history = new TrainingHistory(
            [Epoch(1, 0.3, 0.95, 0.3, 0.94), Epoch(2, 0.1, 0.98, 0.2, 0.97), Epoch(3, 0.01, 1.0, 0.5, 0.90)],
            StopReason.EarlyStopped, bestEpoch: 2, weightsEpoch: 2);
        Diagnosis d = Recipe.Diagnose(history);
        Assert.Equal(Verdict.Good, d.Verdict);
        Assert.Equal(2, d.Epoch);

        var notRestored = new TrainingHistory(history.Epochs, StopReason.EarlyStopped, bestEpoch: 2);
        Assert.Equal(Verdict.Generalization, Recipe.Diagnose(notRestored).Verdict);
    }

    [Fact]
    public void Without_validation_data_a_good_fit_is_unjudged()
    {
        Diagnosis d = Recipe.Diagnose(new TrainingHistory([Epoch(1, 0.05, 0.99, null, null)]));
        Assert.Equal(Verdict.Unjudged, d.Verdict);
        Assert.Contains("ValidationSplit", Assert.Single(d.Suggestions));
    }

    [Fact]
    public void An_empty_history_is_unjudged_and_a_diverged_loss_is_an_optimization_problem()
    {
        Assert.Equal(Verdict.Unjudged, Recipe.Diagnose(new TrainingHistory([])).Verdict);
        Diagnosis d = Recipe.Diagnose(new TrainingHistory([Epoch(1, double.NaN, null, null, null)]));
        Assert.Equal(Verdict.Optimization, d.Verdict);
        Assert.Contains("diverged", d.Summary);
    }

    [Fact]
    public void Regression_uses_the_loss_ratio_and_an_optional_loss_target()
    {
        // No accuracies: validation 0.2 vs training 0.1 is 2× > 1.5× → generalization.
        Assert.Equal(Verdict.Generalization, Recipe.Diagnose(new TrainingHistory([Epoch(1, 0.1, null, 0.2, null)])).Verdict);
        // 0.14 ≤ 1.5 × 0.1 → good (the training loss level itself is not judged without a target).
        Diagnosis good = Recipe.Diagnose(new TrainingHistory([Epoch(1, 0.1, null, 0.14, null)]));
        Assert.Equal(Verdict.Good, good.Verdict);
        Assert.Contains("MaxTrainingLoss", good.Summary);
        // With a target of 0.05, a training loss of 0.1 is poor.
        Assert.Equal(Verdict.Optimization,
            Recipe.Diagnose(new TrainingHistory([Epoch(1, 0.1, null, 0.14, null)]), new RecipeThresholds { MaxTrainingLoss = 0.05 }).Verdict);
    }

    [Fact]
    public void ToString_lists_the_suggestions()
    {
        Diagnosis d = Recipe.Diagnose(new TrainingHistory([Epoch(1, 0.1, 0.99, 0.6, 0.90)]));
        string text = d.ToString();
        Assert.StartsWith(d.Summary, text);
        Assert.Equal(d.Suggestions.Count, text.Split("\n  - ").Length - 1);
    }
}
