using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace StaticNet.Peers;

/// <summary>
/// Builds the ONNX model of 784-128-10 (Gemm transB=1 → Relu → Gemm transB=1 → Softmax, opset 13, IR version 7)
/// from a StaticNet network's parameters, writing the protobuf bytes directly. Field numbers are those of
/// onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto,
/// TensorShapeProto, OperatorSetIdProto). The weights are in PyTorch's [out, in] layout, which is what Gemm
/// with transB = 1 expects for B.
/// </summary>
public static class OnnxModel
{
    public const string InputName = "input";
    public const string OutputName = "probabilities";
    public const long IrVersion = 7;
    public const long Opset = 13;

    // onnx.proto enums.
    private const int TensorFloat = 1;   // TensorProto.DataType.FLOAT
    private const int AttributeInt = 2;  // AttributeProto.AttributeType.INT

    /// <summary>The serialized ModelProto of <paramref name="network"/>'s current parameters; the batch dimension is symbolic.</summary>
    public static byte[] Build(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var model = new ProtoWriter();
        model.Int64(1, IrVersion);                                    // ir_version
        model.String(2, "StaticNet.Peers");                           // producer_name
        model.Message(7, graph => Graph(graph, network));             // graph
        model.Message(8, opset => opset.Int64(2, Opset));             // opset_import { version } (domain "" = ai.onnx)
        return model.ToArray();
    }

    private static void Graph(ProtoWriter graph, INetwork network)
    {
        // node = 1
        graph.Message(1, node => Node(node, "Gemm", "gemm0", ["input", "layers.0.weight", "layers.0.bias"], "z0", transB: true));
        graph.Message(1, node => Node(node, "Relu", "relu0", ["z0"], "h0", transB: false));
        graph.Message(1, node => Node(node, "Gemm", "gemm1", ["h0", "layers.1.weight", "layers.1.bias"], "z1", transB: true));
        graph.Message(1, node => Node(node, "Softmax", "softmax", ["z1"], OutputName, transB: false));
        graph.String(2, "PeerMlp");                                   // name
        // initializer = 5
        graph.Message(5, t => Tensor(t, "layers.0.weight", [PeerData.Hidden, PeerData.Inputs], network.Parameter("layers.0.weight")));
        graph.Message(5, t => Tensor(t, "layers.0.bias", [PeerData.Hidden], network.Parameter("layers.0.bias")));
        graph.Message(5, t => Tensor(t, "layers.1.weight", [PeerData.Outputs, PeerData.Hidden], network.Parameter("layers.1.weight")));
        graph.Message(5, t => Tensor(t, "layers.1.bias", [PeerData.Outputs], network.Parameter("layers.1.bias")));
        graph.Message(11, v => FloatMatrix(v, InputName, PeerData.Inputs));   // input
        graph.Message(12, v => FloatMatrix(v, OutputName, PeerData.Outputs)); // output
    }

    private static void Node(ProtoWriter node, string opType, string name, string[] inputs, string output, bool transB)
    {
        foreach (string input in inputs) node.String(1, input);      // input
        node.String(2, output);                                       // output
        node.String(3, name);                                         // name
        node.String(4, opType);                                       // op_type
        if (transB)
        {
            node.Message(5, attribute =>                              // attribute
            {
                attribute.String(1, "transB");                       // name
                attribute.Int64(3, 1);                               // i
                attribute.Int64(20, AttributeInt);                   // type
            });
        }
    }

    private static void Tensor(ProtoWriter tensor, string name, long[] dims, ReadOnlySpan<float> values)
    {
        foreach (long d in dims) tensor.Int64(1, d);                 // dims (unpacked repeated int64 is accepted by every parser)
        tensor.Int64(2, TensorFloat);                                 // data_type
        tensor.String(8, name);                                       // name
        var raw = new byte[values.Length * sizeof(float)];            // raw_data: fixed-width little-endian IEEE 754
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(raw);
        }
        else
        {
            for (int k = 0; k < values.Length; k++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * k), values[k]);
        }
        tensor.Bytes(9, raw);
    }

    /// <summary>A ValueInfoProto for a float tensor of shape [batch, <paramref name="columns"/>].</summary>
    private static void FloatMatrix(ProtoWriter valueInfo, string name, long columns)
    {
        valueInfo.String(1, name);                                    // name
        valueInfo.Message(2, type =>                                  // type: TypeProto
            type.Message(1, tensorType =>                             // tensor_type: TypeProto.Tensor
            {
                tensorType.Int64(1, TensorFloat);                     // elem_type
                tensorType.Message(2, shape =>                        // shape: TensorShapeProto
                {
                    shape.Message(1, dim => dim.String(2, "batch"));  // dim { dim_param }
                    shape.Message(1, dim => dim.Int64(1, columns));   // dim { dim_value }
                });
            }));
    }
}

/// <summary>Just enough of the protobuf wire format: varints (wire type 0) and length-delimited fields (wire type 2).</summary>
public sealed class ProtoWriter
{
    private readonly MemoryStream _stream = new();

    public byte[] ToArray() => _stream.ToArray();

    public void Int64(int field, long value)
    {
        Tag(field, 0);
        Varint((ulong)value);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        _stream.Write(value);
    }

    public void Message(int field, Action<ProtoWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var inner = new ProtoWriter();
        write(inner);
        Bytes(field, inner._stream.GetBuffer().AsSpan(0, (int)inner._stream.Length));
    }

    private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _stream.WriteByte((byte)value);
    }
}
