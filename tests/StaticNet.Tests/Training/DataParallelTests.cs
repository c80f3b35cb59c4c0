using System.Runtime.InteropServices;
using StaticNet.Training;

namespace StaticNet.Tests.Training;

/// <summary>
/// Data-parallel training: the same training as one core within rounding, bitwise reproducible,
/// any batch size, checked arguments, errors that leave the network untouched, no allocation.
/// </summary>
/// <remarks>
/// Tolerances. Splitting a batch changes only the order of the sums in the gradient (per shard,
/// then Σ (rₖ/r)·gₖ), a relative error of a few float ulps (~1e-7) per element. Plain SGD carries
/// it through η·g: after a few steps parameters agree to ~1e-6. Adam divides by √v̂, so an element
/// whose gradient is itself near rounding level can move by up to η per step in either case; the
/// Adam test therefore allows 2η·steps·1e-2 on top (in practice the difference stays far below).
/// </remarks>
public sealed class DataParallelTests
{
    private static (float[] X, int[] Y) Batch(int rows, int inputs, int classes, int seed)
    {
        var random = new Random(seed);
        float[] x = new float[rows * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = (float)((random.NextDouble() * 2) - 1);
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) y[r] = random.Next(classes);
        return (x, y);
    }

    private static float MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    private static int[] Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, int>(values).ToArray();

    /// <summary>Trains a data-parallel network and a one-core twin on the same batches; returns the largest parameter difference.</summary>
    private static float CompareWithOneCore<TNet>(int threads, int rows, int steps, out long workerShards)
        where TNet : class, INetwork<TNet>
    {
        TNet parallel = TNet.Create(7), single = TNet.Create(7);
        using var dp = new DataParallel<TNet>(parallel, threads);
        int inputs = parallel.Description.Inputs, classes = parallel.Description.Outputs;
        for (int step = 0; step < steps; step++)
        {
            (float[] x, int[] y) = Batch(rows, inputs, classes, seed: 100 + step);
            float a = dp.TrainStep(x, y);
            float b = single.TrainStep(x, y);
            Assert.Equal(b, a, 5e-6f * Math.Max(1f, Math.Abs(b)));
        }
        Assert.Equal(single.OptimizerStep, parallel.OptimizerStep);
        Assert.Equal(single.OptimizerState.Length, parallel.OptimizerState.Length);
        workerShards = dp.WorkerShards;
        return Math.Max(MaxDifference(single.Parameters, parallel.Parameters), MaxDifference(single.OptimizerState, parallel.OptimizerState));
    }

    [Fact]
    public void The_combined_gradient_is_the_one_core_gradient_within_rounding()
    {
        var parallel = new DpSgdNet(3);
        var single = new DpSgdNet(3);
        using var dp = new DataParallel<DpSgdNet>(parallel, 2);
        (float[] x, int[] y) = Batch(256, 13, 5, seed: 1);
        float a = dp.ComputeGradients(x, y);
        float b = single.ComputeGradients(x, y);
        Assert.Equal(b, a, 1e-6f);
        Assert.True(MaxDifference(single.Gradients, parallel.Gradients) < 1e-6f, $"max gradient difference {MaxDifference(single.Gradients, parallel.Gradients)}");
        Assert.Equal(1, dp.WorkerShards);
        Assert.Equal(0, parallel.OptimizerStep); // ComputeGradients does not step
    }

    [Fact]
    public void Sgd_on_two_threads_trains_as_one_core()
    {
        float difference = CompareWithOneCore<DpSgdNet>(threads: 2, rows: 256, steps: 6, out long workerShards);
        Assert.Equal(6, workerShards); // the worker computed shard 1 of every step: the work really ran in parallel
        Assert.True(difference < 1e-5f, $"max parameter difference {difference}");
    }

    [Fact]
    public void Adam_with_clipping_and_L2_on_two_threads_trains_as_one_core()
    {
        float difference = CompareWithOneCore<DpAdamNet>(threads: 2, rows: 256, steps: 6, out long workerShards);
        Assert.Equal(6, workerShards);
        Assert.True(difference < 2 * 0.01f * 6 * 1e-2f, $"max parameter/state difference {difference}");
    }

