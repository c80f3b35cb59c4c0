using StaticNet.Generators.Model;
using StaticNet.Generators.Parsing;

namespace StaticNet.Generators.Layers.BatchNorm;

/// <summary>Batch normalization, declared on a layer's attribute (<c>BatchNorm = true</c> and its options).</summary>
internal sealed class BatchNormKind : LayerKind
{
    public override Stage? TryCreate(StageModel model, StageContext context) => model is BatchNormModel m ? new BatchNormStage(m, context) : null;

    /// <summary>The layer's batch normalization over <paramref name="units"/> values, or null when it has none.</summary>
    public static BatchNormModel? Parse(LayerParser layer, int units)
    {
        bool declared = layer.Bool("BatchNorm", false);
        if (!declared)
        {
            foreach (string key in new[] { "BatchNormMomentum", "BatchNormEpsilon" })
            {
                if (layer.Attribute.Has(key)) layer.NotUsed(key, "a layer without BatchNorm = true");
            }
            return null;
        }
        float momentum = layer.Float("BatchNormMomentum") ?? Defaults.BatchNormMomentum;
        if (!Ranges.IsMomentum(momentum)) layer.Invalid("BatchNormMomentum", LayerParser.Shown(momentum), Ranges.Momentum);
        float epsilon = layer.Float("BatchNormEpsilon") ?? Defaults.BatchNormEpsilon;
        if (!Ranges.IsPositive(epsilon)) layer.Invalid("BatchNormEpsilon", LayerParser.Shown(epsilon), "positive and finite");
        layer.AddParameters(2.0 * units);
        return new BatchNormModel(units, momentum, epsilon, layer.Bool("RegularizeBatchNorm", false));
    }
}
