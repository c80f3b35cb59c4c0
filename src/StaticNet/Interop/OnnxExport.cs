using System.Buffers.Binary;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using StaticNet.Serialization;
using StaticNet.Training;

namespace StaticNet.Interop;

/// <summary>
/// Exports a network's inference to ONNX (https://onnx.ai), for ONNX Runtime, Windows ML, onnxruntime-web and the other
/// ONNX consumers: one input <c>input</c> of shape [batch, Inputs] and one output <c>output</c> of shape [batch, Outputs],
/// float32, computing what <see cref="INetwork.Infer"/> computes (probabilities for softmax cross-entropy, σ for binary
/// cross-entropy, the last layer's outputs otherwise) with the parameters and running statistics of the moment of export.
/// </summary>
/// <remarks>
/// <para>
/// The graph uses the default ONNX domain at opset 13 (IR version 7): each Dense layer is a <c>Gemm</c> with
/// <c>transB = 1</c> (the weight stays in PyTorch's [out, in] layout), a maxout layer a <c>Gemm</c> to pieces × units
/// values, <c>Reshape</c> and <c>ReduceMax</c> over the pieces, batch normalization a <c>BatchNormalization</c> with the
/// running statistics. Activations ONNX has are its operators (Sigmoid, Tanh, Relu, LeakyRelu, PRelu, Elu, Selu, Softsign,
/// Softplus, Atan, Sin, Softmax; RReLU is LeakyRelu with the inference slope (l + u)/2); the others are composed from
/// elementwise operators: BinaryStep, ISRU, ISRLU, SReLU, APL, BentIdentity, SiLU, SoftExponential, Sinc and GELU (tanh form).
/// Dropout is the identity at inference (the notes' form: a <c>Mul</c> by 1 − rate). A model's input standardization,
/// when given, is a <c>Sub</c> and a <c>Div</c> in front.
/// </para>
/// <para>
/// Every activation of <see cref="Activation"/> is exportable; a value this version does not know throws
/// <see cref="NotSupportedException"/> naming it and the layer. The model's metadata holds <c>staticnet.type</c> and
/// <c>staticnet.fingerprint</c> (see <see cref="ModelFile.Fingerprint"/>); the graph's doc string is the declaration.
/// </para>
/// </remarks>
public static class OnnxExport
{
    /// <summary>The name of the graph's input, float32 [batch, Inputs].</summary>
    public const string InputName = "input";

    /// <summary>The name of the graph's output, float32 [batch, Outputs].</summary>
    public const string OutputName = "output";

    /// <summary>The ONNX operator set the graph uses (default domain).</summary>
    public const int Opset = 13;

    /// <summary>The ONNX IR version of the file.</summary>
    public const long IrVersion = 7;

    /// <summary>The ONNX model of <paramref name="network"/>'s inference, as bytes.</summary>
    /// <param name="network">The network; its parameters and running statistics are copied as they are now.</param>
    /// <param name="normalization">An input standardization to put in front (a <see cref="Model{TNet}"/>'s), or null.</param>
    /// <exception cref="ArgumentException">The standardization's width is not the network's input width.</exception>
    /// <exception cref="NotSupportedException">A layer has an activation this version cannot export (named in the message).</exception>
    public static byte[] ToOnnx(this INetwork network, Standardizer? normalization = null) => Build(network, normalization).ToArray();

