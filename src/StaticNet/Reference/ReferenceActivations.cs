namespace StaticNet.Reference;

/// <summary>
/// The activations of the table in double precision, written from their definitions: the oracle the
/// generated kernels are compared against. <c>p</c> holds one unit's learned parameters in the order
/// of <see cref="LayerDescription.ActivationParameters"/> (APL: a₀…a_{S−1}, then b₀…b_{S−1}), or
/// RReLU's slope.
/// </summary>
public static class ReferenceActivations
{
    private const double GeluK = 0.79788456080286535588; // √(2/π)
    private const double GeluC = 0.044715;

    /// <summary>The number of values <c>p</c> holds per unit for <paramref name="activation"/>.</summary>
    public static int ParameterCount(Activation activation, ActivationOptions options) => activation switch
    {
        Activation.PReLU or Activation.SoftExponential or Activation.RReLU => 1,
        Activation.SReLU => 4,
        Activation.APL => 2 * options.Hinges,
        _ => 0,
    };

    /// <summary>f(z).</summary>
    public static double Forward(Activation activation, double z, ActivationOptions o, ReadOnlySpan<double> p)
    {
        switch (activation)
        {
            case Activation.Identity: return z;
            case Activation.Sigmoid: return 1.0 / (1.0 + Math.Exp(-z));
            case Activation.Tanh: return Math.Tanh(z);
            case Activation.ReLU: return z > 0 ? z : 0.0;
            case Activation.BinaryStep: return z >= 0 ? 1.0 : 0.0;
            case Activation.ArcTan: return Math.Atan(z);
            case Activation.Softsign: return z / (1.0 + Math.Abs(z));
            case Activation.ISRU: return z / Math.Sqrt(1.0 + o.Alpha * z * z);
            case Activation.LeakyReLU: return z >= 0 ? z : o.Alpha * z;
            case Activation.PReLU: return z >= 0 ? z : p[0] * z;
            case Activation.RReLU: return z >= 0 ? z : p[0] * z;
            case Activation.ELU: return z > 0 ? z : o.Alpha * (Math.Exp(z) - 1.0);
            case Activation.SELU: return o.Lambda * (z >= 0 ? z : o.Alpha * (Math.Exp(z) - 1.0));
            case Activation.SReLU:
            {
                double tl = p[0], al = p[1], tr = p[2], ar = p[3];
                return z <= tl ? tl + al * (z - tl) : z >= tr ? tr + ar * (z - tr) : z;
            }
            case Activation.ISRLU: return z >= 0 ? z : z / Math.Sqrt(1.0 + o.Alpha * z * z);
            case Activation.APL:
            {
                int s = o.Hinges;
                double sum = Math.Max(0.0, z);
                for (int k = 0; k < s; k++) sum += p[k] * Math.Max(0.0, -z + p[s + k]);
                return sum;
            }
            case Activation.SoftPlus: return Math.Max(z, 0.0) + LogOnePlus(Math.Exp(-Math.Abs(z)));
            case Activation.BentIdentity: return (Math.Sqrt(z * z + 1.0) - 1.0) / 2.0 + z;
            case Activation.SiLU: return z / (1.0 + Math.Exp(-z));
            case Activation.SoftExponential:
            {
                double a = p[0];
                if (a == 0) return z;
                if (a > 0) return z * ExpRatio(a * z) + a; // (e^{az} − 1)/a + a
                double w = z + a, s = -a * w;
                return w * LogRatio(s); // −ln(1 − a(z + a))/a
            }
            case Activation.Sinusoid: return Math.Sin(z);
            case Activation.Sinc: return z == 0 ? 1.0 : Math.Sin(z) / z;
            case Activation.GELU: return 0.5 * z * (1.0 + Math.Tanh(GeluK * (z + GeluC * z * z * z)));
            default: throw new NotSupportedException($"{activation} is not element-wise.");
        }
    }

