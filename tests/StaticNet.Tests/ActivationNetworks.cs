namespace StaticNet.Tests;

// One network per activation of the table (and variants with declared parameters): 5 inputs →
// 19 units with the activation → 3 outputs, mean squared error. 19 leaves a vector tail on every
// path (16 + 3, 8 + 8 + 3, 4·4 + 3), so each activation's vector loop and its scalar tail both run.
// ActivationNetworks.All lists them for the theories.

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.Identity)]
[Dense(3)]
public partial class IdentityNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.Sigmoid)]
[Dense(3)]
public partial class SigmoidNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.Tanh)]
[Dense(3)]
public partial class TanhNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.ReLU)]
[Dense(3)]
public partial class ReLUNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.BinaryStep)]
[Dense(3)]
public partial class BinaryStepNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.ArcTan)]
[Dense(3)]
public partial class ArcTanNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.Softsign)]
[Dense(3)]
public partial class SoftsignNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.ISRU)]
[Dense(3)]
public partial class ISRUNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.LeakyReLU)]
[Dense(3)]
public partial class LeakyReLUNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.PReLU)]
[Dense(3)]
public partial class PReLUNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.RReLU)]
[Dense(3)]
public partial class RReLUNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.ELU)]
[Dense(3)]
public partial class ELUNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.SELU)]
[Dense(3)]
public partial class SELUNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.SReLU)]
[Dense(3)]
public partial class SReLUNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.ISRLU)]
[Dense(3)]
public partial class ISRLUNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.APL)]
[Dense(3)]
public partial class APLNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.SoftPlus)]
[Dense(3)]
public partial class SoftPlusNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.BentIdentity)]
[Dense(3)]
public partial class BentIdentityNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.SiLU)]
[Dense(3)]
public partial class SiLUNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.SoftExponential)]
[Dense(3)]
public partial class SoftExponentialNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.Sinusoid)]
[Dense(3)]
public partial class SinusoidNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.Sinc)]
[Dense(3)]
public partial class SincNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.GELU)]
[Dense(3)]
public partial class GELUNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.LeakyReLU, Alpha = 0.2f)]
[Dense(3)]
public partial class LeakyReLU02Net;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.ELU, Alpha = 0.5f)]
[Dense(3)]
public partial class Elu05Net;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.ISRU, Alpha = 3f)]
[Dense(3)]
public partial class Isru3Net;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.ISRLU, Alpha = 0.2f)]
[Dense(3)]
public partial class Isrlu02Net;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.RReLU, Lower = 0.05f, Upper = 0.6f)]
[Dense(3)]
public partial class RReLUWideNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.PReLU, Alpha = 0.1f)]
[Dense(3)]
public partial class PReLU01Net;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.SReLU, LeftThreshold = -0.5f, LeftSlope = 0.2f, RightThreshold = 0.5f, RightSlope = 1.5f)]
[Dense(3)]
public partial class SReLUShiftedNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.APL, Hinges = 3)]
[Dense(3)]
public partial class Apl3Net;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.SoftExponential, Alpha = 0.3f)]
[Dense(3)]
public partial class SoftExpPositiveNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.SoftExponential, Alpha = -0.3f)]
[Dense(3)]
public partial class SoftExpNegativeNet;

[Network(Inputs = 5, Loss = Loss.MeanSquaredError)]
[Dense(19, Activation.SELU, Alpha = 1.5f, Lambda = 1.1f)]
[Dense(3)]
public partial class SeluCustomNet;

/// <summary>The activation networks by name, for theories.</summary>
internal static class ActivationNetworks
{
    public static readonly IReadOnlyDictionary<string, Func<int, INetwork>> All = new Dictionary<string, Func<int, INetwork>>
    {
        ["IdentityNet"] = seed => new IdentityNet(seed),
        ["SigmoidNet"] = seed => new SigmoidNet(seed),
        ["TanhNet"] = seed => new TanhNet(seed),
        ["ReLUNet"] = seed => new ReLUNet(seed),
        ["BinaryStepNet"] = seed => new BinaryStepNet(seed),
        ["ArcTanNet"] = seed => new ArcTanNet(seed),
        ["SoftsignNet"] = seed => new SoftsignNet(seed),
        ["ISRUNet"] = seed => new ISRUNet(seed),
        ["LeakyReLUNet"] = seed => new LeakyReLUNet(seed),
        ["PReLUNet"] = seed => new PReLUNet(seed),
        ["RReLUNet"] = seed => new RReLUNet(seed),
        ["ELUNet"] = seed => new ELUNet(seed),
        ["SELUNet"] = seed => new SELUNet(seed),
        ["SReLUNet"] = seed => new SReLUNet(seed),
        ["ISRLUNet"] = seed => new ISRLUNet(seed),
        ["APLNet"] = seed => new APLNet(seed),
        ["SoftPlusNet"] = seed => new SoftPlusNet(seed),
        ["BentIdentityNet"] = seed => new BentIdentityNet(seed),
        ["SiLUNet"] = seed => new SiLUNet(seed),
        ["SoftExponentialNet"] = seed => new SoftExponentialNet(seed),
        ["SinusoidNet"] = seed => new SinusoidNet(seed),
        ["SincNet"] = seed => new SincNet(seed),
        ["GELUNet"] = seed => new GELUNet(seed),
        ["LeakyReLU02Net"] = seed => new LeakyReLU02Net(seed),
        ["Elu05Net"] = seed => new Elu05Net(seed),
        ["Isru3Net"] = seed => new Isru3Net(seed),
        ["Isrlu02Net"] = seed => new Isrlu02Net(seed),
        ["RReLUWideNet"] = seed => new RReLUWideNet(seed),
        ["PReLU01Net"] = seed => new PReLU01Net(seed),
        ["SReLUShiftedNet"] = seed => new SReLUShiftedNet(seed),
        ["Apl3Net"] = seed => new Apl3Net(seed),
        ["SoftExpPositiveNet"] = seed => new SoftExpPositiveNet(seed),
        ["SoftExpNegativeNet"] = seed => new SoftExpNegativeNet(seed),
        ["SeluCustomNet"] = seed => new SeluCustomNet(seed),
    };

    public static INetwork Create(string name, int seed) => All[name](seed);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string name in All.Keys) data.Add(name);
        return data;
    }
}
