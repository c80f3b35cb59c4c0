namespace StaticNet.Tests.Optimizers;

/// <summary>
/// The first three updates of every optimizer on y = w·x + b, against the formulas written
/// out here in double precision, not through any StaticNet code. The gradient of each step is
/// read from the network (ComputeGradients is checked against the reference elsewhere); the
/// update is what is under test.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class HandComputedUpdateTests
{
    private static readonly float[] X = [1.0f, -2.0f, 0.5f, 1.5f, -1.0f, 0.25f];
    private static readonly float[] T = [0.3f, -0.7f, 1.1f];

    /// <summary>Runs three steps; <paramref name="update"/> maps (θ, g, t) to the expected new θ for one parameter, keeping its own state per parameter index.</summary>
    private static void Check(INetwork net, Func<int, double, double, int, double> update)
    {
        net.Parameters[0] = 0.4f; net.Parameters[1] = -0.3f; net.Parameters[2] = 0.1f;
        for (int t = 1; t <= 3; t++)
        {
            net.ComputeGradients(X, T);
            double[] theta = net.Parameters.ToArray().Select(v => (double)v).ToArray();
            double[] g = net.Gradients.ToArray().Select(v => (double)v).ToArray();
            Assert.All(g, v => Assert.NotEqual(0.0, v));
            net.Step();
            for (int i = 0; i < 3; i++)
            {
                double expected = update(i, theta[i], g[i], t);
                Assert.True(Math.Abs(expected - net.Parameters[i]) <= 1e-6 + 1e-5 * Math.Abs(expected),
                    $"{net.GetType().Name} step {t} parameter {i}: formula {expected:R}, generated {net.Parameters[i]:R}");
            }
        }
    }

    [Fact]
    public void Sgd()
    {
        Check(new TinySgd(1), (i, theta, g, t) => theta - 0.1 * g);
    }

    [Fact]
    public void Momentum_in_the_notes_form()
    {
        double[] v = new double[3];
        Check(new TinyMomentum(1), (i, theta, g, t) =>
        {
            v[i] = 0.8 * v[i] - 0.1 * g; // v ← λv − ηg
            return theta + v[i];           // θ ← θ + v
        });
    }

    [Fact]
    public void Nesterov_as_PyTorch()
    {
        double[] b = new double[3];
        Check(new TinyNesterov(1), (i, theta, g, t) =>
        {
            b[i] = 0.8 * b[i] + g;              // buf ← μ·buf + g (buf⁰ = g, as buf starts at 0)
            return theta - 0.1 * (g + 0.8 * b[i]); // θ ← θ − η(g + μ·buf)
        });
    }

    [Fact]
    public void Adagrad_as_PyTorch()
    {
        double[] s = new double[3];
        Check(new TinyAdagrad(1), (i, theta, g, t) =>
        {
            s[i] += g * g;
            return theta - 0.1 * g / (Math.Sqrt(s[i]) + 1e-10);
        });
    }

    [Fact]
    public void Adagrad_in_the_notes_form()
    {
        // ηᵗ = η/√(t+1), σᵗ = √(1/(t+1) Σ_{i≤t} (gⁱ)²), the notes counting t from 0.
        var history = new List<double>[] { [], [], [] };
        Check(new TinyAdagradNotes(1), (i, theta, g, t) =>
        {
            history[i].Add(g);
            int notesT = t - 1;
            double eta = 0.1 / Math.Sqrt(notesT + 1);
            double sigma = Math.Sqrt(history[i].Sum(x => x * x) / (notesT + 1));
            return theta - eta / sigma * g;
        });
    }

    [Fact]
    public void RMSProp_as_PyTorch()
    {
        double[] s = new double[3];
        Check(new TinyRMSProp(1), (i, theta, g, t) =>
        {
            s[i] = 0.9 * s[i] + 0.1 * g * g;
            return theta - 0.01 * g / (Math.Sqrt(s[i]) + 1e-8);
        });
    }

    [Fact]
    public void RMSProp_in_the_notes_form()
    {
        double[] sigma = new double[3];
        Check(new TinyRMSPropNotes(1), (i, theta, g, t) =>
        {
            sigma[i] = t == 1 ? Math.Abs(g) : Math.Sqrt(0.9 * sigma[i] * sigma[i] + 0.1 * g * g);
            return theta - 0.01 / sigma[i] * g;
        });
    }

    [Fact]
    public void Adam()
    {
        double[] m = new double[3], v = new double[3];
        Check(new TinyAdam(1), (i, theta, g, t) =>
        {
            m[i] = 0.9 * m[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            double mHat = m[i] / (1 - Math.Pow(0.9, t));
            double vHat = v[i] / (1 - Math.Pow(0.999, t));
            return theta - 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
        });
    }

    [Fact]
    public void AdamW_decays_the_weights_but_not_the_bias()
    {
        double[] m = new double[3], v = new double[3];
        Check(new TinyAdamW(1), (i, theta, g, t) =>
        {
            bool weight = i < 2; // layers.0.weight [1, 2] then layers.0.bias [1]
            if (weight) theta -= 0.01 * 0.01 * theta; // θ ← θ − ηλθ, λ = 0.01 by default
            m[i] = 0.9 * m[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            double mHat = m[i] / (1 - Math.Pow(0.9, t));
            double vHat = v[i] / (1 - Math.Pow(0.999, t));
            return theta - 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
        });
    }
}
