using Microsoft.CodeAnalysis;

namespace StaticNet.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports. IDs are stable: never reuse one.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "StaticNet";

    /// <summary>The entry of <paramref name="id"/> in the diagnostics page (docs/diagnostics.md): what it means, an example, the fix.</summary>
    public static string HelpLink(string id) => "https://github.com/staticnet/StaticNet/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant();

    /// <summary>SNET0001: the class carrying [Network] is not partial.</summary>
    public static readonly DiagnosticDescriptor NotPartial = new(
        id: "SNET0001",
        title: "A network class must be partial",
        messageFormat: "The network class '{0}' must be declared 'partial' so that the generated forward, backward and optimizer code can be added to it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0001"));

    /// <summary>SNET0002: Inputs missing or not positive.</summary>
    public static readonly DiagnosticDescriptor InvalidInputWidth = new(
        id: "SNET0002",
        title: "The input width must be positive",
        messageFormat: "The network '{0}' declares Inputs = {1}; set [Network(Inputs = N)] to the width of one input row, a positive number",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0002"));

    /// <summary>SNET0003: a layer's unit count is not positive.</summary>
    public static readonly DiagnosticDescriptor InvalidLayerWidth = new(
        id: "SNET0003",
        title: "A layer's width must be positive",
        messageFormat: "Layer {0} of '{1}' declares {2} units; a layer needs a positive number of units",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0003"));

    /// <summary>SNET0004: no layers.</summary>
    public static readonly DiagnosticDescriptor NoLayers = new(
        id: "SNET0004",
        title: "A network needs at least one layer",
        messageFormat: "The network '{0}' declares no layers; add at least one [Dense(units)] attribute",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0004"));

    /// <summary>SNET0005: the output layer does not fit the loss.</summary>
    public static readonly DiagnosticDescriptor OutputDoesNotFitLoss = new(
        id: "SNET0005",
        title: "The output layer does not fit the loss",
        messageFormat: "The output layer of '{0}' has {1} unit(s), but {2} needs {3}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0005"));

    /// <summary>SNET0006: an enum argument has a value that is not a defined member.</summary>
    public static readonly DiagnosticDescriptor UnknownEnumValue = new(
        id: "SNET0006",
        title: "Unknown enum value",
        messageFormat: "{0} = {1} is not a known {0}; use one of: {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0006"));

    /// <summary>SNET0007: the class shape is not supported (nested, generic or static).</summary>
    public static readonly DiagnosticDescriptor UnsupportedClass = new(
        id: "SNET0007",
        title: "Unsupported network class",
        messageFormat: "The network class '{0}' must be a non-generic, non-static, non-abstract class, declared in a namespace or nested in partial non-generic types (it is {1})",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0007"));

    /// <summary>SNET0008: the learning rate is not a positive finite number.</summary>
    public static readonly DiagnosticDescriptor InvalidLearningRate = new(
        id: "SNET0008",
        title: "The learning rate must be positive",
        messageFormat: "The network '{0}' declares LearningRate = {1}; the learning rate must be a positive, finite number",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0008"));

    /// <summary>SNET0009: the network is too large for 32-bit indexing of its parameter buffer.</summary>
    public static readonly DiagnosticDescriptor TooLarge = new(
        id: "SNET0009",
        title: "The network is too large",
        messageFormat: "The network '{0}' has more parameters than one buffer can index ({1}); make the layers narrower",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0009"));

    /// <summary>SNET0010: StaticNetSimdPath names no kernel path.</summary>
    public static readonly DiagnosticDescriptor UnknownSimdPath = new(
        id: "SNET0010",
        title: "Unknown StaticNetSimdPath",
        messageFormat: "StaticNetSimdPath = '{0}' names no kernel path; use Vector512, Vector256 or Vector128, or leave it empty for the hardware's path. The hardware ladder is emitted.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0010"));

    /// <summary>SNET0011: a hyperparameter is outside its range.</summary>
    public static readonly DiagnosticDescriptor InvalidHyperparameter = new(
        id: "SNET0011",
        title: "Hyperparameter out of range",
        messageFormat: "The network '{0}' declares {1} = {2}; {1} must be {3}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0011"));

    /// <summary>SNET0012: BinaryStep's derivative is 0 everywhere (information, the network still compiles).</summary>
    public static readonly DiagnosticDescriptor BinaryStepCannotLearn = new(
        id: "SNET0012",
        title: "Nothing learns through BinaryStep",
        messageFormat: "Layer {0} of '{1}' uses BinaryStep, whose derivative is 0 everywhere: no gradient passes through it, so its own weights and every layer below it cannot learn",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0012"));

    /// <summary>SNET0013: a layer argument (activation constant, batch normalization setting) is outside its range.</summary>
    public static readonly DiagnosticDescriptor InvalidLayerArgument = new(
        id: "SNET0013",
        title: "Layer argument out of range",
        messageFormat: "Layer {0} of '{1}' declares {2} = {3}; {2} must be {4}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0013"));

    /// <summary>SNET0014: a maxout layer with fewer than 2 pieces.</summary>
    public static readonly DiagnosticDescriptor InvalidMaxoutPieces = new(
        id: "SNET0014",
        title: "Maxout needs at least 2 pieces",
        messageFormat: "Layer {0} of '{1}' declares {2} piece(s); maxout takes the largest of 2 to 32 pieces per unit (with 1 it is a Dense layer; each piece is unrolled in the generated kernels)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0014"));

    /// <summary>SNET0015: a dropout rate outside [0, 1).</summary>
    public static readonly DiagnosticDescriptor InvalidDropoutRate = new(
        id: "SNET0015",
        title: "Dropout rate out of range",
        messageFormat: "{0} of '{1}' declares {2} = {3}; a dropout rate is the probability of dropping a unit, in [0, 1) (0 switches dropout off)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0015"));

    /// <summary>SNET0016: a layer argument the layer's activation does not use.</summary>
    public static readonly DiagnosticDescriptor ArgumentNotUsed = new(
        id: "SNET0016",
        title: "Argument has no effect",
        messageFormat: "Layer {0} of '{1}' sets {2}, which {3} does not use; it has no effect",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0016"));

    /// <summary>SNET0017: softmax on a hidden layer.</summary>
    public static readonly DiagnosticDescriptor SoftmaxNotOnOutput = new(
        id: "SNET0017",
        title: "Softmax only on the output layer",
        messageFormat: "Layer {0} of '{1}' uses Softmax, which normalizes a whole row; it can only be the activation of the output layer",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0017"));

    /// <summary>SNET0018: dropout on the output layer.</summary>
    public static readonly DiagnosticDescriptor DropoutOnOutputLayer = new(
        id: "SNET0018",
        title: "No dropout on the output layer",
        messageFormat: "The output layer of '{0}' declares Dropout = {1}; the loss reads the outputs, so put dropout on a hidden layer or on the inputs (InputDropout)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0018"));

    /// <summary>SNET0019: layer attributes on more than one partial declaration of the class.</summary>
    public static readonly DiagnosticDescriptor LayersInSeveralDeclarations = new(
        id: "SNET0019",
        title: "Layers declared in more than one partial declaration",
        messageFormat: "This layer of '{0}' is declared on another partial declaration of the class than its first layer; the order of layers would then follow the order of the files, so put every layer attribute on one declaration",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0019"));

    /// <summary>SNET0020: the class has the name of a member the generator adds to it.</summary>
    public static readonly DiagnosticDescriptor NameOfGeneratedMember = new(
        id: "SNET0020",
        title: "The network class has the name of a generated member",
        messageFormat: "The network class '{0}' cannot have this name: the generated network has a member '{0}' (see INetwork), and a member cannot have its class's name; rename the class",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET0020"));

    /// <summary>SNET9999: the generator itself failed; reported instead of throwing.</summary>
    public static readonly DiagnosticDescriptor InternalError = new(
        id: "SNET9999",
        title: "StaticNet generator error",
        messageFormat: "The StaticNet generator could not process '{0}': {1}. Please report this.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("SNET9999"));
}
