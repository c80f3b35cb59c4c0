using System.Text;
using StaticNet.Serialization;
using StaticNet.Tests.Training;
using StaticNet.Training;

namespace StaticNet.Tests.Serialization;

/// <summary>Saving and loading networks: bit-exact round trips, atomic saves, and every kind of bad file refused without touching the network.</summary>
public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("staticnet-modelfile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static TinyFitNet Trained(int seed)
    {
        var net = new TinyFitNet(seed);
        Training3 data = SyntheticData.Blobs(30, seed);
        for (int i = 0; i < 3; i++) net.TrainStep(data.X, data.Y);
        return net;
    }

    [Fact]
    public void Save_then_load_is_bit_exact_including_the_standardization()
    {
        TinyFitNet saved = Trained(1);
        var normalization = new Standardizer([0.1f, -2f, 1e-7f, 3.25f], [1f, 0f, 0.3f, 1e6f]);
        string path = PathOf("tiny.safetensors");
        ModelFile.Save(saved, path, normalization, new Dictionary<string, string> { ["author"] = "test" });

        var loaded = new TinyFitNet(seed: 99);
        Assert.NotEqual(FitTests.Bits(saved.Parameters), FitTests.Bits(loaded.Parameters));
        LoadedModel info = ModelFile.Load(loaded, path);

        Assert.Equal(FitTests.Bits(saved.Parameters), FitTests.Bits(loaded.Parameters));
        Assert.Equal(FitTests.Bits(normalization.Mean), FitTests.Bits(info.Normalization!.Mean));
        Assert.Equal(FitTests.Bits(normalization.StandardDeviation), FitTests.Bits(info.Normalization!.StandardDeviation));
        Assert.Equal("StaticNet.Tests.Training.TinyFitNet", info.TypeName);
        Assert.Equal(ModelFile.Fingerprint(TinyFitNet.Descriptor), info.Fingerprint);
        Assert.Equal("test", info.Metadata["author"]);
        Assert.Equal("standardize", info.Metadata[ModelFile.NormalizationKey]);
    }

    [Fact]
    public void A_model_round_trip_predicts_exactly_the_same()
    {
        Training3 data = SyntheticData.Blobs(60, seed: 5);
        var model = Model<TinyFitNet>.Create(seed: 2);
        model.Fit(data.Dataset, new FitOptions { Epochs = 2, BatchSize = 8, Normalize = true });
        string path = PathOf("model.safetensors");
        model.Save(path);

        Model<TinyFitNet> loaded = Model<TinyFitNet>.Load(path);
        float[] a = new float[60 * 3], b = new float[60 * 3];
        model.Predict(data.X, a);
        loaded.Predict(data.X, b);
        Assert.Equal(FitTests.Bits(a), FitTests.Bits(b));
        Assert.Equal(model.Evaluate(data.Dataset).Accuracy, loaded.Evaluate(data.Dataset).Accuracy);
    }

    [Fact]
    public void A_network_of_another_type_with_the_same_declaration_loads_and_the_file_says_where_it_came_from()
    {
        string path = PathOf("twin.safetensors");
        TinyFitNet saved = Trained(3);
        ModelFile.Save(saved, path);
        var twin = new TinyTwinNet(seed: 1);
        LoadedModel info = ModelFile.Load(twin, path);
        Assert.Equal(FitTests.Bits(saved.Parameters), FitTests.Bits(twin.Parameters));
        Assert.Equal("StaticNet.Tests.Training.TinyFitNet", info.TypeName);
        Assert.Null(info.Normalization);
    }

    [Fact]
    public void Optimizer_state_round_trips_and_training_resumes_exactly()
    {
        Training3 data = SyntheticData.Blobs(30, seed: 2);
        var original = new TinyAdamNet(seed: 1);
        for (int i = 0; i < 4; i++) original.TrainStep(data.X, data.Y);
        Assert.Equal(["exp_avg", "exp_avg_sq"], TinyAdamNet.Descriptor.OptimizerSlots);
        string path = PathOf("adam.safetensors");
        ModelFile.Save(original, path, includeOptimizerState: true);

        var resumed = new TinyAdamNet(seed: 2);
        LoadedModel info = ModelFile.Load(resumed, path);
        Assert.Equal("Adam", info.Metadata[ModelFile.OptimizerKey]);
        Assert.Equal(4, resumed.OptimizerStep);
        Assert.Equal(FitTests.Bits(original.OptimizerState), FitTests.Bits(resumed.OptimizerState));
        Assert.Equal(FitTests.Bits(original.Parameters), FitTests.Bits(resumed.Parameters));

        // Both take the same fifth step.
        original.TrainStep(data.X, data.Y);
        resumed.TrainStep(data.X, data.Y);
        Assert.Equal(FitTests.Bits(original.Parameters), FitTests.Bits(resumed.Parameters));

        // The state is named per slot and parameter, with the parameter's shape.
        SafeTensorsFile file = SafeTensorsFile.Read(path);
        Assert.Equal([8L, 4], file.Find("optimizer.exp_avg_sq.layers.0.weight")!.Shape);
        Assert.Equal("4", file.Metadata[ModelFile.OptimizerStepKey]);
    }

    [Fact]
    public void Weights_without_optimizer_state_reset_the_optimizer_and_Adam_state_does_not_load_into_SGD()
    {
        Training3 data = SyntheticData.Blobs(30, seed: 2);
        var adam = new TinyAdamNet(seed: 1);
        adam.TrainStep(data.X, data.Y);
        string weights = PathOf("weights.safetensors"), full = PathOf("full.safetensors");
        ModelFile.Save(adam, weights);
        ModelFile.Save(adam, full, includeOptimizerState: true);

        var other = new TinyAdamNet(seed: 3);
        other.TrainStep(data.X, data.Y);
        ModelFile.Load(other, weights);
        Assert.Equal(0, other.OptimizerStep);
        Assert.All(other.OptimizerState.ToArray(), v => Assert.Equal(0f, v));

        // The same shapes with SGD: the weights alone load, the Adam state is refused.
        ModelFile.Load(new TinyFitNet(seed: 1), weights);
        Refused(File.ReadAllBytes(full), "it holds Adam optimizer state, but StaticNet.Tests.Training.TinyFitNet uses Sgd, which has none");
    }

    [Fact]
    public void Save_is_atomic_it_replaces_a_file_and_leaves_no_temporary_file()
    {
        string path = PathOf("atomic.safetensors");
        File.WriteAllText(path, "old contents");
        TinyFitNet net = Trained(4);
        ModelFile.Save(net, path);
        Assert.Equal(ModelFile.Serialize(net), File.ReadAllBytes(path));
        Assert.Equal(["atomic.safetensors"], Directory.GetFiles(_directory).Select(Path.GetFileName));

        // A target that cannot be replaced (a directory): the save fails, nothing is left behind.
        string blocked = PathOf("blocked.safetensors");
        Directory.CreateDirectory(blocked);
        Assert.ThrowsAny<IOException>(() => ModelFile.Save(net, blocked));
        Assert.Equal(["atomic.safetensors"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    /// <summary>Loads <paramref name="bytes"/> into a fresh TinyFitNet, expects a refusal containing <paramref name="message"/>, and checks the network was not touched.</summary>
    private static string Refused(byte[] bytes, string message, bool checkFingerprint = true)
    {
        var net = new TinyFitNet(seed: 7);
        byte[] before = FitTests.Bits(net.Parameters);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(net, bytes, "bad.safetensors", checkFingerprint));
        Assert.Contains(message, e.Message);
        Assert.Equal(before, FitTests.Bits(net.Parameters));
        return e.Message;
    }

    /// <summary>The metadata a correct TinyFitNet file carries, as a JSON object's members.</summary>
    private static string TinyMetadata()
    {
        string declaration = ModelFile.Declaration(TinyFitNet.Descriptor);
        return $"\"staticnet.declaration\":\"{declaration}\",\"staticnet.fingerprint\":\"{ModelFile.Fingerprint(TinyFitNet.Descriptor)}\"";
    }

    /// <summary>A TinyFitNet file written from the specification, with one tensor's dtype, shape or presence changed.</summary>
    private static byte[] TinyFile(string? dtypeOf = null, string dtype = "F32", string? transposed = null, string? missing = null, string? extra = null, string? metadata = null)
    {
        var tensors = new List<(string Name, string DType, int[] Shape)>
        {
            ("layers.0.weight", "F32", [8, 4]),
            ("layers.0.bias", "F32", [8]),
            ("layers.1.weight", "F32", [3, 8]),
            ("layers.1.bias", "F32", [3]),
        };
        if (extra is not null) tensors.Add((extra, "F32", [2]));
        var header = new StringBuilder("{\"__metadata__\":{").Append(metadata ?? TinyMetadata()).Append('}');
        long offset = 0;
        foreach ((string name, string type, int[] shape) in tensors)
        {
            if (name == missing) continue;
            string t = name == dtypeOf ? dtype : type;
            int[] s = name == transposed ? shape.Reverse().ToArray() : shape;
            long bytes = s.Aggregate(1L, (a, d) => a * d) * (t == "F64" ? 8 : 4);
            header.Append($",\"{name}\":{{\"dtype\":\"{t}\",\"shape\":[{string.Join(",", s)}],\"data_offsets\":[{offset},{offset + bytes}]}}");
            offset += bytes;
        }
        header.Append('}');
        return SafeTensorsFormatTests.FileBytes(header.ToString(), new byte[offset]);
    }

    [Fact]
    public void The_hand_written_correct_file_loads()
    {
        var net = new TinyFitNet(seed: 7);
        ModelFile.Load(net, TinyFile());
        Assert.All(net.Parameters.ToArray(), p => Assert.Equal(0f, p));
    }

    [Fact]
    public void A_wrong_shape_is_refused_naming_the_tensor_and_both_shapes()
    {
        Refused(TinyFile(transposed: "layers.0.weight"),
            "tensor 'layers.0.weight' has shape [4, 8], StaticNet.Tests.Training.TinyFitNet expects [8, 4]");
    }

    [Fact]
    public void A_wrong_dtype_is_refused()
    {
        Refused(TinyFile(dtypeOf: "layers.1.bias", dtype: "F64"), "tensor 'layers.1.bias' has dtype F64, expected F32");
    }

    [Fact]
    public void A_missing_or_extra_tensor_is_refused()
    {
        Refused(TinyFile(missing: "layers.1.weight"), "tensor 'layers.1.weight' is missing");
        Refused(TinyFile(extra: "layers.2.weight"), "tensor 'layers.2.weight' [2] is not a parameter of StaticNet.Tests.Training.TinyFitNet");
    }

    [Fact]
    public void A_file_from_another_declaration_is_refused_naming_what_differs()
    {
        string path = PathOf("other.safetensors");
        ModelFile.Save(new TinyOtherNet(seed: 1), path);
        string message = Refused(File.ReadAllBytes(path), "wrong fingerprint");
        Assert.Contains("saved from StaticNet.Tests.Training.TinyOtherNet", message);
        Assert.Contains("layers: file Dense(6,Tanh) Dense(3,Identity), network Dense(8,Tanh) Dense(3,Identity)", message);
    }

    [Fact]
    public void A_file_without_fingerprint_is_refused_unless_asked_to_check_names_and_shapes_only()
    {
        byte[] file = TinyFile(metadata: "\"source\":\"pytorch\"");
        Refused(file, "pass checkFingerprint: false");
        var net = new TinyFitNet(seed: 7);
        LoadedModel info = ModelFile.Load(net, file, checkFingerprint: false);
        Assert.Null(info.Fingerprint);
        Assert.All(net.Parameters.ToArray(), p => Assert.Equal(0f, p));
    }

    [Fact]
    public void Edited_metadata_is_refused()
    {
        string edited = TinyMetadata().Replace("Dense(8,Tanh)", "Dense(8,ReLU)", StringComparison.Ordinal);
        Refused(TinyFile(metadata: edited), "metadata is inconsistent");
    }

    [Fact]
    public void Truncated_files_are_refused()
    {
        byte[] good = ModelFile.Serialize(Trained(5));
        Refused(good[..^1], "truncated");
        Refused(good[..(good.Length - 100)], "truncated: the tensors need");
        Refused(good[..20], "bad header length");
        Refused(good[..5], "truncated: 5 bytes");
        Refused([], "truncated: 0 bytes");
    }

    [Fact]
    public void A_bad_header_length_and_bad_JSON_are_refused()
    {
        byte[] good = ModelFile.Serialize(Trained(5));
        byte[] huge = (byte[])good.Clone();
        huge[6] = 1;
        Refused(huge, "bad header length");

        byte[] shorter = (byte[])good.Clone();
        shorter[0] -= 8; // the header now ends 8 bytes early, inside the JSON
        Refused(shorter, "not valid JSON");

        byte[] json = (byte[])good.Clone();
        json[8 + 1] = (byte)'#';
        Refused(json, "not valid JSON");
    }

    [Fact]
    public void Bad_standardization_tensors_are_refused()
    {
        TinyFitNet net = Trained(6);
        // Without the checksum, which would refuse any changed byte before the statistics are read.
        byte[] good = ModelFile.Serialize(net, new Standardizer([0, 0, 0, 0], [1, 1, 1, 1]), includeChecksum: false);
        // Replace a σ of 1.0 (00 00 80 3F) by −1.0 (00 00 80 BF): the last tensor's first element.
        byte[] negative = (byte[])good.Clone();
        negative[^13] = 0xBF;
        Refused(negative, "bad standardization statistics");
    }

    [Fact]
    public void A_standardizer_for_another_width_cannot_be_saved_and_reserved_keys_are_refused()
    {
        TinyFitNet net = Trained(1);
        Assert.Contains("takes 4 inputs", Assert.Throws<ArgumentException>(() => ModelFile.Serialize(net, new Standardizer([0, 0], [1, 1]))).Message);
        Assert.Contains("reserves", Assert.Throws<ArgumentException>(() =>
            ModelFile.Serialize(net, null, new Dictionary<string, string> { ["staticnet.type"] = "x" })).Message);
    }
}
