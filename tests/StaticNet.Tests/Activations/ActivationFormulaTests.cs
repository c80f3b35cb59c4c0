using StaticNet.Reference;

namespace StaticNet.Tests.Activations;

/// <summary>
/// The reference activations against the formulas of the table, worked out independently at
/// chosen points (the generated code is then held to the reference by <see cref="ActivationAgreementTests"/>).
/// </summary>
public sealed class ActivationFormulaTests
{
    private static double F(Activation a, double z, ActivationOptions? o = null, params double[] p)
        => ReferenceActivations.Forward(a, z, o ?? ActivationOptions.Defaults(a), p);

    private static double D(Activation a, double z, ActivationOptions? o = null, params double[] p)
        => ReferenceActivations.Derivative(a, z, o ?? ActivationOptions.Defaults(a), p);

    [Fact]
    public void Values_at_chosen_points_follow_the_table()
    {
        const double e = Math.E;
        Assert.Equal(0.5, F(Activation.Sigmoid, 0), 15);
        Assert.Equal(1 / (1 + 1 / e), F(Activation.Sigmoid, 1), 15);
        Assert.Equal((e * e - 1) / (e * e + 1), F(Activation.Tanh, 1), 15);
        Assert.Equal(0, F(Activation.ReLU, -2));
        Assert.Equal(0, F(Activation.BinaryStep, -1e-9));
        Assert.Equal(1, F(Activation.BinaryStep, 0));
        Assert.Equal(Math.PI / 4, F(Activation.ArcTan, 1), 15);
        Assert.Equal(0.5, F(Activation.Softsign, 1), 15);
        Assert.Equal(-0.75, F(Activation.Softsign, -3), 15);
        Assert.Equal(1 / Math.Sqrt(2), F(Activation.ISRU, 1), 15);
        Assert.Equal(2 / Math.Sqrt(1 + 3 * 4), F(Activation.ISRU, 2, new ActivationOptions(Alpha: 3f)), 6);
        Assert.Equal(-0.02, F(Activation.LeakyReLU, -2), 7); // α = 0.01f
        Assert.Equal(-0.5, F(Activation.PReLU, -2, null, 0.25), 15);
        Assert.Equal(-0.6, F(Activation.RReLU, -2, null, 0.3), 15);
        Assert.Equal(1 / e - 1, F(Activation.ELU, -1), 15);
        Assert.Equal(1.0507009873554805 * 1.6732632423543772 * (1 / e - 1), F(Activation.SELU, -1), 6);
        Assert.Equal(1.0507009873554805 * 2, F(Activation.SELU, 2), 6);
        // SReLU with t_l = −1, a_l = 0.5, t_r = 2, a_r = 3.
        Assert.Equal(-1 + 0.5 * (-3 + 1), F(Activation.SReLU, -3, null, -1, 0.5, 2, 3), 15);
        Assert.Equal(0.7, F(Activation.SReLU, 0.7, null, -1, 0.5, 2, 3), 15);
        Assert.Equal(2 + 3 * (4 - 2), F(Activation.SReLU, 4, null, -1, 0.5, 2, 3), 15);
        Assert.Equal(-2 / Math.Sqrt(1 + 4), F(Activation.ISRLU, -2), 15);
        Assert.Equal(2, F(Activation.ISRLU, 2));
        // APL, two hinges a = (0.5, −1), b = (1, −2): max(0, z) + 0.5·max(0, 1 − z) − max(0, −2 − z).
        Assert.Equal(0.5 * 1.5, F(Activation.APL, -0.5, null, 0.5, -1, 1, -2), 15);
        Assert.Equal(0.5 * 4 - 1, F(Activation.APL, -3, null, 0.5, -1, 1, -2), 15);
        Assert.Equal(2, F(Activation.APL, 2, null, 0.5, -1, 1, -2), 15);
        Assert.Equal(Math.Log(2), F(Activation.SoftPlus, 0), 15);
        Assert.Equal(Math.Exp(-50), F(Activation.SoftPlus, -50), 1e-30);
        Assert.Equal(50 + Math.Log(1 + Math.Exp(-50)), F(Activation.SoftPlus, 50), 12);
        Assert.Equal((Math.Sqrt(2) - 1) / 2 + 1, F(Activation.BentIdentity, 1), 15);
        Assert.Equal(1 / (1 + 1 / e), F(Activation.SiLU, 1), 15);
        Assert.Equal(3, F(Activation.SoftExponential, 3, null, 0.0));
        Assert.Equal((Math.Exp(0.5) - 1) / 0.5 + 0.5, F(Activation.SoftExponential, 1, null, 0.5), 14);
        Assert.Equal(-Math.Log(1 + 0.5 * (1 - 0.5)) / -0.5, F(Activation.SoftExponential, 1, null, -0.5), 14);
        Assert.Equal(Math.Sin(2), F(Activation.Sinusoid, 2), 15);
        Assert.Equal(1, F(Activation.Sinc, 0));
        Assert.Equal(Math.Sin(2) / 2, F(Activation.Sinc, 2), 15);
        Assert.Equal(0, F(Activation.Sinc, Math.PI), 15);
        Assert.Equal(0.5 * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (1 + 0.044715))), F(Activation.GELU, 1), 15);
        Assert.Equal(0, F(Activation.GELU, 0));
    }

    [Fact]
    public void Derivatives_at_chosen_points_follow_the_table()
    {
        Assert.Equal(0.25, D(Activation.Sigmoid, 0), 15);
        Assert.Equal(1, D(Activation.Tanh, 0), 15);
        Assert.Equal(0, D(Activation.ReLU, 0)); // PyTorch's choice at the kink
        Assert.Equal(1, D(Activation.LeakyReLU, 0)); // the table's x ≥ 0 branch
        Assert.Equal(0, D(Activation.BinaryStep, 0.3));
        Assert.Equal(0.5, D(Activation.ArcTan, 1), 15);
        Assert.Equal(0.25, D(Activation.Softsign, 1), 15);
        Assert.Equal(Math.Pow(2, -1.5), D(Activation.ISRU, 1), 15);
        Assert.Equal(Math.Exp(-1), D(Activation.ELU, -1), 15);
        Assert.Equal(0.5, D(Activation.SoftPlus, 0), 15);
        Assert.Equal(1.3, D(Activation.BentIdentity, 0.75), 15); // x/(2√(x²+1)) + 1 with √(x²+1) = 5/4
        Assert.Equal(0.5, D(Activation.SiLU, 0), 15);
        Assert.Equal(Math.Cos(1), D(Activation.Sinusoid, 1), 15);
        Assert.Equal(0, D(Activation.Sinc, 0)); // continuous at 0
        Assert.Equal((2 * Math.Cos(2) - Math.Sin(2)) / 4, D(Activation.Sinc, 2), 15);
        Assert.Equal(0.5, D(Activation.GELU, 0), 15);
        Assert.Equal(1, D(Activation.SoftExponential, 5, null, 0.0)); // α = 0: the identity
        Assert.Equal(Math.Exp(0.5), D(Activation.SoftExponential, 1, null, 0.5), 14);
        Assert.Equal(1 / (1 + 0.5 * 0.5), D(Activation.SoftExponential, 1, null, -0.5), 14);
    }

    [Fact]
    public void Soft_exponential_alpha_gradient_is_continuous_at_zero()
    {
        var g = new double[1];
        foreach (double z in new[] { -2.0, 0.3, 1.5 })
        {
            ReferenceActivations.ParameterDerivatives(Activation.SoftExponential, z, new ActivationOptions(), [0.0], g);
            double atZero = g[0];
            Assert.Equal(z * z / 2 + 1, atZero, 12);
            ReferenceActivations.ParameterDerivatives(Activation.SoftExponential, z, new ActivationOptions(), [1e-7], g);
            Assert.Equal(atZero, g[0], 5);
            ReferenceActivations.ParameterDerivatives(Activation.SoftExponential, z, new ActivationOptions(), [-1e-7], g);
            Assert.Equal(atZero, g[0], 5);
        }
    }

    [Fact]
    public void Sinc_derivative_is_continuous_across_its_series_threshold()
    {
        Assert.Equal(D(Activation.Sinc, 1e-3 - 1e-12), D(Activation.Sinc, 1e-3 + 1e-12), 12);
        Assert.Equal(-1e-3 / 3, D(Activation.Sinc, 1e-3), 9);
    }
}
