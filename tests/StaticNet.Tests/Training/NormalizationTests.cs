using StaticNet.Training;

namespace StaticNet.Tests.Training;

/// <summary>Standardization: statistics, constant features, and automatic use in training, validation and prediction.</summary>
public sealed class NormalizationTests
{
    [Fact]
    public void Mean_and_population_standard_deviation_per_feature()
    {
        // Feature 0: 1, 3, 5 → μ 3, σ √(8/3); feature 1: constant 5; feature 2: 2, 4, 12 → μ 6, σ √(56/3).
        float[] x = [1, 5, 2, 3, 5, 4, 5, 5, 12];
        Standardizer s = Standardizer.Fit(x, 3);
        Assert.Equal([3f, 5f, 6f], s.Mean.ToArray());
        Assert.Equal((float)Math.Sqrt(8.0 / 3), s.StandardDeviation[0]);
        Assert.Equal(0f, s.StandardDeviation[1]);
        Assert.Equal((float)Math.Sqrt(56.0 / 3), s.StandardDeviation[2]);
    }

    [Fact]
    public void Apply_standardizes_and_a_constant_feature_is_centred_not_NaN()
    {
        Standardizer s = new([3, 5, 6], [2, 0, 4]);
        float[] output = new float[6];
        s.Apply([5, 5, 2, 1, 7, 6], output);
        Assert.Equal([1f, 0f, -1f, -1f, 2f, 0f], output);
        Assert.All(output, v => Assert.False(float.IsNaN(v)));
    }

    [Fact]
    public void Statistics_that_are_not_allowed_are_refused()
    {
        Assert.Contains("standardDeviation[1] is -1", Assert.Throws<ArgumentException>(() => new Standardizer([0, 0], [1, -1])).Message);
        Assert.Contains("mean[0] is NaN", Assert.Throws<ArgumentException>(() => new Standardizer([float.NaN], [1])).Message);
        Assert.Contains("as many as mean", Assert.Throws<ArgumentException>(() => new Standardizer([0, 0], [1])).Message);
        Assert.Contains("row 1, feature 0", Assert.Throws<ArgumentException>(() => Standardizer.Fit([1, 2, float.PositiveInfinity, 3], 2)).Message);
    }

    [Fact]
    public void Fit_normalizes_with_statistics_of_the_training_rows_only_and_applies_them_everywhere()
    {
        // Rows i = 0..9 have inputs (i, 10·i); the validation split takes rows 8, 9.
        var net = new ScriptedNet();
        var model = new Model<ScriptedNet>(net);
        model.Fit(ScriptedNet.IndexedData(10), new FitOptions { BatchSize = 8, Shuffle = false, ValidationSplit = 0.2, Normalize = true, TrainingAccuracySamples = 0 });

        // Training rows 0..7: μ = (3.5, 35), σ = √(Σ(i − 3.5)²/8) = √5.25 and 10·√5.25.
        Standardizer s = model.Normalization!;
        Assert.Equal([3.5f, 35f], s.Mean.ToArray());
        Assert.Equal((float)Math.Sqrt(5.25), s.StandardDeviation[0]);
        Assert.Equal((float)(10 * Math.Sqrt(5.25)), s.StandardDeviation[1], 4);

        float z(double i) => (float)((i - 3.5) / Math.Sqrt(5.25));
        float[] batch = Assert.Single(net.TrainInputs);
        for (int i = 0; i < 8; i++) Assert.Equal(z(i), batch[2 * i], 5);
        float[] validation = Assert.Single(net.EvaluationInputs);
        Assert.Equal(z(8), validation[0], 5);
        Assert.Equal(z(9), validation[2], 5);

        float[] outputs = new float[2];
        model.Predict([3.5f + (float)Math.Sqrt(5.25), 35], outputs);
        Assert.Equal([1f, 0f], net.InferInputs[^1], (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Without_normalize_the_existing_standardizer_of_the_model_is_used_as_it_is()
    {
        var net = new ScriptedNet();
        var model = new Model<ScriptedNet>(net, new Standardizer([1, 0], [2, 1]));
        model.Fit(ScriptedNet.IndexedData(3), new FitOptions { BatchSize = 3, Shuffle = false, TrainingAccuracySamples = 0 });
        Assert.Equal([-0.5f, 0f, 0f, 10f, 0.5f, 20f], Assert.Single(net.TrainInputs));
        Assert.Equal([1f, 0f], model.Normalization!.Mean.ToArray());
    }

    [Fact]
    public void A_standardizer_of_the_wrong_width_is_refused()
    {
        var model = Model<TinyFitNet>.Create(1);
        Assert.Contains("takes 4 inputs", Assert.Throws<ArgumentException>(() => model.Normalization = new Standardizer([0, 0], [1, 1])).Message);
    }

    [Fact]
    public void Normalization_rescues_badly_scaled_inputs()
    {
        // Blobs with one feature scaled by 1000: without standardization the tanh layer saturates.
        Training3 data = SyntheticData.Blobs(150, seed: 4);
        float[] scaled = (float[])data.X.Clone();
        for (int i = 0; i < scaled.Length; i += 4) scaled[i] = (scaled[i] * 1000) + 5000;
        var dataset = new Dataset(scaled, 4, data.Y);
        var model = Model<TinyFitNet>.Create(seed: 5);
        TrainingHistory history = model.Fit(dataset, new FitOptions { Epochs = 10, BatchSize = 10, Normalize = true });
        Assert.True(history.Epochs[^1].TrainAccuracy > 0.95, $"training accuracy {history.Epochs[^1].TrainAccuracy}");
    }
}
