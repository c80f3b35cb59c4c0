using StaticNet.Tests.Training;
using StaticNet.Training;

namespace StaticNet.Tests.Reliability
{
    /// <summary>
    /// Issue 16, failure 3 in the training workflow: nothing is lost on NaN. Fit's divergence guard leaves the network
    /// exactly as it was before the diverged mini-batch (batch normalization's running statistics included), names the
    /// mini-batch and the first non-finite input, and also stops on statistics that overflow from finite inputs.
    /// </summary>
    public sealed class FitNaNTests
    {
        private const int Rows = 24;

        // The networks: GuardedSgdNet (7 inputs, batch normalization and dropout, SGD; ReliabilityNetworks.cs) and TinyAdamNet
        // (4 inputs, Adam; TrainingTestNetworks.cs), both with 3 classes.
        private const int BatchNormInputs = 7, AdamInputs = 4;

        private static (float[] X, int[] Y) Data(int seed, int width)
        {
            var random = new Random(seed);
            float[] x = new float[Rows * width];
            int[] y = new int[Rows];
            for (int i = 0; i < Rows; i++)
            {
                y[i] = i % 3;
                for (int j = 0; j < width; j++) x[i * width + j] = (j == y[i] ? 2f : 0f) + (float)(random.NextDouble() - 0.5);
            }
            return (x, y);
        }

        /// <summary>Every bit of trained state: parameters, optimizer state and step, running statistics, noise counter, learning rate.</summary>
        private static string State(INetwork net) => ModelFileLimitTests.State(net) + "|" + net.NoiseStep + "|" + BitConverter.SingleToInt32Bits(net.LearningRate);

        private static FitOptions Options(int epochs = 1) => new() { Epochs = epochs, BatchSize = 4, Shuffle = false, TrainingAccuracySamples = 0 };

        /// <summary>The network trained on the first <paramref name="rows"/> rows only, which is the state before the mini-batch that starts there.</summary>
        private static TNet TrainedOnFirst<TNet>(float[] x, int[] y, int rows) where TNet : class, INetwork<TNet>
        {
            var model = Model<TNet>.Create(seed: 1);
            int width = TNet.Descriptor.Inputs;
            model.Fit(new Dataset(x.AsMemory(0, rows * width), width, y.AsMemory(0, rows)), Options());
            return model.Network;
        }

        [Fact]
        public void A_NaN_input_leaves_a_batch_normalized_network_exactly_as_before_its_mini_batch()
        {
            (float[] x, int[] y) = Data(1, BatchNormInputs);
            x[13 * BatchNormInputs + 2] = float.NaN; // row 13: mini-batch 4 (rows 12-15), its row 1
            var model = Model<GuardedSgdNet>.Create(seed: 1);

            var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(new Dataset(x, BatchNormInputs, y), Options()));

            // Before: the running statistics were already NaN (32 of 32 in the issue), so Infer on the "kept" network gave NaN.
            Assert.Equal(State(TrainedOnFirst<GuardedSgdNet>(x, y, 12)), State(model.Network));
            Assert.All(model.Network.Statistics.ToArray(), v => Assert.True(float.IsFinite(v)));
            float[] scores = new float[3];
            model.Network.Infer(x.AsSpan(0, BatchNormInputs), scores);
            Assert.All(scores, v => Assert.True(float.IsFinite(v)));

            Assert.Equal(1, e.Epoch);
            Assert.Equal(4, e.Batch);
            Assert.Equal(4, e.Step);
            Assert.Equal(DivergedQuantity.Loss, e.Quantity);
            Assert.Equal(new NonFiniteValue(13, 1, 2, float.NaN, IsTarget: false), e.FirstNonFinite);
            Assert.Contains("mini-batch 4", e.Message);
            Assert.Contains("Row 13 of the training data (row 1 of the mini-batch) has input 2 = NaN", e.Message);
        }

