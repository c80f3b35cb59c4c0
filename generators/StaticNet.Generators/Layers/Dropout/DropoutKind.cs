using StaticNet.Generators.Diagnostics;
using StaticNet.Generators.Model;
using StaticNet.Generators.Parsing;

namespace StaticNet.Generators.Layers.Dropout;

/// <summary>Dropout, declared on a layer's attribute (<c>Dropout = p</c>) or on the network's inputs (<c>InputDropout = p</c>).</summary>
internal sealed class DropoutKind : LayerKind
{
    public override Stage? TryCreate(StageModel model, StageContext context) => model is DropoutModel m ? new DropoutStage(m, context) : null;

    /// <summary>Dropout of <paramref name="units"/> values at <paramref name="rate"/>, or null when the rate is 0 or outside [0, 1) (which the caller reports).</summary>
    public static DropoutModel? Create(float rate, int units, DropoutForm form) => rate > 0f && Ranges.IsFraction(rate) ? new DropoutModel(units, rate, form) : null;

    /// <summary>The layer's dropout (<c>Dropout = p</c>) over <paramref name="units"/> outputs, or null; a rate outside [0, 1) is SNET0015.</summary>
    public static DropoutModel? Parse(LayerParser layer, int units)
    {
        if (layer.Float("Dropout") is not float rate) return null;
        if (!Ranges.IsFraction(rate))
        {
            layer.Report(DiagnosticDescriptors.InvalidDropoutRate, layer.Attribute.LocationOf("Dropout"), "Layer " + layer.LayerText, layer.Network, "Dropout", LayerParser.Shown(rate));
        }
        else if (rate > 0f)
        {
            layer.IfOutput(() => layer.Report(DiagnosticDescriptors.DropoutOnOutputLayer, layer.Attribute.LocationOf("Dropout"), layer.Network, LayerParser.Shown(rate)));
        }
        return Create(rate, units, layer.DropoutForm);
    }
}
