using System.Collections.Immutable;
using System.Globalization;
using StaticNet.Generators.Diagnostics;
using StaticNet.Generators.Layers.Activations;
using StaticNet.Generators.Layers.BatchNorm;
using StaticNet.Generators.Layers.Dropout;
using StaticNet.Generators.Model;
using StaticNet.Generators.Parsing;

namespace StaticNet.Generators.Layers.Dense;

/// <summary><c>[Dense(units, activation)]</c>: the affine map, then batch normalization, the activation and dropout as declared.</summary>
internal sealed class DenseKind : LayerKind
{
    public override string AttributeName => "StaticNet.DenseAttribute";

    public override Stage? TryCreate(StageModel model, StageContext context) => model is DenseModel m ? new DenseStage(m, context) : null;

    public override LayerModel? Parse(LayerParser layer)
    {
        if (layer.Attribute.Int(0) is not int units) return null; // a compile error the compiler reports already
        CheckUnits(layer, units);
        Activation activation = Activation.Identity;
        if (layer.Attribute.ConstructorArguments.Length > 1 && layer.Attribute.ConstructorArguments[1].Value is int declared)
        {
            activation = NetworkParser.ReadEnum<Activation>(declared, "Activation", layer.Attribute.ArgumentLocation(1, "activation"), layer.Diagnostics) ?? Activation.Identity;
        }
        Initializer initializer = layer.Enum("Initializer", Initializer.Default);
        if (initializer == Initializer.Default) initializer = ActivationCatalog.Get(activation).DefaultInitializer;

        var stages = ImmutableArray.CreateBuilder<StageModel>();
        stages.Add(Affine(layer, units, 1, initializer));
        if (BatchNormKind.Parse(layer, units) is BatchNormModel batchNorm) stages.Add(batchNorm);
        stages.Add(ActivationKind.Parse(layer, activation, units, activation.ToString()));
        if (DropoutKind.Parse(layer, units) is DropoutModel dropout) stages.Add(dropout);
        return new LayerModel(layer.Index, layer.Inputs, stages.ToImmutable().ToEquatableArray());
    }

    /// <summary>SNET0003 when the unit count is not positive.</summary>
    public static void CheckUnits(LayerParser layer, int units)
    {
        if (units <= 0)
        {
            layer.Report(DiagnosticDescriptors.InvalidLayerWidth, layer.Attribute.ArgumentLocation(0, "units"), layer.LayerText, layer.Network, units.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The affine map of a Dense (<paramref name="pieces"/> = 1) or maxout layer, with the regularization switches of its attribute.</summary>
    public static DenseModel Affine(LayerParser layer, int units, int pieces, Initializer initializer)
    {
        long u = System.Math.Max(units, 0), n = System.Math.Max(layer.Inputs, 0);
        bool bias = layer.Bool("Bias", true);
        if (!bias && layer.Attribute.Has("RegularizeBias")) layer.NotUsed("RegularizeBias", "a layer without a bias (Bias = false)");
        layer.AddParameters((double)pieces * u * n + (bias ? (double)pieces * u : 0));
        return new DenseModel(layer.Inputs, units, pieces, initializer, layer.Bool("RegularizeWeights", true), layer.Bool("RegularizeBias", false), bias);
    }
}
