using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Dense;

/// <summary>
/// The affine map of a Dense layer (<c>Pieces</c> = 1) or of a maxout layer: z = x·Wᵀ + b, <c>Units × Pieces</c> outputs
/// from <c>Inputs</c> inputs, W of shape [units, inputs] (PyTorch's <c>nn.Linear</c>) or [pieces, units, inputs], b of
/// shape [units] or [pieces, units] unless the layer has no bias (<c>Bias = false</c>).
/// </summary>
internal sealed record DenseModel(int Inputs, int Units, int Pieces, Initializer Initializer, bool RegularizeWeights, bool RegularizeBias, bool Bias = true) : StageModel
{
    public bool IsMaxout => Pieces > 1;

    /// <summary>The outputs of the affine map: Units × Pieces.</summary>
    public int LinearUnits => Units * Pieces;

    public override int Outputs => LinearUnits;

    public int WeightCount => LinearUnits * Inputs;

    /// <summary>The map's name in kernel comments: <c>Dense 784 → 128</c>, <c>Maxout 20 → 8 × 3 pieces</c>.</summary>
    public string Title => IsMaxout ? $"Maxout {Inputs} → {Units} × {Pieces} pieces" : $"Dense {Inputs} → {Units}";
}
