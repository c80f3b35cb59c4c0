using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using StaticNet.Interop;
using StaticNet.Tests.Layers;
using StaticNet.Serialization;

namespace StaticNet.Tests.Interop;

/// <summary>
/// The PyTorch model these tests stand for:
/// <code>
/// nn.Sequential(nn.Linear(6, 9), nn.BatchNorm1d(9), nn.ReLU(), nn.Dropout(0.1),
///               nn.Linear(9, 7), nn.PReLU(7), nn.Linear(7, 4))
/// </code>
/// whose state_dict saved with safetensors has the keys 0.weight, 0.bias, 1.weight, 1.bias, 1.running_mean, 1.running_var,
/// 1.num_batches_tracked (I64 scalar), 4.weight, 4.bias, 5.weight, 6.weight, 6.bias. The file is written here byte by byte
/// (not with StaticNet's writer), and the loaded network's inference is checked against that model's forward pass in
/// eval mode, computed in double precision from the file's values.
/// </summary>
public sealed class PyTorchWeightsTests
{
    private sealed record Tensor(string Name, string DType, long[] Shape, double[] Values);

    private static List<Tensor> StateDict(int seed, string prefix = "", int preluSlopes = 7, bool linearBias = true)
    {
        var random = new Random(seed);
        double[] R(int n, double scale = 1, double offset = 0) => Enumerable.Range(0, n).Select(_ => offset + scale * (2 * random.NextDouble() - 1)).ToArray();
        var tensors = new List<Tensor>
        {
            new(prefix + "0.weight", "F32", [9, 6], R(54, 0.6)),
            new(prefix + "0.bias", "F32", [9], R(9, 0.3)),
            new(prefix + "1.weight", "F32", [9], R(9, 0.4, 1.0)),
            new(prefix + "1.bias", "F32", [9], R(9, 0.3)),
            new(prefix + "1.running_mean", "F32", [9], R(9, 0.5)),
            new(prefix + "1.running_var", "F32", [9], R(9, 0.4, 0.9)),
            new(prefix + "1.num_batches_tracked", "I64", [], [1234]),
            new(prefix + "4.weight", "F32", [7, 9], R(63, 0.5)),
            new(prefix + "5.weight", "F32", [preluSlopes], R(preluSlopes, 0.2, 0.25)),
            new(prefix + "6.weight", "F32", [4, 7], R(28, 0.5)),
            new(prefix + "6.bias", "F32", [4], R(4, 0.2)),
        };
        if (linearBias) tensors.Insert(8, new(prefix + "4.bias", "F32", [7], R(7, 0.3)));
        return tensors;
    }

    /// <summary>A safetensors file as safetensors.torch.save_file writes it: an 8-byte header length, the JSON header, the data.</summary>
    private static byte[] Write(IEnumerable<Tensor> tensors)
    {
        var data = new MemoryStream();
        var header = new Dictionary<string, object>();
        foreach (Tensor t in tensors)
        {
            long begin = data.Length;
            foreach (double v in t.Values)
            {
                byte[] bytes = t.DType switch
                {
                    "F32" => BitConverter.GetBytes((float)v),
                    "F64" => BitConverter.GetBytes(v),
                    "I64" => BitConverter.GetBytes((long)v),
                    "F16" => BitConverter.GetBytes((Half)v),
                    _ => throw new ArgumentException(t.DType),
                };
                if (!BitConverter.IsLittleEndian) Array.Reverse(bytes);
                data.Write(bytes);
            }
            header[t.Name] = new { dtype = t.DType, shape = t.Shape, data_offsets = new[] { begin, data.Length } };
        }
        header["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" };
        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.ToArray().CopyTo(file, 8 + json.Length);
        return file;
    }

    private static SafeTensorsFile File(IEnumerable<Tensor> tensors) => SafeTensorsFile.Parse(Write(tensors), "state_dict.safetensors");

