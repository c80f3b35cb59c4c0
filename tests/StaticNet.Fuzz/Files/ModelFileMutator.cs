using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using StaticNet.Serialization;
using StaticNet.Training;

namespace StaticNet.Fuzz.Files;

/// <summary>A valid model file to mutate, and how to make a network it can be loaded into.</summary>
public sealed record ModelSeed(string Name, byte[] Bytes, Func<INetwork> Target);

/// <summary>One mutated file and what was done to it.</summary>
public sealed record Mutation(string Seed, string What, byte[] Bytes, bool CheckFingerprint);

/// <summary>
/// Mutates saved models: bit flips in the length, the header and the tensor bytes; truncation and extra bytes; header-length
/// games; and JSON mutations (wrong dtypes, shapes and offsets, duplicate and missing names, surrogates, huge numbers,
/// metadata edits) written back with a consistent length and, half the time, a recomputed checksum, so they reach the
/// checks behind the checksum. A pure function of the seed and the mutation's index.
/// </summary>
public static class ModelFileMutator
{
    public static IReadOnlyList<ModelSeed> Seeds { get; } = CreateSeeds();

    private static IReadOnlyList<ModelSeed> CreateSeeds()
    {
        var seeds = new List<ModelSeed>();
        void Add<TNet>(string name, int inputs, int classes, bool labels) where TNet : class, INetwork<TNet>
        {
            TNet net = TNet.Create(1);
            var random = new Random(7);
            float[] x = new float[8 * inputs];
            for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
            for (int step = 0; step < 3; step++)
            {
                if (labels) net.TrainStep(x, Enumerable.Range(0, 8).Select(i => i % classes).ToArray());
                else net.TrainStep(x, Enumerable.Range(0, 8 * net.Description.Outputs).Select(i => (float)(i % 3) / 2).ToArray());
            }
            var normalization = Standardizer.Fit(x, inputs);
            Func<INetwork> target = () => Fresh<TNet>();
            seeds.Add(new ModelSeed(name, ModelFile.Serialize(net), target));
            seeds.Add(new ModelSeed(name + "+optimizer", ModelFile.Serialize(net, includeOptimizerState: true), target));
            seeds.Add(new ModelSeed(name + "+normalization", ModelFile.Serialize(net, normalization, new Dictionary<string, string> { ["author"] = "fuzz", ["note"] = "ünïcode ✓" }), target));
            seeds.Add(new ModelSeed(name + " no checksum", ModelFile.Serialize(net, includeOptimizerState: true, includeChecksum: false), target));
        }
        Add<FuzzSgdNet>("sgd", 5, 3, labels: true);
        Add<FuzzAdamBatchNormNet>("adam+batchnorm", 6, 3, labels: true);
        Add<FuzzMomentumMaxoutNet>("momentum+maxout", 4, 0, labels: false);
        Add<FuzzRmsPropBatchNormNet>("rmsprop+batchnorm", 3, 2, labels: true);
        return seeds;
    }

    /// <summary>A network in a state of its own (not the saved one), so that any change a load makes shows.</summary>
    private static TNet Fresh<TNet>() where TNet : class, INetwork<TNet>
    {
        TNet net = TNet.Create(99);
        net.OptimizerStep = 5;
        Span<float> state = net.OptimizerState;
        for (int i = 0; i < state.Length; i++) state[i] = i * 1e-3f;
        Span<float> statistics = net.Statistics;
        for (int i = 0; i < statistics.Length; i++) statistics[i] = 0.5f + i;
        return net;
    }

