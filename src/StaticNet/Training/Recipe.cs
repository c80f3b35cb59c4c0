using System.Globalization;
using System.Text;

namespace StaticNet.Training;

/// <summary>Which of the two problems of the notes' recipe a fit has.</summary>
public enum Verdict
{
    /// <summary>Results on the training data are poor: an optimization problem (not overfitting).</summary>
    Optimization = 0,

    /// <summary>Training results are good but validation results are much worse: a generalization problem (overfitting).</summary>
    Generalization = 1,

    /// <summary>Good on the training data and on the validation data.</summary>
    Good = 2,

    /// <summary>Not enough to judge: no epochs, or good training results and no validation data.</summary>
    Unjudged = 3,
}

/// <summary>The documented thresholds of <see cref="Recipe.Diagnose"/>. Comparisons are strict: a value exactly at a threshold passes.</summary>
public sealed record RecipeThresholds
{
    /// <summary>With classes: a training accuracy below this is poor (optimization problem). Default 0.90.</summary>
    public double MinTrainingAccuracy { get; init; } = 0.90;

    /// <summary>With classes: training accuracy minus validation accuracy above this is a generalization problem. Default 0.03 (3 percentage points).</summary>
    public double MaxAccuracyGap { get; init; } = 0.03;

    /// <summary>Without classes: a training loss above this is poor. Default null: the training loss is not judged on its own.</summary>
    public double? MaxTrainingLoss { get; init; }

    /// <summary>Without classes: a validation loss above this multiple of the training loss is a generalization problem. Default 1.5.</summary>
    public double MaxLossRatio { get; init; } = 1.5;
}

/// <summary>The recipe's diagnosis of a fit.</summary>
/// <param name="Verdict">Which problem, if any.</param>
/// <param name="Epoch">The epoch judged: the one whose weights the network holds (<see cref="TrainingHistory.WeightsEpoch"/>); 0 for an empty history.</param>
/// <param name="Summary">The finding in plain words, with the numbers it rests on.</param>
/// <param name="Suggestions">What the notes suggest for this problem, most promising first.</param>
public sealed record Diagnosis(Verdict Verdict, int Epoch, string Summary, IReadOnlyList<string> Suggestions)
{
    /// <summary>The summary, then one suggestion per line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Summary);
        foreach (string suggestion in Suggestions) text.Append('\n').Append("  - ").Append(suggestion);
        return text.ToString();
    }
}

/// <summary>
/// The recipe at the heart of the notes: first get good results on the training data, then on
/// the validation (test) data, and know which of the two is the problem. A pure function of a
/// <see cref="TrainingHistory"/>.
/// </summary>
public static class Recipe
{
    /// <summary>
    /// Diagnoses the epoch whose weights the network holds (<see cref="TrainingHistory.Final"/>).
    /// With a training accuracy (classification): accuracy below
    /// <see cref="RecipeThresholds.MinTrainingAccuracy"/> is an optimization problem; otherwise,
    /// without validation accuracy the verdict is <see cref="Verdict.Unjudged"/>; otherwise a gap
    /// (training − validation accuracy) above <see cref="RecipeThresholds.MaxAccuracyGap"/> is a
    /// generalization problem, and anything else is good. Without a training accuracy
    /// (regression), the losses are used the same way with <see cref="RecipeThresholds.MaxTrainingLoss"/>
    /// and <see cref="RecipeThresholds.MaxLossRatio"/> (validation loss / mean training mini-batch loss).
    /// A NaN or infinite loss is always an optimization problem.
    /// </summary>
    /// <param name="history">The fit's history.</param>
    /// <param name="thresholds">The thresholds; null for the defaults.</param>
    /// <returns>The diagnosis.</returns>
    public static Diagnosis Diagnose(TrainingHistory history, RecipeThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        thresholds ??= new RecipeThresholds();
        EpochRecord? r = history.Final;
        if (r is null)
        {
            return new Diagnosis(Verdict.Unjudged, 0, "The history has no epochs: nothing to judge.", []);
        }
        if (!double.IsFinite(r.TrainLoss))
        {
            return new Diagnosis(Verdict.Optimization, r.Epoch,
                $"The training loss is {Number(r.TrainLoss)} at epoch {r.Epoch}: training diverged. This is an optimization problem.",
                [LowerRate, .. OptimizationSuggestions]);
        }
        return r.TrainAccuracy is double trainAccuracy
            ? ByAccuracy(r, trainAccuracy, thresholds)
            : ByLoss(r, thresholds);
    }

