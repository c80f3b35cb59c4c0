using System.Buffers.Binary;
using System.Globalization;
using StaticNet.Serialization;

namespace StaticNet.Interop;

/// <summary>One tensor of a PyTorch <c>state_dict</c> and where it goes in a StaticNet network.</summary>
/// <param name="PyTorchName">The key in the file, for example <c>0.weight</c>.</param>
/// <param name="StaticNetName">The parameter or statistic it fills, for example <c>layers.0.weight</c>; null for a tensor that is read but not kept (<c>num_batches_tracked</c>).</param>
/// <param name="IsStatistic">True when <see cref="StaticNetName"/> is a running statistic (<see cref="INetwork.Statistics"/>) rather than a parameter.</param>
public sealed record PyTorchTensorMapping(string PyTorchName, string? StaticNetName, bool IsStatistic);

/// <summary>
/// Loads the weights of a PyTorch <c>nn.Sequential</c> of <c>nn.Linear</c>, <c>nn.BatchNorm1d</c>, <c>nn.PReLU</c> and
/// parameter-free modules (activations, dropout), saved as safetensors
/// (<c>safetensors.torch.save_file(model.state_dict(), "model.safetensors")</c>), into a StaticNet network declared with the
/// same layers.
/// </summary>
/// <remarks>
/// <para>The mapping, module by module in the order of their indices (modules without tensors — ReLU, Tanh, Dropout, … —
/// take an index but hold nothing, so they are not seen):</para>
/// <list type="table">
/// <listheader><term>PyTorch (index N of the Sequential)</term><description>StaticNet (layer k)</description></listheader>
/// <item><term><c>N.weight</c> [out, in], <c>N.bias</c> [out] of <c>nn.Linear</c></term><description><c>layers.k.weight</c>, <c>layers.k.bias</c> (the same layout; a Linear without bias loads a zero bias)</description></item>
/// <item><term><c>N.weight</c>, <c>N.bias</c>, <c>N.running_mean</c>, <c>N.running_var</c> of the <c>nn.BatchNorm1d</c> after it</term><description><c>layers.k.batchnorm.weight</c>, <c>.bias</c> and the statistics <c>layers.k.batchnorm.running_mean</c>, <c>.running_var</c> (<c>N.num_batches_tracked</c> is ignored; <c>affine=False</c> loads γ = 1, β = 0); the layer must declare <c>BatchNorm = true</c></description></item>
/// <item><term><c>N.weight</c> [units] or [1] of <c>nn.PReLU</c> after them</term><description><c>layers.k.prelu.alpha</c> (one shared slope is copied to every unit); the layer must declare <c>Activation.PReLU</c></description></item>
/// </list>
/// <para>
/// What the file cannot tell is not checked: the activations without parameters and their order, dropout, and
/// BatchNorm1d's <c>eps</c> and <c>momentum</c> (StaticNet's defaults are PyTorch's, 1e-5 and 0.1). Declare them as the
/// PyTorch model has them. Layers PyTorch has no module for (Maxout, SReLU, APL, SoftExponential) cannot be loaded.
/// Tensors may be F32 or F64 (converted). Loading checks every name and shape first and writes nothing on an error; it
/// then resets the optimizer state, which belonged to the old weights.
/// </para>
/// </remarks>
public static class PyTorchWeights
{
    private enum ModuleKind { Linear, BatchNorm, PReLU }

    private sealed record Module(int Index, ModuleKind Kind, Dictionary<string, SafeTensorInfo> Tensors)
    {
        public string Describe() => $"module {Index} ({Kind switch { ModuleKind.Linear => "Linear", ModuleKind.BatchNorm => "BatchNorm1d", _ => "PReLU" }}: {string.Join(", ", Tensors.Values.Select(t => $"{t.Name} {t.ShapeText}"))})";
    }

    private sealed record Expected(int Layer, ModuleKind Kind);

    /// <summary>Loads the safetensors file at <paramref name="path"/> (a PyTorch state_dict) into <paramref name="network"/>.</summary>
    /// <param name="network">The network to fill.</param>
    /// <param name="path">The file.</param>
    /// <param name="prefix">A prefix the keys carry when the Sequential is an attribute of the saved module, for example <c>"net."</c>; empty by default.</param>
    /// <returns>Which tensor of the file went where.</returns>
    /// <exception cref="InvalidDataException">The file does not fit the declaration; the message names the tensor or module and what was expected.</exception>
    /// <exception cref="NotSupportedException">The declaration has a layer or activation PyTorch has no module for (named).</exception>
    public static IReadOnlyList<PyTorchTensorMapping> Load(INetwork network, string path, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(network);
        return Load(network, SafeTensorsFile.Read(path), prefix);
    }

