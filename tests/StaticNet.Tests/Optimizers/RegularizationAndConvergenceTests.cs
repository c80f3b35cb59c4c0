using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Optimizers;

[Network(Inputs = 6, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.5f, L2 = 0.1f)]
[Dense(3, Activation.Tanh)] [Dense(1)]
public partial class ShrinkNet;

[Network(Inputs = 20, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.05f, L1 = 0.05f)]
[Dense(1)]
public partial class LassoNet;

[Network(Inputs = 20, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.05f, L2 = 0.05f)]
[Dense(1)]
public partial class RidgeNet;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.005f)]
[Dense(1)]
public partial class QuadraticSgd;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.05f)]
[Dense(1)]
public partial class QuadraticAdam;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.RMSProp, LearningRate = 0.05f)]
[Dense(1)]
public partial class QuadraticRMSProp;

[Network(Inputs = 13, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, L1 = 0.01f, L2 = 0.2f, PenaltyInLoss = true)]
[Dense(21, Activation.Tanh)] [Dense(5)]
public partial class PenaltyNet;

[Network(Inputs = 13, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, ClipNorm = 0.01f)]
[Dense(21, Activation.Tanh)] [Dense(5)]
public partial class ClippedNet;

public sealed class RegularizationAndConvergenceTests
{
    [Fact]
    public void L2_is_exactly_the_one_minus_eta_lambda_shrink_and_leaves_biases_alone()
    {
        var net = new ShrinkNet(1);
        Randomize(net, seed: 3);
        float[] before = net.Parameters.ToArray();
        net.Gradients.Clear(); // no data gradient: only the penalty acts

        net.Step();

        foreach (ParameterTensor tensor in ShrinkNet.Descriptor.Parameters)
        {
            for (int i = tensor.Offset; i < tensor.Offset + tensor.Length; i++)
            {
                double expected = tensor.Regularized ? (1 - 0.5 * 0.1) * before[i] : before[i];
                Assert.True(Math.Abs(expected - net.Parameters[i]) <= 1e-6 * Math.Abs(expected), $"{tensor.Name}[{i - tensor.Offset}]: {expected} vs {net.Parameters[i]}");
            }
        }
        Assert.True(ShrinkNet.Descriptor["layers.0.weight"].Regularized);
        Assert.False(ShrinkNet.Descriptor["layers.0.bias"].Regularized);
    }

    [Fact]
    public void L1_gives_a_sparser_solution_than_L2_at_equal_lambda()
    {
        // 30 noisy examples, 20 features of which only two matter: least squares fits the noise
        // with the other 18; L2 shrinks them, L1 drives them to (a step's width of) zero.
        var random = new Random(4);
        float[] x = new float[30 * 20];
        float[] t = new float[30];
        for (int r = 0; r < 30; r++)
        {
            for (int j = 0; j < 20; j++) x[r * 20 + j] = (float)(random.NextDouble() * 2 - 1);
            t[r] = 2f * x[r * 20] - 3f * x[r * 20 + 1] + (float)(0.3 * (random.NextDouble() * 2 - 1));
        }
        var lasso = new LassoNet(1);
        var ridge = new RidgeNet(1);
        lasso.Parameters.CopyTo(ridge.Parameters);
        for (int step = 0; step < 3000; step++)
        {
            lasso.TrainStep(x, t);
            ridge.TrainStep(x, t);
        }

        double threshold = 2 * 0.05 * 0.05; // twice one L1 step, η·λ₁
        int lassoZeros = lasso.Parameter("layers.0.weight")[2..].ToArray().Count(w => Math.Abs(w) < threshold);
        int ridgeZeros = ridge.Parameter("layers.0.weight")[2..].ToArray().Count(w => Math.Abs(w) < threshold);
        Assert.True(lassoZeros >= 12 && lassoZeros > 2 * ridgeZeros, $"near-zero irrelevant weights: L1 {lassoZeros} of 18, L2 {ridgeZeros} of 18");
        Assert.InRange(lasso.Parameter("layers.0.weight")[0], 1.5f, 2.5f); // the relevant weights survive
    }

    [Fact]
    public void Adam_and_RMSProp_converge_faster_than_SGD_on_an_ill_conditioned_quadratic()
    {
        // y = 3·x₁ + 0.5·x₂ on the four points x₁ = ±10, x₂ = ±0.1: the MSE surface is a quadratic
        // 10⁴ times steeper along w₁ than along w₂, with no cross term (the notes' "steep
        // vertically, shallow horizontally"). SGD's η must stay below 2/200 for the steep axis,
        // which leaves the shallow one almost still.
        float[] x = [10f, 0.1f, 10f, -0.1f, -10f, 0.1f, -10f, -0.1f];
        float[] t = new float[4];
        for (int r = 0; r < 4; r++) t[r] = 3f * x[2 * r] + 0.5f * x[2 * r + 1];
        double Distance(INetwork net)
        {
            net.Parameters.Clear();
            for (int step = 0; step < 400; step++) net.TrainStep(x, t);
            Span<float> w = net.Parameter("layers.0.weight");
            return Math.Max(Math.Abs(w[0] - 3), Math.Abs(w[1] - 0.5));
        }

        double sgd = Distance(new QuadraticSgd(1)), adam = Distance(new QuadraticAdam(1)), rmsprop = Distance(new QuadraticRMSProp(1));

        Assert.True(adam < sgd / 5, $"distance to the optimum after 400 steps: Adam {adam}, SGD {sgd}");
        Assert.True(rmsprop < sgd / 5, $"distance to the optimum after 400 steps: RMSProp {rmsprop}, SGD {sgd}");
    }

