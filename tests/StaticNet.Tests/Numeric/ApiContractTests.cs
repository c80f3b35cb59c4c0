using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StaticNet.Tests.Numeric;

/// <summary>The generated API's contract: constants, layout, names, seeding, argument checks, no allocation.</summary>
public sealed class ApiContractTests
{
    [Fact]
    public void Constants_and_description_describe_the_declaration()
    {
        Assert.Equal(784, DigitNet.InputSize);
        Assert.Equal(10, DigitNet.OutputSize);
        Assert.Equal(784 * 128 + 128 + 128 * 10 + 10, DigitNet.ParameterCount);
        NetworkDescription d = DigitNet.Descriptor;
        Assert.Equal("StaticNet.Tests.DigitNet", d.TypeName);
        Assert.Equal(new[] { "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias" }, d.Parameters.Select(p => p.Name));
        Assert.Equal(new[] { 128, 784 }, d["layers.0.weight"].Shape);
        Assert.Equal(new[] { 10 }, d["layers.1.bias"].Shape);
        Assert.Equal(Activation.ReLU, d.Layers[0].Activation);
        Assert.Equal(Loss.SoftmaxCrossEntropy, d.Loss);
        Assert.Equal(0.1f, new DigitNet(1).LearningRate);
        Assert.Equal(0.01f, new OddSoftmaxNet(1).LearningRate); // the declared default
    }

    [Fact]
    public unsafe void Parameter_and_gradient_buffers_are_64_byte_aligned()
    {
        var net = new OddRegressionNet(seed: 1);
        Assert.Equal(0, (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(net.Parameters)) % 64);
        Assert.Equal(0, (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(net.Gradients)) % 64);
    }

    [Fact]
    public void Named_parameters_are_views_in_PyTorch_layout()
    {
        var net = new OddSoftmaxNet(seed: 1);
        Span<float> w = net.Parameter("layers.1.weight"); // [17, 21]
        Assert.Equal(17 * 21, w.Length);
        net.Parameters.Clear();
        w[2 * 21 + 5] = 1.5f; // W[o = 2, i = 5]

        // The element sits at offset + o * in + i of the flat buffer, and the network computes with it:
        int offset = OddSoftmaxNet.Descriptor["layers.1.weight"].Offset;
        Assert.Equal(1.5f, net.Parameters[offset + 2 * 21 + 5]);
        net.Parameter("layers.1.bias").Fill(0.25f);
        Assert.All(net.Parameters.Slice(OddSoftmaxNet.Descriptor["layers.1.bias"].Offset, 17).ToArray(), v => Assert.Equal(0.25f, v));
    }

    [Fact]
    public void Gradient_views_match_the_flat_gradient()
    {
        var net = new OddSoftmaxNet(seed: 1);
        net.ComputeGradients(new float[2 * 13], new[] { 1, 3 });
        int offset = OddSoftmaxNet.Descriptor["layers.2.bias"].Offset;
        Assert.Equal(net.Gradients.Slice(offset, 5).ToArray(), net.Gradient("layers.2.bias").ToArray());
    }

    [Fact]
    public void An_unknown_parameter_name_lists_the_names_there_are()
    {
        var net = new LinearNet(seed: 1);
        var e = Assert.Throws<KeyNotFoundException>(() => net.Parameter("layers.5.weight"));
        Assert.Contains("layers.5.weight", e.Message);
        Assert.Contains("layers.0.weight, layers.0.bias", e.Message);
    }

    [Fact]
    public void The_same_seed_gives_the_same_parameters_and_another_seed_does_not()
    {
        Assert.Equal(new DigitNet(7).Parameters.ToArray(), new DigitNet(7).Parameters.ToArray());
        Assert.NotEqual(new DigitNet(7).Parameters.ToArray(), new DigitNet(8).Parameters.ToArray());
    }

    [Fact]
    public void Initialization_is_He_for_ReLU_and_Glorot_otherwise_with_zero_biases()
    {
        var net = new DigitNet(seed: 3);
        AssertUniform(net.Parameter("layers.0.weight"), Math.Sqrt(6.0 / 784)); // He: ReLU layer
        AssertUniform(net.Parameter("layers.1.weight"), Math.Sqrt(6.0 / (128 + 10))); // Glorot: identity layer
        Assert.All(net.Parameter("layers.0.bias").ToArray(), b => Assert.Equal(0f, b));

        static void AssertUniform(Span<float> w, double limit)
        {
            double sum = 0, squares = 0;
            foreach (float v in w)
            {
                Assert.InRange(v, -limit, limit);
                sum += v;
                squares += v * (double)v;
            }
            double variance = squares / w.Length - Math.Pow(sum / w.Length, 2);
            // U(−L, L) has variance L²/3; with ≥ 1,280 samples it lands within 15%.
            Assert.InRange(variance, 0.85 * limit * limit / 3, 1.15 * limit * limit / 3);
        }
    }

    [Fact]
    public void Bad_spans_name_the_parameter_and_the_expected_size()
    {
        var net = new OddSoftmaxNet(seed: 1);
        var e1 = Assert.Throws<ArgumentException>(() => net.TrainStep(new float[20], new[] { 0 }));
        Assert.Equal("inputs", e1.ParamName);
        Assert.Contains("multiple of 13", e1.Message);

        var e2 = Assert.Throws<ArgumentException>(() => net.TrainStep(new float[26], new[] { 0 }));
        Assert.Equal("labels", e2.ParamName);
        Assert.Contains("expected 2", e2.Message);

        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainStep(new float[26], new[] { 0, 5 }));
        Assert.Equal("labels", e3.ParamName);
        Assert.Contains("[0, 5)", e3.Message);

        var e4 = Assert.Throws<ArgumentException>(() => net.Infer(new float[26], new float[9]));
        Assert.Equal("outputs", e4.ParamName);
        Assert.Contains("expected 10", e4.Message);

        var e5 = Assert.Throws<ArgumentException>(() => net.ComputeGradients(new float[13], new float[4]));
        Assert.Equal("targets", e5.ParamName);
        Assert.Contains("expected 5", e5.Message);

        var e6 = Assert.Throws<ArgumentException>(() => net.Infer(ReadOnlySpan<float>.Empty, Span<float>.Empty));
        Assert.Equal("inputs", e6.ParamName);
    }

    [Fact]
    public void A_failed_check_changes_nothing()
    {
        var net = new OddSoftmaxNet(seed: 1);
        float[] before = net.Parameters.ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainStep(new float[26], new[] { 0, 9 }));
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void Train_steps_and_inference_allocate_nothing_once_the_buffers_have_grown()
    {
        var net = new DigitNet(seed: 1);
        float[] x = new float[32 * 784];
        int[] y = new int[32];
        float[] p = new float[32 * 10];
        net.TrainStep(x, y);
        net.Infer(x, p);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            net.TrainStep(x, y);
            net.Infer(x, p);
            net.Infer(x.AsSpan(0, 784), p.AsSpan(0, 10)); // a smaller batch reuses the buffers
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Probabilities_from_inference_sum_to_one()
    {
        var net = new OddSoftmaxNet(seed: 2);
        float[] x = Numeric.NumericHarness.RandomInputs(6, 13, seed: 1);
        var p = new float[6 * 5];
        net.Infer(x, p);
        for (int r = 0; r < 6; r++) Assert.Equal(1.0, p.AsSpan(r * 5, 5).ToArray().Sum(v => (double)v), 5);
    }
}
