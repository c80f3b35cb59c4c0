using System.Text;

namespace StaticNet.Fuzz.Declarations;

/// <summary>How a declared type is written.</summary>
public enum TypeKind
{
    Class,
    SealedClass,
    AbstractClass,
    StaticClass,
    NotPartialClass,
    GenericClass,
    NestedClass,
    FileLocalClass,
    PrimaryConstructorClass,
    Record,
    RecordStruct,
    Struct,
    Interface,
}

/// <summary>One attribute: <c>[Name(positional..., Key = Value, ...)]</c>, arguments as source text.</summary>
public sealed record AttributeSpec(string Name, IReadOnlyList<string> Positional, IReadOnlyList<KeyValuePair<string, string>> Named)
{
    public string Render()
    {
        var args = Positional.Concat(Named.Select(n => $"{n.Key} = {n.Value}")).ToList();
        return args.Count == 0 && Name == "Network" ? "[Network]" : $"[{Name}({string.Join(", ", args)})]";
    }

    public AttributeSpec WithoutNamed(int i) => this with { Named = Named.Where((_, k) => k != i).ToList() };

    public AttributeSpec WithoutPositional(int i) => this with { Positional = Positional.Where((_, k) => k != i).ToList() };
}

/// <summary>One declared type with its attributes, in a namespace (null: the global namespace) and a file.</summary>
public sealed record TypeSpec(string? Namespace, string Name, TypeKind Kind, IReadOnlyList<AttributeSpec> Attributes, int File = 0, string Modifiers = "public", string? Body = null)
{
    public string Render()
    {
        var text = new StringBuilder();
        foreach (AttributeSpec a in Attributes) text.Append(a.Render()).Append('\n');
        string mods = Modifiers.Length == 0 ? "" : Modifiers + " ";
        string body = Body is null ? ";" : " { " + Body + " }";
        string declaration = Kind switch
        {
            TypeKind.Class => $"{mods}partial class {Name}{body}",
            TypeKind.SealedClass => $"{mods}sealed partial class {Name}{body}",
            TypeKind.AbstractClass => $"{mods}abstract partial class {Name}{body}",
            TypeKind.StaticClass => $"{mods}static partial class {Name}{body}",
            TypeKind.NotPartialClass => $"{mods}class {Name}{body}",
            TypeKind.GenericClass => $"{mods}partial class {Name}<T>{body}",
            TypeKind.FileLocalClass => $"file partial class {Name}{body}",
            TypeKind.PrimaryConstructorClass => $"{mods}partial class {Name}(int size){(Body is null ? " { public int Size => size; }" : body)}",
            TypeKind.Record => $"{mods}partial record {Name}{body}",
            TypeKind.RecordStruct => $"{mods}partial record struct {Name}{body}",
            TypeKind.Struct => $"{mods}partial struct {Name}{body}",
            TypeKind.Interface => $"{mods}partial interface {Name}{body}",
            TypeKind.NestedClass => $"{mods}partial class Outer{Name.TrimStart('@')}\n{{\n    {text.ToString().Replace("\n", "\n    ", StringComparison.Ordinal)}public partial class {Name};\n}}",
            _ => throw new InvalidOperationException(Kind.ToString()),
        };
        return Kind == TypeKind.NestedClass ? declaration : text.Append(declaration).ToString();
    }
}

/// <summary>
/// One input of the declaration fuzzer: source files, from types (which the minimizer can shrink) or raw text (mid-edit
/// cases). <see cref="SimdPath"/> is the <c>StaticNetSimdPath</c> the generator runs with (null: every path).
/// </summary>
public sealed record FuzzCase(int Index, string Category, IReadOnlyList<TypeSpec> Types, IReadOnlyList<string>? RawFiles = null, string? SimdPath = null)
{
    /// <summary>Whether the case declares something outside a namespace of its own (the global namespace, or one not starting with <c>Fuzz</c>): then it is compiled alone, since such names are visible to every other case of a batch.</summary>
    public bool Isolated => RawFiles is not null || Types.Any(t => t.Namespace is null || !t.Namespace.StartsWith("Fuzz", StringComparison.Ordinal));

    /// <summary>Whether a declaration is expected to give either generated code or an SNET diagnostic (well-formed text with [Network] on a type).</summary>
    public bool ExpectsAnAnswer => RawFiles is null && Types.Any(t => t.Attributes.Any(a => a.Name == "Network"));

    /// <summary>The names of the declared types as written (with any @), also read from raw text.</summary>
    public IEnumerable<string> WrittenClassNames => RawFiles is null
        ? Types.Select(t => t.Name)
        : RawFiles.SelectMany(f => TypeName.Matches(f)).Select(m => m.Groups[1].Value);

    /// <summary>The namespaces as written, also read from raw text.</summary>
    public IEnumerable<string> WrittenNamespaces => RawFiles is null
        ? Types.Select(t => t.Namespace ?? "")
        : RawFiles.SelectMany(f => NamespaceName.Matches(f)).Select(m => m.Groups[1].Value);

    public IEnumerable<string> ClassNames => WrittenClassNames.Select(n => n.TrimStart('@'));

    public IEnumerable<string> NamespaceSegments => WrittenNamespaces.SelectMany(n => n.Split('.')).Select(s => s.TrimStart('@')).Where(s => s.Length > 0);

    private static readonly System.Text.RegularExpressions.Regex TypeName = new(@"\b(?:class|record|struct|interface)\s+(@?[\p{L}\p{Mn}\p{Nd}\p{Pc}\p{Cf}_]+)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly System.Text.RegularExpressions.Regex NamespaceName = new(@"\bnamespace\s+([@\p{L}\p{Mn}\p{Nd}\p{Pc}\p{Cf}_.]+)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public IEnumerable<AttributeSpec> Attributes => Types.SelectMany(t => t.Attributes);

    /// <summary>The source files.</summary>
    public IReadOnlyList<string> Files()
    {
        if (RawFiles is not null) return RawFiles;
        var files = new List<string>();
        foreach (IGrouping<int, TypeSpec> file in Types.GroupBy(t => t.File).OrderBy(g => g.Key))
        {
            var text = new StringBuilder("using StaticNet;\n");
            List<IGrouping<string?, TypeSpec>> namespaces = file.GroupBy(t => t.Namespace).ToList();
            bool fileScoped = namespaces.Count == 1 && namespaces[0].Key is not null && (Index % 2 == 0);
            foreach (IGrouping<string?, TypeSpec> ns in namespaces)
            {
                if (ns.Key is null)
                {
                    foreach (TypeSpec t in ns) text.Append('\n').Append(t.Render()).Append('\n');
                }
                else if (fileScoped)
                {
                    text.Append("namespace ").Append(ns.Key).Append(";\n");
                    foreach (TypeSpec t in ns) text.Append('\n').Append(t.Render()).Append('\n');
                }
                else
                {
                    text.Append("namespace ").Append(ns.Key).Append("\n{\n");
                    foreach (TypeSpec t in ns) text.Append(t.Render()).Append('\n');
                    text.Append("}\n");
                }
            }
            files.Add(text.ToString());
        }
        return files;
    }

    /// <summary>The case as one text, files separated by a comment line, for reports.</summary>
    public string Text()
    {
        IReadOnlyList<string> files = Files();
        return files.Count == 1 ? files[0].TrimEnd() : string.Join("\n", files.Select((f, i) => $"// file {i + 1}\n{f.TrimEnd()}"));
    }

    public override string ToString() => $"case {Index} ({Category}{(SimdPath is null ? "" : ", StaticNetSimdPath=" + SimdPath)})";
}
