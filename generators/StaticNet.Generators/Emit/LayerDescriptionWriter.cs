using System.Collections.Generic;
using System.Globalization;
using StaticNet.Generators.Layers;

namespace StaticNet.Generators.Emit;

/// <summary>
/// One layer's <c>LayerDescription</c> in the generated <c>Descriptor</c>, filled in by its stages: the affine stage gives the
/// widths and the weight and bias, the others add their properties (<c>Activation</c>, <c>BatchNorm</c>, <c>Dropout</c>, …).
/// </summary>
internal sealed class LayerDescriptionWriter(int index)
{
    public int Index { get; } = index;

    public int Inputs { get; set; }

    public int Units { get; set; }

    public string Activation { get; set; } = "Identity";

    public Tensor? Weight { get; set; }

    public Tensor? Bias { get; set; }

    /// <summary>Object-initializer lines, <c>Pieces = 3</c>, each without its comma.</summary>
    public List<string> Properties { get; } = new();

    /// <summary>A tensor as a <c>ParameterTensor</c> expression.</summary>
    public static string Text(Tensor t)
        => $"new ParameterTensor(\"{t.Name}\", {t.ConstantName}, new[] {{ {string.Join(", ", t.Shape)} }}, Regularized: {(t.Regularized ? "true" : "false")})";

    public static string Float(float value) => Simd.Literal(value);

    public void Write(CodeWriter w)
    {
        w.Line($"new({Index}, {Inputs}, {Units}, global::StaticNet.Activation.{Activation},");
        w.Line($"    {(Weight is null ? "null!" : Text(Weight))},");
        w.Line($"    {(Bias is null ? "null" : Text(Bias))})");
        w.Line("{");
        foreach (string property in Properties) w.Line("    " + property.Replace("\n", "\n    ") + ",");
        w.Line("},");
    }
}
