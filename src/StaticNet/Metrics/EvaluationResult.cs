namespace StaticNet.Metrics;

/// <summary>What an evaluation of a network (or an ensemble) on a dataset measured.</summary>
/// <param name="Count">The number of examples.</param>
/// <param name="Loss">The mean loss over the examples, in inference mode.</param>
/// <param name="Accuracy">The fraction whose arg-max output is the class; null when the data has no classes.</param>
/// <param name="TopK">The k of <paramref name="TopKAccuracy"/>.</param>
/// <param name="TopKAccuracy">The fraction whose class is among the k highest outputs; null when the data has no classes.</param>
/// <param name="Confusion">The confusion matrix (actual × predicted); null when the data has no classes.</param>
public sealed record EvaluationResult(int Count, double Loss, double? Accuracy, int TopK, double? TopKAccuracy, ConfusionMatrix? Confusion);
