using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Parsing;

/// <summary>
/// One attribute application: its arguments as values, and where each is written, so that a diagnostic underlines the
/// argument at fault (falling back to the whole attribute, then to the class name).
/// </summary>
internal sealed class AttributeReader
{
    private readonly AttributeData _attribute;
    private readonly AttributeSyntax? _syntax;

    public AttributeReader(AttributeData attribute, LocationInfo? fallback, CancellationToken cancellationToken)
    {
        _attribute = attribute;
        _syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        Location = LocationInfo.From(_syntax) ?? fallback;
    }

    /// <summary>The attribute's full name (<c>StaticNet.DenseAttribute</c>).</summary>
    public string? Name => _attribute.AttributeClass?.ToDisplayString();

    /// <summary>Where the attribute is written.</summary>
    public LocationInfo? Location { get; }

    /// <summary>The syntax tree and position of the application, to order attributes spread over partial declarations.</summary>
    public AttributeSyntax? Syntax => _syntax;

    public ImmutableArray<TypedConstant> ConstructorArguments => _attribute.ConstructorArguments;

    /// <summary>The value of constructor argument <paramref name="position"/> when it is an int (a typo leaves it unbound: null).</summary>
    public int? Int(int position)
        => position < ConstructorArguments.Length && ConstructorArguments[position].Value is int i ? i : null;

    /// <summary>Where constructor argument <paramref name="position"/> (<paramref name="parameter"/> when named) is written.</summary>
    public LocationInfo? ArgumentLocation(int position, string parameter)
    {
        if (_syntax?.ArgumentList is null) return Location;
        var arguments = _syntax.ArgumentList.Arguments.Where(a => a.NameEquals is null).ToList();
        AttributeArgumentSyntax? named = arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameter);
        if (named is not null) return LocationInfo.From(named);
        return position < arguments.Count && arguments[position].NameColon is null ? LocationInfo.From(arguments[position]) : Location;
    }

    /// <summary>The named arguments (<c>Alpha = 0.5f</c>) that bound to a value, in source order.</summary>
    public IEnumerable<KeyValuePair<string, TypedConstant>> NamedArguments => _attribute.NamedArguments;

    /// <summary>Whether named argument <paramref name="name"/> is set.</summary>
    public bool Has(string name) => _attribute.NamedArguments.Any(a => a.Key == name);

    /// <summary>The value of named argument <paramref name="name"/> when it is set and of type <typeparamref name="T"/>.</summary>
    public bool TryGet<T>(string name, out T value)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in _attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Value is T typed)
            {
                value = typed;
                return true;
            }
        }
        value = default!;
        return false;
    }

    /// <summary>Where named argument <paramref name="name"/> is written.</summary>
    public LocationInfo? LocationOf(string name)
        => LocationInfo.From(_syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)) ?? Location;
}