    /// <summary>As <see cref="Load(INetwork, string, string)"/>, from a parsed safetensors file.</summary>
    /// <param name="network">The network to fill.</param>
    /// <param name="file">The state_dict.</param>
    /// <param name="prefix">A prefix of every key, or empty.</param>
    public static IReadOnlyList<PyTorchTensorMapping> Load(INetwork network, SafeTensorsFile file, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(prefix);
        NetworkDescription d = network.Description;
        string source = file.Source;
        List<Expected> expected = ExpectedModules(d);
        List<Module> modules = Modules(file, prefix);

        if (modules.Count != expected.Count || modules.Zip(expected).Any(p => p.First.Kind != p.Second.Kind))
        {
            throw new InvalidDataException(
                $"{source}: the modules with tensors are {(modules.Count == 0 ? "none" : string.Join("; ", modules.Select(m => m.Describe())))}; " +
                $"{d.TypeName} expects {string.Join(", ", expected.Select(e => $"{e.Kind} (layer {e.Layer})"))} in that order.");
        }

        // Stage everything, then write: a bad tensor leaves the network as it was.
        var mapping = new List<PyTorchTensorMapping>();
        var parameters = new List<(ParameterTensor Target, float[] Values)>();
        var statistics = new List<(ParameterTensor Target, float[] Values)>();
        var problems = new List<string>();
        for (int m = 0; m < modules.Count; m++)
        {
            Module module = modules[m];
            LayerDescription layer = d.Layers[expected[m].Layer];
            void Take(string name, ParameterTensor target, bool statistic, int[]? acceptedShape = null)
            {
                if (!module.Tensors.TryGetValue(name, out SafeTensorInfo? t))
                {
                    problems.Add($"{prefix}{module.Index}.{name} is missing (for {target.Name})");
                    return;
                }
                long[] shape = (acceptedShape ?? target.Shape.ToArray()).Select(s => (long)s).ToArray();
                if (!t.Shape.SequenceEqual(shape))
                {
                    problems.Add($"{t.Name} has shape {t.ShapeText}; {target.Name} needs [{string.Join(", ", target.Shape)}]");
                    return;
                }
                float[]? values = Floats(file, t, problems);
                if (values is null) return;
                if (values.Length == 1 && target.Length > 1) values = Enumerable.Repeat(values[0], target.Length).ToArray(); // one shared PReLU slope
                (statistic ? statistics : parameters).Add((target, values));
                mapping.Add(new PyTorchTensorMapping(t.Name, target.Name, statistic));
            }
            void Constant(ParameterTensor target, float value) => parameters.Add((target, Enumerable.Repeat(value, target.Length).ToArray()));

            switch (module.Kind)
            {
                case ModuleKind.Linear:
                    Take("weight", layer.Weight, false);
                    if (layer.Bias is null)
                    {
                        if (module.Tensors.ContainsKey("bias")) problems.Add($"{module.Index}.bias: layer {layer.Index} is declared without a bias (Bias = false)");
                    }
                    else if (module.Tensors.ContainsKey("bias")) Take("bias", layer.Bias, false);
                    else Constant(layer.Bias, 0f);
                    break;
                case ModuleKind.BatchNorm:
                    BatchNormDescription bn = layer.BatchNorm!;
                    if (module.Tensors.ContainsKey("weight") || module.Tensors.ContainsKey("bias"))
                    {
                        Take("weight", bn.Weight, false);
                        Take("bias", bn.Bias, false);
                    }
                    else
                    {
                        Constant(bn.Weight, 1f);
                        Constant(bn.Bias, 0f);
                    }
                    Take("running_mean", bn.RunningMean, true);
                    Take("running_var", bn.RunningVariance, true);
                    if (module.Tensors.TryGetValue("num_batches_tracked", out SafeTensorInfo? tracked)) mapping.Add(new PyTorchTensorMapping(tracked.Name, null, false));
                    break;
                case ModuleKind.PReLU:
                    ParameterTensor alpha = layer.ActivationParameters[0];
                    if (module.Tensors.TryGetValue("weight", out SafeTensorInfo? w) && w.Shape.SequenceEqual([1L])) Take("weight", alpha, false, [1]);
                    else Take("weight", alpha, false);
                    break;
            }
            foreach (string name in module.Tensors.Keys)
            {
                bool known = module.Kind switch
                {
                    ModuleKind.Linear => name is "weight" or "bias",
                    ModuleKind.BatchNorm => name is "weight" or "bias" or "running_mean" or "running_var" or "num_batches_tracked",
                    _ => name is "weight",
                };
                if (!known) problems.Add($"{module.Tensors[name].Name} is not a tensor of {module.Kind}");
            }
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{source} does not fit {d.TypeName}: {string.Join("; ", problems)}.");
        }

        Span<float> target = network.Parameters;
        foreach ((ParameterTensor t, float[] values) in parameters) values.CopyTo(target.Slice(t.Offset, t.Length));
        Span<float> stats = network.Statistics;
        foreach ((ParameterTensor t, float[] values) in statistics) values.CopyTo(stats.Slice(t.Offset, t.Length));
        network.ResetOptimizer();
        return mapping;
    }

