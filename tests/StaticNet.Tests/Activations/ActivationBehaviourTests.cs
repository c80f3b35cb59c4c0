using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Activations;

/// <summary>
/// Behaviour of the generated activations beyond agreement with the reference: atan's accuracy,
/// RReLU's training and inference slopes, learned parameters as named, optimized tensors, and the
/// default and declared initializers.
/// </summary>
public sealed class ActivationBehaviourTests
{
    [Fact]
    [Trait("Category", "Numeric")]
    public void Generated_atan_is_accurate_to_float_precision_over_the_whole_line()
    {
        var points = new List<float>();
        for (int k = 0; k <= 4000; k++) points.Add(-8f + 16f * k / 4000f); // dense around the reduction thresholds
        for (int e = -20; e <= 30; e++)
        {
            points.Add(MathF.Pow(2f, e));
            points.Add(-MathF.Pow(2f, e));
        }
        points.AddRange([0f, -0f, 0.41421356f, 2.4142135f, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity]);
        var net = new ArcTanNet(seed: 1);
        float[] x = ActivationAgreementTests.PointInputs(net, points.ToArray());

        net.Infer(x, new float[points.Count * 3]);

        ReadOnlySpan<float> a = net.LayerOutput(0);
        double worst = 0;
        for (int r = 0; r < points.Count; r++)
        {
            for (int j = 0; j < 19; j++)
            {
                double error = Math.Abs(a[r * 19 + j] - Math.Atan(points[r]));
                worst = Math.Max(worst, error);
                Assert.True(error <= 2.5e-7, $"atan({points[r]:R}) = {a[r * 19 + j]:R} in unit {j}, expected {Math.Atan(points[r]):R} (path {Simd.Active})");
            }
        }
        Assert.True(worst > 0, "the comparison ran");
    }

    [Fact]
    public void RReLU_draws_slopes_in_l_u_in_training_and_uses_their_mean_at_inference()
    {
        var net = new RReLUWideNet(seed: 1); // l = 0.05, u = 0.6
        const int rows = 64;
        float[] x = ActivationAgreementTests.PointInputs(net, Enumerable.Repeat(-1f, rows).ToArray()); // z = −1 everywhere: a = −slope
        float[] t = new float[rows * 3];

        net.ComputeGradients(x, t);
        float[] training = net.LayerOutput(0).ToArray();
        net.ComputeGradients(x, t);
        float[] nextStep = net.LayerOutput(0).ToArray();

        float[] slopes = training.Select(v => -v).ToArray();
        Assert.All(slopes, s => Assert.InRange(s, 0.05f, 0.6f));
        Assert.True(slopes.Distinct().Count() > rows * 19 * 9 / 10, "every element draws its own slope");
        Assert.InRange(slopes.Average(), 0.325 - 0.02, 0.325 + 0.02); // mean of U(0.05, 0.6), 1216 draws: σ ≈ 0.0046
        Assert.NotEqual(training, nextStep); // a fresh draw every step
        for (int r = 1; r < rows; r++) Assert.NotEqual(training.AsSpan(0, 19).ToArray(), training.AsSpan(r * 19, 19).ToArray());

        net.Infer(x, new float[rows * 3]);
        Assert.All(net.LayerOutput(0).ToArray(), v => Assert.Equal(-(0.05f + 0.6f) / 2f, v, 6));
        float[] again = new float[rows * 3], first = new float[rows * 3];
        net.Infer(x, first);
        net.Infer(x, again);
        Assert.Equal(first, again); // inference draws nothing
    }

    [Fact]
    public void Learned_activation_parameters_are_named_tensors_the_optimizer_updates_and_L2_skips()
    {
        NetworkDescription d = SReLUNet.Descriptor;
        Assert.Equal(
            ["layers.0.weight", "layers.0.bias", "layers.0.srelu.t_left", "layers.0.srelu.a_left", "layers.0.srelu.t_right", "layers.0.srelu.a_right", "layers.1.weight", "layers.1.bias"],
            d.Parameters.Select(p => p.Name));
        Assert.All(d.Layers[0].ActivationParameters, p => Assert.False(p.Regularized));
        Assert.Equal([19], d["layers.0.srelu.t_left"].Shape);
        Assert.Equal([3, 19], Apl3Net.Descriptor["layers.0.apl.a"].Shape);
        Assert.Equal("layers.0.prelu.alpha", Assert.Single(PReLUNet.Descriptor.Layers[0].ActivationParameters).Name);
        Assert.Equal("layers.0.softexp.alpha", Assert.Single(SoftExponentialNet.Descriptor.Layers[0].ActivationParameters).Name);
        Assert.Equal(19 * 5 + 19 + 19 + 3 * 19 + 3, PReLUNet.ParameterCount);

        var net = new PReLUNet(seed: 2);
        Assert.All(net.Parameter("layers.0.prelu.alpha").ToArray(), a => Assert.Equal(0.25f, a));
        float[] x = RandomInputs(8, 5, seed: 3, low: -2f, high: 2f);
        float[] before = net.Parameter("layers.0.prelu.alpha").ToArray();
        net.LearningRate = 0.5f;
        net.TrainStep(x, RandomTargets(8, 3, seed: 4));
        Assert.NotEqual(before, net.Parameter("layers.0.prelu.alpha").ToArray());
        Assert.Contains(net.Gradient("layers.0.prelu.alpha").ToArray(), g => g != 0f);
    }

