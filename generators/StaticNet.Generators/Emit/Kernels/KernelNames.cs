using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Kernels;

/// <summary>The names of the emitted kernel methods, in one place so callers and kernels agree.</summary>
internal static class KernelNames
{
    public static string Forward(DenseLayerModel l) => $"Layer{l.Index}Forward";
    public static string Activation(DenseLayerModel l) => $"Layer{l.Index}Activation";
    public static string ActivationBackward(DenseLayerModel l) => $"Layer{l.Index}ActivationBackward";
    public static string WeightGradient(DenseLayerModel l) => $"Layer{l.Index}WeightGradient";
    public static string InputGradient(DenseLayerModel l) => $"Layer{l.Index}InputGradient";

    /// <summary>The attribute every kernel carries, so a short run does not stay in tier 0.</summary>
    public const string HotAttribute = "[MethodImpl(MethodImplOptions.AggressiveOptimization)]";
}
