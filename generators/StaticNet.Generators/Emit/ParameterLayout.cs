using System.Collections.Generic;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit;

/// <summary>
/// Where each parameter tensor lives in the contiguous parameter buffer: layer by layer,
/// weight then bias, in PyTorch's layout, with no padding between tensors.
/// </summary>
internal static class ParameterLayout
{
    internal sealed record Tensor(string Name, string ConstantName, int Offset, int[] Shape, bool Regularized)
    {
        public int Length => Shape.Length == 1 ? Shape[0] : Shape[0] * Shape[1];

        public string ShapeText => "[" + string.Join(", ", Shape) + "]";
    }

    public static string WeightName(DenseLayerModel l) => $"layers.{l.Index}.weight";

    public static string BiasName(DenseLayerModel l) => $"layers.{l.Index}.bias";

    public static string WeightOffsetConstant(DenseLayerModel l) => $"Layer{l.Index}WeightOffset";

    public static string BiasOffsetConstant(DenseLayerModel l) => $"Layer{l.Index}BiasOffset";

    public static IEnumerable<Tensor> Tensors(NetworkModel model)
    {
        int offset = 0;
        foreach (DenseLayerModel l in model.Layers)
        {
            yield return new Tensor(WeightName(l), WeightOffsetConstant(l), offset, new[] { l.Units, l.Inputs }, l.RegularizeWeights);
            offset += l.WeightCount;
            yield return new Tensor(BiasName(l), BiasOffsetConstant(l), offset, new[] { l.Units }, l.RegularizeBias);
            offset += l.Units;
        }
    }
}
