using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Dropout;

/// <summary>Dropout of <c>Units</c> values per row with probability <c>Rate</c>, compensated in training (inverted) or at inference (the notes' form).</summary>
internal sealed record DropoutModel(int Units, float Rate, DropoutForm Form) : StageModel
{
    public override int Outputs => Units;
}