    public static TheoryData<string> Unregularized() =>
    [
        nameof(OddSgd), nameof(OddMomentum), nameof(OddNesterov), nameof(OddAdagrad), nameof(OddAdagradNotes),
        nameof(OddRMSProp), nameof(OddRMSPropNotes), nameof(OddAdam), nameof(OddAdamW),
    ];

    [Theory]
    [MemberData(nameof(Unregularized))]
    public void Every_optimizer_lowers_the_loss_of_the_same_problem(string name)
    {
        INetwork net = StepVersusReferenceTests.Create(name);
        float[] x = RandomInputs(32, 13, seed: 1);
        int[] y = RandomLabels(32, 5, seed: 2);
        float initial = net.ComputeLoss(x, y);
        for (int step = 0; step < 200; step++) net.TrainStep(x, y);
        float final = net.ComputeLoss(x, y);
        Assert.True(final < 0.7f * initial, $"{name}: loss {initial} → {final}");
    }

    [Fact]
    public void The_penalty_can_be_part_of_the_reported_loss()
    {
        var net = new PenaltyNet(1);
        float[] x = RandomInputs(4, 13, seed: 1);
        int[] y = RandomLabels(4, 5, seed: 2);
        double l1 = 0, l2 = 0;
        foreach (ParameterTensor tensor in PenaltyNet.Descriptor.Parameters.Where(p => p.Regularized))
        {
            foreach (float w in net.Parameters.Slice(tensor.Offset, tensor.Length)) { l1 += Math.Abs(w); l2 += w * (double)w; }
        }
        double penalty = 0.01 * l1 + 0.2 / 2 * l2;

        float withPenalty = net.ComputeLoss(x, y);
        net.Hyperparameters.PenaltyInLoss = false;
        float without = net.ComputeLoss(x, y);

        Assert.Equal(penalty, net.Penalty(), 4);
        Assert.Equal(without + penalty, withPenalty, 4);
    }

    [Fact]
    public void Clipping_scales_the_step_to_the_clip_norm()
    {
        var net = new ClippedNet(1);
        float[] x = RandomInputs(4, 13, seed: 3);
        int[] y = RandomLabels(4, 5, seed: 4);
        net.ComputeGradients(x, y);
        float[] before = net.Parameters.ToArray();
        double norm = Math.Sqrt(net.Gradients.ToArray().Sum(g => g * (double)g));
        Assert.True(norm > 0.01, "the gradient must exceed the clip norm for this test to mean anything");

        net.Step();

        double moved = Math.Sqrt(before.Select((b, i) => Math.Pow(b - net.Parameters[i], 2)).Sum());
        Assert.Equal(0.1 * 0.01, moved, 6); // ‖Δθ‖ = η · ClipNorm
    }

    [Fact]
    public void Hyperparameters_change_at_run_time_and_the_optimizer_can_be_reset()
    {
        var net = new OddAdam(1);
        float[] x = RandomInputs(4, 13, seed: 5);
        int[] y = RandomLabels(4, 5, seed: 6);
        Assert.Equal(0.001f, net.LearningRate); // Adam's default
        Assert.Equal(0.999f, net.Hyperparameters.Beta2);

        net.TrainStep(x, y);
        Assert.Equal(1, net.OptimizerStep);
        Assert.Contains(net.OptimizerState.ToArray(), s => s != 0);

        net.LearningRate = 0.5f;
        Assert.Equal(0.5f, net.Hyperparameters.LearningRate);
        float[] before = net.Parameters.ToArray();
        net.TrainStep(x, y);
        Assert.NotEqual(before, net.Parameters.ToArray());
        // A rate of 0 is refused like the attribute refuses it (HyperparameterValidationTests has every rule).
        Assert.Throws<ArgumentOutOfRangeException>(() => net.LearningRate = 0f);
        Assert.Equal(0.5f, net.Hyperparameters.LearningRate);

        net.ResetOptimizer();
        Assert.Equal(0, net.OptimizerStep);
        Assert.All(net.OptimizerState.ToArray(), s => Assert.Equal(0f, s));
    }

    [Fact]
    public void Declared_defaults_follow_each_optimizer()
    {
        Assert.Equal(0.05f, new OddAdagrad(1).Hyperparameters.LearningRate); // declared
        Assert.Equal(0.001f, new OddAdamRegularized(1).Hyperparameters.LearningRate); // Adam's default
        Assert.Equal(1e-10f, new OddAdagrad(1).Hyperparameters.Epsilon);
        Assert.Equal(1e-8f, new OddRMSProp(1).Hyperparameters.Epsilon);
        Assert.Equal(0.001f, new OddRMSProp(1).Hyperparameters.LearningRate);
        Assert.Equal(0.9f, new OddRMSProp(1).Hyperparameters.Alpha);
        Assert.Equal(0.01f, new OddAdamW(1).Hyperparameters.L2);
        Assert.Equal(0f, new OddAdam(1).Hyperparameters.L2);
        Assert.Equal(0.9f, new OddMomentum(1).Hyperparameters.Momentum);
        Assert.Equal(["exp_avg", "exp_avg_sq"], OddAdam.Descriptor.OptimizerSlots);
        Assert.Empty(OddSgd.Descriptor.OptimizerSlots);
        Assert.Empty(new OddSgd(1).OptimizerState.ToArray());
    }
}
