using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.BatchNorm;

/// <summary>Batch normalization of <c>Units</c> values per row: the new batch's weight in the running statistics, ε, and whether L1/L2 apply to γ and β.</summary>
internal sealed record BatchNormModel(int Units, float Momentum, float Epsilon, bool Regularize) : StageModel
{
    public override int Outputs => Units;
}
