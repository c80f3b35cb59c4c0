using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Maxout;

/// <summary>Maxout's max: y[r, j] = max_k z[r, k·Units + j] over the <c>Pieces</c> outputs of the affine map before it.</summary>
internal sealed record MaxoutModel(int Units, int Pieces) : StageModel
{
    public override int Outputs => Units;
}
