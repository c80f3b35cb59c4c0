using System.Collections.Immutable;
using System.Globalization;
using StaticNet.Generators.Diagnostics;
using StaticNet.Generators.Layers.Activations;
using StaticNet.Generators.Layers.Dense;
using StaticNet.Generators.Layers.Dropout;
using StaticNet.Generators.Model;
using StaticNet.Generators.Parsing;

namespace StaticNet.Generators.Layers.Maxout;

/// <summary><c>[Maxout(units, pieces)]</c>: an affine map to units × pieces values, the max over the pieces, then dropout as declared.</summary>
internal sealed class MaxoutKind : LayerKind
{
    /// <summary>The most pieces a unit may have: the max is unrolled over the pieces in every kernel path.</summary>
    public const int MaxPieces = 32;

    public override string AttributeName => "StaticNet.MaxoutAttribute";

    public override Stage? TryCreate(StageModel model, StageContext context) => model is MaxoutModel m ? new MaxoutStage(m, context) : null;

    public override LayerModel? Parse(LayerParser layer)
    {
        if (layer.Attribute.Int(0) is not int units || layer.Attribute.Int(1) is not int pieces) return null; // the compiler reports it
        DenseKind.CheckUnits(layer, units);
        if (pieces < 2 || pieces > MaxPieces)
        {
            layer.Report(DiagnosticDescriptors.InvalidMaxoutPieces, layer.Attribute.ArgumentLocation(1, "pieces"), layer.LayerText, layer.Network, pieces.ToString(CultureInfo.InvariantCulture));
            pieces = 2;
        }
        Initializer initializer = layer.Enum("Initializer", Initializer.Default);
        if (initializer == Initializer.Default) initializer = Initializer.HeUniform;

        var stages = ImmutableArray.CreateBuilder<StageModel>();
        stages.Add(DenseKind.Affine(layer, units, pieces, initializer));
        stages.Add(new MaxoutModel(units, pieces));
        stages.Add(ActivationKind.Parse(layer, Activation.Identity, units, "maxout"));
        if (DropoutKind.Parse(layer, units) is DropoutModel dropout) stages.Add(dropout);
        return new LayerModel(layer.Index, layer.Inputs, stages.ToImmutable().ToEquatableArray());
    }
}
