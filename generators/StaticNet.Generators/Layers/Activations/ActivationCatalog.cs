using System.Linq;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Activations;

/// <summary>Finds the definition of each activation.</summary>
internal static class ActivationCatalog
{
    /// <summary>Every activation's definition.</summary>
    public static System.Collections.Generic.IEnumerable<ActivationDefinition> All
        => ((Activation[])System.Enum.GetValues(typeof(Activation))).Select(Get);

    public static ActivationDefinition Get(Activation kind) => kind switch
    {
        Activation.Identity => Identity.Instance,
        Activation.Sigmoid => Sigmoid.Instance,
        Activation.Tanh => Tanh.Instance,
        Activation.ReLU => ReLU.Instance,
        Activation.BinaryStep => BinaryStep.Instance,
        Activation.ArcTan => ArcTan.Instance,
        Activation.Softsign => Softsign.Instance,
        Activation.ISRU => Isru.Instance,
        Activation.LeakyReLU => LeakyReLU.Instance,
        Activation.PReLU => PReLU.Instance,
        Activation.RReLU => RReLU.Instance,
        Activation.ELU => Elu.Instance,
        Activation.SELU => Selu.Instance,
        Activation.SReLU => SReLU.Instance,
        Activation.ISRLU => Isrlu.Instance,
        Activation.APL => Apl.Instance,
        Activation.SoftPlus => SoftPlus.Instance,
        Activation.BentIdentity => BentIdentity.Instance,
        Activation.SiLU => SiLU.Instance,
        Activation.SoftExponential => SoftExponential.Instance,
        Activation.Sinusoid => Sinusoid.Instance,
        Activation.Sinc => Sinc.Instance,
        Activation.GELU => Gelu.Instance,
        Activation.Softmax => Softmax.Instance,
        _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };
}