    /// <summary>The PyTorch model's eval-mode forward pass, then softmax (what Infer returns under softmax cross-entropy).</summary>
    private static double[] TorchForward(List<Tensor> sd, float[] x, int rows, string prefix = "")
    {
        double[] T(string name, int length = 0) => sd.SingleOrDefault(t => t.Name == prefix + name)?.Values ?? new double[length]; // a Linear without bias: zeros
        double[] Linear(double[] input, int inputs, int outputs, string index)
        {
            double[] w = T(index + ".weight"), b = T(index + ".bias", outputs), y = new double[rows * outputs];
            for (int r = 0; r < rows; r++)
            for (int o = 0; o < outputs; o++)
            {
                double s = b[o];
                for (int i = 0; i < inputs; i++) s += w[o * inputs + i] * input[r * inputs + i];
                y[r * outputs + o] = s;
            }
            return y;
        }
        double[] h = Linear(x.Select(v => (double)v).ToArray(), 6, 9, "0");
        double[] gamma = T("1.weight"), beta = T("1.bias"), mean = T("1.running_mean"), variance = T("1.running_var");
        for (int k = 0; k < h.Length; k++)
        {
            int u = k % 9;
            h[k] = Math.Max(0, gamma[u] * (h[k] - mean[u]) / Math.Sqrt(variance[u] + 1e-5) + beta[u]); // BatchNorm1d (eval), ReLU; Dropout is the identity
        }
        double[] g = Linear(h, 9, 7, "4");
        double[] slopes = T("5.weight");
        for (int k = 0; k < g.Length; k++) if (g[k] < 0) g[k] *= slopes.Length == 1 ? slopes[0] : slopes[k % 7];
        double[] z = Linear(g, 7, 4, "6");
        for (int r = 0; r < rows; r++)
        {
            double max = z.Skip(r * 4).Take(4).Max(), sum = 0;
            for (int o = 0; o < 4; o++) sum += z[r * 4 + o] = Math.Exp(z[r * 4 + o] - max);
            for (int o = 0; o < 4; o++) z[r * 4 + o] /= sum;
        }
        return z;
    }

    private static float[] Inputs(int rows)
    {
        var random = new Random(3);
        return Enumerable.Range(0, rows * 6).Select(_ => (float)(3 * random.NextDouble() - 1.5)).ToArray();
    }

