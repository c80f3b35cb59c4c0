using StaticNet.Training;

namespace StaticNet.Tests.Training;

/// <summary>Ensembles: averaging of probabilities, accuracy beside each member's, seeds.</summary>
public sealed class EnsembleTests
{
    /// <summary>A member that gives fixed probabilities of class 0 for rows 0 and 1.</summary>
    private static Model<ScriptedNet> Member(float row0, float row1) => new(new ScriptedNet
    {
        InferRow = (_, x, p) =>
        {
            p[0] = x.Span[0] == 0 ? row0 : row1;
            p[1] = 1 - p[0];
        },
    });

    [Fact]
    public void Averaging_probabilities_can_be_right_where_each_member_is_half_wrong()
    {
        // Labels: row 0 → class 0, row 1 → class 1.
        // Member A: row 0 p₀ = 0.9 (right), row 1 p₀ = 0.6 (wrong). Member B: row 0 p₀ = 0.4 (wrong), row 1 p₀ = 0.1 (right).
        // Average: row 0 p₀ = 0.65 (right), row 1 p₀ = 0.35 (right).
        var ensemble = new Ensemble<ScriptedNet>([Member(0.9f, 0.6f), Member(0.4f, 0.1f)]);
        Dataset data = ScriptedNet.IndexedData(2);

        float[] averaged = new float[4];
        ensemble.Predict(data.Features.Span, averaged);
        Assert.Equal([0.65f, 0.35f, 0.35f, 0.65f], averaged, (a, b) => Math.Abs(a - b) < 1e-6f);

        EnsembleEvaluation evaluation = ensemble.Evaluate(data, topK: 1);
        Assert.Equal(1.0, evaluation.Ensemble.Accuracy);
        Assert.Equal([0.5, 0.5], evaluation.Members.Select(m => m.Accuracy!.Value));
        // Cross-entropy of the averaged probabilities: −(ln 0.65 + ln 0.65) / 2.
        Assert.Equal(-Math.Log(0.65), evaluation.Ensemble.Loss, 6);
        Assert.Equal(1, evaluation.Ensemble.Confusion![0, 0]);
        Assert.Equal(1, evaluation.Ensemble.Confusion![1, 1]);
    }

    [Fact]
    public void Create_uses_consecutive_seeds_and_fit_trains_every_member()
    {
        var ensemble = Ensemble<TinyFitNet>.Create(3, seed: 10);
        Assert.Equal(3, ensemble.Members.Count);
        Assert.Equal(FitTests.Bits(new TinyFitNet(11).Parameters), FitTests.Bits(ensemble.Members[1].Network.Parameters));

        Training3 train = SyntheticData.Blobs(120, seed: 1);
        Training3 test = SyntheticData.Blobs(60, seed: 2);
        var reports = new List<EnsembleProgress>();
        IReadOnlyList<TrainingHistory> histories = ensemble.Fit(train.Dataset, new FitOptions { Epochs = 3, BatchSize = 10 }, new Collect<EnsembleProgress>(reports));

        Assert.Equal(3, histories.Count);
        Assert.All(histories, h => Assert.Equal(3, h.Epochs.Count));
        Assert.Equal([0, 1, 2], reports.Where(r => r.Progress.Completed is not null).Select(r => r.Member).Distinct());
        Assert.NotEqual(FitTests.Bits(ensemble.Members[0].Network.Parameters), FitTests.Bits(ensemble.Members[1].Network.Parameters));

        EnsembleEvaluation evaluation = ensemble.Evaluate(test.Dataset);
        Assert.Equal(3, evaluation.Members.Count);
        Assert.True(evaluation.Ensemble.Accuracy > 0.9, $"ensemble accuracy {evaluation.Ensemble.Accuracy}");
        Assert.All(evaluation.Members, m => Assert.Equal(60, m.Count));
    }

    [Fact]
    public void An_empty_ensemble_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new Ensemble<TinyFitNet>([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ensemble<TinyFitNet>.Create(0, 1));
    }
}