    [Fact]
    public void Dense_targets_on_three_threads_train_as_one_core()
    {
        var parallel = new DpRegressionNet(5);
        var single = new DpRegressionNet(5);
        using var dp = new DataParallel<DpRegressionNet>(parallel, 3);
        var random = new Random(2);
        for (int step = 0; step < 5; step++)
        {
            float[] x = Enumerable.Range(0, 50 * 7).Select(_ => (float)random.NextDouble()).ToArray();
            float[] t = Enumerable.Range(0, 50 * 3).Select(_ => (float)random.NextDouble()).ToArray();
            Assert.Equal(single.TrainStep(x, t), dp.TrainStep(x, t), 1e-5f);
        }
        Assert.Equal(10, dp.WorkerShards);
        Assert.True(MaxDifference(single.Parameters, parallel.Parameters) < 1e-5f);
        Assert.True(MaxDifference(single.OptimizerState, parallel.OptimizerState) < 1e-5f);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 3)]
    [InlineData(2, 257)]
    [InlineData(3, 257)]
    [InlineData(4, 3)] // fewer rows than threads: three shards of one row
    [InlineData(4, 1)] // one row: the caller alone
    public void Any_batch_size_trains_as_one_core(int threads, int rows)
    {
        float difference = CompareWithOneCore<DpSgdNet>(threads, rows, steps: 3, out long workerShards);
        Assert.Equal(3 * (Math.Min(threads, rows) - 1), workerShards);
        Assert.True(difference < 1e-5f, $"max parameter difference {difference}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Runs_with_the_same_seed_are_bitwise_identical_even_with_dropout(int threads)
    {
        static (int[] Parameters, int[] State, float[] Losses) Run(int threads)
        {
            var net = new DpDropoutNet(11);
            using var dp = new DataParallel<DpDropoutNet>(net, threads);
            var losses = new float[8];
            for (int step = 0; step < losses.Length; step++)
            {
                (float[] x, int[] y) = Batch(97 + step, 13, 5, seed: step);
                losses[step] = dp.TrainStep(x, y);
            }
            return (Bits(net.Parameters), Bits(net.OptimizerState), losses);
        }

        var a = Run(threads);
        var b = Run(threads);
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.Equal(a.State, b.State);
        Assert.Equal(a.Losses, b.Losses);
    }

    [Fact]
    public void Replicas_draw_their_own_dropout_noise_and_the_primary_keeps_counting_steps()
    {
        // The same rows in both halves of the batch: with the same noise on both shards the two
        // shards' gradients would be identical and the combined gradient that of one half alone.
        (float[] half, int[] halfLabels) = Batch(32, 13, 5, seed: 4);
        float[] x = [.. half, .. half];
        int[] y = [.. halfLabels, .. halfLabels];
        var net = new DpDropoutNet(2);
        using var dp = new DataParallel<DpDropoutNet>(net, 2);
        dp.ComputeGradients(x, y);
        float[] combined = net.Gradients.ToArray();
        Assert.Equal(1, net.NoiseStep);

        var alone = new DpDropoutNet(2);
        alone.ComputeGradients(half, halfLabels);
        Assert.True(MaxDifference(alone.Gradients, combined) > 1e-4f, "the replica drew the primary's noise");
    }

    [Fact]
    public void Bad_spans_are_rejected_up_front_naming_the_parameter_and_change_nothing()
    {
        var net = new DpAdamNet(1);
        using var dp = new DataParallel<DpAdamNet>(net, 2);
        (float[] x, int[] y) = Batch(40, 13, 5, seed: 3);
        dp.TrainStep(x, y);
        int[] parameters = Bits(net.Parameters), state = Bits(net.OptimizerState);
        long shards = dp.WorkerShards;

        var e = Assert.Throws<ArgumentException>(() => dp.TrainStep(x.AsSpan(0, x.Length - 1), y));
        Assert.Equal("inputs", e.ParamName);
        Assert.Contains("multiple of 13", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => dp.TrainStep(x, y.AsSpan(1)));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("expected 40", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => dp.TrainStep(ReadOnlySpan<float>.Empty, ReadOnlySpan<int>.Empty));
        Assert.Equal("inputs", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => dp.TrainStep(x, new float[40 * 5 - 1]));
        Assert.Equal("targets", e.ParamName);

        // A label out of range in the rows of the worker's shard: the whole batch is checked first.
        int[] bad = (int[])y.Clone();
        bad[35] = 5;
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => dp.TrainStep(x, bad));
        Assert.Equal("labels", range.ParamName);
        Assert.Contains("labels[35] is 5", range.Message, StringComparison.Ordinal);

        Assert.Equal(parameters, Bits(net.Parameters));
        Assert.Equal(state, Bits(net.OptimizerState));
        Assert.Equal(1, net.OptimizerStep);
        Assert.Equal(shards, dp.WorkerShards);

        dp.TrainStep(x, y); // still usable
        Assert.Equal(2, net.OptimizerStep);
    }

    [Fact]
    public void An_exception_on_a_worker_reaches_the_caller_and_no_step_is_taken()
    {
        var net = new DpThrowingNet();
        using var dp = new DataParallel<DpThrowingNet>(net, 2);
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        int[] y = new int[8];
        dp.TrainStep(x, y);
        float[] parameters = net.Parameters.ToArray();

        x[6] = DpThrowingNet.Poison; // shard 1: rows 4–7
        var e = Assert.Throws<InvalidOperationException>(() => dp.TrainStep(x, y));
        Assert.Contains("StaticNet DataParallel worker 1", e.Message, StringComparison.Ordinal);
        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Equal(1, net.OptimizerStep);

        x[0] = DpThrowingNet.Poison; // both shards fail: the caller's (shard 0) is reported
        e = Assert.Throws<InvalidOperationException>(() => dp.TrainStep(x, y));
        Assert.DoesNotContain("worker", e.Message, StringComparison.Ordinal);
        Assert.Equal(parameters, net.Parameters.ToArray());

        x[0] = 1;
        x[6] = 7;
        dp.TrainStep(x, y); // the workers survived
        Assert.Equal(2, net.OptimizerStep);
        Assert.Equal(2, dp.WorkerShards);
    }

    [Fact]
    public void Replicas_that_do_not_share_the_weights_get_the_latest_ones_every_step()
    {
        // DpCopyingNet's gradient depends on the weights and its replicas start from the initial ones, so a replica
        // that computed with stale weights would pull the parameters away from one-core training at the second step.
        var parallel = new DpCopyingNet();
        var single = new DpCopyingNet();
        using var dp = new DataParallel<DpCopyingNet>(parallel, 2);
        for (int step = 0; step < 5; step++)
        {
            float[] x = [1 + step, 2, 3, 4 - step, 5, 6];
            int[] y = new int[6];
            dp.TrainStep(x, y);
            single.TrainStep(x, y);
            Assert.Equal(single.Parameters.ToArray(), parallel.Parameters.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-5f * Math.Max(1f, Math.Abs(a)));
        }
        Assert.Equal(5, dp.WorkerShards);
        Assert.NotEqual(new DpCopyingNet().Parameters.ToArray(), parallel.Parameters.ToArray());
    }

    [Fact]
    public void Batch_normalization_is_not_supported()
    {
        var e = Assert.Throws<NotSupportedException>(() => new DataParallel<DpBatchNormNet>(new DpBatchNormNet(1), 2));
        Assert.Contains("batch normalization", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Thread_counts_are_clamped_and_default_to_the_processor_count()
    {
        using (var dp = new DataParallel<DpSgdNet>(new DpSgdNet(1))) Assert.Equal(Environment.ProcessorCount, dp.Threads);
        using (var dp = new DataParallel<DpSgdNet>(new DpSgdNet(1), -3)) Assert.Equal(Environment.ProcessorCount, dp.Threads);
        using var one = new DataParallel<DpSgdNet>(new DpSgdNet(1), 1);
        Assert.Equal(1, one.Threads);
        float difference = CompareWithOneCore<DpSgdNet>(threads: 1, rows: 64, steps: 2, out long workerShards);
        Assert.Equal(0, workerShards);
        Assert.Equal(0f, difference); // one thread is exactly one-core training
    }

    [Fact]
    public void A_disposed_instance_refuses_to_train_and_the_network_stays_usable()
    {
        var net = new DpSgdNet(1);
        var dp = new DataParallel<DpSgdNet>(net, 2);
        (float[] x, int[] y) = Batch(16, 13, 5, seed: 9);
        dp.TrainStep(x, y);
        dp.Dispose();
        dp.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => dp.TrainStep(x, y));
        Assert.Throws<ObjectDisposedException>(() => dp.ComputeGradients(x, new float[16 * 5]));
        net.TrainStep(x, y);
        Assert.Equal(2, net.OptimizerStep);
    }
}

/// <summary>The allocation test runs alone, so the process-wide allocation counter sees only its own threads.</summary>
[CollectionDefinition(nameof(DataParallelAllocation), DisableParallelization = true)]
public sealed class DataParallelAllocation;

[Collection(nameof(DataParallelAllocation))]
public sealed class DataParallelAllocationTests
{
    [Fact]
    public void A_train_step_allocates_nothing_after_warm_up()
    {
        var net = new DpMnistNet(1);
        using var dp = new DataParallel<DpMnistNet>(net, 2);
        var random = new Random(1);
        float[] x = new float[256 * 784];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble() < 0.2 ? (float)random.NextDouble() : 0f;
        int[] y = Enumerable.Range(0, 256).Select(i => i % 10).ToArray();
        for (int i = 0; i < 5; i++) dp.TrainStep(x, y); // warm-up: work buffers, JIT, the events' wait objects

        const int steps = 40;
        long thread = GC.GetAllocatedBytesForCurrentThread();
        long process = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < steps; i++) dp.TrainStep(x, y);
        long threadBytes = GC.GetAllocatedBytesForCurrentThread() - thread;
        long processBytes = GC.GetTotalAllocatedBytes(precise: true) - process;

        Assert.Equal(0, threadBytes);
        // Every thread of the process: the workers too. Anything allocated per step would be at least
        // 24 bytes × 40 steps; the margin is for the test host's own background work.
        Assert.True(processBytes < 24 * steps, $"{processBytes} bytes allocated by the process over {steps} steps");
        Assert.Equal(5 + steps, dp.WorkerShards);
    }
}
