using StaticNet.Reference;
using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Optimizers;

/// <summary>
/// 100 steps of each generated step method against <see cref="ReferenceOptimizer"/> (double
/// precision, one element at a time), fed the same gradients, on tensors whose lengths leave
/// tails on every vector width. .ci/run repeats this on every kernel path.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class StepVersusReferenceTests
{
    public static TheoryData<string> Networks() =>
    [
        nameof(OddSgd), nameof(OddMomentum), nameof(OddNesterov), nameof(OddAdagrad), nameof(OddAdagradNotes),
        nameof(OddRMSProp), nameof(OddRMSPropNotes), nameof(OddAdam), nameof(OddAdamW),
        nameof(OddSgdRegularized), nameof(OddNesterovRegularized), nameof(OddRMSPropRegularized),
        nameof(OddAdamRegularized), nameof(OddAdamWRegularized),
    ];

    internal static INetwork Create(string name) => name switch
    {
        nameof(OddSgd) => new OddSgd(1),
        nameof(OddMomentum) => new OddMomentum(1),
        nameof(OddNesterov) => new OddNesterov(1),
        nameof(OddAdagrad) => new OddAdagrad(1),
        nameof(OddAdagradNotes) => new OddAdagradNotes(1),
        nameof(OddRMSProp) => new OddRMSProp(1),
        nameof(OddRMSPropNotes) => new OddRMSPropNotes(1),
        nameof(OddAdam) => new OddAdam(1),
        nameof(OddAdamW) => new OddAdamW(1),
        nameof(OddSgdRegularized) => new OddSgdRegularized(1),
        nameof(OddNesterovRegularized) => new OddNesterovRegularized(1),
        nameof(OddRMSPropRegularized) => new OddRMSPropRegularized(1),
        nameof(OddAdamRegularized) => new OddAdamRegularized(1),
        nameof(OddAdamWRegularized) => new OddAdamWRegularized(1),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static bool NotesForm(string name) => name.Contains("Notes", StringComparison.Ordinal) || name == nameof(OddRMSPropRegularized);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Hundred_steps_agree_with_the_reference_optimizer(string name)
    {
        INetwork net = Create(name);
        Randomize(net, seed: 5);
        var reference = new ReferenceOptimizer(net.Description, net.Description.Optimizer, net.Hyperparameters.Clone(), NotesForm(name));
        double[] parameters = net.Parameters.ToArray().Select(v => (double)v).ToArray();

        bool clipped = false;
        for (int step = 0; step < 100; step++)
        {
            float[] x = RandomInputs(8, 13, seed: 100 + step);
            int[] y = RandomLabels(8, 5, seed: 200 + step);
            net.ComputeGradients(x, y);
            double[] g = net.Gradients.ToArray().Select(v => (double)v).ToArray();
            clipped |= net.Hyperparameters.ClipNorm > 0 && Math.Sqrt(g.Sum(v => v * v)) > net.Hyperparameters.ClipNorm;

            reference.Apply(parameters, g);
            net.Step();
        }

        Assert.Equal(100, net.OptimizerStep);
        AssertClose(parameters, net.Parameters, $"{name} parameter after 100 steps");
        if (net.Hyperparameters.ClipNorm > 0) Assert.True(clipped, "the clipping threshold never bit: the test would not cover clipping");
        // Every tensor moved away from its start: a step method that skipped one is caught even if both sides skipped it.
        INetwork start = Create(name);
        Randomize(start, seed: 5);
        foreach (ParameterTensor tensor in net.Description.Parameters)
        {
            Assert.Contains(Enumerable.Range(tensor.Offset, tensor.Length), i => net.Parameters[i] != start.Parameters[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void The_state_is_what_the_reference_keeps(string name)
    {
        INetwork net = Create(name);
        Randomize(net, seed: 6);
        var reference = new ReferenceOptimizer(net.Description, net.Description.Optimizer, net.Hyperparameters.Clone(), NotesForm(name));
        double[] parameters = net.Parameters.ToArray().Select(v => (double)v).ToArray();
        for (int step = 0; step < 5; step++)
        {
            net.ComputeGradients(RandomInputs(4, 13, seed: step), RandomLabels(4, 5, seed: step));
            reference.Apply(parameters, net.Gradients.ToArray().Select(v => (double)v).ToArray());
            net.Step();
        }

        int n = net.Description.ParameterCount;
        Assert.Equal(net.Description.OptimizerSlots.Count * n, net.OptimizerState.Length);
        if (net.Description.OptimizerSlots.Count > 0) AssertClose(reference.First, net.OptimizerState[..n], $"{name} {net.Description.OptimizerSlots[0]}");
        if (net.Description.OptimizerSlots.Count > 1) AssertClose(reference.Second, net.OptimizerState[n..], $"{name} {net.Description.OptimizerSlots[1]}");
    }
}
