using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StaticNet.Training;

namespace StaticNet.Serialization;

/// <summary>What <see cref="ModelFile.Load(INetwork, string, bool)"/> read besides the parameters.</summary>
/// <param name="TypeName">The network type the file was saved from (metadata <c>staticnet.type</c>), or null when absent.</param>
/// <param name="Fingerprint">The declaration fingerprint stored in the file, or null when absent.</param>
/// <param name="Normalization">The saved input standardization, or null when none was saved.</param>
/// <param name="Metadata">Every metadata entry of the file.</param>
public sealed record LoadedModel(string? TypeName, string? Fingerprint, Standardizer? Normalization, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Saves and loads a network's parameters as a standard safetensors file (see
/// <see cref="SafeTensorsFile"/>), readable by any safetensors reader (for example
/// <c>safetensors.torch.load_file</c>, which gives PyTorch's <c>nn.Linear</c> layout).
/// </summary>
/// <remarks>
/// <para>
/// Contents: every parameter tensor under its stable name (<c>layers.0.weight</c> [out, in],
/// <c>layers.0.bias</c>, …), dtype F32, in the network's buffer order; when the model has an
/// input standardization, the F32 tensors <c>normalization.mean</c> and <c>normalization.std</c>
/// [inputs]. Metadata: <c>staticnet.version</c> (<see cref="FormatVersion"/>), <c>staticnet.type</c>
/// (the network class), <c>staticnet.declaration</c> (<see cref="Declaration"/>),
/// <c>staticnet.fingerprint</c> (<see cref="Fingerprint"/>) and <c>staticnet.normalization</c>
/// (<c>standardize</c> or <c>none</c>), plus any entries the caller adds. Optionally the optimizer
/// state: one F32 tensor per slot and parameter, <c>optimizer.&lt;slot&gt;.&lt;parameter&gt;</c> with the
/// parameter's shape (PyTorch's slot names, for Adam <c>exp_avg</c> and <c>exp_avg_sq</c>), and the
/// metadata <c>staticnet.optimizer</c> and <c>staticnet.optimizer_step</c> (t). The statistics are
/// tensors rather than metadata strings so that they round-trip bit-exactly and any reader sees
/// them as arrays (PyTorch keeps BatchNorm's running statistics the same way, as tensors).
/// </para>
/// <para>
/// Loading parses and validates the whole file first (format, fingerprint, every name, dtype and
/// shape, the statistics) and copies into the network only when everything is right, so a bad
/// file never leaves a network half-loaded. Saving is atomic: a temporary file, then a rename.
/// </para>
/// <para>
/// Loading replaces the network's optimizer state with the file's, or resets it
/// (<see cref="INetwork.ResetOptimizer"/>) when the file has none, so a loaded network's state
/// comes from the file alone. The fingerprint leaves the optimizer out, so weights load into a
/// network of the same shapes with another optimizer, but optimizer state only into the same optimizer.
/// </para>
/// <para>
/// BatchNorm running statistics (<see cref="INetwork.Statistics"/>) are saved under their names
/// (PyTorch's <c>running_mean</c>, <c>running_var</c>) and validated on load like the parameters.
/// </para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The version of this layout, stored as <c>staticnet.version</c>.</summary>
    public const string FormatVersion = "1";

    /// <summary>The prefix of the metadata keys StaticNet writes; reserved.</summary>
    public const string MetadataPrefix = "staticnet.";

    /// <summary>Metadata key of the layout version.</summary>
    public const string VersionKey = "staticnet.version";

    /// <summary>Metadata key of the network type name.</summary>
    public const string TypeKey = "staticnet.type";

    /// <summary>Metadata key of the declaration text.</summary>
    public const string DeclarationKey = "staticnet.declaration";

    /// <summary>Metadata key of the declaration fingerprint.</summary>
    public const string FingerprintKey = "staticnet.fingerprint";

    /// <summary>Metadata key saying whether standardization statistics are stored.</summary>
    public const string NormalizationKey = "staticnet.normalization";

    /// <summary>Metadata key of the optimizer whose state the file holds (only when it holds some).</summary>
    public const string OptimizerKey = "staticnet.optimizer";

    /// <summary>Metadata key of the optimizer's step count t (only when the file holds optimizer state).</summary>
    public const string OptimizerStepKey = "staticnet.optimizer_step";

    /// <summary>
    /// Metadata key of the SHA-256 of the data section (every tensor's bytes in file order, see
    /// <see cref="SafeTensorsFile.DataSha256"/>), written by default and verified on load when present; files without it
    /// (from other tools, or saved with <c>includeChecksum: false</c>) load unverified.
    /// </summary>
    public const string ChecksumKey = "staticnet.sha256";

    /// <summary>The prefix of optimizer-state tensors: <c>optimizer.&lt;slot&gt;.&lt;parameter&gt;</c>, for example <c>optimizer.exp_avg.layers.0.weight</c>.</summary>
    public const string OptimizerTensorPrefix = "optimizer.";

    /// <summary>The tensor of standardization means.</summary>
    public const string MeanTensor = "normalization.mean";

    /// <summary>The tensor of standardization standard deviations.</summary>
    public const string StandardDeviationTensor = "normalization.std";

    /// <summary>
    /// The canonical text of what a file's tensors depend on: input width, each layer's units and
    /// activation, the loss, and every parameter tensor's name and shape, for example
    /// <c>inputs=4; layers=Dense(8,Tanh) Dense(3,Identity); loss=SoftmaxCrossEntropy; parameters=layers.0.weight[8,4] layers.0.bias[8] layers.1.weight[3,8] layers.1.bias[3]</c>.
    /// The optimizer and the learning rate are not part of it: weights move freely between them.
    /// </summary>
    /// <param name="description">The network's description.</param>
    public static string Declaration(NetworkDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var text = new StringBuilder();
        text.Append("inputs=").Append(description.Inputs.ToString(CultureInfo.InvariantCulture));
        text.Append("; layers=");
        for (int i = 0; i < description.Layers.Count; i++)
        {
            LayerDescription layer = description.Layers[i];
            if (i > 0) text.Append(' ');
            text.Append("Dense(").Append(layer.Units.ToString(CultureInfo.InvariantCulture)).Append(',').Append(layer.Activation.ToString()).Append(')');
        }
        text.Append("; loss=").Append(description.Loss.ToString());
        text.Append("; parameters=");
        for (int i = 0; i < description.Parameters.Count; i++)
        {
            ParameterTensor p = description.Parameters[i];
            if (i > 0) text.Append(' ');
            text.Append(p.Name).Append('[').Append(string.Join(",", p.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))).Append(']');
        }
        return text.ToString();
    }

    /// <summary>The SHA-256 of the UTF-8 <see cref="Declaration"/>, as 64 lowercase hex digits.</summary>
    /// <param name="description">The network's description.</param>
    public static string Fingerprint(NetworkDescription description) => Hash(Declaration(description));

    /// <summary>Saves <paramref name="network"/> (and <paramref name="normalization"/>) to <paramref name="path"/> atomically.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file to write; an existing file is replaced only once the new one is complete.</param>
    /// <param name="normalization">The input standardization to store, or null.</param>
    /// <param name="metadata">Extra metadata entries; keys must not start with <see cref="MetadataPrefix"/>.</param>
    /// <param name="includeOptimizerState">Whether to store the optimizer's state and step count too, to resume training exactly. Default false (weights only, as Keras' <c>save_weights</c>).</param>
    /// <param name="includeChecksum">Whether to store the SHA-256 of the tensor bytes (<see cref="ChecksumKey"/>), which loading verifies. Default true.</param>
    /// <exception cref="ArgumentException">The standardization's width is not the network's input width, or a metadata key is reserved.</exception>
    /// <remarks>
    /// The file is written to <c>.&lt;name&gt;.&lt;guid&gt;.tmp</c> in the same folder and renamed over <paramref name="path"/>; the
    /// temporary files of earlier saves to the same path that were killed before their rename are deleted first.
    /// </remarks>
    public static void Save(INetwork network, string path, Standardizer? normalization = null, IReadOnlyDictionary<string, string>? metadata = null, bool includeOptimizerState = false, bool includeChecksum = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Writer(network, normalization, metadata, includeOptimizerState, includeChecksum).Save(path);
    }

    /// <summary>The bytes of the file <see cref="Save"/> writes.</summary>
    /// <param name="network">The network.</param>
    /// <param name="normalization">The input standardization to store, or null.</param>
    /// <param name="metadata">Extra metadata entries; keys must not start with <see cref="MetadataPrefix"/>.</param>
    /// <param name="includeOptimizerState">Whether to store the optimizer's state and step count too.</param>
    /// <param name="includeChecksum">Whether to store the SHA-256 of the tensor bytes (<see cref="ChecksumKey"/>). Default true.</param>
    public static byte[] Serialize(INetwork network, Standardizer? normalization = null, IReadOnlyDictionary<string, string>? metadata = null, bool includeOptimizerState = false, bool includeChecksum = true) =>
        Writer(network, normalization, metadata, includeOptimizerState, includeChecksum).ToArray();

    /// <summary>
    /// Loads the file at <paramref name="path"/> into <paramref name="network"/>, after checking the
    /// fingerprint and every tensor; on any error the network is left untouched.
    /// </summary>
    /// <param name="network">The network to load into.</param>
    /// <param name="path">The file.</param>
    /// <param name="checkFingerprint">
    /// When false, a missing or different fingerprint is accepted and only the tensor names,
    /// dtypes and shapes are checked (for files written by other tools). Default true.
    /// </param>
    /// <returns>The file's type name, fingerprint, standardization and metadata.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt or does not fit the network; the message names what differs.</exception>
    public static LoadedModel Load(INetwork network, string path, bool checkFingerprint = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Load(network, SafeTensorsFile.Read(path), checkFingerprint);
    }

    /// <summary>As <see cref="Load(INetwork, string, bool)"/>, from the whole of <paramref name="bytes"/>.</summary>
    /// <param name="network">The network to load into.</param>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="source">A name for the bytes in messages.</param>
    /// <param name="checkFingerprint">See <see cref="Load(INetwork, string, bool)"/>.</param>
    public static LoadedModel Load(INetwork network, byte[] bytes, string source = "safetensors data", bool checkFingerprint = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Load(network, SafeTensorsFile.Parse(bytes, source), checkFingerprint);
    }

    private static LoadedModel Load(INetwork network, SafeTensorsFile file, bool checkFingerprint)
    {
        NetworkDescription description = network.Description;
        string source = file.Source;
        string? fileType = file.Metadata.GetValueOrDefault(TypeKey);
        string? fileFingerprint = file.Metadata.GetValueOrDefault(FingerprintKey);
        string? fileDeclaration = file.Metadata.GetValueOrDefault(DeclarationKey);

        if (file.Metadata.TryGetValue(VersionKey, out string? version) && version != FormatVersion)
        {
            throw new InvalidDataException($"{source}: StaticNet layout version {version}; this library reads version {FormatVersion}.");
        }
        if (file.Metadata.TryGetValue(ChecksumKey, out string? checksum))
        {
            string actual = file.DataSha256();
            if (!string.Equals(checksum, actual, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException(
                    $"{source}: the tensor bytes do not match their SHA-256 in the metadata ('{ChecksumKey}' is {checksum}, the data hash to {actual}): the file was corrupted or edited after it was saved.");
            }
        }
        if (checkFingerprint)
        {
            CheckFingerprint(description, source, fileType, fileFingerprint, fileDeclaration);
        }

        // Every tensor: names, dtypes and shapes, all problems at once.
        var problems = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParameterTensor p in description.Parameters)
        {
            known.Add(p.Name);
            SafeTensorInfo? t = file.Find(p.Name);
            if (t is null)
            {
                problems.Add($"tensor '{p.Name}' is missing");
                continue;
            }
            CheckTensor(t, p.Shape, problems, description.TypeName);
        }
        // BatchNorm running statistics (running_mean, running_var) are part of the model: required, like parameters.
        foreach (ParameterTensor p in description.Statistics)
        {
            known.Add(p.Name);
            SafeTensorInfo? t = file.Find(p.Name);
            if (t is null)
            {
                problems.Add($"statistics tensor '{p.Name}' is missing");
                continue;
            }
            CheckTensor(t, p.Shape, problems, description.TypeName);
        }
        bool hasMean = file.Find(MeanTensor) is not null, hasStd = file.Find(StandardDeviationTensor) is not null;
        if (hasMean != hasStd)
        {
            problems.Add($"'{(hasMean ? MeanTensor : StandardDeviationTensor)}' is there without '{(hasMean ? StandardDeviationTensor : MeanTensor)}'");
        }
        else if (hasMean)
        {
            known.Add(MeanTensor);
            known.Add(StandardDeviationTensor);
            CheckTensor(file.Find(MeanTensor)!, [description.Inputs], problems, description.TypeName + "'s input standardization");
            CheckTensor(file.Find(StandardDeviationTensor)!, [description.Inputs], problems, description.TypeName + "'s input standardization");
        }
        bool hasOptimizer = file.Tensors.Any(t => t.Name.StartsWith(OptimizerTensorPrefix, StringComparison.Ordinal));
        long optimizerStep = 0;
        bool optimizerMismatch = false;
        if (hasOptimizer)
        {
            string fileOptimizer = file.Metadata.GetValueOrDefault(OptimizerKey) ?? "(not named)";
            if (fileOptimizer != description.Optimizer.ToString() || description.OptimizerSlots.Count == 0)
            {
                optimizerMismatch = true;
                problems.Add($"it holds {fileOptimizer} optimizer state, but {description.TypeName} uses {description.Optimizer}" +
                    (description.OptimizerSlots.Count == 0 ? ", which has none" : $" (slots {string.Join(", ", description.OptimizerSlots)})"));
            }
            else
            {
                if (!long.TryParse(file.Metadata.GetValueOrDefault(OptimizerStepKey), NumberStyles.None, CultureInfo.InvariantCulture, out optimizerStep)
                    || optimizerStep > Compiled.NetworkState.MaxOptimizerStep)
                {
                    problems.Add($"metadata '{OptimizerStepKey}' is '{file.Metadata.GetValueOrDefault(OptimizerStepKey)}', expected a whole number in [0, {Compiled.NetworkState.MaxOptimizerStep}] " +
                        "(2⁵³, the most a network's optimizer counts: a larger count would overflow, or make every later step a silent no-op)");
                }
                foreach (string slot in description.OptimizerSlots)
                {
                    foreach (ParameterTensor p in description.Parameters)
                    {
                        string name = OptimizerTensorName(slot, p.Name);
                        known.Add(name);
                        SafeTensorInfo? t = file.Find(name);
                        if (t is null) problems.Add($"optimizer tensor '{name}' is missing");
                        else CheckTensor(t, p.Shape, problems, description.TypeName);
                    }
                }
            }
        }
        foreach (SafeTensorInfo t in file.Tensors)
        {
            if (optimizerMismatch && t.Name.StartsWith(OptimizerTensorPrefix, StringComparison.Ordinal))
            {
                continue; // reported above as a whole
            }
            if (!known.Contains(t.Name))
            {
                problems.Add($"tensor '{t.Name}' {t.ShapeText} is not a {(t.Name.StartsWith(OptimizerTensorPrefix, StringComparison.Ordinal) ? "slot of its optimizer" : "parameter")} of {description.TypeName}");
            }
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException(
                $"{source} does not fit {description.TypeName}: {string.Join("; ", problems)}. {description.TypeName} has: {string.Join(", ", description.Parameters.Select(p => $"{p.Name} [{string.Join(", ", p.Shape)}]"))}.");
        }

        // Decode everything into temporary buffers, then copy in one go.
        float[] parameters = new float[description.ParameterCount];
        foreach (ParameterTensor p in description.Parameters)
        {
            file.CopyTo(file.Find(p.Name)!, parameters.AsSpan(p.Offset, p.Length));
        }
        Standardizer? normalization = null;
        if (hasMean)
        {
            float[] mean = new float[description.Inputs], deviation = new float[description.Inputs];
            file.CopyTo(file.Find(MeanTensor)!, mean);
            file.CopyTo(file.Find(StandardDeviationTensor)!, deviation);
            try
            {
                normalization = new Standardizer(mean, deviation);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{source}: bad standardization statistics: {e.Message}", e);
            }
        }
        float[]? optimizerState = null;
        if (hasOptimizer)
        {
            int count = description.ParameterCount;
            optimizerState = new float[description.OptimizerSlots.Count * count];
            for (int slot = 0; slot < description.OptimizerSlots.Count; slot++)
            {
                foreach (ParameterTensor p in description.Parameters)
                {
                    file.CopyTo(file.Find(OptimizerTensorName(description.OptimizerSlots[slot], p.Name))!, optimizerState.AsSpan((slot * count) + p.Offset, p.Length));
                }
            }
        }
        float[] statistics = new float[description.StatisticCount];
        foreach (ParameterTensor p in description.Statistics)
        {
            file.CopyTo(file.Find(p.Name)!, statistics.AsSpan(p.Offset, p.Length));
        }

        // Everything is valid and decoded: now change the network.
        parameters.CopyTo(network.Parameters);
        statistics.CopyTo(network.Statistics);
        if (optimizerState is not null)
        {
            optimizerState.CopyTo(network.OptimizerState);
            network.OptimizerStep = optimizerStep;
        }
        else
        {
            network.ResetOptimizer();
        }
        return new LoadedModel(fileType, fileFingerprint, normalization, file.Metadata);
    }

    private static void CheckFingerprint(NetworkDescription description, string source, string? fileType, string? fileFingerprint, string? fileDeclaration)
    {
        string expected = Fingerprint(description);
        if (fileFingerprint is null)
        {
            throw new InvalidDataException(
                $"{source} has no StaticNet fingerprint (metadata '{FingerprintKey}'), so it cannot be checked against {description.TypeName}'s declaration. " +
                "To load it by tensor names and shapes only, pass checkFingerprint: false.");
        }
        if (fileDeclaration is not null && Hash(fileDeclaration) != fileFingerprint)
        {
            throw new InvalidDataException(
                $"{source}: wrong fingerprint: the metadata is inconsistent ('{FingerprintKey}' is not the hash of '{DeclarationKey}'); the file was corrupted or edited.");
        }
        if (fileFingerprint == expected) return;
        string ours = Declaration(description);
        string what = fileDeclaration is null
            ? $"the file's declaration is not stored; {description.TypeName} is '{ours}'"
            : Difference(fileDeclaration, ours);
        throw new InvalidDataException(
            $"{source}: wrong fingerprint: it was saved from {fileType ?? "an unknown network"} with another declaration than {description.TypeName}'s ({what}). " +
            $"File fingerprint {fileFingerprint}, {description.TypeName} {expected}.");
    }

    /// <summary>Which parts of two declaration texts differ, in words.</summary>
    private static string Difference(string file, string ours)
    {
        Dictionary<string, string> a = Parts(file), b = Parts(ours);
        var differences = new List<string>();
        foreach (string key in a.Keys.Union(b.Keys))
        {
            string? x = a.GetValueOrDefault(key), y = b.GetValueOrDefault(key);
            if (x != y) differences.Add($"{key}: file {x ?? "(none)"}, network {y ?? "(none)"}");
        }
        return differences.Count == 0 ? "the declarations are equal but the fingerprint is not" : string.Join("; ", differences);
    }

    private static Dictionary<string, string> Parts(string declaration)
    {
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in declaration.Split("; "))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0) parts.TryAdd(part[..equals], part[(equals + 1)..]);
        }
        return parts;
    }

    private static void CheckTensor(SafeTensorInfo t, IReadOnlyList<int> shape, List<string> problems, string owner)
    {
        if (t.DType != "F32")
        {
            problems.Add($"tensor '{t.Name}' has dtype {t.DType}, expected F32");
        }
        bool sameShape = t.Shape.Count == shape.Count;
        for (int i = 0; sameShape && i < shape.Count; i++) sameShape = t.Shape[i] == shape[i];
        if (!sameShape)
        {
            problems.Add($"tensor '{t.Name}' has shape {t.ShapeText}, {owner} expects [{string.Join(", ", shape)}]");
        }
    }

    private static SafeTensorsWriter Writer(INetwork network, Standardizer? normalization, IReadOnlyDictionary<string, string>? metadata, bool includeOptimizerState, bool includeChecksum)
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkDescription description = network.Description;
        if (normalization is not null && normalization.Width != description.Inputs)
        {
            throw new ArgumentException($"The standardizer has {normalization.Width} features, but {description.TypeName} takes {description.Inputs} inputs.", nameof(normalization));
        }
        var writer = new SafeTensorsWriter { DataChecksumKey = includeChecksum ? ChecksumKey : null };
        if (metadata is not null)
        {
            foreach ((string key, string value) in metadata)
            {
                if (key.StartsWith(MetadataPrefix, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Metadata key '{key}' starts with '{MetadataPrefix}', which StaticNet reserves.", nameof(metadata));
                }
                writer.SetMetadata(key, value);
            }
        }
        string declaration = Declaration(description);
        writer.SetMetadata(VersionKey, FormatVersion);
        writer.SetMetadata(TypeKey, description.TypeName);
        writer.SetMetadata(DeclarationKey, declaration);
        writer.SetMetadata(FingerprintKey, Hash(declaration));
        writer.SetMetadata(NormalizationKey, normalization is null ? "none" : "standardize");
        ReadOnlySpan<float> parameters = network.Parameters;
        foreach (ParameterTensor p in description.Parameters)
        {
            writer.Add(p.Name, p.Shape.ToArray(), parameters.Slice(p.Offset, p.Length));
        }
        if (normalization is not null)
        {
            writer.Add(MeanTensor, [description.Inputs], normalization.Mean);
            writer.Add(StandardDeviationTensor, [description.Inputs], normalization.StandardDeviation);
        }
        if (includeOptimizerState && description.OptimizerSlots.Count > 0)
        {
            writer.SetMetadata(OptimizerKey, description.Optimizer.ToString());
            writer.SetMetadata(OptimizerStepKey, network.OptimizerStep.ToString(CultureInfo.InvariantCulture));
            ReadOnlySpan<float> state = network.OptimizerState;
            for (int slot = 0; slot < description.OptimizerSlots.Count; slot++)
            {
                ReadOnlySpan<float> buffer = state.Slice(slot * description.ParameterCount, description.ParameterCount);
                foreach (ParameterTensor p in description.Parameters)
                {
                    writer.Add(OptimizerTensorName(description.OptimizerSlots[slot], p.Name), p.Shape.ToArray(), buffer.Slice(p.Offset, p.Length));
                }
            }
        }
        ReadOnlySpan<float> statistics = network.Statistics;
        foreach (ParameterTensor p in description.Statistics)
        {
            writer.Add(p.Name, p.Shape.ToArray(), statistics.Slice(p.Offset, p.Length));
        }
        return writer;
    }

    private static string OptimizerTensorName(string slot, string parameter) => $"{OptimizerTensorPrefix}{slot}.{parameter}";

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