    private static void AssertInferMatchesTorch(TorchLikeNet net, List<Tensor> sd, string prefix = "")
    {
        const int Rows = 17;
        float[] x = Inputs(Rows);
        var probabilities = new float[Rows * 4];
        net.Infer(x, probabilities);
        double[] expected = TorchForward(sd, x, Rows, prefix);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(probabilities[k] - expected[k]) <= 1e-5, $"output {k}: StaticNet {probabilities[k]}, PyTorch's forward {expected[k]}");
        }
    }

    [Fact]
    public void State_dict_of_a_Sequential_loads_under_the_documented_names_and_infers_as_the_PyTorch_model()
    {
        List<Tensor> sd = StateDict(1);
        var net = new TorchLikeNet(9);
        IReadOnlyList<PyTorchTensorMapping> mapping = PyTorchWeights.Load(net, File(sd));

        var expectedMapping = new (string, string?, bool)[]
        {
            ("0.weight", "layers.0.weight", false), ("0.bias", "layers.0.bias", false),
            ("1.weight", "layers.0.batchnorm.weight", false), ("1.bias", "layers.0.batchnorm.bias", false),
            ("1.running_mean", "layers.0.batchnorm.running_mean", true), ("1.running_var", "layers.0.batchnorm.running_var", true),
            ("1.num_batches_tracked", null, false),
            ("4.weight", "layers.1.weight", false), ("4.bias", "layers.1.bias", false),
            ("5.weight", "layers.1.prelu.alpha", false),
            ("6.weight", "layers.2.weight", false), ("6.bias", "layers.2.bias", false),
        };
        Assert.Equal(expectedMapping, mapping.Select(m => (m.PyTorchName, m.StaticNetName, m.IsStatistic)).ToArray());
        foreach ((string torch, string? staticNet, bool statistic) in expectedMapping)
        {
            if (staticNet is null) continue;
            float[] want = sd.Single(t => t.Name == torch).Values.Select(v => (float)v).ToArray();
            float[] got = (statistic ? net.Statistic(staticNet) : net.Parameter(staticNet)).ToArray();
            Assert.Equal(want, got);
        }
        AssertInferMatchesTorch(net, sd);
    }

    [Fact]
    public void Prefixed_keys_a_shared_PReLU_slope_a_Linear_without_bias_and_F64_tensors_load()
    {
        List<Tensor> sd = StateDict(2, prefix: "model.net.", preluSlopes: 1, linearBias: false);
        sd = sd.Select(t => t.Name.EndsWith("0.weight", StringComparison.Ordinal) ? t with { DType = "F64" } : t).ToList();
        var net = new TorchLikeNet(9);
        net.Parameter("layers.1.bias").Fill(7f);
        PyTorchWeights.Load(net, File(sd), prefix: "model.net.");
        Assert.All(net.Parameter("layers.1.bias").ToArray(), v => Assert.Equal(0f, v));
        float slope = (float)sd.Single(t => t.Name == "model.net.5.weight").Values[0];
        Assert.All(net.Parameter("layers.1.prelu.alpha").ToArray(), v => Assert.Equal(slope, v));
        AssertInferMatchesTorch(net, sd, "model.net.");
    }

    [Fact]
    public void Optimizer_state_is_reset_because_it_belonged_to_the_old_weights()
    {
        var net = new TorchLikeNet(9);
        net.TrainStep(Inputs(4), new[] { 0, 1, 2, 3 });
        Assert.Equal(1, net.OptimizerStep);
        PyTorchWeights.Load(net, File(StateDict(1)));
        Assert.Equal(0, net.OptimizerStep);
        Assert.All(net.OptimizerState.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_file_that_does_not_fit_names_the_tensor_and_leaves_the_network_untouched()
    {
        var net = new TorchLikeNet(9);
        float[] before = net.Parameters.ToArray(), statisticsBefore = net.Statistics.ToArray();

        List<Tensor> wrongShape = StateDict(1).Select(t => t.Name == "4.weight" ? t with { Shape = [9, 7] } : t).ToList();
        var e1 = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(net, File(wrongShape)));
        Assert.Contains("4.weight has shape [9, 7]; layers.1.weight needs [7, 9]", e1.Message, StringComparison.Ordinal);

        List<Tensor> half = StateDict(1).Select(t => t.Name == "6.bias" ? t with { DType = "F16" } : t).ToList();
        var e2 = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(net, File(half)));
        Assert.Contains("6.bias has dtype F16", e2.Message, StringComparison.Ordinal);

        List<Tensor> noBatchNorm = StateDict(1).Where(t => !t.Name.StartsWith("1.", StringComparison.Ordinal)).ToList();
        var e3 = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(net, File(noBatchNorm)));
        Assert.Contains("expects Linear (layer 0), BatchNorm (layer 0), Linear (layer 1), PReLU (layer 1), Linear (layer 2)", e3.Message, StringComparison.Ordinal);

        var e4 = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(net, File(StateDict(1, prefix: "net."))));
        Assert.Contains("pass its prefix", e4.Message, StringComparison.Ordinal);

        Assert.Equal(before, net.Parameters.ToArray());
        Assert.Equal(statisticsBefore, net.Statistics.ToArray());
    }

    [Fact]
    public void Layers_PyTorch_has_no_module_for_are_refused_by_name()
    {
        var maxout = Assert.Throws<NotSupportedException>(() => PyTorchWeights.Load(new MaxoutNet(1), File(StateDict(1))));
        Assert.Contains("Maxout", maxout.Message, StringComparison.Ordinal);
        var srelu = Assert.Throws<NotSupportedException>(() => PyTorchWeights.Load(new SReLUNet(1), File(StateDict(1))));
        Assert.Contains("SReLU", srelu.Message, StringComparison.Ordinal);
    }
}

/// <summary>The StaticNet declaration of the PyTorch model above.</summary>
[Network(Inputs = 6, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(9, Activation.ReLU, BatchNorm = true, Dropout = 0.1f)]
[Dense(7, Activation.PReLU)]
[Dense(4)]
public partial class TorchLikeNet;
