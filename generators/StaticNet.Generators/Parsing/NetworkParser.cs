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
using StaticNet.Generators.Emit;
using StaticNet.Generators.Layers;
using StaticNet.Generators.Layers.Dropout;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Parsing;

/// <summary>
/// Stage 1 of the pipeline: the only code that reads symbols and syntax. It turns one [Network] class into a
/// <see cref="NetworkModel"/> of plain values, or diagnostics: the class itself (<see cref="ParseType"/>), the
/// <c>[Network]</c> arguments (<see cref="ParseNetwork"/>), each layer attribute through its <see cref="LayerKind"/>
/// (<see cref="ParseLayers"/>), then the checks across layers (<see cref="CheckNetwork"/>).
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "StaticNet.NetworkAttribute";

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var symbol = (INamedTypeSymbol)context.TargetSymbol;

        // A class still being typed has no name yet: the compiler already reports it.
        if (syntax.Identifier.IsMissing || symbol.Name.Length == 0) return Nothing;

        // [Network] on several partial declarations of one class (the compiler reports the
        // duplicate attribute): generate once, from the declaration carrying the first one.
        if (!CarriesFirstNetworkAttribute(syntax, symbol, cancellationToken)) return Nothing;

        var diagnostics = new List<DiagnosticInfo>();
        TypeModel? type = null;
        try
        {
            type = ParseType(syntax, symbol, diagnostics, out bool canEmit);
            var network = new AttributeReader(context.Attributes[0], LocationInfo.From(syntax.Identifier), cancellationToken);
            NetworkSettings settings = ParseNetwork(network, symbol.Name, diagnostics);
            (ImmutableArray<LayerModel> layers, long parameters) = ParseLayers(symbol, syntax, settings, diagnostics, cancellationToken);
            CheckNetwork(network, settings, layers, parameters, symbol.Name, diagnostics);
            if (HasBindingErrors(symbol))
            {
                // An attribute argument does not bind (a typo, a wrong type): the compiler reports it, and what the generator
                // would say of the rest (an activation read as the identity, a layer missing) would only mislead. The class
                // gets its public surface, so that its uses do not add errors of their own.
                return new ParseResult(null, canEmit ? type : null, EquatableArray<DiagnosticInfo>.Empty);
            }

            bool errors = diagnostics.Any(d => d.IsError);
            NetworkModel? model = errors ? null : new NetworkModel(type, settings.Inputs, settings.Loss, settings.Optimizer, settings.InputStages, layers.ToEquatableArray())
            {
                DropoutForm = settings.DropoutForm,
            };
            return new ParseResult(model, errors && canEmit ? type : null, diagnostics.ToEquatableArray());
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            // The generator never throws: an unexpected failure becomes a diagnostic.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(syntax.Identifier), symbol.Name, e.GetType().Name + ": " + e.Message));
            return new ParseResult(null, type, diagnostics.ToEquatableArray());
        }
    }

    private static readonly ParseResult Nothing = new(null, null, EquatableArray<DiagnosticInfo>.Empty);

    private static bool CarriesFirstNetworkAttribute(TypeDeclarationSyntax syntax, INamedTypeSymbol symbol, CancellationToken cancellationToken)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != NetworkAttributeName) continue;
            SyntaxNode? node = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
            return node is null || node.FirstAncestorOrSelf<TypeDeclarationSyntax>() == syntax;
        }
        return true;
    }

    /// <summary>True when one of the class's StaticNet attributes has an argument the compiler could not bind.</summary>
    private static bool HasBindingErrors(INamedTypeSymbol symbol)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.ContainingNamespace?.ToDisplayString() == "StaticNet"
            && (a.AttributeConstructor is null || a.ConstructorArguments.Any(c => c.Kind == TypedConstantKind.Error) || a.NamedArguments.Any(n => n.Value.Kind == TypedConstantKind.Error)));

    /// <summary>The name as C# source must spell it: <c>@event</c> for a keyword.</summary>
    private static string Escape(string identifier)
        => SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;

    // ---------------------------------------------------------------------------------------------------------------
    // The class.
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// The class's names and the checks on its shape. <paramref name="canEmit"/> says whether a shell of its public surface
    /// can be generated when the declaration has errors (it must be a partial class the generator can add members to).
    /// </summary>
    private static TypeModel ParseType(TypeDeclarationSyntax syntax, INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics, out bool canEmit)
    {
        string name = symbol.Name;
        LocationInfo? location = LocationInfo.From(syntax.Identifier);
        bool partial = syntax.Modifiers.Any(SyntaxKind.PartialKeyword);
        if (!partial) diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, location, name));

        var containing = new List<string>();
        string? problem = null;
        for (INamedTypeSymbol? outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            var declaration = outer.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().FirstOrDefault();
            if (outer.IsGenericType) problem ??= $"nested in the generic type '{outer.Name}'";
            else if (declaration is null || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)) problem ??= $"nested in '{outer.Name}', which is not partial (the generated code must add the class to it)";
            else if (declaration is not ClassDeclarationSyntax and not StructDeclarationSyntax and not RecordDeclarationSyntax) problem ??= $"nested in the interface '{outer.Name}'";
            else containing.Insert(0, ContainingDeclaration(declaration, outer));
        }
        problem ??=
            syntax is RecordDeclarationSyntax ? "a record (the generator adds constructors and a nested class, which a record's own members can contradict)" :
            syntax is not ClassDeclarationSyntax ? "a " + syntax.Keyword.ValueText :
            symbol.IsGenericType ? "generic" :
            symbol.IsStatic ? "static" :
            symbol.IsAbstract ? "abstract" :
            symbol.IsFileLocal ? "file-local" :
            syntax.ParameterList is not null || symbol.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().Any(d => d.ParameterList is not null)
                ? "declared with a primary constructor (the generated constructors could not call it)" :
            null;
        if (problem is not null) diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClass, location, name, problem));

        if (NetworkEmitter.MemberNames.Contains(name))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameOfGeneratedMember, location, name));
        }
        canEmit = partial && problem is null && !NetworkEmitter.MemberNames.Contains(name);

        string? ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        string plain = (ns is null ? "" : ns.Replace("@", "") + ".") + string.Concat(Enumerable.Reverse(Containing(symbol)).Select(t => t.Name + ".")) + name;
        var hidden = new SortedSet<string>(StringComparer.Ordinal);
        for (INamedTypeSymbol? b = symbol.BaseType; b is not null && b.SpecialType != SpecialType.System_Object; b = b.BaseType)
        {
            foreach (ISymbol member in b.GetMembers())
            {
                if (member.DeclaredAccessibility != Accessibility.Private && NetworkEmitter.MemberNames.Contains(member.Name)) hidden.Add(member.Name);
            }
        }
        return new TypeModel(ns, containing.ToEquatableArray(), Escape(name), plain, HintName(plain)) { Hidden = hidden.ToEquatableArray() };
    }

    private static IEnumerable<INamedTypeSymbol> Containing(INamedTypeSymbol symbol)
    {
        for (INamedTypeSymbol? outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType) yield return outer;
    }

    /// <summary>A containing type's declaration as the generated file reopens it: <c>partial class Outer</c>, <c>partial record struct Point</c>.</summary>
    private static string ContainingDeclaration(TypeDeclarationSyntax declaration, INamedTypeSymbol symbol)
    {
        string keyword = declaration switch
        {
            RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
            StructDeclarationSyntax => "struct",
            _ => "class",
        };
        return $"partial {keyword} {Escape(symbol.Name)}";
    }

    /// <summary>
    /// The generated file's name: the class's full name and a hash of it, since hint names are compared without case and
    /// two networks may be named <c>Net</c> and <c>NET</c>.
    /// </summary>
    private static string HintName(string fullName)
    {
        uint hash = 2166136261;
        foreach (char c in fullName) hash = (hash ^ c) * 16777619;
        return $"{fullName}.{hash:x8}.g.cs";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // [Network(...)].
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>The network-wide declaration: input width, loss, optimizer and its hyperparameters, input dropout.</summary>
    private sealed record NetworkSettings(int Inputs, Loss Loss, OptimizerModel Optimizer, DropoutForm DropoutForm, EquatableArray<StageModel> InputStages, LocationInfo? Location);

    private static NetworkSettings ParseNetwork(AttributeReader network, string name, List<DiagnosticInfo> diagnostics)
    {
        int inputs = network.TryGet("Inputs", out int i) ? i : 0;
        if (inputs <= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputWidth, network.LocationOf("Inputs"), name, inputs.ToString(CultureInfo.InvariantCulture)));
        }
        Loss loss = ReadEnum(network, "Loss", Loss.SoftmaxCrossEntropy, diagnostics);
        Optimizer optimizer = ReadEnum(network, "Optimizer", Optimizer.Sgd, diagnostics);
        DropoutForm form = ReadEnum(network, "DropoutForm", DropoutForm.Inverted, diagnostics);
        OptimizerModel optimizerModel = ParseOptimizer(network, name, optimizer, diagnostics);

        var inputStages = new List<StageModel>();
        if (network.TryGet("InputDropout", out float rate))
        {
            if (!Ranges.IsFraction(rate))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDropoutRate, network.LocationOf("InputDropout"), "The input layer", name, "InputDropout", LayerParser.Shown(rate)));
            }
            if (DropoutKind.Create(rate, Math.Max(inputs, 1), form) is StageModel dropout) inputStages.Add(dropout);
        }
        return new NetworkSettings(inputs, loss, optimizerModel, form, inputStages.ToEquatableArray(), network.Location);
    }

    /// <summary>The optimizer's hyperparameters: declared (and checked with the runtime's rules, <see cref="Ranges"/>) or its defaults.</summary>
    private static OptimizerModel ParseOptimizer(AttributeReader network, string name, Optimizer optimizer, List<DiagnosticInfo> diagnostics)
    {
        float Read(string key, float fallback, Func<float, bool> valid, string range)
        {
            if (!network.TryGet(key, out float value)) return fallback;
            if (!valid(value))
            {
                string shown = LayerParser.Shown(value);
                diagnostics.Add(key == "LearningRate"
                    ? DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLearningRate, network.LocationOf(key), name, shown)
                    : DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameter, network.LocationOf(key), name, key, shown, range));
            }
            return value;
        }
        return new OptimizerModel(
            optimizer,
            LearningRate: Read("LearningRate", Defaults.LearningRate(optimizer), Ranges.IsPositive, Ranges.Positive),
            Momentum: Read("Momentum", Defaults.Momentum, Ranges.IsFraction, Ranges.Fraction),
            Beta1: Read("Beta1", Defaults.Beta1, Ranges.IsFraction, Ranges.Fraction),
            Beta2: Read("Beta2", Defaults.Beta2, Ranges.IsFraction, Ranges.Fraction),
            Alpha: Read("Alpha", Defaults.Alpha, Ranges.IsFraction, Ranges.Fraction),
            Epsilon: Read("Epsilon", Defaults.Epsilon(optimizer), Ranges.IsPositive, Ranges.Positive),
            NotesForm: network.TryGet("NotesForm", out bool notes) && notes,
            L1: Read("L1", 0f, Ranges.IsNonNegative, Ranges.NonNegative),
            L2: Read("L2", Defaults.L2(optimizer), Ranges.IsNonNegative, Ranges.NonNegative),
            ClipNorm: Read("ClipNorm", 0f, Ranges.IsNonNegative, "zero (off) or positive"),
            PenaltyInLoss: network.TryGet("PenaltyInLoss", out bool penalty) && penalty);
    }

    private static T ReadEnum<T>(AttributeReader attribute, string key, T fallback, List<DiagnosticInfo> diagnostics) where T : struct, Enum
        => attribute.TryGet(key, out int value) ? ReadEnum<T>(value, key, attribute.LocationOf(key), diagnostics) ?? fallback : fallback;

    /// <summary>The enum member <paramref name="value"/> names, or null after SNET0006 when it names none.</summary>
    public static T? ReadEnum<T>(int value, string enumName, LocationInfo? location, List<DiagnosticInfo> diagnostics)
        where T : struct, Enum
    {
        if (Enum.IsDefined(typeof(T), value)) return (T)(object)value;
        string known = string.Join(", ", Enum.GetNames(typeof(T)));
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnumValue, location, enumName, value.ToString(CultureInfo.InvariantCulture), known));
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The layers.
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Each layer attribute in declaration order, parsed by its kind; the parameter count so far. Layer attributes spread over
    /// several partial declarations would take the order of the compiler's files, which the project does not fix: SNET0019.
    /// </summary>
    private static (ImmutableArray<LayerModel> Layers, long Parameters) ParseLayers(
        INamedTypeSymbol symbol, TypeDeclarationSyntax declaration, NetworkSettings settings, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var layers = ImmutableArray.CreateBuilder<LayerModel>();
        var parsers = new List<LayerParser>();
        int width = settings.Inputs;
        long parameters = 0;
        TypeDeclarationSyntax? layerDeclaration = null;
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            LayerKind? kind = LayerKinds.ForAttribute(attribute.AttributeClass?.ToDisplayString());
            if (kind is null) continue;
            var reader = new AttributeReader(attribute, settings.Location, cancellationToken);
            TypeDeclarationSyntax? owner = reader.Syntax?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (layerDeclaration is null) layerDeclaration = owner;
            else if (owner is not null && owner != layerDeclaration)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersInSeveralDeclarations, reader.Location, symbol.Name));
                continue;
            }
            var layer = new LayerParser(reader, layers.Count, width, symbol.Name, settings.DropoutForm, diagnostics);
            if (kind.Parse(layer) is not LayerModel model) continue;
            parameters = Math.Min(parameters + layer.Parameters, 1L << 60);
            layers.Add(model);
            parsers.Add(layer);
            width = Math.Max(model.Outputs, 1);
        }
        for (int k = 0; k < parsers.Count; k++) parsers[k].CheckPlacement(isOutput: k == parsers.Count - 1);
        return (layers.ToImmutable(), parameters);
    }

    /// <summary>The checks that need the whole network: at least one layer, the output layer against the loss, size.</summary>
    private static void CheckNetwork(AttributeReader network, NetworkSettings settings, ImmutableArray<LayerModel> layers, long parameters, string name, List<DiagnosticInfo> diagnostics)
    {
        if (layers.Length == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, network.Location, name));
        }
        else
        {
            LayerModel output = layers[layers.Length - 1];
            if (settings.Loss is Loss.SoftmaxCrossEntropy or Loss.MulticlassHinge && output.Outputs > 0 && output.Outputs < 2)
            {
                string lossName = settings.Loss == Loss.SoftmaxCrossEntropy ? "softmax cross-entropy" : "multiclass hinge";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputDoesNotFitLoss, network.Location, name, output.Outputs.ToString(CultureInfo.InvariantCulture), lossName, "at least 2 (one per class)"));
            }
        }
        if (parameters > int.MaxValue / 2)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooLarge, network.Location, name, parameters.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