    [Fact]
    public void Learned_activation_and_batch_norm_parameters_are_regularized_only_when_the_layer_says_so()
    {
        NetworkDescription d = RegularizedExtrasNet.Descriptor;
        Assert.True(d["layers.0.prelu.alpha"].Regularized);
        Assert.True(d["layers.0.batchnorm.weight"].Regularized);
        Assert.False(d["layers.0.bias"].Regularized);
        var net = new RegularizedExtrasNet(seed: 1);
        net.Hyperparameters.L2 = 1f;
        // ½‖W₀‖² + ½‖α‖² + ½‖γ‖² + ½‖β‖² + ½‖W₁‖²: α = 0.25 and γ = 1 on 7 units each.
        double expected = 0.5 * (NetworkRuntime.SumSquares(net.Parameter("layers.0.weight")) + NetworkRuntime.SumSquares(net.Parameter("layers.1.weight")))
            + 0.5 * 7 * (0.25 * 0.25 + 1);
        Assert.Equal(expected, net.Penalty(), 4);
        Assert.False(PReLUNet.Descriptor["layers.0.prelu.alpha"].Regularized);
    }

    [Fact]
    public void Learned_parameters_start_at_their_declared_values()
    {
        var srelu = new SReLUShiftedNet(seed: 1);
        Assert.All(srelu.Parameter("layers.0.srelu.t_left").ToArray(), v => Assert.Equal(-0.5f, v));
        Assert.All(srelu.Parameter("layers.0.srelu.a_left").ToArray(), v => Assert.Equal(0.2f, v));
        Assert.All(srelu.Parameter("layers.0.srelu.t_right").ToArray(), v => Assert.Equal(0.5f, v));
        Assert.All(srelu.Parameter("layers.0.srelu.a_right").ToArray(), v => Assert.Equal(1.5f, v));
        var defaults = new SReLUNet(seed: 1);
        Assert.All(defaults.Parameter("layers.0.srelu.a_right").ToArray(), v => Assert.Equal(1f, v));
        var apl = new Apl3Net(seed: 1);
        Assert.All(apl.Parameter("layers.0.apl.a").ToArray(), v => Assert.Equal(0f, v));
        Span<float> b = apl.Parameter("layers.0.apl.b");
        Assert.Equal(-2f / 3f, b[0], 5);
        Assert.Equal(0f, b[19], 6);
        Assert.Equal(2f / 3f, b[38], 5);
        Assert.All(new SoftExponentialNet(1).Parameter("layers.0.softexp.alpha").ToArray(), v => Assert.Equal(0f, v));
        Assert.All(new SoftExpNegativeNet(1).Parameter("layers.0.softexp.alpha").ToArray(), v => Assert.Equal(-0.3f, v));
        Assert.All(new PReLU01Net(1).Parameter("layers.0.prelu.alpha").ToArray(), v => Assert.Equal(0.1f, v));
    }

    [Fact]
    public void Declared_constants_reach_the_description()
    {
        Assert.Equal(0.2f, LeakyReLU02Net.Descriptor.Layers[0].ResolvedActivationOptions.Alpha);
        Assert.Equal(ActivationOptions.Defaults(Activation.LeakyReLU), LeakyReLUNet.Descriptor.Layers[0].ResolvedActivationOptions);
        Assert.Equal(ActivationOptions.Defaults(Activation.SELU), SELUNet.Descriptor.Layers[0].ResolvedActivationOptions);
        Assert.Equal(ActivationOptions.Defaults(Activation.ELU), ELUNet.Descriptor.Layers[0].ResolvedActivationOptions);
        Assert.Equal(ActivationOptions.Defaults(Activation.RReLU), RReLUNet.Descriptor.Layers[0].ResolvedActivationOptions);
        Assert.Equal(new ActivationOptions(Lower: 0.05f, Upper: 0.6f), RReLUWideNet.Descriptor.Layers[0].ActivationOptions);
        Assert.Equal(new ActivationOptions(Alpha: 1.5f, Lambda: 1.1f), SeluCustomNet.Descriptor.Layers[0].ActivationOptions);
        Assert.Equal(3, Apl3Net.Descriptor.Layers[0].ResolvedActivationOptions.Hinges);
    }

