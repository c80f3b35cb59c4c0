using StaticNet.Reference;
using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Layers;

/// <summary>
/// Dropout's behaviour: the drop rate within statistical bounds, the expectation preserved, a fresh
/// mask for every example of every step, reproducible from the noise seed and step, and never at
/// inference; in both the inverted form and the notes' form, on the inputs and on a layer.
/// </summary>
public sealed class DropoutTests
{
    /// <summary>Makes layer 0 the identity (W = I, b = 0), so its output shows what it received.</summary>
    private static void IdentityFirstLayer(INetwork net)
    {
        int n = net.Description.Inputs;
        Span<float> w = net.Parameter("layers.0.weight");
        w.Clear();
        for (int j = 0; j < n; j++) w[j * n + j] = 1f;
        net.Parameter("layers.0.bias").Clear();
    }

    private const int Rows = 100;

    private static (float[] Output, float[] X) TrainOnOnes(INetwork net)
    {
        float[] x = Enumerable.Repeat(1f, Rows * 64).ToArray();
        net.ComputeGradients(x, new float[Rows * 2]);
        return (net.LayerOutput(0).ToArray(), x);
    }

    public static TheoryData<string, float> Probes() => new()
    {
        { nameof(InputDropoutProbeNet), 0.25f },
        { nameof(LayerDropoutProbeNet), 0.4f },
    };

    private static INetwork Probe(string name, int seed) => name == nameof(InputDropoutProbeNet) ? new InputDropoutProbeNet(seed) : new LayerDropoutProbeNet(seed);

