using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Kernels;

/// <summary>The names of the emitted kernel methods, in one place so callers and kernels agree.</summary>
internal static class KernelNames
{
    public static string Forward(DenseLayerModel l) => $"Layer{l.Index}Forward";
    public static string ForwardPanels(DenseLayerModel l) => $"Layer{l.Index}ForwardPanels";
    public static string FrozenForward(DenseLayerModel l) => $"Layer{l.Index}FrozenForward";
    public static string FrozenTiles(DenseLayerModel l) => $"Layer{l.Index}FrozenTiles";
    public static string FrozenRow(DenseLayerModel l) => $"Layer{l.Index}FrozenRow";
    public static string Activation(DenseLayerModel l) => $"Layer{l.Index}Activation";
    public static string ActivationTraining(DenseLayerModel l) => $"Layer{l.Index}ActivationTraining";
    public static string ActivationBackward(DenseLayerModel l) => $"Layer{l.Index}ActivationBackward";
    public static string WeightGradient(DenseLayerModel l) => $"Layer{l.Index}WeightGradient";
    public static string InputGradient(DenseLayerModel l) => $"Layer{l.Index}InputGradient";
    public static string Maxout(DenseLayerModel l) => $"Layer{l.Index}Maxout";
    public static string MaxoutBackward(DenseLayerModel l) => $"Layer{l.Index}MaxoutBackward";
    public static string BatchNormTraining(DenseLayerModel l) => $"Layer{l.Index}BatchNormTraining";
    public static string BatchNormInference(DenseLayerModel l) => $"Layer{l.Index}BatchNormInference";
    public static string BatchNormBackward(DenseLayerModel l) => $"Layer{l.Index}BatchNormBackward";
    public static string Dropout(DenseLayerModel l) => $"Layer{l.Index}Dropout";
    public static string DropoutInference(DenseLayerModel l) => $"Layer{l.Index}DropoutInference";
    public static string DropoutBackward(DenseLayerModel l) => $"Layer{l.Index}DropoutBackward";
    public const string InputDropout = "InputDropout";
    public const string InputDropoutInference = "InputDropoutInference";

    /// <summary>The attribute every kernel carries, so a short run does not stay in tier 0.</summary>
    public const string HotAttribute = "[MethodImpl(MethodImplOptions.AggressiveOptimization)]";
}
