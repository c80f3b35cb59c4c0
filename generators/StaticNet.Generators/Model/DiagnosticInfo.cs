using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace StaticNet.Generators.Model;

/// <summary>
/// A source location: the syntax tree and the span. Reported as a location in that tree (not as an external file), so that
/// <c>#pragma warning disable</c> and <c>.editorconfig</c> severities apply to it. The tree compares by reference: a
/// diagnostic is re-reported when its file changes, which is when its location may have moved anyway. Diagnostics travel
/// on their own output of the pipeline; the model the code is emitted from holds no location.
/// </summary>
internal sealed record LocationInfo(SyntaxTree Tree, TextSpan Span)
{
    public Location ToLocation() => Location.Create(Tree, Span);

    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : new LocationInfo(node.SyntaxTree, node.Span);

    public static LocationInfo? From(SyntaxToken token) => token.SyntaxTree is null ? null : new LocationInfo(token.SyntaxTree, token.Span);
}

/// <summary>A diagnostic to report, as plain values.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
        => new(descriptor, location, arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location?.ToLocation(), Arguments.AsImmutableArray().ToArray());

    public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;
}

/// <summary>
/// What parsing one declaration produced: the model when it is valid; otherwise the shell of the class (its name and public
/// surface, emitted with members that throw, so that the SNET error is the only one the user sees); diagnostics always.
/// </summary>
internal sealed record ParseResult(NetworkModel? Model, TypeModel? Shell, EquatableArray<DiagnosticInfo> Diagnostics);
