using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Activations;

/// <summary>
/// A layer's activation over <c>Units</c> values per row, its constants resolved (the declared ones, or the defaults of
/// <see cref="ActivationDefinition.Arguments"/>). Learned parameters' initial values are constants here too.
/// </summary>
internal sealed record ActivationModel(
    Activation Kind,
    int Units,
    float Alpha = 0f,
    float Lambda = 1f,
    float Lower = Defaults.RReLULower,
    float Upper = Defaults.RReLUUpper,
    int Hinges = Defaults.AplHinges,
    float LeftThreshold = Defaults.SReLULeftThreshold,
    float LeftSlope = Defaults.SReLULeftSlope,
    float RightThreshold = Defaults.SReLURightThreshold,
    float RightSlope = Defaults.SReLURightSlope,
    bool Regularize = false) : StageModel
{
    public override int Outputs => Units;

    /// <summary>The constant an attribute argument named <paramref name="argument"/> sets.</summary>
    public float Get(string argument) => argument switch
    {
        "Alpha" => Alpha,
        "Lambda" => Lambda,
        "Lower" => Lower,
        "Upper" => Upper,
        "Hinges" => Hinges,
        "LeftThreshold" => LeftThreshold,
        "LeftSlope" => LeftSlope,
        "RightThreshold" => RightThreshold,
        "RightSlope" => RightSlope,
        _ => throw new System.ArgumentOutOfRangeException(nameof(argument), argument, "No activation constant has this name."),
    };

    /// <summary>This model with the constant named <paramref name="argument"/> set to <paramref name="value"/>.</summary>
    public ActivationModel With(string argument, float value) => argument switch
    {
        "Alpha" => this with { Alpha = value },
        "Lambda" => this with { Lambda = value },
        "Lower" => this with { Lower = value },
        "Upper" => this with { Upper = value },
        "Hinges" => this with { Hinges = (int)value },
        "LeftThreshold" => this with { LeftThreshold = value },
        "LeftSlope" => this with { LeftSlope = value },
        "RightThreshold" => this with { RightThreshold = value },
        "RightSlope" => this with { RightSlope = value },
        _ => throw new System.ArgumentOutOfRangeException(nameof(argument), argument, "No activation constant has this name."),
    };
}