    [Theory]
    [MemberData(nameof(Probes))]
    public void The_drop_rate_is_within_statistical_bounds_and_the_expectation_is_preserved(string probe, float rate)
    {
        INetwork net = Probe(probe, seed: 1);
        IdentityFirstLayer(net);
        (float[] a, _) = TrainOnOnes(net);

        int n = a.Length; // 6,400 Bernoulli draws
        double dropped = a.Count(v => v == 0f) / (double)n;
        double sigma = Math.Sqrt(rate * (1 - rate) / n);
        Assert.InRange(dropped, rate - 4 * sigma, rate + 4 * sigma);
        Assert.All(a, v => Assert.True(v == 0f || Math.Abs(v - 1f / (1f - rate)) < 1e-6f, $"a kept value is {v}, expected 1/(1 − p)"));
        // Inverted dropout keeps the mean: E[mask] = (1 − p)·1/(1 − p) = 1. Var[mask] = p/(1 − p).
        double mean = a.Average(v => (double)v);
        Assert.InRange(mean, 1 - 4 * Math.Sqrt(rate / (1 - rate) / n), 1 + 4 * Math.Sqrt(rate / (1 - rate) / n));
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public void Every_example_and_every_step_gets_its_own_mask(string probe, float rate)
    {
        INetwork net = Probe(probe, seed: 2);
        IdentityFirstLayer(net);
        (float[] first, _) = TrainOnOnes(net);
        (float[] second, _) = TrainOnOnes(net);

        var masks = Enumerable.Range(0, Rows).Select(r => string.Concat(first.AsSpan(r * 64, 64).ToArray().Select(v => v == 0f ? '0' : '1'))).ToList();
        Assert.Equal(Rows, masks.Distinct().Count()); // 64 units: equal masks by chance have probability ~2^-50
        Assert.NotEqual(first, second);
        // Per unit, the drop rate over examples is the same for every unit: no unit is always kept.
        for (int j = 0; j < 64; j++)
        {
            int kept = Enumerable.Range(0, Rows).Count(r => first[r * 64 + j] != 0f);
            Assert.InRange(kept, 1, Rows - 1);
        }
        Assert.True(rate > 0);
    }

    [Fact]
    public void The_noise_seed_and_step_reproduce_a_mask_and_the_constructor_seed_sets_the_seed()
    {
        var net = new LayerDropoutProbeNet(seed: 3);
        IdentityFirstLayer(net);
        long step = net.NoiseStep;
        (float[] first, _) = TrainOnOnes(net);
        Assert.Equal(step + 1, net.NoiseStep);
        net.NoiseStep = step;
        (float[] again, _) = TrainOnOnes(net);
        Assert.Equal(first, again);

        Assert.Equal(new LayerDropoutProbeNet(seed: 3).NoiseSeed, net.NoiseSeed);
        Assert.NotEqual(new LayerDropoutProbeNet(seed: 4).NoiseSeed, net.NoiseSeed);
        net.NoiseSeed ^= 1;
        net.NoiseStep = step;
        (float[] otherSeed, _) = TrainOnOnes(net);
        Assert.NotEqual(first, otherSeed);
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public void Inference_never_drops(string probe, float rate)
    {
        INetwork net = Probe(probe, seed: 4);
        IdentityFirstLayer(net);
        float[] x = RandomInputs(Rows, 64, seed: 5, low: 0.5f, high: 1.5f);
        var outputs = new float[Rows * 2];

        net.Infer(x, outputs);
        Assert.Equal(x, net.LayerOutput(0).ToArray()); // the identity layer passes every input, unscaled
        float[] again = new float[Rows * 2];
        net.Infer(x, again);
        Assert.Equal(outputs, again);
        float loss = net.ComputeLoss(x, new float[Rows * 2]);
        Assert.Equal(loss, net.ComputeLoss(x, new float[Rows * 2]));
        Assert.Equal(x, net.LayerOutput(0).ToArray());
        Assert.True(rate > 0);
    }

    [Fact]
    public void The_notes_form_does_not_scale_in_training_and_scales_by_1_minus_p_at_inference()
    {
        var net = new LayerDropoutNotesProbeNet(seed: 5);
        IdentityFirstLayer(net);
        (float[] a, float[] x) = TrainOnOnes(net);
        Assert.All(a, v => Assert.True(v is 0f or 1f, $"{v}: the notes' form keeps values as they are"));
        double mean = a.Average(v => (double)v);
        Assert.InRange(mean, 0.6 - 0.03, 0.6 + 0.03); // E = 1 − p = 0.6: inference's (1 − p)·x matches it

        net.Infer(x, new float[Rows * 2]);
        Assert.All(net.LayerOutput(0).ToArray(), v => Assert.Equal(0.6f, v, 6));
    }

    [Fact]
    public void Inverted_and_notes_forms_agree_at_inference_up_to_the_scale_they_put_on_the_next_layer()
    {
        // Same weights: the notes' network at inference equals the inverted one with the weights reading
        // the dropped layers scaled by (1 − p) — which is what the notes prescribe.
        var inverted = new DropoutNet(seed: 6);
        var notes = new DropoutNotesNet(seed: 6);
        float[] x = RandomInputs(4, 7, seed: 7);
        var pNotes = new float[12];
        notes.Infer(x, pNotes);

        inverted.Parameter("layers.0.weight").ToArray().Select(w => w * 0.8f).ToArray().CopyTo(inverted.Parameter("layers.0.weight"));
        inverted.Parameter("layers.1.weight").ToArray().Select(w => w * 0.5f).ToArray().CopyTo(inverted.Parameter("layers.1.weight"));
        inverted.Parameter("layers.2.weight").ToArray().Select(w => w * 0.7f).ToArray().CopyTo(inverted.Parameter("layers.2.weight"));
        var pInverted = new float[12];
        inverted.Infer(x, pInverted);

        for (int k = 0; k < 12; k++) Assert.Equal(pInverted[k], pNotes[k], 5);
    }

    [Fact]
    public void Training_with_dropout_agrees_with_the_reference_drawing_the_same_noise()
    {
        var net = new DropoutNet(seed: 8);
        net.NoiseStep = 123_456_789_012; // high bits of the step feed the key too
        var reference = ReferenceNetwork.Of(net);
        float[] x = RandomInputs(9, 7, seed: 9);
        int[] y = RandomLabels(9, 3, seed: 10);
        AssertClose(reference.ComputeGradients(x, y), net.ComputeGradients(x, y), "loss");
        AssertClose(reference.Gradients, net.Gradients, "gradient");
        AssertClose(reference.LayerOutputs[1], net.LayerOutput(1), "layer 1 output after dropout");
    }

    [Fact]
    public void Description_records_the_dropout()
    {
        NetworkDescription d = DropoutNotesNet.Descriptor;
        Assert.Equal(0.2f, d.InputDropout);
        Assert.Equal(DropoutForm.Notes, d.DropoutForm);
        Assert.Equal([0.5f, 0.3f, 0f], d.Layers.Select(l => l.Dropout));
        Assert.True(d.HasTrainingBehavior);
        Assert.False(DigitNet.Descriptor.HasTrainingBehavior);
        Assert.Equal(DropoutForm.Inverted, DropoutNet.Descriptor.DropoutForm);
    }
}