    public static Mutation Create(int index)
    {
        Random r = FuzzSettings.RandomFor(2, index);
        ModelSeed seed = Seeds[r.Next(Seeds.Count)];
        byte[] bytes = (byte[])seed.Bytes.Clone();
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        int dataStart = 8 + headerLength;
        string what;
        switch (r.Next(12))
        {
            case 0:
            {
                int bit = r.Next(8 * headerLength);
                bytes[8 + bit / 8] ^= (byte)(1 << (bit % 8));
                what = $"header bit {bit} flipped";
                break;
            }
            case 1:
            {
                int flips = 1 + r.Next(3);
                for (int k = 0; k < flips; k++)
                {
                    int bit = r.Next(8 * (bytes.Length - dataStart));
                    bytes[dataStart + bit / 8] ^= (byte)(1 << (bit % 8));
                }
                what = $"{flips} tensor-byte bit(s) flipped";
                break;
            }
            case 2:
            {
                int bit = r.Next(64);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                what = $"length bit {bit} flipped";
                break;
            }
            case 3:
            {
                int keep = r.Next(bytes.Length);
                bytes = bytes[..keep];
                what = $"truncated to {keep} bytes";
                break;
            }
            case 4:
            {
                byte[] extra = new byte[1 + r.Next(16)];
                r.NextBytes(extra);
                bytes = [.. bytes, .. extra];
                what = $"{extra.Length} bytes appended";
                break;
            }
            case 5:
            {
                ulong[] lengths = [0, 1, 2, (ulong)headerLength - 1, (ulong)headerLength + 1, (ulong)headerLength + 8, (ulong)(bytes.Length - 8), (ulong)bytes.Length,
                    100_000_000, 16 << 20, (16 << 20) + 1, uint.MaxValue, ulong.MaxValue, 1UL << 63, (ulong)headerLength - 8];
                ulong length = lengths[r.Next(lengths.Length)];
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
                what = $"header length set to {length}";
                break;
            }
            case 6:
            {
                bytes = GarbleBytes(r, bytes, headerLength, out what);
                break;
            }
            default:
            {
                (bytes, what) = MutateJson(r, bytes, headerLength);
                break;
            }
        }
        return new Mutation(seed.Name, what, bytes, CheckFingerprint: r.Next(4) != 0);
    }

    private static byte[] GarbleBytes(Random r, byte[] bytes, int headerLength, out string what)
    {
        switch (r.Next(4))
        {
            case 0:
                byte[] junk = new byte[r.Next(64)];
                r.NextBytes(junk);
                what = $"{junk.Length} random bytes";
                return junk;
            case 1:
            {
                int at = 8 + r.Next(headerLength);
                byte value = (byte)r.Next(256);
                bytes[at] = value;
                what = $"header byte {at - 8} set to 0x{value:X2}";
                return bytes;
            }
            case 2:
            {
                // A UTF-8 sequence that is not valid, or a BOM, at the header's start.
                byte[][] bad = [[0xEF, 0xBB, 0xBF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xFF], [0xF4, 0x90, 0x80, 0x80]];
                byte[] insert = bad[r.Next(bad.Length)];
                Array.Copy(insert, 0, bytes, 8 + r.Next(Math.Max(1, headerLength - insert.Length)), insert.Length);
                what = $"invalid UTF-8 {Convert.ToHexString(insert)} in the header";
                return bytes;
            }
            default:
            {
                // Two tensors' names swapped by swapping header bytes at random spans.
                int a = 8 + r.Next(headerLength - 4), b = 8 + r.Next(headerLength - 4);
                for (int k = 0; k < 4; k++) (bytes[a + k], bytes[b + k]) = (bytes[b + k], bytes[a + k]);
                what = $"header bytes {a - 8} and {b - 8} swapped (4 each)";
                return bytes;
            }
        }
    }