    private static List<Expected> ExpectedModules(NetworkDescription d)
    {
        var expected = new List<Expected>();
        foreach (LayerDescription layer in d.Layers)
        {
            if (layer.IsMaxout)
            {
                throw new NotSupportedException($"Layer {layer.Index} of {d.TypeName} is a Maxout layer, which PyTorch's nn has no module for: its weights cannot come from a PyTorch state_dict.");
            }
            expected.Add(new Expected(layer.Index, ModuleKind.Linear));
            if (layer.BatchNorm is not null) expected.Add(new Expected(layer.Index, ModuleKind.BatchNorm));
            if (layer.Activation == Activation.PReLU)
            {
                expected.Add(new Expected(layer.Index, ModuleKind.PReLU));
            }
            else if (layer.ActivationParameters.Count > 0)
            {
                throw new NotSupportedException(
                    $"Layer {layer.Index} of {d.TypeName} has the activation {layer.Activation}, whose learned parameters PyTorch's nn has no module for.");
            }
        }
        return expected;
    }

    /// <summary>The file's modules with tensors, by index, each classified by the tensors it holds.</summary>
    private static List<Module> Modules(SafeTensorsFile file, string prefix)
    {
        var byIndex = new SortedDictionary<int, Dictionary<string, SafeTensorInfo>>();
        var strays = new List<string>();
        foreach (SafeTensorInfo t in file.Tensors)
        {
            string key = t.Name;
            int dot = key.StartsWith(prefix, StringComparison.Ordinal) ? key.IndexOf('.', prefix.Length) : -1;
            if (dot < 0 || !int.TryParse(key.AsSpan(prefix.Length, dot - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                strays.Add(key);
                continue;
            }
            string name = key[(dot + 1)..];
            if (!byIndex.TryGetValue(index, out Dictionary<string, SafeTensorInfo>? tensors)) byIndex[index] = tensors = new(StringComparer.Ordinal);
            tensors[name] = t;
        }
        if (strays.Count > 0)
        {
            throw new InvalidDataException(
                $"{file.Source}: {string.Join(", ", strays.Take(5))}{(strays.Count > 5 ? $" and {strays.Count - 5} more" : "")} " +
                $"{(strays.Count == 1 ? "is not a key" : "are not keys")} of an nn.Sequential state_dict ('{prefix}<index>.<tensor>')" +
                (prefix.Length == 0 ? "; if the Sequential is an attribute of the saved module, pass its prefix, for example \"net.\"." : "."));
        }
        var modules = new List<Module>();
        foreach ((int index, Dictionary<string, SafeTensorInfo> tensors) in byIndex)
        {
            ModuleKind kind;
            if (tensors.ContainsKey("running_mean") || tensors.ContainsKey("running_var") || tensors.ContainsKey("num_batches_tracked")) kind = ModuleKind.BatchNorm;
            else if (tensors.TryGetValue("weight", out SafeTensorInfo? w) && w.Shape.Count == 2) kind = ModuleKind.Linear;
            else if (tensors.TryGetValue("weight", out w) && w.Shape.Count == 1 && tensors.Count == 1) kind = ModuleKind.PReLU;
            else
            {
                throw new InvalidDataException(
                    $"{file.Source}: module {index} ({string.Join(", ", tensors.Values.Select(t => $"{t.Name} {t.ShapeText}"))}) is not an nn.Linear, nn.BatchNorm1d or nn.PReLU.");
            }
            modules.Add(new Module(index, kind, tensors));
        }
        return modules;
    }

    private static float[]? Floats(SafeTensorsFile file, SafeTensorInfo t, List<string> problems)
    {
        ReadOnlySpan<byte> data = file.Data(t);
        var values = new float[t.ElementCount];
        switch (t.DType)
        {
            case "F32":
                file.CopyTo(t, values);
                return values;
            case "F64":
                for (int i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(8 * i, 8));
                return values;
            default:
                problems.Add($"{t.Name} has dtype {t.DType}; F32 or F64 is needed (save with model.float())");
                return null;
        }
    }
}
