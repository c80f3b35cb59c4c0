using StaticNet.Reference;
using Xunit.Abstractions;
using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Activations;

/// <summary>
/// Central finite differences of the double-precision reference, for every activation and every
/// parameter (weights, biases, learned activation parameters), at random points and at points
/// near the kinks (and at 0 for Sinc). The generated code is held to the reference by
/// <see cref="ActivationAgreementTests"/>, on every kernel path.
/// </summary>
public sealed class ActivationGradientCheckTests(ITestOutputHelper output)
{
    public static TheoryData<string> Networks() => ActivationNetworks.Names();

    /// <summary>
    /// The largest error of central differences against the reference's analytic gradient, as
    /// |numeric − analytic| / max(1, |analytic|), over every parameter.
    /// </summary>
    internal static (double Worst, string Where) Check(ReferenceNetwork reference, float[] x, float[] t, double h = 1e-5)
    {
        long step = reference.NoiseStep;
        reference.ComputeGradients(x, t);
        double[] analytic = (double[])reference.Gradients.Clone();
        reference.NoiseStep = step; // the same noise for every probe
        double worst = 0;
        string where = "";
        NetworkDescription d = reference.Description;
        for (int p = 0; p < d.ParameterCount; p++)
        {
            double saved = reference.Parameters[p];
            reference.Parameters[p] = saved + h;
            double plus = reference.TrainingLoss(x, t);
            reference.Parameters[p] = saved - h;
            double minus = reference.TrainingLoss(x, t);
            reference.Parameters[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            double error = Math.Abs(numeric - analytic[p]) / Math.Max(1.0, Math.Abs(analytic[p]));
            if (error > worst)
            {
                worst = error;
                ParameterTensor tensor = d.Parameters.First(q => p >= q.Offset && p < q.Offset + q.Length);
                where = $"{tensor.Name}[{p - tensor.Offset}]: analytic {analytic[p]:R}, numeric {numeric:R}";
            }
        }
        return (worst, where);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Reference_gradients_match_central_differences_at_random_points(string network)
    {
        INetwork net = ActivationNetworks.Create(network, seed: 3);
        ActivationAgreementTests.RandomizeValid(net, seed: 21);
        net.NoiseStep = 5;
        var reference = ReferenceNetwork.Of(net);
        float[] x = RandomInputs(4, 5, seed: 22, low: -2f, high: 2f);
        float[] t = RandomTargets(4, 3, seed: 23);

        (double worst, string where) = Check(reference, x, t);

        output.WriteLine($"{network}: max gradient-check error {worst:E2} ({where})");
        Assert.True(worst <= 1e-6, $"{network}: {where}, error {worst:E3}");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Reference_gradients_match_central_differences_near_kinks(string network)
    {
        if (network is nameof(SReLUShiftedNet) or nameof(Apl3Net)) return; // their kinks sit elsewhere
        INetwork net = ActivationNetworks.Create(network, seed: 4);
        Activation activation = net.Description.Layers[0].Activation;
        // A kink itself has no derivative (only Sinc's 0 is smooth): probe 1e-3 and more away from it,
        // with h = 1e-6 so that no probe crosses it.
        float[] points = ActivationAgreementTests.ChosenPoints(activation)
            .Where(z => activation == Activation.Sinc || !IsKink(activation, z)).ToArray();
        float[] x = ActivationAgreementTests.PointInputs(net, points);
        var reference = ReferenceNetwork.Of(net);
        float[] t = RandomTargets(points.Length, 3, seed: 24);

        (double worst, string where) = Check(reference, x, t, h: 1e-6);

        output.WriteLine($"{network}: max gradient-check error near kinks {worst:E2} ({where})");
        Assert.True(worst <= 1e-5, $"{network}: {where}, error {worst:E3}");
    }

    /// <summary>Points where the activation (at its initial parameters) is not differentiable, or within 1e-5 of one.</summary>
    private static bool IsKink(Activation activation, float z)
    {
        float[] kinks = activation switch
        {
            Activation.SReLU => [0f, 1f],
            Activation.APL => [0f, -0.5f, 0.5f],
            Activation.ReLU or Activation.LeakyReLU or Activation.PReLU or Activation.RReLU or Activation.ELU or Activation.SELU
                or Activation.ISRLU or Activation.BinaryStep => [0f],
            _ => [],
        };
        return kinks.Any(k => Math.Abs(z - k) < 1e-5f);
    }
}
