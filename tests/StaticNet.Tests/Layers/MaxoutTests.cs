using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Layers;

/// <summary>
/// Maxout's behaviour: the notes' claim that with two pieces, the second all zero, maxout is ReLU;
/// the backward pass routes each unit's gradient to its winning piece only, the first on a tie.
/// Agreement with the reference and finite differences are in <see cref="LayerAgreementTests"/>.
/// </summary>
public sealed class MaxoutTests
{
    [Fact]
    public void Two_pieces_with_the_second_all_zero_are_ReLU()
    {
        var relu = new ReLUTwinNet(seed: 1);
        Randomize(relu, seed: 2);
        var maxout = new MaxoutReLUNet(seed: 1);
        maxout.Parameters.Clear();
        relu.Parameter("layers.0.weight").CopyTo(maxout.Parameter("layers.0.weight")); // piece 0 = the ReLU layer; piece 1 stays 0
        relu.Parameter("layers.0.bias").CopyTo(maxout.Parameter("layers.0.bias"));
        relu.Parameter("layers.1.weight").CopyTo(maxout.Parameter("layers.1.weight"));
        relu.Parameter("layers.1.bias").CopyTo(maxout.Parameter("layers.1.bias"));
        float[] x = RandomInputs(23, 9, seed: 3, low: -2f, high: 2f);
        int[] y = RandomLabels(23, 4, seed: 4);

        float[] p1 = new float[23 * 4], p2 = new float[23 * 4];
        relu.Infer(x, p1);
        maxout.Infer(x, p2);
        Assert.Equal(p1, p2);
        Assert.Equal(relu.LayerOutput(0).ToArray(), maxout.LayerOutput(0).ToArray());
        Assert.Contains(relu.LayerOutput(0).ToArray(), v => v == 0f); // some units are cut at 0 …
        Assert.Contains(relu.LayerOutput(0).ToArray(), v => v > 0f); // … and some pass

        Assert.Equal(relu.ComputeGradients(x, y), maxout.ComputeGradients(x, y));
        // Piece 0 learns exactly what the ReLU layer learns; piece 1 (winning where ReLU is cut) gets the rest.
        Assert.Equal(relu.Gradient("layers.0.weight").ToArray(), maxout.Gradient("layers.0.weight")[..(21 * 9)].ToArray());
        Assert.Equal(relu.Gradient("layers.0.bias").ToArray(), maxout.Gradient("layers.0.bias")[..21].ToArray());
        Assert.Equal(relu.Gradient("layers.1.weight").ToArray(), maxout.Gradient("layers.1.weight").ToArray());
    }

    [Fact]
    public void Each_gradient_goes_to_the_winning_piece_only()
    {
        var net = new MaxoutNet(seed: 5);
        Randomize(net, seed: 6);
        float[] x = RandomInputs(1, 7, seed: 7);
        net.ComputeGradients(x, [2]);

        // Layer 0: 3 pieces × 19 units; piece k of unit u is output k·19 + u.
        Span<float> w = net.Parameter("layers.0.weight"), b = net.Parameter("layers.0.bias");
        Span<float> gb = net.Gradient("layers.0.bias");
        for (int u = 0; u < 19; u++)
        {
            int winner = 0;
            double best = double.NegativeInfinity;
            for (int k = 0; k < 3; k++)
            {
                double z = b[k * 19 + u];
                for (int i = 0; i < 7; i++) z += w[(k * 19 + u) * 7 + i] * (double)x[i];
                if (z > best) (best, winner) = (z, k);
            }
            for (int k = 0; k < 3; k++)
            {
                if (k != winner) Assert.Equal(0f, gb[k * 19 + u]);
            }
            Assert.Equal(best, net.LayerOutput(0)[u], 5);
        }
        Assert.Contains(gb.ToArray(), g => g != 0f);
    }

    [Fact]
    public void On_a_tie_the_first_piece_wins()
    {
        var net = new MaxoutNet(seed: 8);
        Randomize(net, seed: 9);
        Span<float> w = net.Parameter("layers.0.weight"), b = net.Parameter("layers.0.bias");
        w[..(19 * 7)].CopyTo(w[(19 * 7)..(2 * 19 * 7)]); // piece 1 = piece 0
        b[..19].CopyTo(b[19..38]);
        for (int k = 0; k < 19 * 7; k++) w[2 * 19 * 7 + k] = -10f; // piece 2 never wins on positive inputs
        float[] x = RandomInputs(4, 7, seed: 10, low: 0.1f, high: 1f);
        net.ComputeGradients(x, [0, 1, 2, 3]);
        Span<float> gb = net.Gradient("layers.0.bias");
        Assert.Contains(gb[..19].ToArray(), g => g != 0f);
        Assert.All(gb[19..].ToArray(), g => Assert.Equal(0f, g));
    }
}
