using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace StaticNet.Benchmarks;

/// <summary>
/// Where a train step's time goes: each Dense layer's three generated kernels of <see cref="Mlp784x512"/> and
/// <see cref="Mlp784"/> timed alone at batch 128 and 1024, on random data. The kernels are private static methods of the
/// network's generated file-local kernels struct (<c>Dense{n}x{m}Forward</c>, <c>…WeightGradient</c>, <c>…InputGradient</c>),
/// called through delegates found by reflection, so what is timed is exactly the code a train step runs. GFLOP/s counts
/// 2·rows·inputs·outputs per kernel, the work each of the three products does.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class KernelBreakdown
{
    private delegate void Forward(ref float x, ref float w, ref float b, ref float z, ref float pack, int rows);
    private delegate void WeightGradient(ref float x, ref float dz, ref float dw, ref float db, ref float pack, int rows);
    private delegate void InputGradient(ref float dz, ref float w, ref float dx, ref float pack, int rows);

    /// <summary>Network, layer and kernel: "784-512-512-10 layer 1 WeightGradient".</summary>
    [ParamsSource(nameof(Kernels))]
    public string Kernel { get; set; } = "";

    [Params(128, 1024)]
    public int Rows { get; set; }

    public static IEnumerable<string> Kernels()
    {
        foreach ((string net, int[] sizes) in Networks)
        {
            for (int layer = 0; layer < sizes.Length - 1; layer++)
            {
                if (sizes[layer + 1] < 64) continue; // the 10-wide output layers take a few percent of a step
                yield return $"{net} layer {layer} Forward";
                yield return $"{net} layer {layer} WeightGradient";
                if (layer > 0) yield return $"{net} layer {layer} InputGradient"; // layer 0's input gradient is never computed
            }
        }
    }

    private static readonly (string Name, int[] Sizes)[] Networks = [("784-128-10", [784, 128, 10]), ("784-512-512-10", [784, 512, 512, 10])];

    /// <summary>FLOPs of one call: 2·rows·inputs·outputs (for the GFLOP/s column).</summary>
    public static double Flops(string kernel, int rows)
    {
        (_, int[] sizes, int layer, _) = Parse(kernel);
        return 2.0 * rows * sizes[layer] * sizes[layer + 1];
    }

    private static (Type Type, int[] Sizes, int Layer, string Pass) Parse(string kernel)
    {
        string[] parts = kernel.Split(' ');
        (string name, int[] sizes) = Networks.Single(n => n.Name == parts[0]);
        Type type = name == "784-128-10" ? typeof(Mlp784) : typeof(Mlp784x512);
        return (type, sizes, int.Parse(parts[2], CultureInfo.InvariantCulture), parts[3]);
    }

    private Action _call = () => { };

    [GlobalSetup]
    public void Setup()
    {
        (Type type, int[] sizes, int layer, string pass) = Parse(Kernel);
        int n = sizes[layer], m = sizes[layer + 1];
        var random = new Random(BenchmarkData.Seed);
        float[] Random(int length) => Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.3f).ToArray();
        float[] x = Random(Rows * n), w = Random(m * n), b = Random(m), z = Random(Rows * m), dx = Random(Rows * n);
        float[] pack = new float[Math.Max(Rows * (n + m), n * m)]; // at least what a kernel packs: a chunk of the batch, of W or of Wᵀ
        // The kernels struct is file-local: its metadata name ends with __{Network}Kernels.
        Type kernels = type.Assembly.GetTypes().Single(t => t.Namespace == "StaticNet.Generated" && t.Name.EndsWith("__" + type.Name + "Kernels", StringComparison.Ordinal));
        string name = $"Dense{n}x{m}{pass}";
        MethodInfo method = kernels.GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{type.Name}'s kernels have no {name}.");
        int rows = Rows;
        _call = pass switch
        {
            "Forward" => Bind<Forward>(method) is var f ? () => f(ref x[0], ref w[0], ref b[0], ref z[0], ref pack[0], rows) : null!,
            "WeightGradient" => Bind<WeightGradient>(method) is var g ? () => g(ref x[0], ref z[0], ref w[0], ref b[0], ref pack[0], rows) : null!,
            "InputGradient" => Bind<InputGradient>(method) is var d ? () => d(ref z[0], ref w[0], ref dx[0], ref pack[0], rows) : null!,
            _ => throw new ArgumentOutOfRangeException(nameof(Kernel), Kernel, null),
        };
        Console.WriteLine($"// {Kernel}: {type.Name}'s {name}, {n} → {m}, {Rows} rows, kernel path {Mlp784.KernelPath}");
    }

    private static T Bind<T>(MethodInfo method) where T : Delegate => (T)Delegate.CreateDelegate(typeof(T), method);

    [Benchmark]
    public void Run() => _call();
}
