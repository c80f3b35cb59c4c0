using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Reliability;

/// <summary>
/// Nothing is lost on NaN: a training call whose loss or gradients are not finite throws <see cref="NonFiniteException"/>
/// and leaves the parameters, the optimizer state and step, the running statistics and the noise step bit for bit as
/// they were; the optimizer step counter is checked where it is set.
/// </summary>
public sealed class NonFiniteStepTests
{
    /// <summary>Everything a training call may change, as bits.</summary>
    private static int[] State(INetwork net)
        => net.Parameters.ToArray().Concat(net.OptimizerState.ToArray()).Concat(net.Statistics.ToArray())
            .Select(BitConverter.SingleToInt32Bits)
            .Concat([(int)net.OptimizerStep, (int)net.NoiseStep])
            .ToArray();

    public static TheoryData<string> Networks => [nameof(GuardedSgdNet), nameof(GuardedAdamNet)];

    private static INetwork Create(string name) => name == nameof(GuardedSgdNet) ? new GuardedSgdNet(seed: 1) : new GuardedAdamNet(seed: 1);

    private static void Train(INetwork net, float[] x, int step)
    {
        if (net is GuardedSgdNet) net.TrainStep(x, RandomLabels(x.Length / 7, 3, seed: step));
        else net.TrainStep(x, RandomTargets(x.Length / 7, 3, seed: step));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_NaN_input_throws_and_changes_nothing(string network)
    {
        INetwork net = Create(network);
        for (int step = 0; step < 3; step++) Train(net, RandomInputs(8, 7, seed: step), step); // some state to lose
        int[] before = State(net);

        float[] x = RandomInputs(8, 7, seed: 10);
        x[5 * 7 + 2] = float.NaN;
        NonFiniteException e = Assert.Throws<NonFiniteException>(() => Train(net, x, 10));
        Assert.Equal(5, e.Row);
        Assert.Contains("Input row 5", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, State(net));

        // ComputeGradients alone refuses too, and so does Step with the gradients it left.
        Assert.Throws<NonFiniteException>(() => net.ComputeGradients(x, RandomTargets(8, 3, seed: 1)));
        Assert.Throws<NonFiniteException>(net.Step);
        Assert.Equal(before, State(net));

        // And the network trains on as if nothing happened.
        Train(net, RandomInputs(8, 7, seed: 11), 11);
        Assert.All(net.Parameters.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_finite_input_that_overflows_throws_and_changes_nothing()
    {
        var net = new GuardedSgdNet(seed: 2);
        int[] before = State(net);
        float[] x = RandomInputs(8, 7, seed: 3);
        x[3] = 1e38f;
        NonFiniteException e = Assert.Throws<NonFiniteException>(() => net.TrainStep(x, RandomLabels(8, 3, seed: 4)));
        // The batch's variance overflows float: the running variance would become infinite (issue: Fit finished with it so).
        Assert.Equal(-1, e.Row);
        Assert.Contains("running mean or variance", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was updated", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, State(net));
        Assert.All(net.Statistics.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Step_refuses_gradients_that_are_not_finite()
    {
        var net = new GuardedAdamNet(seed: 3);
        net.ComputeGradients(RandomInputs(4, 7, seed: 1), RandomTargets(4, 3, seed: 2));
        net.Gradients[17] = float.PositiveInfinity;
        int[] before = State(net);
        Assert.Throws<NonFiniteException>(net.Step);
        Assert.Equal(before, State(net));
    }

    [Fact]
    public void The_optimizer_step_counter_is_checked_where_it_is_set_and_where_it_would_overflow()
    {
        var net = new GuardedAdamNet(seed: 4);
        Assert.Equal("OptimizerStep", Assert.Throws<ArgumentOutOfRangeException>(() => net.OptimizerStep = -1).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.OptimizerStep = long.MaxValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.StepRange(0, 10, long.MaxValue));

        net.OptimizerStep = StaticNet.Compiled.NetworkState.MaxOptimizerStep;
        net.ComputeGradients(RandomInputs(4, 7, seed: 1), RandomTargets(4, 3, seed: 2));
        float[] parameters = net.Parameters.ToArray();
        Assert.Throws<InvalidOperationException>(net.Step);
        Assert.Equal(parameters, net.Parameters.ToArray());
        net.ResetOptimizer();
        net.Step();
        Assert.Equal(1, net.OptimizerStep);
    }
}
