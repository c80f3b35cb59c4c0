using StaticNet.Metrics;
using StaticNet.Tests.Training;
using StaticNet.Training;

namespace StaticNet.Tests.Metrics;

/// <summary>Accuracy, top-k accuracy and the confusion matrix on hand-made scores.</summary>
public sealed class MetricsTests
{
    // Four rows of three class scores, labels 0, 1, 2, 2:
    //   row 0: 0.7 0.2 0.1 → predicted 0, label 0: right (rank 0)
    //   row 1: 0.5 0.3 0.2 → predicted 0, label 1: wrong (rank 1)
    //   row 2: 0.1 0.6 0.3 → predicted 1, label 2: wrong (rank 1)
    //   row 3: 0.6 0.3 0.1 → predicted 0, label 2: wrong (rank 2)
    private static readonly float[] Scores = [0.7f, 0.2f, 0.1f, 0.5f, 0.3f, 0.2f, 0.1f, 0.6f, 0.3f, 0.6f, 0.3f, 0.1f];
    private static readonly int[] Labels = [0, 1, 2, 2];

    [Fact]
    public void Accuracy_and_top_k()
    {
        Assert.Equal(0.25, ClassificationMetrics.Accuracy(Scores, Labels));
        Assert.Equal(0.75, ClassificationMetrics.TopKAccuracy(Scores, Labels, 2));
        Assert.Equal(1.0, ClassificationMetrics.TopKAccuracy(Scores, Labels, 3));
        Assert.Equal(1.0, ClassificationMetrics.TopKAccuracy(Scores, Labels, 7));
    }

    [Fact]
    public void Ties_go_to_the_lower_class_index_so_top_1_equals_accuracy()
    {
        float[] tied = [0.4f, 0.4f, 0.2f];
        Assert.Equal(0, ClassificationMetrics.ArgMax(tied));
        Assert.Equal(0, ClassificationMetrics.Rank(tied, 0));
        Assert.Equal(1, ClassificationMetrics.Rank(tied, 1));
        Assert.Equal(0.0, ClassificationMetrics.Accuracy(tied, [1]));
        Assert.Equal(0.0, ClassificationMetrics.TopKAccuracy(tied, [1], 1));
        Assert.Equal(1.0, ClassificationMetrics.TopKAccuracy(tied, [1], 2));
    }

    [Fact]
    public void Confusion_matrix_counts_actual_by_predicted()
    {
        var m = new ConfusionMatrix(3);
        m.Add(Scores, Labels);
        Assert.Equal(4, m.Total);
        Assert.Equal(1, m[0, 0]);
        Assert.Equal(1, m[1, 0]);
        Assert.Equal(1, m[2, 1]);
        Assert.Equal(1, m[2, 0]);
        Assert.Equal(0, m[2, 2]);
        Assert.Equal(0.25, m.Accuracy);
        Assert.Equal(1.0, m.Recall(0));
        Assert.Equal(0.0, m.Recall(2));
        Assert.Equal(1.0 / 3, m.Precision(0));
        Assert.True(double.IsNaN(m.Precision(2))); // nothing predicted as 2
        string table = m.ToString();
        Assert.Contains("actual\\predicted", table);
        Assert.Equal(3 + 1, table.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public void Shapes_and_labels_are_checked()
    {
        Assert.Contains("labels[1] is 3", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(new float[6], [0, 3])).Message);
        Assert.Contains("one row of class scores per label", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(new float[5], [0, 1])).Message);
        Assert.Contains("3 classes", Assert.Throws<ArgumentException>(() => new ConfusionMatrix(3).Add(new float[4], [0, 1])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(3).Add(0, 3));
    }

    [Fact]
    public void Model_evaluate_reports_loss_accuracy_top_k_and_confusion()
    {
        // The scripted network always says class 0 with probability 0.75; rows alternate labels 0, 1.
        var model = new Model<ScriptedNet>(new ScriptedNet { EvaluationLoss = _ => 0.25f });
        EvaluationResult r = model.Evaluate(ScriptedNet.IndexedData(10), topK: 2, batchSize: 3);
        Assert.Equal(10, r.Count);
        Assert.Equal(0.25, r.Loss, 12);
        Assert.Equal(0.5, r.Accuracy);
        Assert.Equal(1.0, r.TopKAccuracy);
        Assert.Equal(5, r.Confusion![0, 0]);
        Assert.Equal(5, r.Confusion![1, 0]);
    }
}
