using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticNet.Generators.Diagnostics;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Parsing;

/// <summary>
/// Stage 1 of the pipeline: the only code that reads symbols and syntax. It turns one
/// [Network] class into a <see cref="NetworkModel"/> of plain values, or diagnostics.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "StaticNet.NetworkAttribute";
    public const string DenseAttributeName = "StaticNet.DenseAttribute";
    public const string MaxoutAttributeName = "StaticNet.MaxoutAttribute";

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var classSyntax = (ClassDeclarationSyntax)context.TargetNode;
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        var diagnostics = new List<DiagnosticInfo>();

        // A class still being typed has no name yet: the compiler already reports it.
        if (classSyntax.Identifier.IsMissing) return Nothing;

        // [Network] on several partial declarations of one class (the compiler reports the
        // duplicate attribute): generate once, from the declaration carrying the first one.
        if (!CarriesFirstNetworkAttribute(classSyntax, symbol, cancellationToken)) return Nothing;

        try
        {
            NetworkModel? model = ParseCore(classSyntax, symbol, context.Attributes[0], diagnostics, cancellationToken);
            bool errors = diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
            return new ParseResult(errors ? null : model, diagnostics.ToEquatableArray());
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            // The generator never throws: an unexpected failure becomes a diagnostic.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(classSyntax.Identifier.GetLocation()), symbol.Name, e.GetType().Name + ": " + e.Message));
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }
    }

    private static readonly ParseResult Nothing = new(null, EquatableArray<DiagnosticInfo>.Empty);

    private static bool CarriesFirstNetworkAttribute(ClassDeclarationSyntax classSyntax, INamedTypeSymbol symbol, CancellationToken cancellationToken)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != NetworkAttributeName) continue;
            SyntaxNode? syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
            return syntax is null || syntax.FirstAncestorOrSelf<ClassDeclarationSyntax>() == classSyntax;
        }
        return true;
    }

    /// <summary>The name as C# source must spell it: <c>@event</c> for a keyword.</summary>
    private static string Escape(string identifier)
        => SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;

    private static NetworkModel? ParseCore(
        ClassDeclarationSyntax classSyntax,
        INamedTypeSymbol symbol,
        AttributeData networkAttribute,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        string name = symbol.Name;
        LocationInfo? classLocation = LocationInfo.From(classSyntax.Identifier.GetLocation());
        AttributeSyntax? networkSyntax = networkAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        LocationInfo? networkLocation = LocationInfo.From(networkSyntax) ?? classLocation;

        // The class itself.
        if (!classSyntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, classLocation, name));
        }
        string? shapeProblem =
            symbol.ContainingType is not null ? "nested in '" + symbol.ContainingType.Name + "'" :
            symbol.IsGenericType ? "generic" :
            symbol.IsStatic ? "static" :
            symbol.IsAbstract ? "abstract" :
            symbol.IsFileLocal ? "file-local" :
            null;
        if (shapeProblem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClass, classLocation, name, shapeProblem));
        }

        // [Network(...)] named arguments. Hyperparameters left unset get the optimizer's defaults.
        int inputs = 0;
        var loss = LossKind.SoftmaxCrossEntropy;
        var optimizer = OptimizerKind.Sgd;
        bool notesForm = false, penaltyInLoss = false;
        var dropoutForm = DropoutFormKind.Inverted;
        var floats = new Dictionary<string, (float Value, LocationInfo? Location)>();
        foreach (KeyValuePair<string, TypedConstant> argument in networkAttribute.NamedArguments)
        {
            LocationInfo? location = LocationInfo.From(FindNamedArgument(networkSyntax, argument.Key)) ?? networkLocation;
            switch (argument.Key)
            {
                case "Inputs" when argument.Value.Value is int i:
                    inputs = i;
                    break;
                case "Loss" when argument.Value.Value is int l:
                    if (ReadEnum<LossKind>(l, "Loss", location, diagnostics) is LossKind lossKind) loss = lossKind;
                    break;
                case "Optimizer" when argument.Value.Value is int o:
                    if (ReadEnum<OptimizerKind>(o, "Optimizer", location, diagnostics) is OptimizerKind optimizerKind) optimizer = optimizerKind;
                    break;
                case "NotesForm" when argument.Value.Value is bool b:
                    notesForm = b;
                    break;
                case "PenaltyInLoss" when argument.Value.Value is bool b:
                    penaltyInLoss = b;
                    break;
                case "DropoutForm" when argument.Value.Value is int form:
                    if (ReadEnum<DropoutFormKind>(form, "DropoutForm", location, diagnostics) is DropoutFormKind formKind) dropoutForm = formKind;
                    break;
                case var key when argument.Value.Value is float f:
                    floats[key] = (f, location);
                    break;
            }
        }
        if (inputs <= 0)
        {
            LocationInfo? location = LocationInfo.From(FindNamedArgument(networkSyntax, "Inputs")) ?? networkLocation;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputWidth, location, name, inputs.ToString(CultureInfo.InvariantCulture)));
        }

        bool adaptive = optimizer is OptimizerKind.RMSProp or OptimizerKind.Adam or OptimizerKind.AdamW;
        float Read(string key, float fallback, Func<float, bool> valid, string range)
        {
            if (!floats.TryGetValue(key, out var declared)) return fallback;
            if (!valid(declared.Value))
            {
                string shown = declared.Value.ToString("R", CultureInfo.InvariantCulture);
                diagnostics.Add(key == "LearningRate"
                    ? DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLearningRate, declared.Location, name, shown)
                    : DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameter, declared.Location, name, key, shown, range));
            }
            return declared.Value;
        }
        static bool Positive(float v) => v > 0f && !float.IsInfinity(v);
        static bool NonNegative(float v) => v >= 0f && !float.IsInfinity(v);
        static bool Fraction(float v) => v >= 0f && v < 1f;
        var optimizerModel = new OptimizerModel(
            optimizer,
            LearningRate: Read("LearningRate", adaptive ? 0.001f : 0.01f, Positive, "a positive, finite number"),
            Momentum: Read("Momentum", 0.9f, Fraction, "in [0, 1)"),
            Beta1: Read("Beta1", 0.9f, Fraction, "in [0, 1)"),
            Beta2: Read("Beta2", 0.999f, Fraction, "in [0, 1)"),
            Alpha: Read("Alpha", 0.9f, Fraction, "in [0, 1)"),
            Epsilon: Read("Epsilon", optimizer == OptimizerKind.Adagrad ? 1e-10f : 1e-8f, Positive, "a positive, finite number"),
            NotesForm: notesForm,
            L1: Read("L1", 0f, NonNegative, "zero or positive"),
            L2: Read("L2", optimizer == OptimizerKind.AdamW ? 0.01f : 0f, NonNegative, "zero or positive"),
            ClipNorm: Read("ClipNorm", 0f, NonNegative, "zero (off) or positive"),
            PenaltyInLoss: penaltyInLoss);

        // Input dropout.
        float inputDropout = 0f;
        if (floats.TryGetValue("InputDropout", out var declaredInputDropout))
        {
            inputDropout = declaredInputDropout.Value;
            if (!(inputDropout >= 0f && inputDropout < 1f))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDropoutRate, declaredInputDropout.Location, "The input layer", name, "InputDropout", Shown(inputDropout)));
            }
        }

        // [Dense(...)] and [Maxout(...)] layers, in declaration order.
        var layers = ImmutableArray.CreateBuilder<DenseLayerModel>();
        var layerLocations = new List<(LocationInfo? Dropout, LocationInfo? Activation)>();
        int width = inputs;
        long parameterCount = 0;
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? attributeName = attribute.AttributeClass?.ToDisplayString();
            if (attributeName != DenseAttributeName && attributeName != MaxoutAttributeName) continue;
            bool maxout = attributeName == MaxoutAttributeName;
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            LocationInfo? location = LocationInfo.From(syntax) ?? classLocation;
            ImmutableArray<TypedConstant> args = attribute.ConstructorArguments;
            if (args.Length < 1 || args[0].Value is not int units) continue; // a compile error the compiler reports already
            if (maxout && (args.Length < 2 || args[1].Value is not int)) continue;
            int index = layers.Count;
            string layerText = index.ToString(CultureInfo.InvariantCulture);
            if (units <= 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerWidth, LocationInfo.From(Argument(syntax, 0, "units")) ?? location, layerText, name, units.ToString(CultureInfo.InvariantCulture)));
            }
            int pieces = 1;
            var activationKind = ActivationKind.Identity;
            LocationInfo? activationLocation = location;
            if (maxout)
            {
                pieces = (int)args[1].Value!;
                if (pieces < 2)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidMaxoutPieces, LocationInfo.From(Argument(syntax, 1, "pieces")) ?? location, layerText, name, pieces.ToString(CultureInfo.InvariantCulture)));
                }
            }
            else if (args.Length > 1 && args[1].Value is int a)
            {
                activationLocation = LocationInfo.From(Argument(syntax, 1, "activation")) ?? location;
                activationKind = ReadEnum<ActivationKind>(a, "Activation", activationLocation, diagnostics) ?? ActivationKind.Identity;
            }

            // Named arguments.
            bool regularizeWeights = true, regularizeBias = false, regularizeActivation = false, regularizeBatchNorm = false, batchNorm = false;
            var initializer = InitializerKind.Default;
            var layerFloats = new Dictionary<string, (float Value, LocationInfo? Location)>();
            (int Value, LocationInfo? Location)? hinges = null;
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                LocationInfo? namedLocation = LocationInfo.From(FindNamedArgument(syntax, named.Key)) ?? location;
                switch (named.Key)
                {
                    case "RegularizeWeights" when named.Value.Value is bool b: regularizeWeights = b; break;
                    case "RegularizeBias" when named.Value.Value is bool b: regularizeBias = b; break;
                    case "RegularizeActivation" when named.Value.Value is bool b: regularizeActivation = b; break;
                    case "RegularizeBatchNorm" when named.Value.Value is bool b: regularizeBatchNorm = b; break;
                    case "BatchNorm" when named.Value.Value is bool b: batchNorm = b; break;
                    case "Hinges" when named.Value.Value is int h: hinges = (h, namedLocation); break;
                    case "Initializer" when named.Value.Value is int i:
                        if (ReadEnum<InitializerKind>(i, "Initializer", namedLocation, diagnostics) is InitializerKind kind) initializer = kind;
                        break;
                    case var key when named.Value.Value is float f: layerFloats[key] = (f, namedLocation); break;
                }
            }

            void Invalid(string key, float value, string range)
                => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, layerFloats[key].Location, layerText, name, key, Shown(value), range));

            // The activation's constants: declared, checked, or the activation's defaults.
            var uses = new HashSet<string>(UsedArguments(activationKind));
            foreach (var entry in layerFloats.Where(e => ActivationArguments.Contains(e.Key) && !uses.Contains(e.Key)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ArgumentNotUsed, entry.Value.Location, layerText, name, entry.Key, maxout ? "maxout" : activationKind.ToString()));
            }
            if (hinges is { } declaredHinges && activationKind != ActivationKind.APL)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ArgumentNotUsed, declaredHinges.Location, layerText, name, "Hinges", maxout ? "maxout" : activationKind.ToString()));
            }
            float Constant(string key, float fallback, Func<float, bool> valid, string range)
            {
                if (!uses.Contains(key) || !layerFloats.TryGetValue(key, out var declared)) return fallback;
                if (!valid(declared.Value)) Invalid(key, declared.Value, range);
                return declared.Value;
            }
            static bool Finite(float v) => !float.IsNaN(v) && !float.IsInfinity(v);

            ActivationModel activation = activationKind switch
            {
                ActivationKind.LeakyReLU => new ActivationModel(activationKind, Alpha: Constant("Alpha", 0.01f, Finite, "a finite number")),
                ActivationKind.PReLU => new ActivationModel(activationKind, Alpha: Constant("Alpha", 0.25f, Finite, "a finite number")),
                ActivationKind.SoftExponential => new ActivationModel(activationKind, Alpha: Constant("Alpha", 0f, Finite, "a finite number")),
                ActivationKind.ELU or ActivationKind.ISRU or ActivationKind.ISRLU => new ActivationModel(activationKind, Alpha: Constant("Alpha", 1f, Positive, "positive and finite")),
                ActivationKind.SELU => new ActivationModel(activationKind,
                    Alpha: Constant("Alpha", 1.6732632423543772f, Positive, "positive and finite"),
                    Lambda: Constant("Lambda", 1.0507009873554805f, Positive, "positive and finite")),
                ActivationKind.RReLU => new ActivationModel(activationKind,
                    Lower: Constant("Lower", 0.125f, v => v >= 0f && Finite(v), "zero or positive and finite"),
                    Upper: Constant("Upper", 1f / 3f, Finite, "a finite number")),
                ActivationKind.SReLU => new ActivationModel(activationKind,
                    LeftThreshold: Constant("LeftThreshold", 0f, Finite, "a finite number"),
                    LeftSlope: Constant("LeftSlope", 0f, Finite, "a finite number"),
                    RightThreshold: Constant("RightThreshold", 1f, Finite, "a finite number"),
                    RightSlope: Constant("RightSlope", 1f, Finite, "a finite number")),
                ActivationKind.APL => new ActivationModel(activationKind, Hinges: hinges?.Value ?? 2),
                _ => new ActivationModel(activationKind),
            };
            if (activationKind == ActivationKind.RReLU && layerFloats.ContainsKey("Upper") && activation.Upper < activation.Lower)
            {
                Invalid("Upper", activation.Upper, "at least Lower (" + Shown(activation.Lower) + ")");
            }
            if (activationKind == ActivationKind.APL && hinges is { } h2 && (h2.Value < 1 || h2.Value > 64))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, h2.Location, layerText, name, "Hinges", h2.Value.ToString(CultureInfo.InvariantCulture), "between 1 and 64"));
            }
            if (activationKind == ActivationKind.BinaryStep)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BinaryStepCannotLearn, activationLocation, layerText, name));
            }

            // Batch normalization.
            BatchNormModel? batchNormModel = null;
            foreach (string key in new[] { "BatchNormMomentum", "BatchNormEpsilon" })
            {
                if (!batchNorm && layerFloats.TryGetValue(key, out var unused))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ArgumentNotUsed, unused.Location, layerText, name, key, "a layer without BatchNorm = true"));
                }
            }
            if (batchNorm)
            {
                float momentum = 0.1f, epsilon = 1e-5f;
                if (layerFloats.TryGetValue("BatchNormMomentum", out var m))
                {
                    momentum = m.Value;
                    if (!(momentum > 0f && momentum <= 1f)) Invalid("BatchNormMomentum", momentum, "in (0, 1]");
                }
                if (layerFloats.TryGetValue("BatchNormEpsilon", out var e))
                {
                    epsilon = e.Value;
                    if (!Positive(epsilon)) Invalid("BatchNormEpsilon", epsilon, "positive and finite");
                }
                batchNormModel = new BatchNormModel(momentum, epsilon);
            }

            // Dropout on the outputs.
            float dropout = 0f;
            LocationInfo? dropoutLocation = null;
            if (layerFloats.TryGetValue("Dropout", out var declaredDropout))
            {
                dropout = declaredDropout.Value;
                dropoutLocation = declaredDropout.Location;
                if (!(dropout >= 0f && dropout < 1f))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDropoutRate, dropoutLocation, "Layer " + layerText, name, "Dropout", Shown(dropout)));
                    dropout = 0f;
                }
            }

            if (initializer == InitializerKind.Default)
            {
                initializer = maxout ? InitializerKind.HeUniform : Emit.Activations.ActivationCatalog.Get(activationKind).DefaultInitializer;
            }
            layers.Add(new DenseLayerModel(index, width, units, activation, regularizeWeights, regularizeBias)
            {
                Pieces = Math.Max(pieces, 1),
                Initializer = initializer,
                BatchNorm = batchNormModel,
                Dropout = dropout,
                RegularizeActivation = regularizeActivation,
                RegularizeBatchNorm = regularizeBatchNorm,
            });
            layerLocations.Add((dropoutLocation, activationLocation));
            long u = Math.Max(units, 0), n = Math.Max(width, 0), p = Math.Max(pieces, 1);
            parameterCount += p * u * n + p * u + (batchNorm ? 2 * u : 0) + (activationKind switch
            {
                ActivationKind.PReLU or ActivationKind.SoftExponential => u,
                ActivationKind.SReLU => 4 * u,
                ActivationKind.APL => 2 * u * Math.Max(activation.Hinges, 0),
                _ => 0,
            });
            width = units;
        }

        if (layers.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, networkLocation, name));
        }
        else
        {
            DenseLayerModel output = layers[layers.Count - 1];
            if (loss is LossKind.SoftmaxCrossEntropy or LossKind.MulticlassHinge && output.Units > 0 && output.Units < 2)
            {
                string lossName = loss == LossKind.SoftmaxCrossEntropy ? "softmax cross-entropy" : "multiclass hinge";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputDoesNotFitLoss, networkLocation, name, output.Units.ToString(CultureInfo.InvariantCulture), lossName, "at least 2 (one per class)"));
            }
            for (int i = 0; i < layers.Count - 1; i++)
            {
                if (layers[i].Activation.Kind == ActivationKind.Softmax)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxNotOnOutput, layerLocations[i].Activation, i.ToString(CultureInfo.InvariantCulture), name));
                }
            }
            if (output.Dropout > 0f)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutOnOutputLayer, layerLocations[layers.Count - 1].Dropout, name, Shown(output.Dropout)));
            }
        }
        if (parameterCount > int.MaxValue / 2)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooLarge, networkLocation, name, parameterCount.ToString(CultureInfo.InvariantCulture)));
        }

        // Namespaces and class names as source spells them (@event) and as metadata names them (event).
        string? ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : null;
        string? plainNamespace = ns?.Replace("@", "");
        string typeName = plainNamespace is null ? name : plainNamespace + "." + name;
        return new NetworkModel(ns, Escape(name), typeName, typeName + ".g.cs", inputs, loss, optimizerModel, layers.ToImmutable().ToEquatableArray())
        {
            InputDropout = inputDropout,
            DropoutForm = dropoutForm,
        };
    }

    private static string Shown(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The activation constants a [Dense] may set; each activation uses some of them.</summary>
    private static readonly HashSet<string> ActivationArguments = new() { "Alpha", "Lambda", "Lower", "Upper", "LeftThreshold", "LeftSlope", "RightThreshold", "RightSlope" };

    private static IEnumerable<string> UsedArguments(ActivationKind kind) => kind switch
    {
        ActivationKind.LeakyReLU or ActivationKind.PReLU or ActivationKind.SoftExponential or ActivationKind.ELU or ActivationKind.ISRU or ActivationKind.ISRLU => new[] { "Alpha" },
        ActivationKind.SELU => new[] { "Alpha", "Lambda" },
        ActivationKind.RReLU => new[] { "Lower", "Upper" },
        ActivationKind.SReLU => new[] { "LeftThreshold", "LeftSlope", "RightThreshold", "RightSlope" },
        _ => new string[0],
    };

    private static T? ReadEnum<T>(int value, string enumName, LocationInfo? location, List<DiagnosticInfo> diagnostics)
        where T : struct, Enum
    {
        if (Enum.IsDefined(typeof(T), value)) return (T)(object)value;
        string known = string.Join(", ", Enum.GetNames(typeof(T)));
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnumValue, location, enumName, value.ToString(CultureInfo.InvariantCulture), known));
        return null;
    }

    private static SyntaxNode? FindNamedArgument(AttributeSyntax? attribute, string name)
        => attribute?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    /// <summary>The constructor argument for <paramref name="parameter"/>: named (<c>units: 0</c>) or by position.</summary>
    private static SyntaxNode? Argument(AttributeSyntax? attribute, int position, string parameter)
    {
        if (attribute?.ArgumentList is null) return null;
        var arguments = attribute.ArgumentList.Arguments.Where(a => a.NameEquals is null).ToList();
        AttributeArgumentSyntax? named = arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameter);
        if (named is not null) return named;
        return position < arguments.Count && arguments[position].NameColon is null ? arguments[position] : null;
    }
}
