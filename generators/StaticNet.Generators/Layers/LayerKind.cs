using StaticNet.Generators.Model;
using StaticNet.Generators.Parsing;

namespace StaticNet.Generators.Layers;

/// <summary>
/// A kind of stage, registered once in <see cref="LayerKinds"/>: how its attribute is parsed (for the kinds a user declares
/// with an attribute of their own, <c>[Dense]</c>, <c>[Maxout]</c>) and which <see cref="Stage"/> emits its models.
/// </summary>
internal abstract class LayerKind
{
    /// <summary>The full name of the attribute that declares a layer of this kind, or null for a stage inside other layers.</summary>
    public virtual string? AttributeName => null;

    /// <summary>Parses one attribute of <see cref="AttributeName"/> into a layer, or null when it is too broken to model.</summary>
    public virtual LayerModel? Parse(LayerParser layer) => null;

    /// <summary>The stage that emits <paramref name="model"/>, when the model is of this kind.</summary>
    public abstract Stage? TryCreate(StageModel model, StageContext context);
}
