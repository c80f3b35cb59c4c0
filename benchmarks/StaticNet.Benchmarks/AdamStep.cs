using BenchmarkDotNet.Attributes;

namespace StaticNet.Benchmarks;

/// <summary>
/// One Adam step over the 101,770 parameters of 784-128-10: the generated, specialized step
/// method against the same update written as a plain loop (what one writes without a
/// generator). Both read the same gradients and update their own parameters and state.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Adam")]
[Config(typeof(BenchmarkConfig))]
public class AdamStep
{
    private Mlp784 _net = null!;
    private float[] _theta = null!, _grad = null!, _m = null!, _v = null!;
    private long _t;

    [GlobalSetup]
    public void Setup()
    {
        _net = new Mlp784(BenchmarkData.Seed);
        (float[] inputs, int[] labels) = BenchmarkData.Batch(32);
        _net.ComputeGradients(inputs, labels);
        _theta = _net.Parameters.ToArray();
        _grad = _net.Gradients.ToArray();
        _m = new float[_theta.Length];
        _v = new float[_theta.Length];
    }

    /// <summary>Parameters per call, for the per-parameter figure in the README.</summary>
    public const int Parameters = Mlp784.ParameterCount;

    [Benchmark(Description = "Generated Adam step")]
    public void Generated() => _net.Step();

    [Benchmark(Baseline = true, Description = "Hand-written Adam loop")]
    public void HandWritten()
    {
        const float lr = 0.001f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        long t = ++_t;
        float c1 = 1f / (1f - MathF.Pow(beta1, t));
        float c2 = 1f / (1f - MathF.Pow(beta2, t));
        float[] theta = _theta, grad = _grad, m = _m, v = _v;
        for (int i = 0; i < theta.Length; i++)
        {
            float g = grad[i];
            m[i] = beta1 * m[i] + (1f - beta1) * g;
            v[i] = beta2 * v[i] + (1f - beta2) * g * g;
            theta[i] -= lr * (m[i] * c1) / (MathF.Sqrt(v[i] * c2) + eps);
        }
    }
}
