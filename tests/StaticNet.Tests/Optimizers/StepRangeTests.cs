using System.Runtime.InteropServices;
using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Optimizers;

/// <summary>
/// <see cref="INetwork.StepRange"/>, the optimizer step cut into pieces for several threads: any cut,
/// in any order, gives bit for bit what one <see cref="INetwork.Step"/> gives (so the reference agreement
/// of <see cref="StepVersusReferenceTests"/> carries over), touches only its range, and checks its arguments.
/// .ci/run repeats the Numeric category on every kernel path.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class StepRangeTests
{
    private static int[] Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, int>(values).ToArray();

    /// <summary>Cut points in (0, n): some on vector boundaries, some not, so vector loops and scalar tails both start mid-tensor.</summary>
    private static int[] Cuts(int n, Random random)
    {
        var cuts = new SortedSet<int> { 0, n, 16, 37 };
        for (int k = 0; k < 5; k++) cuts.Add(random.Next(1, n));
        return cuts.Where(c => c <= n).ToArray();
    }

    [Theory]
    [MemberData(nameof(StepVersusReferenceTests.Networks), MemberType = typeof(StepVersusReferenceTests))]
    public void Pieces_in_any_order_equal_one_step_bit_for_bit(string name)
    {
        INetwork whole = StepVersusReferenceTests.Create(name), pieces = StepVersusReferenceTests.Create(name);
        Randomize(whole, seed: 5);
        Randomize(pieces, seed: 5);
        int n = whole.Parameters.Length;
        var random = new Random(11);
        for (int step = 0; step < 20; step++)
        {
            float[] x = RandomInputs(8, 13, seed: 100 + step);
            int[] y = RandomLabels(8, 5, seed: 200 + step);
            whole.ComputeGradients(x, y);
            pieces.ComputeGradients(x, y);
            Assert.Equal(Bits(whole.Gradients), Bits(pieces.Gradients));

            whole.Step();
            int[] cuts = Cuts(n, random);
            foreach (int k in Enumerable.Range(0, cuts.Length - 1).OrderBy(_ => random.Next()))
            {
                pieces.StepRange(cuts[k], cuts[k + 1], pieces.OptimizerStep + 1);
            }
            pieces.OptimizerStep++;

            Assert.Equal(Bits(whole.Parameters), Bits(pieces.Parameters));
            Assert.Equal(Bits(whole.OptimizerState), Bits(pieces.OptimizerState));
        }
        Assert.Equal(20, pieces.OptimizerStep);
    }

    [Theory]
    [InlineData(nameof(OddAdamRegularized), 0, 1)]
    [InlineData(nameof(OddAdamRegularized), 10, 300)] // across the first tensor's end
    [InlineData(nameof(OddNesterov), 401, 404)] // the last elements
    [InlineData(nameof(OddSgd), 50, 50)] // empty
    public void A_range_changes_its_elements_only(string name, int start, int end)
    {
        INetwork before = StepVersusReferenceTests.Create(name), net = StepVersusReferenceTests.Create(name);
        Randomize(before, seed: 3);
        Randomize(net, seed: 3);
        float[] x = RandomInputs(4, 13, seed: 9);
        int[] y = RandomLabels(4, 5, seed: 10);
        net.ComputeGradients(x, y);
        int n = net.Parameters.Length;
        int slots = net.OptimizerState.Length / n;

        net.StepRange(start, end, 1);

        Assert.Equal(0, net.OptimizerStep);
        for (int i = 0; i < n; i++)
        {
            bool inside = i >= start && i < end;
            if (!inside) Assert.Equal(before.Parameters[i], net.Parameters[i]);
            else if (net.Gradients[i] != 0) Assert.NotEqual(before.Parameters[i], net.Parameters[i]);
            for (int s = 0; s < slots; s++)
            {
                if (!inside) Assert.Equal(0f, net.OptimizerState[(s * n) + i]);
            }
        }
    }

    [Fact]
    public void Bad_arguments_name_the_parameter_and_change_nothing()
    {
        var net = new OddAdam(1);
        int n = OddAdam.ParameterCount;
        net.ComputeGradients(RandomInputs(2, 13, seed: 1), RandomLabels(2, 5, seed: 2));
        float[] parameters = net.Parameters.ToArray();

        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => net.StepRange(-1, 4, 1)).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => net.StepRange(n + 1, n + 1, 1)).ParamName);
        Assert.Equal("end", Assert.Throws<ArgumentOutOfRangeException>(() => net.StepRange(5, 4, 1)).ParamName);
        var tooFar = Assert.Throws<ArgumentOutOfRangeException>(() => net.StepRange(0, n + 1, 1));
        Assert.Equal("end", tooFar.ParamName);
        Assert.Contains(n.ToString(System.Globalization.CultureInfo.InvariantCulture), tooFar.Message, StringComparison.Ordinal);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => net.StepRange(0, n, 0)).ParamName);

        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.All(net.OptimizerState.ToArray(), v => Assert.Equal(0f, v));
    }
}
