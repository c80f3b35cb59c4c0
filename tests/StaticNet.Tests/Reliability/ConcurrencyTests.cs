using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Reliability;

/// <summary>
/// No sequence of public calls from any number of threads reads or writes outside an array: a frozen network is safe to
/// share (every call gets the single-threaded results), and concurrent calls on one training network throw
/// <see cref="InvalidOperationException"/> naming both calls, while the network stays usable.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int Threads = 8;

    [Fact]
    public void Eight_threads_sharing_a_frozen_network_get_the_single_threaded_results_at_mixed_batch_sizes()
    {
        var net = new DigitNet(seed: 1);
        Randomize(net, seed: 2, scale: 0.1f);
        DigitNet.Frozen frozen = net.Freeze();
        int[] sizes = [1, 3, 7, 48, 53, 130];
        float[][] inputs = sizes.Select((rows, k) => RandomInputs(rows, DigitNet.InputSize, seed: k)).ToArray();
        float[][] expected = inputs.Select(x =>
        {
            var y = new float[x.Length / DigitNet.InputSize * DigitNet.OutputSize];
            frozen.Infer(x, y);
            return y;
        }).ToArray();

        int mismatches = 0, calls = 0;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            var outputs = expected.Select(e => new float[e.Length]).ToArray();
            for (int i = 0; i < 150; i++)
            {
                int k = (thread + i) % sizes.Length;
                frozen.Infer(inputs[k], outputs[k]);
                Interlocked.Increment(ref calls);
                if (!outputs[k].AsSpan().SequenceEqual(expected[k])) Interlocked.Increment(ref mismatches);
            }
        });
        Assert.Equal(Threads * 150, calls);
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Concurrent_calls_on_one_network_throw_naming_both_and_never_corrupt_it()
    {
        var net = new DigitNet(seed: 3);
        float[] small = RandomInputs(2, DigitNet.InputSize, seed: 1);
        int[] smallLabels = RandomLabels(2, DigitNet.OutputSize, seed: 2);
        var refused = new System.Collections.Concurrent.ConcurrentBag<string>();
        int completed = 0;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            for (int i = 0; i < 60; i++)
            {
                // Growing batches on some threads (the workspace is replaced), small ones and inference on the others.
                int rows = thread % 2 == 0 ? 1 + ((thread * 60 + i) % 200) : 2;
                float[] x = rows == 2 ? small : RandomInputs(rows, DigitNet.InputSize, seed: i);
                try
                {
                    if (thread % 3 == 0) net.Infer(x, new float[rows * DigitNet.OutputSize]);
                    else if (rows == 2) net.TrainStep(x, smallLabels);
                    else net.ComputeGradients(x, RandomLabels(rows, DigitNet.OutputSize, seed: i));
                    Interlocked.Increment(ref completed);
                }
                catch (InvalidOperationException e)
                {
                    refused.Add(e.Message);
                }
            }
        });

        Assert.True(completed > 0);
        Assert.All(refused, message => Assert.Matches(@"^(Infer|TrainStep|ComputeGradients) was called on a network while (Infer|TrainStep|ComputeGradients) was running on it in another thread", message));
        // Whatever happened, the network is whole: it trains and infers on.
        float[] x2 = RandomInputs(5, DigitNet.InputSize, seed: 9);
        Assert.True(float.IsFinite(net.TrainStep(x2, RandomLabels(5, DigitNet.OutputSize, seed: 10))));
        var outputs = new float[5 * DigitNet.OutputSize];
        net.Infer(x2, outputs);
        Assert.All(outputs, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_call_while_another_runs_throws_at_once()
    {
        // Deterministic: a training call holds the guard while its gradients are read by another call on the same thread.
        var net = new DigitNet(seed: 4);
        var state = (StaticNet.Compiled.NetworkState)typeof(DigitNet)
            .GetField("_staticNetState", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(net)!;
        state.Work.Enter("TrainStep");
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => net.Infer(new float[DigitNet.InputSize], new float[DigitNet.OutputSize]));
            Assert.StartsWith("Infer was called on a network while TrainStep was running on it", e.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(net.Step);
            Assert.Throws<InvalidOperationException>(() => net.Freeze());
        }
        finally
        {
            state.Work.Exit();
        }
        net.Infer(new float[DigitNet.InputSize], new float[DigitNet.OutputSize]);
    }

    [Fact]
    public void A_batch_whose_buffers_would_overflow_an_array_is_refused_before_anything_is_allocated()
    {
        // 1,048,577 rows × 4096 = 2³² + 4096 floats for layer 0's output: more than one array holds.
        var net = new WideLayerNet(seed: 1);
        const int rows = 1_048_577;
        float[] x = new float[rows * WideLayerNet.InputSize];
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Assert.Throws<ArgumentException>(() => net.Infer(x, new float[rows * WideLayerNet.OutputSize]));
        Assert.Contains("split the batch", e.Message, StringComparison.Ordinal);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64L << 20, "nothing large was allocated");
        Assert.Throws<ArgumentException>(() => net.Freeze().Infer(x, new float[rows * WideLayerNet.OutputSize]));
    }
}