    /// <summary>f′(z).</summary>
    public static double Derivative(Activation activation, double z, ActivationOptions o, ReadOnlySpan<double> p)
    {
        switch (activation)
        {
            case Activation.Identity: return 1.0;
            case Activation.Sigmoid:
            {
                double s = 1.0 / (1.0 + Math.Exp(-z));
                return s * (1.0 - s);
            }
            case Activation.Tanh:
            {
                double t = Math.Tanh(z);
                return 1.0 - t * t;
            }
            case Activation.ReLU: return z > 0 ? 1.0 : 0.0;
            case Activation.BinaryStep: return 0.0;
            case Activation.ArcTan: return 1.0 / (1.0 + z * z);
            case Activation.Softsign:
            {
                double q = 1.0 + Math.Abs(z);
                return 1.0 / (q * q);
            }
            case Activation.ISRU: return Math.Pow(1.0 + o.Alpha * z * z, -1.5);
            case Activation.LeakyReLU: return z >= 0 ? 1.0 : o.Alpha;
            case Activation.PReLU: return z >= 0 ? 1.0 : p[0];
            case Activation.RReLU: return z >= 0 ? 1.0 : p[0];
            case Activation.ELU: return z > 0 ? 1.0 : o.Alpha * Math.Exp(z);
            case Activation.SELU: return z >= 0 ? o.Lambda : o.Lambda * o.Alpha * Math.Exp(z);
            case Activation.SReLU: return z <= p[0] ? p[1] : z >= p[2] ? p[3] : 1.0;
            case Activation.ISRLU: return z >= 0 ? 1.0 : Math.Pow(1.0 + o.Alpha * z * z, -1.5);
            case Activation.APL:
            {
                int s = o.Hinges;
                double d = z > 0 ? 1.0 : 0.0;
                for (int k = 0; k < s; k++) if (-z + p[s + k] > 0) d -= p[k];
                return d;
            }
            case Activation.SoftPlus: return 1.0 / (1.0 + Math.Exp(-z));
            case Activation.BentIdentity: return z / (2.0 * Math.Sqrt(z * z + 1.0)) + 1.0;
            case Activation.SiLU:
            {
                double s = 1.0 / (1.0 + Math.Exp(-z));
                return s * (1.0 + z * (1.0 - s));
            }
            case Activation.SoftExponential:
            {
                double a = p[0];
                if (a >= 0) return Math.Exp(a * z);
                return 1.0 / (1.0 - a * (z + a));
            }
            case Activation.Sinusoid: return Math.Cos(z);
            case Activation.Sinc:
                // (z cos z − sin z)/z² loses digits near 0: its Taylor series there.
                if (Math.Abs(z) < 1e-3) return -z / 3.0 + z * z * z / 30.0;
                return (z * Math.Cos(z) - Math.Sin(z)) / (z * z);
            case Activation.GELU:
            {
                double t = Math.Tanh(GeluK * (z + GeluC * z * z * z));
                return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * GeluK * (1.0 + 3.0 * GeluC * z * z);
            }
            default: throw new NotSupportedException($"{activation} is not element-wise.");
        }
    }

    /// <summary>∂f/∂p[k] for every learned value k of one unit, written into <paramref name="gradient"/>.</summary>
    public static void ParameterDerivatives(Activation activation, double z, ActivationOptions o, ReadOnlySpan<double> p, Span<double> gradient)
    {
        gradient.Clear();
        switch (activation)
        {
            case Activation.PReLU:
                gradient[0] = z >= 0 ? 0.0 : z;
                break;
            case Activation.SReLU:
            {
                double tl = p[0], al = p[1], tr = p[2], ar = p[3];
                if (z <= tl)
                {
                    gradient[0] = 1.0 - al;
                    gradient[1] = z - tl;
                }
                else if (z >= tr)
                {
                    gradient[2] = 1.0 - ar;
                    gradient[3] = z - tr;
                }
                break;
            }
            case Activation.APL:
            {
                int s = o.Hinges;
                for (int k = 0; k < s; k++)
                {
                    double hinge = -z + p[s + k];
                    gradient[k] = Math.Max(0.0, hinge);
                    gradient[s + k] = hinge > 0 ? p[k] : 0.0;
                }
                break;
            }
            case Activation.SoftExponential:
            {
                double a = p[0];
                if (a >= 0)
                {
                    // ((az − 1)e^{az} + 1)/a² + 1 = z²·G(az) + 1
                    gradient[0] = z * z * G(a * z) + 1.0;
                }
                else
                {
                    // (ln u + (z + 2a)a/u)/a² with u = 1 − a(z + a) = 1 + s: w²·H(s) + 1/(1 + s)
                    double w = z + a, s = -a * w;
                    gradient[0] = w * w * H(s) + 1.0 / (1.0 + s);
                }
                break;
            }
        }
    }

    /// <summary>ln(1 + x) without losing a tiny x to the rounding of 1 + x (Goldberg's form).</summary>
    private static double LogOnePlus(double x)
    {
        double w = 1.0 + x;
        return w == 1.0 ? x : Math.Log(w) * x / (w - 1.0);
    }

    /// <summary>(e^t − 1)/t, 1 at 0.</summary>
    private static double ExpRatio(double t) => Math.Abs(t) < 1e-5 ? 1.0 + t / 2.0 + t * t / 6.0 : (Math.Exp(t) - 1.0) / t;

    /// <summary>ln(1 + s)/s, 1 at 0.</summary>
    private static double LogRatio(double s) => Math.Abs(s) < 1e-5 ? 1.0 - s / 2.0 + s * s / 3.0 : Math.Log(1.0 + s) / s;

    /// <summary>((t − 1)e^t + 1)/t²; its series near 0.</summary>
    private static double G(double t) => Math.Abs(t) < 1e-3
        ? 0.5 + t / 3.0 + t * t / 8.0 + t * t * t / 30.0
        : ((t - 1.0) * Math.Exp(t) + 1.0) / (t * t);

    /// <summary>(ln(1 + s) − s/(1 + s))/s²; its series near 0.</summary>
    private static double H(double s) => Math.Abs(s) < 1e-3
        ? 0.5 - 2.0 * s / 3.0 + 0.75 * s * s - 0.8 * s * s * s
        : (Math.Log(1.0 + s) - s / (1.0 + s)) / (s * s);
}
