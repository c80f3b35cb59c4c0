using System.Collections.Generic;
using System.Linq;
using StaticNet.Generators.Emit.Activations;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit;

/// <summary>
/// Where each parameter tensor lives in the contiguous parameter buffer: layer by layer, the
/// weight, the bias, batch normalization's γ and β, then the activation's learned parameters, in
/// PyTorch's layout, with no padding between tensors. Running statistics have their own buffer.
/// </summary>
internal static class ParameterLayout
{
    /// <summary>What a tensor is for, so emitters can find theirs.</summary>
    internal enum Role
    {
        Weight,
        Bias,
        BatchNormWeight,
        BatchNormBias,
        Activation,
        RunningMean,
        RunningVariance,
    }

    internal sealed record Tensor(string Name, string ConstantName, int Offset, int[] Shape, bool Regularized)
    {
        public int Length => Shape.Aggregate(1, (n, d) => n * d);

        public string ShapeText => "[" + string.Join(", ", Shape) + "]";

        public int Layer { get; init; }

        public Role Role { get; init; }

        /// <summary>For <see cref="Role.Activation"/>: the parameter's short name (<c>alpha</c>, <c>t_left</c>, …).</summary>
        public string? Parameter { get; init; }

        /// <summary>For <see cref="Role.Activation"/>: the value every element starts at, per row of the tensor (one row per hinge for APL).</summary>
        public float[]? Initial { get; init; }
    }

    public static string WeightName(DenseLayerModel l) => $"layers.{l.Index}.weight";

    public static string BiasName(DenseLayerModel l) => $"layers.{l.Index}.bias";

    public static string WeightOffsetConstant(DenseLayerModel l) => $"Layer{l.Index}WeightOffset";

    public static string BiasOffsetConstant(DenseLayerModel l) => $"Layer{l.Index}BiasOffset";

    public static int ParameterCount(NetworkModel model) => Tensors(model).Sum(t => t.Length);

    /// <summary>The parameter tensors of <paramref name="model"/>, in buffer order.</summary>
    public static IEnumerable<Tensor> Tensors(NetworkModel model)
    {
        int offset = 0;
        foreach (DenseLayerModel l in model.Layers)
        {
            foreach (Tensor t in LayerTensors(l, offset))
            {
                yield return t;
                offset += t.Length;
            }
        }
    }

    /// <summary>The tensors of layer <paramref name="l"/> (a subset of <see cref="Tensors"/>).</summary>
    public static IEnumerable<Tensor> Tensors(NetworkModel model, DenseLayerModel l) => Tensors(model).Where(t => t.Layer == l.Index);

    /// <summary>The tensor of layer <paramref name="l"/> with <paramref name="role"/> (and activation parameter name).</summary>
    public static Tensor Find(NetworkModel model, DenseLayerModel l, Role role, string? parameter = null)
        => Tensors(model, l).Concat(Statistics(model)).First(t => t.Layer == l.Index && t.Role == role && t.Parameter == parameter);

    private static IEnumerable<Tensor> LayerTensors(DenseLayerModel l, int offset)
    {
        int i = l.Index;
        int[] weightShape = l.IsMaxout ? new[] { l.Pieces, l.Units, l.Inputs } : new[] { l.Units, l.Inputs };
        int[] biasShape = l.IsMaxout ? new[] { l.Pieces, l.Units } : new[] { l.Units };
        var weight = new Tensor(WeightName(l), WeightOffsetConstant(l), offset, weightShape, l.RegularizeWeights) { Layer = i, Role = Role.Weight };
        yield return weight;
        offset += weight.Length;
        var bias = new Tensor(BiasName(l), BiasOffsetConstant(l), offset, biasShape, l.RegularizeBias) { Layer = i, Role = Role.Bias };
        yield return bias;
        offset += bias.Length;
        if (l.BatchNorm is not null)
        {
            yield return new Tensor($"layers.{i}.batchnorm.weight", $"Layer{i}BatchNormWeightOffset", offset, new[] { l.Units }, l.RegularizeBatchNorm) { Layer = i, Role = Role.BatchNormWeight };
            offset += l.Units;
            yield return new Tensor($"layers.{i}.batchnorm.bias", $"Layer{i}BatchNormBiasOffset", offset, new[] { l.Units }, l.RegularizeBatchNorm) { Layer = i, Role = Role.BatchNormBias };
            offset += l.Units;
        }
        ActivationDefinition f = ActivationCatalog.Get(l.Activation.Kind);
        foreach (LearnedParameter p in f.Learned(l.Activation))
        {
            int[] shape = p.Rows == 1 ? new[] { l.Units } : new[] { p.Rows, l.Units };
            var t = new Tensor($"layers.{i}.{f.TensorPrefix}.{p.Name}", $"Layer{i}{f.Kind}{p.ConstantSuffix}Offset", offset, shape, l.RegularizeActivation)
            {
                Layer = i,
                Role = Role.Activation,
                Parameter = p.Name,
                Initial = p.Initial,
            };
            yield return t;
            offset += t.Length;
        }
    }

    /// <summary>The running statistics of the batch-normalized layers, in their own buffer.</summary>
    public static IEnumerable<Tensor> Statistics(NetworkModel model)
    {
        int offset = 0;
        foreach (DenseLayerModel l in model.Layers)
        {
            if (l.BatchNorm is null) continue;
            int i = l.Index;
            yield return new Tensor($"layers.{i}.batchnorm.running_mean", $"Layer{i}RunningMeanOffset", offset, new[] { l.Units }, false) { Layer = i, Role = Role.RunningMean };
            offset += l.Units;
            yield return new Tensor($"layers.{i}.batchnorm.running_var", $"Layer{i}RunningVarianceOffset", offset, new[] { l.Units }, false) { Layer = i, Role = Role.RunningVariance };
            offset += l.Units;
        }
    }

    public static int StatisticCount(NetworkModel model) => Statistics(model).Sum(t => t.Length);
}
