using System.Linq;
using StaticNet.Generators.Layers.Activations;
using StaticNet.Generators.Layers.BatchNorm;
using StaticNet.Generators.Layers.Dense;
using StaticNet.Generators.Layers.Dropout;
using StaticNet.Generators.Layers.Maxout;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers;

/// <summary>Every kind of stage the generator knows: a new kind is a folder under <c>Layers/</c> and one line here.</summary>
internal static class LayerKinds
{
    public static readonly LayerKind[] All =
    {
        new DenseKind(),
        new MaxoutKind(),
        new BatchNormKind(),
        new ActivationKind(),
        new DropoutKind(),
    };

    /// <summary>The kind whose attribute is <paramref name="attributeName"/>, or null.</summary>
    public static LayerKind? ForAttribute(string? attributeName) => All.FirstOrDefault(k => k.AttributeName is not null && k.AttributeName == attributeName);

    /// <summary>The stage that emits <paramref name="model"/>.</summary>
    public static Stage Create(StageModel model, StageContext context)
        => All.Select(k => k.TryCreate(model, context)).FirstOrDefault(s => s is not null)
           ?? throw new System.InvalidOperationException("No layer kind emits " + model.GetType().Name + ".");
}
