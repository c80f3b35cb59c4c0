using System.Runtime.InteropServices;
using StaticNet.Training;

namespace StaticNet.Tests.Training;

/// <summary>The training loop: batches, shuffling, validation, history, progress, cancellation, divergence, determinism.</summary>
public sealed class FitTests
{
    [Fact]
    public void Every_epoch_is_a_reshuffled_permutation_and_the_seed_reproduces_it()
    {
        static List<int[]> Orders(int seed)
        {
            var net = new ScriptedNet();
            new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(20), new FitOptions { Epochs = 3, BatchSize = 20, Seed = seed, TrainingAccuracySamples = 0 });
            return net.TrainRowIds();
        }

        List<int[]> a = Orders(seed: 5);
        Assert.Equal(3, a.Count);
        int[] identity = Enumerable.Range(0, 20).ToArray();
        foreach (int[] epoch in a)
        {
            Assert.Equal(identity, epoch.Order().ToArray()); // each row exactly once
            Assert.NotEqual(identity, epoch);               // shuffled
        }
        Assert.NotEqual(a[0], a[1]);
        Assert.NotEqual(a[1], a[2]);
        Assert.NotEqual(a[0], a[2]);

        List<int[]> again = Orders(seed: 5);
        Assert.Equal(a, again);
        List<int[]> other = Orders(seed: 6);
        Assert.NotEqual(a[0], other[0]);
    }

    [Fact]
    public void Without_shuffling_rows_come_in_order()
    {
        var net = new ScriptedNet();
        new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(6), new FitOptions { Epochs = 2, BatchSize = 6, Shuffle = false, TrainingAccuracySamples = 0 });
        Assert.Equal([[0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]], net.TrainRowIds());
    }

    [Fact]
    public void The_partial_last_batch_is_used_every_epoch()
    {
        var net = new ScriptedNet();
        new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(10), new FitOptions { Epochs = 2, BatchSize = 4, TrainingAccuracySamples = 0 });
        Assert.Equal([4, 4, 2, 4, 4, 2], net.TrainRowIds().Select(b => b.Length));
        Assert.Equal(6, net.Steps);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            int[] seen = net.TrainRowIds().Skip(3 * epoch).Take(3).SelectMany(b => b).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, 10), seen);
        }
    }

    [Fact]
    public void Fit_gives_the_same_weights_as_train_steps_on_the_same_batches_including_the_last_partial_one()
    {
        Training3 data = SyntheticData.Blobs(11, seed: 3);
        var fitted = new TinyFitNet(seed: 4);
        new Model<TinyFitNet>(fitted).Fit(data.Dataset, new FitOptions { Epochs = 2, BatchSize = 4, Shuffle = false, TrainingAccuracySamples = 0 });

        var manual = new TinyFitNet(seed: 4);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            manual.TrainStep(data.X.AsSpan(0, 16), data.Y.AsSpan(0, 4));
            manual.TrainStep(data.X.AsSpan(16, 16), data.Y.AsSpan(4, 4));
            manual.TrainStep(data.X.AsSpan(32, 12), data.Y.AsSpan(8, 3)); // the 3 rows left over
        }
        Assert.Equal(Bits(manual.Parameters), Bits(fitted.Parameters));

        var dropped = new TinyFitNet(seed: 4); // what dropping the last batch would give
        for (int epoch = 0; epoch < 2; epoch++)
        {
            dropped.TrainStep(data.X.AsSpan(0, 16), data.Y.AsSpan(0, 4));
            dropped.TrainStep(data.X.AsSpan(16, 16), data.Y.AsSpan(4, 4));
        }
        Assert.NotEqual(Bits(dropped.Parameters), Bits(fitted.Parameters));
    }

    [Fact]
    public void Validation_split_takes_the_last_rows_before_shuffling_as_Keras()
    {
        var net = new ScriptedNet();
        TrainingHistory history = new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(10),
            new FitOptions { Epochs = 2, BatchSize = 3, ValidationSplit = 0.25, TrainingAccuracySamples = 0 });

        // ⌊10 · 0.75⌋ = 7 training rows (0–6); validation rows 7, 8, 9.
        Assert.Equal(Enumerable.Range(0, 7), net.TrainRowIds().Take(3).SelectMany(b => b).Order());
        Assert.All(net.EvaluationInputs, x => Assert.Equal(new float[] { 7, 70, 8, 80, 9, 90 }, x));
        Assert.Equal(2, net.EvaluationInputs.Count); // once per epoch
        Assert.All(history.Epochs, e => Assert.Equal(0.5, e.ValidationLoss));
    }

    [Fact]
    public void History_records_row_weighted_training_loss_validation_metrics_and_learning_rate()
    {
        var net = new ScriptedNet
        {
            TrainLoss = call => call + 1, // batches of 4, 4, 2 rows: losses 1, 2, 3, then 4, 5, 6
            EvaluationLoss = n => n.Steps == 3 ? 0.25f : 0.125f,
            // Class 0 when the first input is even: validation rows 0..3 with labels 0,1,0,1 → rows 0 and 2 right.
            InferRow = (_, x, p) => { p[0] = 1; p[1] = 0; },
        };
        Dataset validation = ScriptedNet.IndexedData(4);
        TrainingHistory history = new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(10),
            new FitOptions { Epochs = 2, BatchSize = 4, ValidationData = validation, TrainingAccuracySamples = 0 });

        Assert.Equal(2, history.Epochs.Count);
        EpochRecord first = history.Epochs[0], second = history.Epochs[1];
        Assert.Equal(1, first.Epoch);
        Assert.Equal(((1.0 * 4) + (2.0 * 4) + (3.0 * 2)) / 10, first.TrainLoss, 12);
        Assert.Equal(((4.0 * 4) + (5.0 * 4) + (6.0 * 2)) / 10, second.TrainLoss, 12);
        Assert.Equal(0.25, first.ValidationLoss);
        Assert.Equal(0.125, second.ValidationLoss);
        Assert.Equal(0.5, first.ValidationAccuracy);
        Assert.Null(first.TrainAccuracy); // TrainingAccuracySamples = 0
        Assert.Equal(0.1, first.LearningRate, 6);
        Assert.True(first.WallTime > TimeSpan.Zero);
        Assert.InRange(first.StepTime + first.EvaluationTime, TimeSpan.Zero, first.WallTime);
        Assert.True(first.EvaluationTime > TimeSpan.Zero);
        Assert.Equal(10, first.Examples);
        Assert.Equal(StopReason.Completed, history.StopReason);
        Assert.Equal(2, history.WeightsEpoch);
    }

    [Fact]
    public void Training_accuracy_is_measured_in_inference_mode_on_the_training_rows()
    {
        // Predicts class 1 for rows whose index is below 6: labels alternate, so rows 1, 3, 5 and 6, 8 are right: 5 of 10.
        var net = new ScriptedNet { InferRow = (_, x, p) => { bool one = x.Span[0] < 6; p[0] = one ? 0 : 1; p[1] = one ? 1 : 0; } };
        TrainingHistory history = new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(10), new FitOptions { BatchSize = 5 });
        Assert.Equal(0.5, history.Epochs[0].TrainAccuracy);
    }

    [Fact]
    public void Training_accuracy_on_a_sample_uses_that_many_distinct_rows()
    {
        var net = new ScriptedNet();
        new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(50), new FitOptions { BatchSize = 50, TrainingAccuracySamples = 7 });
        float[] evaluated = Assert.Single(net.InferInputs);
        int[] rows = Enumerable.Range(0, evaluated.Length / 2).Select(r => (int)evaluated[2 * r]).ToArray();
        Assert.Equal(7, rows.Distinct().Count());
        Assert.All(rows, r => Assert.InRange(r, 0, 49));
    }

    [Fact]
    public void Progress_reports_batches_at_the_interval_and_every_epoch_end()
    {
        var reports = new List<FitProgress>();
        new Model<ScriptedNet>(new ScriptedNet()).Fit(ScriptedNet.IndexedData(10),
            new FitOptions { Epochs = 2, BatchSize = 2, ProgressInterval = 2, TrainingAccuracySamples = 0 }, new Collect<FitProgress>(reports));

        // 5 batches per epoch: reports after batches 2 and 4, then the epoch end (with its record).
        Assert.Equal([(1, 2, false), (1, 4, false), (1, 5, true), (2, 2, false), (2, 4, false), (2, 5, true)],
            reports.Select(r => (r.Epoch, r.Batch, r.Completed is not null)));
        Assert.Equal([2L, 4, 5, 7, 9, 10], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal(5, r.BatchesPerEpoch));
    }

    [Fact]
    public void Cancellation_keeps_the_completed_epochs_and_the_last_complete_step()
    {
        using var cancel = new CancellationTokenSource();
        var net = new ScriptedNet();
        var progress = new Collect<FitProgress>([], r => { if (r.Epoch == 3 && r.Batch == 1) cancel.Cancel(); });
        var model = new Model<ScriptedNet>(net);

        TrainingCanceledException e = Assert.Throws<TrainingCanceledException>(() => model.Fit(ScriptedNet.IndexedData(8),
            new FitOptions { Epochs = 5, BatchSize = 2, ProgressInterval = 1, TrainingAccuracySamples = 0 }, progress, cancel.Token));

        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.Equal([1, 2], e.History.Epochs.Select(r => r.Epoch));
        Assert.Equal(StopReason.Canceled, e.History.StopReason);
        Assert.Equal(4 + 4 + 1, net.Steps); // two epochs of 4 batches, then the one batch before the cancellation
        Assert.IsAssignableFrom<OperationCanceledException>(e);
    }

    [Fact]
    public void A_token_cancelled_before_the_fit_takes_no_step()
    {
        var net = new ScriptedNet();
        TrainingCanceledException e = Assert.Throws<TrainingCanceledException>(() =>
            new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(4), new FitOptions(), null, new CancellationToken(canceled: true)));
        Assert.Empty(e.History.Epochs);
        Assert.Equal(0, net.Steps);
    }

    [Fact]
    public void A_NaN_loss_stops_with_epoch_and_step_and_the_bad_step_is_not_taken()
    {
        var net = new ScriptedNet { TrainLoss = call => call == 6 ? float.NaN : 1f };
        var model = new Model<ScriptedNet>(net);
        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() =>
            model.Fit(ScriptedNet.IndexedData(8), new FitOptions { Epochs = 3, BatchSize = 2, TrainingAccuracySamples = 0 }));

        // Calls 0–3 are epoch 1; call 6 is epoch 2, mini-batch 3, step 7.
        Assert.Equal(2, e.Epoch);
        Assert.Equal(3, e.Batch);
        Assert.Equal(7, e.Step);
        Assert.True(float.IsNaN(e.Loss));
        Assert.Contains("epoch 2, mini-batch 3 (step 7)", e.Message);
        Assert.Contains("NaN", e.Message);
        Assert.Equal(6, net.Steps);
        Assert.Single(e.History.Epochs);
        Assert.Equal(StopReason.Diverged, e.History.StopReason);
    }

    [Fact]
    public void A_NaN_gradient_with_a_finite_loss_also_stops_before_the_step_poisons_the_weights()
    {
        var net = new ScriptedNet { NaNGradient = call => call == 2 };
        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() =>
            new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(8), new FitOptions { Epochs = 2, BatchSize = 2, TrainingAccuracySamples = 0 }));
        Assert.Equal(3, e.Step);
        Assert.Contains("gradient", e.Message);
        Assert.Equal(2, net.Steps);
        Assert.All(net.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void A_real_network_that_diverges_keeps_the_weights_of_the_last_finite_step()
    {
        (float[] x, float[] y) = SyntheticData.Line(16, seed: 2);
        for (int i = 0; i < x.Length; i++) x[i] *= 1000; // huge inputs and a large rate: the loss explodes
        var net = new TinyRegressionNet(seed: 1) { LearningRate = 0.5f };
        var options = new FitOptions { Epochs = 50, BatchSize = 4, Shuffle = false };
        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() =>
            new Model<TinyRegressionNet>(net).Fit(new Dataset(x, 2, y), options));

        // Replay the steps that were taken with plain TrainStep: the same weights, all finite.
        var replay = new TinyRegressionNet(seed: 1) { LearningRate = 0.5f };
        for (long step = 0; step < e.Step - 1; step++)
        {
            int b = (int)(step % 4);
            replay.TrainStep(x.AsSpan(b * 8, 8), y.AsSpan(b * 4, 4));
        }
        Assert.Equal(Bits(replay.Parameters), Bits(net.Parameters));
        Assert.All(net.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
        Assert.True(e.Step > 1, "the first steps were finite");
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_weights_and_another_seed_does_not()
    {
        Training3 data = SyntheticData.Blobs(60, seed: 1);
        var options = new FitOptions
        {
            Epochs = 3,
            BatchSize = 8,
            Seed = 42,
            ValidationSplit = 0.2,
            Normalize = true,
            Augmentation = new Augmentation { NoiseStandardDeviation = 0.1 },
            Schedule = LearningRateSchedule.Exponential(0.5, 0.1),
        };
        byte[] Run(FitOptions o)
        {
            var model = Model<TinyFitNet>.Create(seed: 9);
            model.Fit(data.Dataset, o);
            return Bits(model.Network.Parameters);
        }

        Assert.Equal(Run(options), Run(options));
        var otherSeed = new FitOptions
        {
            Epochs = 3, BatchSize = 8, Seed = 43, ValidationSplit = 0.2, Normalize = true,
            Augmentation = new Augmentation { NoiseStandardDeviation = 0.1 }, Schedule = LearningRateSchedule.Exponential(0.5, 0.1),
        };
        Assert.NotEqual(Run(options), Run(otherSeed));
    }

    [Fact]
    public void A_tiny_network_learns_separable_blobs_and_the_history_shows_it()
    {
        Training3 data = SyntheticData.Blobs(300, seed: 8);
        var model = Model<TinyFitNet>.Create(seed: 2);
        TrainingHistory history = model.Fit(data.Dataset, new FitOptions { Epochs = 5, BatchSize = 16, ValidationSplit = 0.2 });
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
        Assert.True(history.Epochs[^1].ValidationAccuracy > 0.95, $"validation accuracy {history.Epochs[^1].ValidationAccuracy}");
        Assert.True(history.Epochs[^1].TrainAccuracy > 0.95);
    }

    [Fact]
    public void Bad_settings_and_data_are_refused_with_the_name_of_what_is_wrong()
    {
        var model = Model<TinyFitNet>.Create(1);
        Dataset data = SyntheticData.Blobs(10, 1).Dataset;
        Assert.Contains("BatchSize", Assert.Throws<ArgumentException>(() => model.Fit(data, new FitOptions { BatchSize = 0 })).Message);
        Assert.Contains("Epochs", Assert.Throws<ArgumentException>(() => model.Fit(data, new FitOptions { Epochs = 0 })).Message);
        Assert.Contains("ValidationSplit", Assert.Throws<ArgumentException>(() => model.Fit(data, new FitOptions { ValidationSplit = 1 })).Message);
        Assert.Contains("use one", Assert.Throws<ArgumentException>(() => model.Fit(data, new FitOptions { ValidationSplit = 0.5, ValidationData = data })).Message);
        Assert.Contains("no validation data", Assert.Throws<ArgumentException>(() => model.Fit(data, new FitOptions { EarlyStopping = new EarlyStopping() })).Message);
        Assert.Contains("takes 4",
            Assert.Throws<ArgumentException>(() => model.Fit(new Dataset(new float[6], 3, new int[2]))).Message);
        Assert.Contains("labels must be in [0, 3)",
            Assert.Throws<ArgumentException>(() => model.Fit(new Dataset(new float[8], 4, new[] { 0, 3 }))).Message);
        Assert.Contains("3 outputs",
            Assert.Throws<ArgumentException>(() => model.Fit(new Dataset(new float[8], 4, new float[4]))).Message);
        Assert.Contains("Image", Assert.Throws<ArgumentException>(() =>
            model.Fit(data, new FitOptions { Augmentation = new Augmentation { MaxShift = 1 } })).Message);
        Assert.Contains("2×3×1 has 6 values", Assert.Throws<ArgumentException>(() =>
            model.Fit(data, new FitOptions { Augmentation = new Augmentation { Image = new ImageShape(2, 3), MaxShift = 1 } })).Message);
    }

    [Fact]
    public void History_as_CSV_has_one_line_per_epoch_and_empty_fields_for_missing_values()
    {
        var history = new TrainingHistory(
        [
            new EpochRecord(1, 0.5, 0.75, 0.625, 0.5, 0.1, TimeSpan.FromSeconds(1.5)),
            new EpochRecord(2, 0.25, null, null, null, 0.05, TimeSpan.FromMilliseconds(250)),
        ]);
        Assert.Equal(
            "epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,seconds\n" +
            "1,0.5,0.75,0.625,0.5,0.1,1.5\n" +
            "2,0.25,,,,0.05,0.25\n",
            history.ToCsv());

        string path = Path.Combine(Path.GetTempPath(), $"staticnet-history-{Guid.NewGuid():N}.csv");
        try
        {
            history.SaveCsv(path);
            Assert.Equal(history.ToCsv(), File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_history_refuses_misnumbered_epochs()
    {
        Assert.Contains("numbered 2; expected 1", Assert.Throws<ArgumentException>(() =>
            new TrainingHistory([new EpochRecord(2, 1, null, null, null, 0.1, TimeSpan.Zero)])).Message);
    }

    internal static byte[] Bits(ReadOnlySpan<float> values) => MemoryMarshal.AsBytes(values).ToArray();
}

/// <summary>A synchronous <see cref="IProgress{T}"/> that collects every report (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class Collect<T>(List<T> into, Action<T>? also = null) : IProgress<T>
{
    public List<T> Reports => into;

    public void Report(T value)
    {
        into.Add(value);
        also?.Invoke(value);
    }
}
