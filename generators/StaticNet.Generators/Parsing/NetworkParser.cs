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
            return new ParseResult(diagnostics.Count == 0 ? model : null, diagnostics.ToEquatableArray());
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

        // [Dense(...)] layers, in declaration order.
        var layers = ImmutableArray.CreateBuilder<DenseLayerModel>();
        int width = inputs;
        long parameterCount = 0;
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attribute.AttributeClass?.ToDisplayString() != DenseAttributeName) continue;
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            LocationInfo? location = LocationInfo.From(syntax) ?? classLocation;
            ImmutableArray<TypedConstant> args = attribute.ConstructorArguments;
            if (args.Length < 1 || args[0].Value is not int units) continue; // a compile error the compiler reports already
            int index = layers.Count;
            if (units <= 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerWidth, LocationInfo.From(Argument(syntax, 0, "units")) ?? location, index.ToString(CultureInfo.InvariantCulture), name, units.ToString(CultureInfo.InvariantCulture)));
            }
            var activation = ActivationKind.Identity;
            if (args.Length > 1 && args[1].Value is int a)
            {
                LocationInfo? activationLocation = LocationInfo.From(Argument(syntax, 1, "activation")) ?? location;
                activation = ReadEnum<ActivationKind>(a, "Activation", activationLocation, diagnostics) ?? ActivationKind.Identity;
            }
            bool regularizeWeights = true, regularizeBias = false;
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                if (named.Key == "RegularizeWeights" && named.Value.Value is bool w) regularizeWeights = w;
                if (named.Key == "RegularizeBias" && named.Value.Value is bool b) regularizeBias = b;
            }
            layers.Add(new DenseLayerModel(index, width, units, activation, regularizeWeights, regularizeBias));
            parameterCount += (long)Math.Max(width, 0) * Math.Max(units, 0) + Math.Max(units, 0);
            width = units;
        }

        if (layers.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, networkLocation, name));
        }
        else
        {
            DenseLayerModel output = layers[layers.Count - 1];
            if (loss == LossKind.SoftmaxCrossEntropy && output.Units > 0 && output.Units < 2)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputDoesNotFitLoss, networkLocation, name, output.Units.ToString(CultureInfo.InvariantCulture), "softmax cross-entropy", "at least 2 (one per class)"));
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
        return new NetworkModel(ns, Escape(name), typeName, typeName + ".g.cs", inputs, loss, optimizerModel, layers.ToImmutable().ToEquatableArray());
    }

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
