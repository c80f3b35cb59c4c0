using Microsoft.ML.OnnxRuntime;
using StaticNet.Interop;
using StaticNet.Tests.Layers;
using StaticNet.Training;
using Xunit.Abstractions;

namespace StaticNet.Tests.Interop;

/// <summary>
/// Every exported network runs in ONNX Runtime and gives what <see cref="INetwork.Infer"/> gives, within 1e-5
/// (relative above 1): every activation (its learned parameters moved off their initial values so that every branch
/// counts), batch normalization with trained running statistics, maxout, both dropout forms, every loss's output.
/// </summary>
public sealed class OnnxExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;
    private const int Rows = 41;

    public static TheoryData<string> Networks()
    {
        var data = new TheoryData<string>();
        foreach (string name in ActivationNetworks.All.Keys) data.Add(name);
        foreach (string name in Others.Keys) data.Add(name);
        return data;
    }

    private static readonly Dictionary<string, Func<int, INetwork>> Others = new()
    {
        ["DigitNet"] = seed => new DigitNet(seed),
        ["OddSoftmaxNet"] = seed => new OddSoftmaxNet(seed),
        ["OddRegressionNet"] = seed => new OddRegressionNet(seed),
        ["MultiLabelNet"] = seed => new MultiLabelNet(seed),
        ["MultiLabelSigmoidNet"] = seed => new MultiLabelSigmoidNet(seed),
        ["BinaryNet"] = seed => new BinaryNet(seed),
        ["HingeNet"] = seed => new HingeNet(seed),
        ["SoftmaxOutputNet"] = seed => new SoftmaxOutputNet(seed),
        ["SoftmaxMseNet"] = seed => new SoftmaxMseNet(seed),
        ["DropoutNet"] = seed => new DropoutNet(seed),
        ["DropoutNotesNet"] = seed => new DropoutNotesNet(seed),
        ["BatchNormNet"] = seed => new BatchNormNet(seed),
        ["BatchNormOutputNet"] = seed => new BatchNormOutputNet(seed),
        ["MaxoutNet"] = seed => new MaxoutNet(seed),
        ["MaxoutReLUNet"] = seed => new MaxoutReLUNet(seed),
        ["CombinedNet"] = seed => new CombinedNet(seed),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Exported_network_in_ONNX_Runtime_matches_Infer(string name)
    {
        INetwork net = ActivationNetworks.All.TryGetValue(name, out var create) ? create(3) : Others[name](3);
        NetworkDescription d = net.Description;
        var random = new Random(11);
        MoveActivationParameters(net, random);
        // SoftExponential with α < 0 is defined only where 1 − α(z + α) > 0 (NaN elsewhere, in Infer and in ONNX alike): smaller inputs.
        float[] inputs = Inputs(d.Inputs, random, scale: name.StartsWith("SoftExp", StringComparison.Ordinal) ? 0.3 : 1.5);
        if (d.HasTrainingBehavior) TrainBriefly(net, inputs, random); // running statistics away from 0 and 1

        var expected = new float[Rows * d.Outputs];
        net.Infer(inputs, expected);
        float[] actual = RunOnnx(net.ToOnnx(), inputs, d.Inputs, d.Outputs);

        (double maxAbs, double maxScaled) = Compare(expected, actual, name);
        output.WriteLine($"{name}: max |ONNX − Infer| = {maxAbs:E2} (scaled {maxScaled:E2}) over {expected.Length} outputs");
    }

    [Fact]
    public void Model_export_puts_the_input_standardization_in_front_and_matches_Predict()
    {
        var random = new Random(5);
        float[] features = Inputs(7, random, rows: 64);
        for (int r = 0; r < 64; r++)
        {
            features[r * 7 + 2] = 4.5f;                             // a constant feature: only centred
            features[r * 7 + 5] = 100f + 30f * features[r * 7 + 5]; // far from standard
        }
        var model = new Model<OddRegressionNet>(OddRegressionNet.Create(2), Standardizer.Fit(features, 7));
        var expected = new float[64 * 3];
        model.Predict(features, expected);

        using var stream = new MemoryStream();
        model.ExportOnnx(stream);
        float[] actual = RunOnnx(stream.ToArray(), features, 7, 3);
        (double maxAbs, _) = Compare(expected, actual, "Model<OddRegressionNet>");
        output.WriteLine($"standardized model: max |ONNX − Predict| = {maxAbs:E2}");

        // Without the standardization the same network computes something else: the Sub and Div are really there.
        float[] raw = RunOnnx(model.Network.ToOnnx(), features, 7, 3);
        Assert.True(raw.Zip(expected).Max(p => Math.Abs(p.First - p.Second)) > 1e-2);
    }

    [Fact]
    public void Export_to_a_path_writes_a_model_with_the_declaration_in_its_metadata()
    {
        var net = new OddSoftmaxNet(4);
        string path = Path.Combine(Path.GetTempPath(), $"staticnet-{Guid.NewGuid():N}.onnx");
        try
        {
            net.ExportOnnx(path);
            byte[] file = File.ReadAllBytes(path);
            Assert.Equal(net.ToOnnx(), file);
            using var session = new InferenceSession(file);
            Dictionary<string, string> metadata = session.ModelMetadata.CustomMetadataMap;
            Assert.Equal(OddSoftmaxNet.Descriptor.TypeName, metadata["staticnet.type"]);
            Assert.Equal(StaticNet.Serialization.ModelFile.Fingerprint(OddSoftmaxNet.Descriptor), metadata["staticnet.fingerprint"]);
            Assert.Equal("StaticNet", session.ModelMetadata.ProducerName);
            Assert.Equal(OnnxExport.InputName, Assert.Single(session.InputMetadata).Key);
            Assert.Equal(new[] { -1, 13 }, session.InputMetadata[OnnxExport.InputName].Dimensions);
            Assert.Equal(new[] { -1, 5 }, session.OutputMetadata[OnnxExport.OutputName].Dimensions);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var net = new OddRegressionNet(1);
        Assert.Equal("normalization", Assert.Throws<ArgumentException>(() => net.ToOnnx(new Standardizer(new float[3], new float[3]))).ParamName);
        Assert.Throws<ArgumentNullException>(() => ((INetwork)null!).ToOnnx());
        Assert.Throws<ArgumentNullException>(() => net.ExportOnnx((Stream)null!));
        Assert.Throws<ArgumentException>(() => net.ExportOnnx(""));
    }

    /// <summary>Learned activation parameters away from their initial values (APL's a starts at 0, SoftExponential's α at 0): every branch then counts.</summary>
    private static void MoveActivationParameters(INetwork net, Random random)
    {
        foreach (LayerDescription layer in net.Description.Layers)
        {
            for (int k = 0; k < layer.ActivationParameters.Count; k++)
            {
                Span<float> values = net.Parameter(layer.ActivationParameters[k].Name);
                for (int i = 0; i < values.Length; i++)
                {
                    float u = (float)random.NextDouble();
                    values[i] = layer.Activation switch
                    {
                        // t_l in [−1, 0], a_l in [0, 0.5], t_r in [0.2, 1.2], a_r in [0.5, 2].
                        Activation.SReLU => k switch { 0 => -u, 1 => 0.5f * u, 2 => 0.2f + u, _ => 0.5f + 1.5f * u },
                        // Mixed signs with exact zeros, unless the declaration chose a sign.
                        Activation.SoftExponential when values[i] > 0 => 0.1f + 0.4f * u,
                        Activation.SoftExponential when values[i] < 0 => -0.1f - 0.4f * u,
                        Activation.SoftExponential => (i % 3) switch { 0 => 0f, 1 => 0.1f + 0.4f * u, _ => -0.1f - 0.4f * u },
                        _ => values[i] + (u - 0.5f),
                    };
                }
            }
        }
    }

    private static void TrainBriefly(INetwork net, float[] inputs, Random random)
    {
        var labels = new int[Rows];
        for (int r = 0; r < Rows; r++) labels[r] = random.Next(net.Description.Outputs);
        for (int step = 0; step < 5; step++) net.TrainStep(inputs, labels);
    }

    /// <summary>Rows of N(0, scale²) values, one row all zeros (z = b exactly: Sinc's and BinaryStep's special points when b = 0).</summary>
    private static float[] Inputs(int width, Random random, int rows = Rows, double scale = 1.5)
    {
        var x = new float[rows * width];
        for (int k = width; k < x.Length; k++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            x[k] = (float)(scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return x;
    }

    internal static float[] RunOnnx(byte[] model, float[] inputs, int width, int outputs)
    {
        int rows = inputs.Length / width;
        using var session = new InferenceSession(model);
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs, [rows, width]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(options, [OnnxExport.InputName], [input], [OnnxExport.OutputName]);
        OrtValue result = Assert.Single(results);
        Assert.Equal(new long[] { rows, outputs }, result.GetTensorTypeAndShape().Shape);
        return result.GetTensorDataAsSpan<float>().ToArray();
    }

    private static (double MaxAbs, double MaxScaled) Compare(float[] expected, float[] actual, string name)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxAbs = 0, maxScaled = 0;
        int finite = 0;
        for (int k = 0; k < expected.Length; k++)
        {
            if (float.IsNaN(expected[k]))
            {
                Assert.True(float.IsNaN(actual[k]), $"{name}: output {k}: Infer gave NaN (outside the activation's domain), ONNX {actual[k]:R}");
                continue;
            }
            Assert.True(float.IsFinite(expected[k]), $"{name}: Infer gave {expected[k]} at {k}");
            finite++;
            double difference = Math.Abs((double)actual[k] - expected[k]);
            double scaled = difference / Math.Max(1.0, Math.Abs(expected[k]));
            maxAbs = Math.Max(maxAbs, difference);
            maxScaled = Math.Max(maxScaled, scaled);
            Assert.True(scaled <= Tolerance, $"{name}: output {k}: ONNX {actual[k]:R}, Infer {expected[k]:R}, difference {difference:E3}");
        }
        Assert.True(finite >= expected.Length * 3 / 4, $"{name}: only {finite} of {expected.Length} outputs are numbers");
        return (maxAbs, maxScaled);
    }
}