    public static TheoryData<string, Initializer> DefaultInitializers() => new()
    {
        { nameof(ReLUNet), Initializer.HeUniform },
        { nameof(LeakyReLUNet), Initializer.HeUniform },
        { nameof(PReLUNet), Initializer.HeUniform },
        { nameof(RReLUNet), Initializer.HeUniform },
        { nameof(ELUNet), Initializer.HeUniform },
        { nameof(SReLUNet), Initializer.HeUniform },
        { nameof(ISRLUNet), Initializer.HeUniform },
        { nameof(APLNet), Initializer.HeUniform },
        { nameof(SiLUNet), Initializer.HeUniform },
        { nameof(GELUNet), Initializer.HeUniform },
        { nameof(SoftPlusNet), Initializer.HeUniform },
        { nameof(SELUNet), Initializer.LeCunNormal },
        { nameof(SigmoidNet), Initializer.GlorotUniform },
        { nameof(TanhNet), Initializer.GlorotUniform },
        { nameof(IdentityNet), Initializer.GlorotUniform },
        { nameof(SoftsignNet), Initializer.GlorotUniform },
        { nameof(ArcTanNet), Initializer.GlorotUniform },
        { nameof(SincNet), Initializer.GlorotUniform },
    };

    [Theory]
    [MemberData(nameof(DefaultInitializers))]
    public void Each_activation_has_its_default_initializer(string network, Initializer expected)
    {
        Assert.Equal(expected, ActivationNetworks.Create(network, 1).Description.Layers[0].Initializer);
    }

    [Fact]
    public void Initializers_draw_from_their_distributions()
    {
        // Wide layers so the sample variance is tight: 60 inputs × 97 units = 5,820 draws (σ of the variance ≈ 2–3%).
        AssertVariance(new InitHeNormalNet(1).Parameter("layers.0.weight"), 2.0 / 60, normal: true);
        AssertVariance(new InitLeCunNormalNet(1).Parameter("layers.0.weight"), 1.0 / 60, normal: true);
        AssertVariance(new InitGlorotNormalNet(1).Parameter("layers.0.weight"), 2.0 / (60 + 97), normal: true);
        AssertVariance(new InitLeCunUniformNet(1).Parameter("layers.0.weight"), 1.0 / 60, normal: false); // limit √(3/fanIn): variance 1/fanIn
        AssertVariance(new InitSeluDefaultNet(1).Parameter("layers.0.weight"), 1.0 / 60, normal: true);
        Assert.Equal(Initializer.GlorotNormal, InitGlorotNormalNet.Descriptor.Layers[0].Initializer);

        static void AssertVariance(Span<float> w, double variance, bool normal)
        {
            double mean = 0, squares = 0, beyond = 0;
            foreach (float v in w)
            {
                mean += v;
                squares += (double)v * v;
                if (Math.Abs(v) > 2.5 * Math.Sqrt(variance)) beyond++;
            }
            mean /= w.Length;
            double sample = squares / w.Length - mean * mean;
            Assert.InRange(sample, 0.9 * variance, 1.1 * variance);
            // A normal puts 1.2% beyond 2.5σ; a uniform with this variance puts none there (its limit is 1.73σ).
            if (normal) Assert.InRange(beyond / w.Length, 0.005, 0.025);
            else Assert.Equal(0, beyond);
        }
    }
}

[Network(Inputs = 60, Loss = Loss.MeanSquaredError)]
[Dense(97, Activation.ReLU, Initializer = Initializer.HeNormal)]
[Dense(2)]
public partial class InitHeNormalNet;

[Network(Inputs = 60, Loss = Loss.MeanSquaredError)]
[Dense(97, Activation.Tanh, Initializer = Initializer.LeCunNormal)]
[Dense(2)]
public partial class InitLeCunNormalNet;

[Network(Inputs = 60, Loss = Loss.MeanSquaredError)]
[Dense(97, Activation.ReLU, Initializer = Initializer.GlorotNormal)]
[Dense(2)]
public partial class InitGlorotNormalNet;

[Network(Inputs = 60, Loss = Loss.MeanSquaredError)]
[Dense(97, Activation.Sigmoid, Initializer = Initializer.LeCunUniform)]
[Dense(2)]
public partial class InitLeCunUniformNet;

[Network(Inputs = 60, Loss = Loss.MeanSquaredError)]
[Dense(97, Activation.SELU)]
[Dense(2)]
public partial class InitSeluDefaultNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(7, Activation.PReLU, BatchNorm = true, RegularizeActivation = true, RegularizeBatchNorm = true)]
[Dense(2)]
public partial class RegularizedExtrasNet;