    /// <summary>Parses the header, changes it, and writes the file back with a consistent header length.</summary>
    private static (byte[] Bytes, string What) MutateJson(Random r, byte[] bytes, int headerLength)
    {
        string headerText = Encoding.UTF8.GetString(bytes, 8, headerLength);
        JsonObject header = JsonNode.Parse(headerText)!.AsObject();
        byte[] data = bytes[(8 + headerLength)..];
        List<string> tensors = header.Select(p => p.Key).Where(k => k != "__metadata__").ToList();
        JsonObject metadata = header["__metadata__"]!.AsObject();
        string tensor = tensors[r.Next(tensors.Count)];
        JsonObject entry = header[tensor]!.AsObject();
        string? rawHeader = null; // set when the mutation must be textual (duplicate keys, raw escapes)
        string what;
        switch (r.Next(16))
        {
            case 0:
            {
                string dtype = Pick(r, ["F16", "BF16", "I32", "F64", "U8", "BOOL", "F8_E4M3", "f32", "F32 ", "", "BOGUS", "C64"]);
                entry["dtype"] = dtype;
                what = $"{tensor}: dtype {dtype}";
                break;
            }
            case 1:
            {
                JsonNode? dtype = Pick<JsonNode?>(r, [5, null, new JsonArray(), true, 1.5]);
                entry["dtype"] = dtype;
                what = $"{tensor}: dtype {dtype?.ToJsonString() ?? "null"}";
                break;
            }
            case 2:
            {
                JsonArray shape = entry["shape"]!.AsArray();
                switch (r.Next(6))
                {
                    case 0: shape.Add(1); break;
                    case 1: if (shape.Count > 0) shape.RemoveAt(shape.Count - 1); break;
                    case 2: if (shape.Count > 0) shape[0] = -1; break;
                    case 3: if (shape.Count > 0) shape[0] = Pick<JsonNode>(r, [1L << 62, 4611686018427387904.0, 1.5, "3", 0, 2147483648L]); break;
                    case 4: shape.Add(0); break;
                    default: if (shape.Count > 1) { JsonNode? first = shape[0]; shape[0] = shape[1]?.DeepClone(); shape[1] = first?.DeepClone(); } break;
                }
                what = $"{tensor}: shape {shape.ToJsonString()}";
                break;
            }
            case 3:
            {
                JsonArray offsets = entry["data_offsets"]!.AsArray();
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                switch (r.Next(8))
                {
                    case 0: offsets[0] = end; offsets[1] = begin; break;
                    case 1: offsets[0] = begin + 4; break;
                    case 2: offsets[1] = end + 4; break;
                    case 3: offsets[0] = -4; break;
                    case 4: offsets[1] = long.MaxValue; break;
                    case 5: offsets.Add(end); break;
                    case 6: offsets[0] = "0"; break;
                    default: offsets[1] = 1e300; break;
                }
                what = $"{tensor}: data_offsets {offsets.ToJsonString()}";
                break;
            }
            case 4:
            {
                header.Remove(tensor);
                what = $"tensor {tensor} removed from the header (data kept)";
                break;
            }
            case 5:
            {
                string name = Pick(r, ["layers.9.weight", "", "__metadata__ ", "layers.0.weight ", "LAYERS.0.WEIGHT", "optimizer.exp_avg.layers.0.weight", "normalization.mean", tensor + "\u0000"]);
                header.Remove(tensor);
                if (!header.ContainsKey(name)) header[name] = entry;
                what = $"tensor {tensor} renamed to '{name}'";
                break;
            }
            case 6:
            {
                // A duplicate key, which a JSON object model cannot hold: textual.
                string json = header.ToJsonString();
                string duplicate = $",\"{tensor}\":{entry.ToJsonString()}";
                rawHeader = json[..^1] + duplicate + "}";
                what = $"tensor {tensor} declared twice";
                break;
            }
            case 7:
            {
                // Lone surrogates, escaped: valid JSON syntax, invalid UTF-16.
                string json = header.ToJsonString();
                string escape = Pick(r, ["\\ud800", "\\udfff", "\\udc00\\ud800", "\\ud83d"]);
                int at = json.IndexOf('"' + tensor + '"', StringComparison.Ordinal) + 1 + r.Next(tensor.Length);
                rawHeader = r.Next(2) == 0 ? json.Insert(at, escape) : json.Replace("\"none\"", "\"no" + escape + "ne\"", StringComparison.Ordinal).Replace("\"fuzz\"", "\"fu" + escape + "\"", StringComparison.Ordinal).Replace("\"staticnet.type\"", "\"staticnet.ty" + escape + "pe\"", StringComparison.Ordinal);
                what = $"surrogate {escape} in a name or value";
                break;
            }
            case 8:
            {
                string key = Pick(r, [ModelFile.VersionKey, ModelFile.FingerprintKey, ModelFile.DeclarationKey, ModelFile.TypeKey, ModelFile.NormalizationKey, ModelFile.OptimizerKey, ModelFile.OptimizerStepKey, ModelFile.ChecksumKey]);
                metadata.Remove(key);
                what = $"metadata {key} removed";
                break;
            }
            case 9:
            {
                string key = Pick(r, [ModelFile.VersionKey, ModelFile.FingerprintKey, ModelFile.DeclarationKey, ModelFile.OptimizerKey, ModelFile.ChecksumKey, "author"]);
                string value = Pick(r, ["", "2", "0", new string('a', 64), "Adam", "Sgd", "X", "inputs=1", metadata[ModelFile.ChecksumKey]?.GetValue<string>().ToUpperInvariant() ?? "x"]);
                metadata[key] = value;
                what = $"metadata {key} = '{value}'";
                break;
            }
            case 10:
            {
                string value = Pick(r, ["-1", "9223372036854775807", "9223372036854775808", "9007199254740993", "9007199254740992", "1e3", "0x10", "+5", " 5", "5 ", "", "٣", "0", "00000000000000000000000000000000000000001"]);
                metadata[ModelFile.OptimizerStepKey] = value;
                what = $"optimizer_step '{value}'";
                break;
            }
            case 11:
            {
                JsonNode? value = Pick<JsonNode?>(r, [1, null, true, new JsonArray(1, 2), new JsonObject { ["a"] = 1 }, "1e400"]);
                metadata[Pick(r, [ModelFile.TypeKey, "author", ModelFile.OptimizerStepKey])] = value;
                what = $"metadata value {value?.ToJsonString() ?? "null"}";
                break;
            }
            case 12:
            {
                header["__metadata__"] = Pick<JsonNode?>(r, [null, new JsonArray(), 5, "x", new JsonObject()]);
                what = $"__metadata__ = {header["__metadata__"]?.ToJsonString() ?? "null"}";
                break;
            }
            case 13:
            {
                // Huge numbers and deep nesting, textually.
                string json = header.ToJsonString();
                string replacement = Pick(r, ["1e400", "18446744073709551616", "-0", "1.0", "99999999999999999999999999999", "[[[[[[[[[[1]]]]]]]]]]", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":1}}}}}}}}}"]);
                int at = json.IndexOf("\"data_offsets\":[", StringComparison.Ordinal) + "\"data_offsets\":[".Length;
                int comma = json.IndexOf(',', at);
                rawHeader = json[..at] + replacement + json[comma..];
                what = $"a data offset written as {replacement}";
                break;
            }
            case 14:
            {
                // Two tensors' data swapped (same sizes keep the tiling), checksum recomputed below half the time.
                string other = tensors[r.Next(tensors.Count)];
                JsonNode a = entry["data_offsets"]!.DeepClone(), b = header[other]!["data_offsets"]!.DeepClone();
                entry["data_offsets"] = b;
                header[other]!.AsObject()["data_offsets"] = a;
                what = $"data_offsets of {tensor} and {other} swapped";
                break;
            }
            default:
            {
                string json = header.ToJsonString();
                rawHeader = Pick(r, [json + ",", json[..^1], "[" + json + "]", json.Replace(":", " : ", StringComparison.Ordinal) + "\t\n ", "\uFEFF" + json, json + "\0", json.Replace("\"dtype\"", "\"dtype\" ", StringComparison.Ordinal), json.Replace("true", "NaN", StringComparison.Ordinal) + " NaN"]);
                what = "JSON syntax edited";
                break;
            }
        }
        if (rawHeader is null && r.Next(2) == 0 && metadata.ContainsKey(ModelFile.ChecksumKey) && header["__metadata__"] is JsonObject)
        {
            // Keep the checksum consistent with the data, so the mutation meets the checks behind it.
            metadata[ModelFile.ChecksumKey] = Convert.ToHexStringLower(SHA256.HashData(data));
            what += " (checksum recomputed)";
        }
        byte[] json8 = Encoding.UTF8.GetBytes(rawHeader ?? header.ToJsonString());
        byte[] file = new byte[8 + json8.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json8.Length);
        json8.CopyTo(file, 8);
        data.CopyTo(file, 8 + json8.Length);
        return (file, what);
    }

    private static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    /// <summary>Everything a load may change: parameters, optimizer state and step, running statistics, as bits.</summary>
    public static string State(INetwork net) => string.Join("|",
        Convert.ToHexString(MemoryMarshal.AsBytes(net.Parameters)),
        Convert.ToHexString(MemoryMarshal.AsBytes(net.OptimizerState)),
        Convert.ToHexString(MemoryMarshal.AsBytes(net.Statistics)),
        net.OptimizerStep.ToString(CultureInfo.InvariantCulture));
}
