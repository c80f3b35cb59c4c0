using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Activations;

/// <summary>Finds the definition of each activation.</summary>
internal static class ActivationCatalog
{
    public static ActivationDefinition Get(ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => Identity.Instance,
        ActivationKind.Sigmoid => Sigmoid.Instance,
        ActivationKind.Tanh => Tanh.Instance,
        ActivationKind.ReLU => ReLU.Instance,
        ActivationKind.BinaryStep => BinaryStep.Instance,
        ActivationKind.ArcTan => ArcTan.Instance,
        ActivationKind.Softsign => Softsign.Instance,
        ActivationKind.ISRU => Isru.Instance,
        ActivationKind.LeakyReLU => LeakyReLU.Instance,
        ActivationKind.PReLU => PReLU.Instance,
        ActivationKind.RReLU => RReLU.Instance,
        ActivationKind.ELU => Elu.Instance,
        ActivationKind.SELU => Selu.Instance,
        ActivationKind.SReLU => SReLU.Instance,
        ActivationKind.ISRLU => Isrlu.Instance,
        ActivationKind.APL => Apl.Instance,
        ActivationKind.SoftPlus => SoftPlus.Instance,
        ActivationKind.BentIdentity => BentIdentity.Instance,
        ActivationKind.SiLU => SiLU.Instance,
        ActivationKind.SoftExponential => SoftExponential.Instance,
        ActivationKind.Sinusoid => Sinusoid.Instance,
        ActivationKind.Sinc => Sinc.Instance,
        ActivationKind.GELU => Gelu.Instance,
        ActivationKind.Softmax => Softmax.Instance,
        _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };
}
