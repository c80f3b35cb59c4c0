using System.Runtime.InteropServices;
using StaticNet.Training;

namespace StaticNet.Tests.Training;

/// <summary>Fit with <see cref="FitOptions.Threads"/>: data-parallel mini-batches inside the training loop.</summary>
public sealed class DataParallelFitTests
{
    private static Dataset Data(int rows, int seed)
    {
        var random = new Random(seed);
        float[] x = new float[rows * 13];
        for (int i = 0; i < x.Length; i++) x[i] = (float)((random.NextDouble() * 2) - 1);
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) y[r] = (x[r * 13] > 0 ? 1 : 0) + (x[(r * 13) + 1] > 0 ? 2 : 0);
        return new Dataset(x, 13, y);
    }

    private static (DpAdamNet Net, TrainingHistory History) Fit(int threads)
    {
        var net = new DpAdamNet(3);
        TrainingHistory history = new Model<DpAdamNet>(net).Fit(Data(301, 1), new FitOptions
        {
            Epochs = 3, BatchSize = 64, Seed = 2, ValidationSplit = 0.2, Threads = threads, TrainingAccuracySamples = 0,
        });
        return (net, history);
    }

    [Fact]
    public void Fit_on_two_threads_trains_as_one_core_and_reproduces_itself()
    {
        (DpAdamNet one, TrainingHistory oneHistory) = Fit(threads: 1);
        (DpAdamNet two, TrainingHistory twoHistory) = Fit(threads: 2);
        (DpAdamNet again, _) = Fit(threads: 2);

        Assert.Equal(one.OptimizerStep, two.OptimizerStep); // 240 rows / 64: 4 steps per epoch, the last one 48 rows
        Assert.Equal(12, two.OptimizerStep);
        for (int i = 0; i < one.Parameters.Length; i++) Assert.Equal(one.Parameters[i], two.Parameters[i], 1e-3f);
        for (int e = 0; e < 3; e++)
        {
            Assert.Equal(oneHistory.Epochs[e].TrainLoss, twoHistory.Epochs[e].TrainLoss, 1e-4);
            Assert.Equal(oneHistory.Epochs[e].ValidationLoss!.Value, twoHistory.Epochs[e].ValidationLoss!.Value, 1e-4);
        }
        Assert.Equal(MemoryMarshal.Cast<float, int>(two.Parameters).ToArray(), MemoryMarshal.Cast<float, int>(again.Parameters).ToArray());
    }

    [Fact]
    public void Threads_is_checked_and_batch_normalization_refuses_more_than_one()
    {
        var e = Assert.Throws<ArgumentException>(() => new Model<DpSgdNet>(new DpSgdNet(1)).Fit(Data(20, 1), new FitOptions { Threads = -1 }));
        Assert.Contains("options.Threads is -1", e.Message, StringComparison.Ordinal);

        var bn = new DpBatchNormNet(1);
        float[] before = bn.Parameters.ToArray();
        Assert.Throws<NotSupportedException>(() => new Model<DpBatchNormNet>(bn).Fit(Data(20, 1), new FitOptions { Threads = 2, Normalize = true }));
        Assert.Equal(before, bn.Parameters.ToArray());
        new Model<DpBatchNormNet>(bn).Fit(Data(20, 1), new FitOptions { Threads = 1, TrainingAccuracySamples = 0 }); // one thread is fine
    }
}
