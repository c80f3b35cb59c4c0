using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StaticNet.Generators.Diagnostics;
using StaticNet.Generators.Model;
using StaticNet.Generators.Parsing;

namespace StaticNet.Generators.Layers.Activations;

/// <summary>A layer's activation, declared on its attribute (<c>[Dense(64, Activation.ELU, Alpha = 0.5f)]</c>).</summary>
internal sealed class ActivationKind : LayerKind
{
    public override Stage? TryCreate(StageModel model, StageContext context) => model is ActivationModel m ? new ActivationStage(m, context) : null;

    /// <summary>The attribute arguments some activation reads.</summary>
    private static readonly HashSet<string> AllArguments = new(ActivationCatalog.All.SelectMany(f => f.Arguments).Select(a => a.Name));

    /// <summary>
    /// The activation <paramref name="kind"/> over <paramref name="units"/> values with its constants: declared (and checked
    /// against the definition's ranges) or the definition's defaults. An argument the activation does not read is SNET0016,
    /// reported as used by <paramref name="user"/> (the activation's name, or <c>maxout</c> for a layer without one).
    /// </summary>
    public static ActivationModel Parse(LayerParser layer, Activation kind, int units, string user)
    {
        ActivationDefinition f = ActivationCatalog.Get(kind);
        var model = new ActivationModel(kind, units, Regularize: layer.Bool("RegularizeActivation", false));
        var reads = new HashSet<string>(f.Arguments.Select(a => a.Name));
        foreach (string name in layer.Attribute.NamedArguments.Select(a => a.Key).Where(a => AllArguments.Contains(a) && !reads.Contains(a)))
        {
            layer.NotUsed(name, user);
        }
        foreach (ActivationArgument argument in f.Arguments)
        {
            // An invalid value is reported and the default kept: the model is not emitted, but is still measured (parameters).
            float value = argument.Default;
            if (argument.IsInteger && layer.Int(argument.Name) is int i)
            {
                if (argument.IsValid(i)) value = i;
                else layer.Invalid(argument.Name, i.ToString(CultureInfo.InvariantCulture), argument.Range);
            }
            else if (!argument.IsInteger && layer.Float(argument.Name) is float declared)
            {
                if (argument.IsValid(declared)) value = declared;
                else layer.Invalid(argument.Name, LayerParser.Shown(declared), argument.Range);
            }
            model = model.With(argument.Name, value);
        }
        if (f.CheckTogether(model) is (string wrong, string range)) layer.Invalid(wrong, LayerParser.Shown(model.Get(wrong)), range);
        if (kind == Activation.Softmax)
        {
            layer.UnlessOutput(() => layer.Report(DiagnosticDescriptors.SoftmaxNotOnOutput, layer.Attribute.ArgumentLocation(1, "activation"), layer.LayerText, layer.Network));
        }
        if (kind == Activation.BinaryStep)
        {
            layer.Report(DiagnosticDescriptors.BinaryStepCannotLearn, layer.Attribute.ArgumentLocation(1, "activation"), layer.LayerText, layer.Network);
        }
        layer.AddParameters(f.Learned(model).Sum(p => (double)p.Rows * units));
        return model;
    }
}