    private static Diagnosis ByAccuracy(EpochRecord r, double train, RecipeThresholds t)
    {
        if (train < t.MinTrainingAccuracy)
        {
            return new Diagnosis(Verdict.Optimization, r.Epoch,
                $"Training accuracy is {Percent(train)} at epoch {r.Epoch}, below {Percent(t.MinTrainingAccuracy)}: the network does not fit its own training data. " +
                "This is an optimization problem, not overfitting: dropout or regularization would only make it worse.",
                OptimizationSuggestions);
        }
        if (r.ValidationAccuracy is not double validation)
        {
            return new Diagnosis(Verdict.Unjudged, r.Epoch,
                $"Training accuracy is {Percent(train)} at epoch {r.Epoch}, good; without validation data the recipe cannot judge generalization.",
                [ValidateSuggestion]);
        }
        double gap = train - validation;
        if (gap > t.MaxAccuracyGap)
        {
            return new Diagnosis(Verdict.Generalization, r.Epoch,
                $"Training accuracy is {Percent(train)} but validation accuracy only {Percent(validation)} at epoch {r.Epoch}: a gap of {Points(gap)}, more than {Points(t.MaxAccuracyGap)}. " +
                "The network fits the training data but does not generalize: a generalization problem (overfitting).",
                GeneralizationSuggestions);
        }
        return new Diagnosis(Verdict.Good, r.Epoch,
            $"Training accuracy {Percent(train)} and validation accuracy {Percent(validation)} at epoch {r.Epoch} (gap {Points(gap)}, at most {Points(t.MaxAccuracyGap)}): " +
            "good on the training data and on unseen data; the recipe has nothing to fix.",
            GoodSuggestions);
    }

    private static Diagnosis ByLoss(EpochRecord r, RecipeThresholds t)
    {
        double train = r.TrainLoss;
        if (t.MaxTrainingLoss is double limit && train > limit)
        {
            return new Diagnosis(Verdict.Optimization, r.Epoch,
                $"The training loss is {Number(train)} at epoch {r.Epoch}, above {Number(limit)}: the network does not fit its own training data. " +
                "This is an optimization problem, not overfitting: dropout or regularization would only make it worse.",
                OptimizationSuggestions);
        }
        string judged = t.MaxTrainingLoss is null ? " (its level is not judged: set RecipeThresholds.MaxTrainingLoss for that)" : "";
        if (r.ValidationLoss is not double validation)
        {
            return new Diagnosis(Verdict.Unjudged, r.Epoch,
                $"The training loss is {Number(train)} at epoch {r.Epoch}{judged}; without validation data the recipe cannot judge generalization.",
                [ValidateSuggestion]);
        }
        if (!double.IsFinite(validation) || validation > train * t.MaxLossRatio)
        {
            return new Diagnosis(Verdict.Generalization, r.Epoch,
                $"The validation loss {Number(validation)} is more than {Number(t.MaxLossRatio)}× the training loss {Number(train)} at epoch {r.Epoch}: " +
                "the network fits the training data but does not generalize: a generalization problem (overfitting).",
                GeneralizationSuggestions);
        }
        return new Diagnosis(Verdict.Good, r.Epoch,
            $"The validation loss {Number(validation)} is within {Number(t.MaxLossRatio)}× the training loss {Number(train)} at epoch {r.Epoch}{judged}: " +
            "the network generalizes; the recipe has nothing to fix.",
            GoodSuggestions);
    }

    private const string LowerRate = "Lower the learning rate, or standardize the inputs (FitOptions.Normalize).";

    private const string ValidateSuggestion = "Hold out validation data (FitOptions.ValidationSplit or ValidationData) to see whether the network generalizes.";

    private static readonly string[] OptimizationSuggestions =
    [
        "Use ReLU-family or Maxout activations: sigmoid and tanh make the gradients of early layers vanish in deep networks.",
        "Use an adaptive optimizer (Adam, RMSProp) or momentum.",
        "Change the learning rate (try ×10 and ×0.1) or use a learning-rate schedule.",
        "Train for more epochs, or use a wider or deeper network.",
        "Standardize the inputs (FitOptions.Normalize).",
    ];

    private static readonly string[] GeneralizationSuggestions =
    [
        "Stop early: EarlyStopping on the validation loss, restoring the best weights.",
        "Regularize: L2 weight decay (or L1).",
        "Add dropout.",
        "Get more training data, or augment it (FitOptions.Augmentation).",
        "Use a smaller network.",
    ];

    private static readonly string[] GoodSuggestions =
    [
        "For a little more: average an ensemble of independently trained networks (Ensemble).",
    ];

    private static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);

    private static string Points(double value) => (value * 100).ToString("F2", CultureInfo.InvariantCulture) + " points";

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
