using Microsoft.CodeAnalysis;

namespace StaticNet.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports. IDs are stable: never reuse one.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "StaticNet";

    /// <summary>SNET0001: the class carrying [Network] is not partial.</summary>
    public static readonly DiagnosticDescriptor NotPartial = new(
        id: "SNET0001",
        title: "A network class must be partial",
        messageFormat: "The network class '{0}' must be declared 'partial' so that the generated forward, backward and optimizer code can be added to it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>SNET0002: Inputs missing or not positive.</summary>
    public static readonly DiagnosticDescriptor InvalidInputWidth = new(
        id: "SNET0002",
        title: "The input width must be positive",
        messageFormat: "The network '{0}' declares Inputs = {1}; set [Network(Inputs = N)] to the width of one input row, a positive number",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>SNET0003: a layer's unit count is not positive.</summary>
    public static readonly DiagnosticDescriptor InvalidLayerWidth = new(
        id: "SNET0003",
        title: "A layer's width must be positive",
        messageFormat: "Layer {0} of '{1}' declares {2} units; a layer needs a positive number of units",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>SNET0004: no layers.</summary>
    public static readonly DiagnosticDescriptor NoLayers = new(
        id: "SNET0004",
        title: "A network needs at least one layer",
        messageFormat: "The network '{0}' declares no layers; add at least one [Dense(units)] attribute",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>SNET0005: the output layer does not fit the loss.</summary>
    public static readonly DiagnosticDescriptor OutputDoesNotFitLoss = new(
        id: "SNET0005",
        title: "The output layer does not fit the loss",
        messageFormat: "The output layer of '{0}' has {1} unit(s), but {2} needs {3}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>SNET0006: an enum argument has a value that is not a defined member.</summary>
    public static readonly DiagnosticDescriptor UnknownEnumValue = new(
        id: "SNET0006",
        title: "Unknown enum value",
        messageFormat: "{0} = {1} is not a known {0}; use one of: {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>SNET0007: the class shape is not supported (nested, generic or static).</summary>
    public static readonly DiagnosticDescriptor UnsupportedClass = new(
        id: "SNET0007",
        title: "Unsupported network class",
        messageFormat: "The network class '{0}' must be a non-generic, non-static class declared directly in a namespace (it is {1})",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>SNET0008: the learning rate is not a positive finite number.</summary>
    public static readonly DiagnosticDescriptor InvalidLearningRate = new(
        id: "SNET0008",
        title: "The learning rate must be positive",
        messageFormat: "The network '{0}' declares LearningRate = {1}; the learning rate must be a positive, finite number",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>SNET0009: the network is too large for 32-bit indexing of its parameter buffer.</summary>
    public static readonly DiagnosticDescriptor TooLarge = new(
        id: "SNET0009",
        title: "The network is too large",
        messageFormat: "The network '{0}' has more parameters than one buffer can index ({1}); make the layers narrower",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>SNET0010: StaticNetSimdPath names no kernel path.</summary>
    public static readonly DiagnosticDescriptor UnknownSimdPath = new(
        id: "SNET0010",
        title: "Unknown StaticNetSimdPath",
        messageFormat: "StaticNetSimdPath = '{0}' names no kernel path; use Vector512, Vector256 or Vector128, or leave it empty for the hardware's path. The hardware ladder is emitted.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    /// <summary>SNET0011: a hyperparameter is outside its range.</summary>
    public static readonly DiagnosticDescriptor InvalidHyperparameter = new(
        id: "SNET0011",
        title: "Hyperparameter out of range",
        messageFormat: "The network '{0}' declares {1} = {2}; {1} must be {3}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>SNET9999: the generator itself failed; reported instead of throwing.</summary>
    public static readonly DiagnosticDescriptor InternalError = new(
        id: "SNET9999",
        title: "StaticNet generator error",
        messageFormat: "The StaticNet generator could not process '{0}': {1}. Please report this.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
