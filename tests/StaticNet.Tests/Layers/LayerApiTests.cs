using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StaticNet.Tests.Layers;

/// <summary>The generated API of the new layers: no allocation per call, the modes, named statistics, clear errors.</summary>
public sealed class LayerApiTests
{
    [Fact]
    public void Train_steps_and_inference_with_every_layer_allocate_nothing_once_the_buffers_have_grown()
    {
        var net = new CombinedNet(seed: 1);
        float[] x = Numeric.NumericHarness.RandomInputs(32, 10, seed: 1);
        int[] y = Numeric.NumericHarness.RandomLabels(32, 5, seed: 2);
        float[] p = new float[32 * 5];
        net.TrainStep(x, y);
        net.Infer(x, p);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            net.TrainStep(x, y);
            net.Infer(x, p);
            net.ComputeLoss(x.AsSpan(0, 20), y.AsSpan(0, 2));
            _ = net.LayerOutput(2);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Layer_output_is_checked_and_sized_to_the_last_batch()
    {
        var net = new DropoutNet(seed: 1);
        net.Infer(new float[3 * 7], new float[3 * 3]);
        Assert.Equal(3 * 19, net.LayerOutput(0).Length);
        Assert.Equal(3 * 3, net.LayerOutput(2).Length);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => net.LayerOutput(3));
        Assert.Contains("0 to 2", e.Message);
    }

    [Fact]
    public unsafe void Statistics_are_named_aligned_views()
    {
        var net = new BatchNormNet(seed: 1);
        NetworkDescription d = BatchNormNet.Descriptor;
        Assert.Equal(
            ["layers.0.batchnorm.running_mean", "layers.0.batchnorm.running_var", "layers.1.batchnorm.running_mean", "layers.1.batchnorm.running_var"],
            d.Statistics.Select(s => s.Name));
        Assert.Equal(2 * 19 + 2 * 13, BatchNormNet.StatisticCount);
        Assert.Equal(0, (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(net.Statistics)) % 64);
        Assert.All(net.Statistic("layers.1.batchnorm.running_var").ToArray(), v => Assert.Equal(1f, v));
        Assert.All(net.Statistic("layers.1.batchnorm.running_mean").ToArray(), v => Assert.Equal(0f, v));
        var e = Assert.Throws<KeyNotFoundException>(() => net.Statistic("layers.2.batchnorm.running_mean"));
        Assert.Contains("layers.0.batchnorm.running_mean", e.Message);
        Assert.True(new DigitNet(1).Statistics.IsEmpty);
        Assert.Empty(DigitNet.Descriptor.Statistics);
    }

    [Fact]
    public void Batch_norm_parameters_are_named_tensors_excluded_from_regularization()
    {
        NetworkDescription d = BatchNormNet.Descriptor;
        Assert.Equal(
            ["layers.0.weight", "layers.0.bias", "layers.0.batchnorm.weight", "layers.0.batchnorm.bias", "layers.1.weight", "layers.1.bias", "layers.1.batchnorm.weight", "layers.1.batchnorm.bias", "layers.2.weight", "layers.2.bias"],
            d.Parameters.Select(p => p.Name));
        Assert.False(d["layers.0.batchnorm.weight"].Regularized);
        Assert.False(d["layers.0.batchnorm.bias"].Regularized);
        BatchNormDescription bn = d.Layers[1].BatchNorm!;
        Assert.Equal(0.3f, bn.Momentum);
        Assert.Equal(1e-3f, bn.Epsilon);
        Assert.Equal(0.1f, d.Layers[0].BatchNorm!.Momentum);
        Assert.Equal(1e-5f, d.Layers[0].BatchNorm!.Epsilon);
        var net = new BatchNormNet(seed: 1);
        Assert.All(net.Parameter("layers.0.batchnorm.weight").ToArray(), v => Assert.Equal(1f, v));
        Assert.All(net.Parameter("layers.0.batchnorm.bias").ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Maxout_weights_are_pieces_by_units_by_inputs()
    {
        NetworkDescription d = MaxoutNet.Descriptor;
        Assert.Equal([3, 19, 7], d["layers.0.weight"].Shape);
        Assert.Equal([3, 19], d["layers.0.bias"].Shape);
        Assert.Equal([2, 5, 19], d["layers.1.weight"].Shape);
        Assert.Equal(3, d.Layers[0].Pieces);
        Assert.True(d.Layers[0].IsMaxout);
        Assert.Equal(Initializer.HeUniform, d.Layers[0].Initializer);
        Assert.Equal(3 * 19 * 7 + 3 * 19 + 2 * 5 * 19 + 2 * 5 + 4 * 5 + 4, MaxoutNet.ParameterCount);
    }
}