    /// <summary>Writes the ONNX model of <paramref name="network"/> to <paramref name="path"/> (atomically: a temporary file, then a rename).</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file to write, conventionally <c>*.onnx</c>.</param>
    /// <param name="normalization">An input standardization to put in front, or null.</param>
    /// <exception cref="NotSupportedException">A layer has an activation this version cannot export.</exception>
    public static void ExportOnnx(this INetwork network, string path, Standardizer? normalization = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, ToOnnx(network, normalization));
    }

    /// <summary>Writes the ONNX model of <paramref name="network"/> to <paramref name="stream"/>, left open.</summary>
    /// <param name="network">The network.</param>
    /// <param name="stream">A writable stream.</param>
    /// <param name="normalization">An input standardization to put in front, or null.</param>
    /// <exception cref="NotSupportedException">A layer has an activation this version cannot export.</exception>
    public static void ExportOnnx(this INetwork network, Stream stream, Standardizer? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Build(network, normalization).WriteTo(stream);
    }

    /// <summary>Writes the ONNX model of <paramref name="model"/>: its network with its input standardization in front, what <see cref="Model{TNet}.Predict"/> computes.</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file to write.</param>
    public static void ExportOnnx<TNet>(this Model<TNet> model, string path) where TNet : class, INetwork<TNet>
    {
        ArgumentNullException.ThrowIfNull(model);
        ExportOnnx(model.Network, path, model.Normalization);
    }

    /// <summary>Writes the ONNX model of <paramref name="model"/> (network and standardization) to <paramref name="stream"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="stream">A writable stream, left open.</param>
    public static void ExportOnnx<TNet>(this Model<TNet> model, Stream stream) where TNet : class, INetwork<TNet>
    {
        ArgumentNullException.ThrowIfNull(model);
        ExportOnnx(model.Network, stream, model.Normalization);
    }

    private static ProtobufWriter Build(INetwork network, Standardizer? normalization)
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkDescription d = network.Description;
        if (normalization is not null && normalization.Width != d.Inputs)
        {
            throw new ArgumentException($"normalization has width {normalization.Width}; {d.TypeName} takes {d.Inputs} inputs.", nameof(normalization));
        }
        var g = new GraphBuilder(network.Parameters, network.Statistics);
        string x = InputName;

        if (normalization is not null)
        {
            float[] divisor = normalization.StandardDeviation.ToArray();
            for (int i = 0; i < divisor.Length; i++) if (divisor[i] == 0) divisor[i] = 1f; // a constant feature is only centred
            x = g.Op("Sub", [x, g.Constant("normalization.mean", normalization.Mean.ToArray(), d.Inputs)]);
            x = g.Op("Div", [x, g.Constant("normalization.divisor", divisor, d.Inputs)]);
        }
        bool notes = d.DropoutForm == DropoutForm.Notes;
        if (d.InputDropout > 0f && notes) x = g.Op("Mul", [x, g.Scalar(1f - d.InputDropout)]);

        foreach (LayerDescription layer in d.Layers)
        {
            int units = layer.Units, pieces = layer.Pieces;
            string w = g.Parameter(layer.Weight, pieces * units, layer.Inputs);
            // Gemm's bias is optional: a layer declared without one (Bias = false) exports none.
            x = layer.Bias is { } bias
                ? g.Op("Gemm", [x, w, g.Parameter(bias, pieces * units)], new Attribute("transB", 1L))
                : g.Op("Gemm", [x, w], new Attribute("transB", 1L));
            if (layer.IsMaxout)
            {
                x = g.Op("Reshape", [x, g.Int64s($"layers.{layer.Index}.maxout.shape", [-1, pieces, units])]);
                x = g.Op("ReduceMax", [x], new Attribute("axes", Ints: [1]), new Attribute("keepdims", 0L));
            }
            if (layer.BatchNorm is { } bn)
            {
                x = g.Op("BatchNormalization",
                    [x, g.Parameter(bn.Weight, units), g.Parameter(bn.Bias, units), g.Statistic(bn.RunningMean, units), g.Statistic(bn.RunningVariance, units)],
                    new Attribute("epsilon", F: bn.Epsilon));
            }
            bool last = layer.Index == d.Layers.Count - 1;
            bool fused = last && ((layer.Activation == Activation.Softmax && d.Loss == Loss.SoftmaxCrossEntropy) ||
                                  (layer.Activation == Activation.Sigmoid && d.Loss == Loss.BinaryCrossEntropy));
            if (!fused) x = ActivationGraph(g, layer, x);
            if (layer.Dropout > 0f && notes) x = g.Op("Mul", [x, g.Scalar(1f - layer.Dropout)]);
        }

        x = d.Loss switch
        {
            Loss.SoftmaxCrossEntropy => g.Op("Softmax", [x], new Attribute("axis", -1L)),
            Loss.BinaryCrossEntropy => g.Op("Sigmoid", [x]),
            _ => x,
        };
        g.Op("Identity", [x], output: OutputName);

        var model = new ProtobufWriter();
        model.Int64(1, IrVersion);                                             // ModelProto.ir_version
        model.String(2, "StaticNet");                                          // producer_name
        model.String(3, typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0"); // producer_version
        model.Message(7, graph => g.Write(graph, d));                          // graph
        model.Message(8, opset => { opset.String(1, ""); opset.Int64(2, Opset); }); // opset_import (ai.onnx)
        model.Message(14, p => { p.String(1, ModelFile.TypeKey); p.String(2, d.TypeName); });                       // metadata_props
        model.Message(14, p => { p.String(1, ModelFile.FingerprintKey); p.String(2, ModelFile.Fingerprint(d)); });
        return model;
    }

    private static string ActivationGraph(GraphBuilder g, LayerDescription layer, string z)
    {
        ActivationOptions o = layer.ResolvedActivationOptions;
        int units = layer.Units;
        string P(int k, int rows = 1) => rows == 1
            ? g.Parameter(layer.ActivationParameters[k], units)
            : g.Parameter(layer.ActivationParameters[k], rows, units);
        string C(float value) => g.Scalar(value);
        string Op(string op, params string[] inputs) => g.Op(op, inputs);
        string Isru(string v) => Op("Div", v, Op("Sqrt", Op("Add", C(1f), Op("Mul", C(o.Alpha), Op("Mul", v, v)))));

        switch (layer.Activation)
        {
            case Activation.Identity: return z;
            case Activation.Sigmoid: return Op("Sigmoid", z);
            case Activation.Tanh: return Op("Tanh", z);
            case Activation.ReLU: return Op("Relu", z);
            case Activation.BinaryStep: return g.Op("Cast", [Op("GreaterOrEqual", z, C(0f))], new Attribute("to", 1L)); // 1 = FLOAT
            case Activation.ArcTan: return Op("Atan", z);
            case Activation.Softsign: return Op("Softsign", z);
            case Activation.ISRU: return Isru(z);
            case Activation.LeakyReLU: return g.Op("LeakyRelu", [z], new Attribute("alpha", F: o.Alpha));
            case Activation.PReLU: return Op("PRelu", z, P(0));
            case Activation.RReLU: return g.Op("LeakyRelu", [z], new Attribute("alpha", F: (float)(((double)o.Lower + o.Upper) / 2.0)));
            case Activation.ELU: return g.Op("Elu", [z], new Attribute("alpha", F: o.Alpha));
            case Activation.SELU: return g.Op("Selu", [z], new Attribute("alpha", F: o.Alpha), new Attribute("gamma", F: o.Lambda));
            case Activation.SReLU:
            {
                // t_l + a_l(z − t_l) for z ≤ t_l; t_r + a_r(z − t_r) for z ≥ t_r; z between (the left piece wins on an overlap).
                string tl = P(0), al = P(1), tr = P(2), ar = P(3);
                string left = Op("Add", tl, Op("Mul", al, Op("Sub", z, tl)));
                string right = Op("Add", tr, Op("Mul", ar, Op("Sub", z, tr)));
                string middle = Op("Where", Op("GreaterOrEqual", z, tr), right, z);
                return Op("Where", Op("LessOrEqual", z, tl), left, middle);
            }
            case Activation.ISRLU: return Op("Where", Op("GreaterOrEqual", z, C(0f)), z, Isru(z));
            case Activation.APL:
            {
                // max(0, z) + Σ_s a_s·max(0, b_s − z): a, b are [S, units]; z is lifted to [batch, 1, units] and the hinges summed over S.
                string a = P(0, o.Hinges), b = P(1, o.Hinges);
                string lifted = Op("Unsqueeze", z, g.Int64s($"layers.{layer.Index}.apl.axes", [1]));
                string hinges = Op("Mul", a, Op("Relu", Op("Sub", b, lifted)));
                string sum = g.Op("ReduceSum", [hinges, g.Int64s($"layers.{layer.Index}.apl.axes", [1])], new Attribute("keepdims", 0L));
                return Op("Add", Op("Relu", z), sum);
            }
            case Activation.SoftPlus: return Op("Softplus", z);
            case Activation.BentIdentity: return Op("Add", Op("Mul", C(0.5f), Op("Sub", Op("Sqrt", Op("Add", Op("Mul", z, z), C(1f))), C(1f))), z);
            case Activation.SiLU: return Op("Mul", z, Op("Sigmoid", z));
            case Activation.SoftExponential:
            {
                // Per unit: (e^{αz} − 1)/α + α for α > 0, −ln(1 − α(z + α))/α for α < 0, z for α = 0. The division uses α with
                // its zeros replaced by 1 (those units take z), so no lane divides by zero.
                ParameterTensor tensor = layer.ActivationParameters[0];
                float[] alpha = g.Values(tensor);
                float[] divisor = alpha.Select(v => v == 0f ? 1f : v).ToArray();
                string a = P(0), safe = g.Constant($"layers.{layer.Index}.softexp.divisor", divisor, units);
                string positive = Op("Add", Op("Div", Op("Sub", Op("Exp", Op("Mul", a, z)), C(1f)), safe), a);
                string negative = Op("Neg", Op("Div", Op("Log", Op("Sub", C(1f), Op("Mul", a, Op("Add", z, a)))), safe));
                return Op("Where", Op("Greater", a, C(0f)), positive, Op("Where", Op("Less", a, C(0f)), negative, z));
            }
            case Activation.Sinusoid: return Op("Sin", z);
            case Activation.Sinc: return Op("Where", Op("Equal", z, C(0f)), C(1f), Op("Div", Op("Sin", z), z));
            case Activation.GELU:
            {
                // z/2·(1 + tanh(√(2/π)(z + 0.044715z³)))
                string cube = Op("Mul", z, Op("Mul", z, z));
                string inner = Op("Mul", C(0.7978845608028654f), Op("Add", z, Op("Mul", C(0.044715f), cube)));
                return Op("Mul", Op("Mul", C(0.5f), z), Op("Add", C(1f), Op("Tanh", inner)));
            }
            case Activation.Softmax: return g.Op("Softmax", [z], new Attribute("axis", -1L));
            default:
                throw new NotSupportedException(
                    $"Layer {layer.Index} of the network has the activation {layer.Activation} ({(int)layer.Activation}), which this version of StaticNet cannot export to ONNX.");
        }
    }

    /// <summary>An ONNX node attribute: an int, a float or a list of ints.</summary>
    private sealed record Attribute(string Name, long? I = null, float? F = null, long[]? Ints = null);

    /// <summary>Collects a graph's nodes and initializers, naming every intermediate value.</summary>
    private sealed class GraphBuilder(Span<float> parameters, Span<float> statistics)
    {
        private const int FloatType = 1, Int64Type = 7; // TensorProto.DataType
        private const int AttributeFloat = 1, AttributeInt = 2, AttributeInts = 7; // AttributeProto.AttributeType

        private readonly float[] _parameters = parameters.ToArray();
        private readonly float[] _statistics = statistics.ToArray();
        private readonly List<Action<ProtobufWriter>> _nodes = [];
        private readonly List<Action<ProtobufWriter>> _initializers = [];
        private readonly HashSet<string> _initializerNames = [];
        private readonly Dictionary<int, string> _scalars = [];
        private int _count;

        public float[] Values(ParameterTensor tensor) => _parameters.AsSpan(tensor.Offset, tensor.Length).ToArray();

        /// <summary>A parameter tensor as an initializer under its StaticNet name, with the given shape.</summary>
        public string Parameter(ParameterTensor tensor, params long[] dims) => Constant(tensor.Name, Values(tensor), dims);

        /// <summary>A running statistic as an initializer under its StaticNet name.</summary>
        public string Statistic(ParameterTensor tensor, params long[] dims) =>
            Constant(tensor.Name, _statistics.AsSpan(tensor.Offset, tensor.Length).ToArray(), dims);

        /// <summary>A float scalar (0-d) initializer, one per distinct value.</summary>
        public string Scalar(float value)
        {
            int bits = BitConverter.SingleToInt32Bits(value);
            if (!_scalars.TryGetValue(bits, out string? name))
            {
                name = Constant($"scalar.{_scalars.Count}", [value]);
                _scalars[bits] = name;
            }
            return name;
        }

        public string Constant(string name, float[] values, params long[] dims)
        {
            if (_initializerNames.Add(name))
            {
                byte[] raw = new byte[values.Length * sizeof(float)];
                if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(raw);
                else for (int k = 0; k < values.Length; k++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * k), values[k]);
                _initializers.Add(t => Tensor(t, name, dims, FloatType, raw));
            }
            return name;
        }

        public string Int64s(string name, long[] values)
        {
            if (_initializerNames.Add(name))
            {
                byte[] raw = new byte[values.Length * sizeof(long)];
                for (int k = 0; k < values.Length; k++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * k), values[k]);
                _initializers.Add(t => Tensor(t, name, [values.Length], Int64Type, raw));
            }
            return name;
        }

        /// <summary>Adds a node and returns the name of its (only) output.</summary>
        public string Op(string opType, string[] inputs, params Attribute[] attributes) => Op(opType, inputs, null, attributes);

        public string Op(string opType, string[] inputs, string? output, params Attribute[] attributes)
        {
            int id = _count++;
            string result = output ?? $"{opType.ToLowerInvariant()}.{id}";
            _nodes.Add(node =>
            {
                foreach (string input in inputs) node.String(1, input);    // NodeProto.input
                node.String(2, result);                                     // output
                node.String(3, $"{opType}_{id}");                           // name
                node.String(4, opType);                                     // op_type
                foreach (Attribute a in attributes)
                {
                    node.Message(5, attribute =>                            // attribute
                    {
                        attribute.String(1, a.Name);                        // AttributeProto.name
                        if (a.F is float f) { attribute.Float(2, f); attribute.Int64(20, AttributeFloat); }
                        else if (a.I is long i) { attribute.Int64(3, i); attribute.Int64(20, AttributeInt); }
                        else { attribute.PackedInt64(8, a.Ints); attribute.Int64(20, AttributeInts); }
                    });
                }
            });
            return result;
        }

        public void Write(ProtobufWriter graph, NetworkDescription d)
        {
            foreach (Action<ProtobufWriter> node in _nodes) graph.Message(1, node);       // GraphProto.node
            graph.String(2, d.TypeName);                                                   // name
            foreach (Action<ProtobufWriter> t in _initializers) graph.Message(5, t);       // initializer
            graph.String(10, ModelFile.Declaration(d));                                    // doc_string
            graph.Message(11, v => Matrix(v, InputName, d.Inputs));                        // input
            graph.Message(12, v => Matrix(v, OutputName, d.Outputs));                      // output
        }

        private static void Tensor(ProtobufWriter tensor, string name, long[] dims, int dataType, byte[] raw)
        {
            if (dims.Length > 0) tensor.PackedInt64(1, dims);                              // TensorProto.dims
            tensor.Int64(2, dataType);                                                     // data_type
            tensor.String(8, name);                                                        // name
            tensor.Bytes(9, raw);                                                          // raw_data (little-endian)
        }

        /// <summary>A ValueInfoProto for float [batch, <paramref name="columns"/>].</summary>
        private static void Matrix(ProtobufWriter valueInfo, string name, long columns)
        {
            valueInfo.String(1, name);
            valueInfo.Message(2, type => type.Message(1, tensor =>                         // TypeProto.tensor_type
            {
                tensor.Int64(1, FloatType);                                                // elem_type
                tensor.Message(2, shape =>                                                 // shape
                {
                    shape.Message(1, dim => dim.String(2, "batch"));                       // dim_param
                    shape.Message(1, dim => dim.Int64(1, columns));                        // dim_value
                });
            }));
        }
    }
}
