using StaticNet.Training;

namespace StaticNet.Tests.Training;

/// <summary>Keras EarlyStopping semantics on constructed validation sequences.</summary>
public sealed class EarlyStoppingTests
{
    private const int BatchesPerEpoch = 2; // IndexedData(4) with batch size 2

    /// <summary>A network whose validation loss after epoch e (from 1) is losses[e − 1], read from its step count.</summary>
    private static ScriptedNet WithValidationLosses(params float[] losses) => new()
    {
        EvaluationLoss = n => losses[(int)(n.Steps / BatchesPerEpoch) - 1],
    };

    private static TrainingHistory Fit(ScriptedNet net, EarlyStopping stopping, int epochs = 10) =>
        new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(4), new FitOptions
        {
            Epochs = epochs,
            BatchSize = 2,
            ValidationData = ScriptedNet.IndexedData(2),
            EarlyStopping = stopping,
            TrainingAccuracySamples = 0,
        });

    [Fact]
    public void Stops_once_patience_epochs_pass_without_improvement_and_restores_the_best_epoch()
    {
        var net = WithValidationLosses(1.0f, 0.8f, 0.81f, 0.82f, 0.83f, 0.1f, 0.1f);
        TrainingHistory history = Fit(net, new EarlyStopping { Patience = 3 });

        // Best 0.8 at epoch 2; epochs 3, 4, 5 do not improve: stop after epoch 5 (the 0.1 of epoch 6 is never seen).
        Assert.Equal(5, history.Epochs.Count);
        Assert.Equal(StopReason.EarlyStopped, history.StopReason);
        Assert.Equal(2, history.BestEpoch);
        Assert.Equal(2, history.WeightsEpoch);
        Assert.Equal(2 * BatchesPerEpoch, net.Steps); // the parameters of the end of epoch 2
        Assert.Equal(0.8f, (float)history.Final!.ValidationLoss!.Value);
    }

    [Fact]
    public void Without_restoring_the_network_keeps_the_last_epoch()
    {
        var net = WithValidationLosses(1.0f, 0.8f, 0.81f, 0.82f, 0.83f);
        TrainingHistory history = Fit(net, new EarlyStopping { Patience = 3, RestoreBestWeights = false });
        Assert.Equal(5, history.Epochs.Count);
        Assert.Equal(2, history.BestEpoch);
        Assert.Equal(5, history.WeightsEpoch);
        Assert.Equal(5 * BatchesPerEpoch, net.Steps);
    }

    [Fact]
    public void Min_delta_is_absolute_so_small_gains_do_not_count()
    {
        // 0.95, 0.94 and 0.93 are not below 1.0 − 0.1: no improvement after epoch 1; patience 2 stops after epoch 3.
        var net = WithValidationLosses(1.0f, 0.95f, 0.94f, 0.93f, 0.5f);
        TrainingHistory history = Fit(net, new EarlyStopping { Patience = 2, MinDelta = 0.1 });
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(1, history.BestEpoch);
        Assert.Equal(1 * BatchesPerEpoch, net.Steps);
    }

    [Fact]
    public void An_improvement_resets_the_patience()
    {
        // Improvements at 1, 3, 5; stalls at 2, 4, 6, 7 → with patience 2, stop after epoch 7.
        var net = WithValidationLosses(1.0f, 1.1f, 0.9f, 0.95f, 0.8f, 0.85f, 0.85f, 0.1f);
        TrainingHistory history = Fit(net, new EarlyStopping { Patience = 2 });
        Assert.Equal(7, history.Epochs.Count);
        Assert.Equal(5, history.BestEpoch);
        Assert.Equal(5 * BatchesPerEpoch, net.Steps);
    }

    [Fact]
    public void Patience_zero_stops_at_the_first_epoch_that_does_not_improve()
    {
        var net = WithValidationLosses(1.0f, 0.5f, 0.5f, 0.1f);
        TrainingHistory history = Fit(net, new EarlyStopping { Patience = 0 });
        Assert.Equal(3, history.Epochs.Count); // 0.5 is not below 0.5
        Assert.Equal(2, history.BestEpoch);
    }

    [Fact]
    public void Validation_accuracy_is_maximized()
    {
        // Accuracy after epoch e: class-0 probability per epoch decides whether rows 0 (label 0) and 1 (label 1) are right.
        // Epoch 1: both right (1.0); epoch 2: one right (0.5); epoch 3: one right (0.5) → patience 2 stops after epoch 3.
        var net = new ScriptedNet
        {
            InferRow = (n, x, p) =>
            {
                int epoch = (int)(n.Steps / BatchesPerEpoch);
                bool right = epoch == 1 || x.Span[0] == 0;
                int label = (int)x.Span[0] % 2;
                int predicted = right ? label : 1 - label;
                p[predicted] = 0.9f;
                p[1 - predicted] = 0.1f;
            },
        };
        TrainingHistory history = Fit(net, new EarlyStopping { Monitor = MonitoredQuantity.ValidationAccuracy, Patience = 2 });
        Assert.Equal([1.0, 0.5, 0.5], history.Epochs.Select(e => e.ValidationAccuracy!.Value));
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(1, history.BestEpoch);
        Assert.Equal(1 * BatchesPerEpoch, net.Steps);
    }

    [Fact]
    public void When_patience_never_runs_out_the_best_weights_are_still_restored_at_the_end_as_in_Keras_3()
    {
        var net = WithValidationLosses(1.0f, 0.5f, 0.6f, 0.7f);
        TrainingHistory history = Fit(net, new EarlyStopping { Patience = 5 }, epochs: 4);
        Assert.Equal(StopReason.Completed, history.StopReason);
        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal(2, history.WeightsEpoch);
        Assert.Equal(2 * BatchesPerEpoch, net.Steps);
    }

    [Fact]
    public void A_NaN_validation_loss_never_counts_as_an_improvement()
    {
        var net = WithValidationLosses(float.NaN, 0.5f, float.NaN, float.NaN, 0.1f);
        TrainingHistory history = Fit(net, new EarlyStopping { Patience = 2 });
        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal(2, history.BestEpoch);
    }

    [Fact]
    public void Real_network_with_restore_holds_the_weights_whose_validation_loss_is_the_best_in_the_history()
    {
        Training3 train = SyntheticData.Blobs(90, seed: 11);
        Training3 validation = SyntheticData.Blobs(30, seed: 12);
        var model = Model<TinyFitNet>.Create(seed: 3);
        model.Network.LearningRate = 2f; // large steps: the validation loss goes up and down
        TrainingHistory history = model.Fit(train.Dataset, new FitOptions
        {
            Epochs = 12,
            BatchSize = 30,
            ValidationData = validation.Dataset,
            EarlyStopping = new EarlyStopping { Patience = 12 },
        });
        double best = history.Epochs.Min(e => e.ValidationLoss!.Value);
        Assert.Equal(best, history.Final!.ValidationLoss);
        double now = model.Network.ComputeLoss(validation.X, validation.Y);
        Assert.Equal(best, now, 6);
    }
}