        [Fact]
        public void An_infinite_input_in_an_Adam_network_is_named_and_loses_nothing()
        {
            (float[] x, int[] y) = Data(2, AdamInputs);
            x[21 * AdamInputs] = float.NegativeInfinity;
            x[22 * AdamInputs + 1] = float.NaN;
            var model = Model<TinyAdamNet>.Create(seed: 1);
            var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(new Dataset(x, AdamInputs, y), Options()));
            Assert.Equal(State(TrainedOnFirst<TinyAdamNet>(x, y, 20)), State(model.Network));
            Assert.Equal(new NonFiniteValue(21, 1, 0, float.NegativeInfinity, IsTarget: false), e.FirstNonFinite);
            Assert.Equal(6, e.Batch);
        }

        [Fact]
        public void A_finite_1e38_input_stops_the_fit_instead_of_leaving_an_infinite_running_variance()
        {
            (float[] x, int[] y) = Data(3, BatchNormInputs);
            x[9 * BatchNormInputs + 3] = 1e38f; // mini-batch 3
            var model = Model<GuardedSgdNet>.Create(seed: 1);

            // Before: Fit finished, with running_var at +Inf.
            var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(new Dataset(x, BatchNormInputs, y), Options()));
            Assert.Equal(3, e.Batch);
            Assert.Null(e.FirstNonFinite);
            Assert.Contains("the largest in magnitude is 1E+38 (row 9 of the training data, input 3)", e.Message);
            Assert.Equal(State(TrainedOnFirst<GuardedSgdNet>(x, y, 8)), State(model.Network));
            Assert.All(model.Network.Statistics.ToArray(), v => Assert.True(float.IsFinite(v)));
        }

        [Fact]
        public void A_NaN_dense_target_is_named_as_a_target()
        {
            var random = new Random(4);
            float[] x = new float[Rows * 2], t = new float[Rows];
            for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
            for (int i = 0; i < Rows; i++) t[i] = x[2 * i] - x[2 * i + 1];
            t[5] = float.PositiveInfinity;
            var model = Model<TinyRegressionNet>.Create(seed: 1);
            float[] before = model.Network.Parameters.ToArray();
            var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(new Dataset(x, 2, t), new FitOptions { BatchSize = 8, Shuffle = false }));
            Assert.Equal(new NonFiniteValue(5, 5, 0, float.PositiveInfinity, IsTarget: true), e.FirstNonFinite);
            Assert.Equal(before, model.Network.Parameters.ToArray());
        }

        [Fact]
        public void A_shuffled_fit_names_the_row_of_the_training_data()
        {
            (float[] x, int[] y) = Data(5, AdamInputs);
            x[17 * AdamInputs + 1] = float.NaN;
            var model = Model<TinyAdamNet>.Create(seed: 1);
            var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(new Dataset(x, AdamInputs, y), new FitOptions { BatchSize = 4, Seed = 9 }));
            Assert.Equal(17, e.FirstNonFinite!.Row);
            Assert.Equal(1, e.FirstNonFinite.Column);
        }

        [Fact]
        public void A_batch_normalized_fit_whose_last_batch_would_hold_one_row_completes()
        {
            (float[] x, int[] y) = Data(6, BatchNormInputs);
            (float[] xa, int[] ya) = Data(6, AdamInputs);
            // 9 rows in batches of 4: 4 + 5 (the lone last row joins the batch before it). Before: ArgumentException in the
            // third mini-batch, after two steps had been taken.
            var data = new Dataset(x.AsMemory(0, 9 * BatchNormInputs), BatchNormInputs, y.AsMemory(0, 9));
            var model = Model<GuardedSgdNet>.Create(seed: 1);
            TrainingHistory history = model.Fit(data, new FitOptions { Epochs = 3, BatchSize = 4, Seed = 2 });
            Assert.Equal(3, history.Epochs.Count);
            Assert.All(history.Epochs, e => Assert.Equal(9, e.Examples));
            Assert.Equal(6, model.Network.OptimizerStep); // 2 steps per epoch

            // The same data without batch normalization keeps its 1-row batch: 3 steps per epoch.
            var plain = Model<TinyAdamNet>.Create(seed: 1);
            plain.Fit(new Dataset(xa.AsMemory(0, 9 * AdamInputs), AdamInputs, ya.AsMemory(0, 9)), new FitOptions { Epochs = 3, BatchSize = 4, Seed = 2 });
            Assert.Equal(9, plain.Network.OptimizerStep);
        }

        [Fact]
        public void Batch_normalization_with_batches_of_one_row_is_refused_before_anything_changes()
        {
            (float[] x, int[] y) = Data(7, BatchNormInputs);
            var model = Model<GuardedSgdNet>.Create(seed: 1);
            string before = State(model.Network);
            var e = Assert.Throws<ArgumentException>(() => model.Fit(new Dataset(x, BatchNormInputs, y), new FitOptions { BatchSize = 1 }));
            Assert.Equal("options", e.ParamName);
            Assert.Contains("batch normalization", e.Message);
            var one = Assert.Throws<ArgumentException>(() => model.Fit(new Dataset(x.AsMemory(0, BatchNormInputs), BatchNormInputs, y.AsMemory(0, 1))));
            Assert.Equal("training", one.ParamName);
            var split = Assert.Throws<ArgumentException>(() => model.Fit(new Dataset(x.AsMemory(0, 2 * BatchNormInputs), BatchNormInputs, y.AsMemory(0, 2)), new FitOptions { ValidationSplit = 0.5 }));
            Assert.Contains("after the validation split", split.Message);
            Assert.Equal(before, State(model.Network));
        }

        [Fact]
        public void A_schedule_rate_beyond_float_range_stops_with_the_schedule_error()
        {
            (float[] x, int[] y) = Data(8, AdamInputs);
            var model = Model<TinyAdamNet>.Create(seed: 1);
            var e = Assert.Throws<InvalidOperationException>(() => model.Fit(new Dataset(x, AdamInputs, y),
                new FitOptions { Schedule = LearningRateSchedule.Custom((_, _) => 1e39) }));
            Assert.Contains("expected a finite positive rate", e.Message);
        }
    }
}
