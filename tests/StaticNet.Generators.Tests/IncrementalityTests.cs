using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// The pipeline caches: edits that cannot change a network leave its tracked steps Cached or
/// Unchanged, a real change is seen as Modified, and no step output holds on to a symbol,
/// syntax node, semantic model or compilation (pattern of NetEscapades.EnumGenerators' TestHelpers).
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] TrackingNames =
    {
        NetworkGenerator.TrackingNames.Parse,
        NetworkGenerator.TrackingNames.Model,
        NetworkGenerator.TrackingNames.Diagnostics,
    };

    private const string NetworkPath = "DigitNet.cs";
    private const string OtherPath = "Other.cs";

    private const string Network = """
        using StaticNet;

        namespace Samples.Mnist;

        // The MNIST network.
        [Network(Inputs = 784, LearningRate = 0.1f)]
        [Dense(128, Activation.ReLU)]
        [Dense(10)]
        public partial class DigitNet;
        """;

    private const string InvalidNetwork = """
        using StaticNet;

        namespace Samples.Broken;

        [Network(Inputs = 4)]
        [Dense(0)]
        public partial class BrokenNet;
        """;

    private const string Other = """
        namespace Samples;

        public static class Helpers
        {
            public static int Twice(int x) => x * 2;
        }
        """;

    private static CSharpCompilation Initial(string network = Network)
        => GeneratorHarness.CreateCompilation(new SourceFile(NetworkPath, network), new SourceFile(OtherPath, Other));

    [Fact]
    public void The_first_run_produces_new_outputs()
    {
        GeneratorRun run = GeneratorHarness.Run(Initial());

        AssertReasons(run, NetworkGenerator.TrackingNames.Parse, IncrementalStepRunReason.New);
        AssertReasons(run, NetworkGenerator.TrackingNames.Model, IncrementalStepRunReason.New);
    }

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_cached()
    {
        CSharpCompilation compilation = Initial();
        GeneratorRun first = GeneratorHarness.Run(compilation);

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Samples; public sealed class Unrelated { }", GeneratorHarness.ParseOptions, "Unrelated.cs")));

        AssertAllCachedOrUnchanged(second);
        Assert.Equal(first.SingleSource, second.SingleSource);
    }

    [Fact]
    public void Editing_an_unrelated_file_leaves_every_step_cached()
    {
        CSharpCompilation compilation = Initial();
        GeneratorRun first = GeneratorHarness.Run(compilation);

        GeneratorRun second = GeneratorHarness.Run(first.Driver, Edit(compilation, OtherPath, "x * 2", "x + x"));

        AssertAllCachedOrUnchanged(second);
    }

    [Fact]
    public void Editing_an_unrelated_file_leaves_diagnostics_cached()
    {
        CSharpCompilation compilation = Initial(InvalidNetwork);
        GeneratorRun first = GeneratorHarness.Run(compilation);
        Assert.Equal("SNET0003", Assert.Single(first.GeneratorDiagnostics).Id);

        GeneratorRun second = GeneratorHarness.Run(first.Driver, Edit(compilation, OtherPath, "x * 2", "x + x"));

        AssertAllCachedOrUnchanged(second);
        Assert.Equal("SNET0003", Assert.Single(second.GeneratorDiagnostics).Id);
        second.AssertShellOnly();
    }

    [Fact]
    public void Editing_a_comment_in_the_network_file_leaves_the_model_unchanged()
    {
        CSharpCompilation compilation = Initial();
        GeneratorRun first = GeneratorHarness.Run(compilation);

        GeneratorRun second = GeneratorHarness.Run(first.Driver, Edit(compilation, NetworkPath, "// The MNIST network.", "// The MNIST network, 28×28 grey pixels in, ten digits out."));

        // The file changed, so the attribute is found and parsed again, but the result is equal.
        AssertReasons(second, NetworkGenerator.TrackingNames.Parse, IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
        AssertReasons(second, NetworkGenerator.TrackingNames.Model, IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
        AssertAllCachedOrUnchanged(second);
        Assert.Equal(first.SingleSource, second.SingleSource);
    }

    [Fact]
    public void Changing_a_layer_width_modifies_the_model()
    {
        CSharpCompilation compilation = Initial();
        GeneratorRun first = GeneratorHarness.Run(compilation);

        GeneratorRun second = GeneratorHarness.Run(first.Driver, Edit(compilation, NetworkPath, "[Dense(128, Activation.ReLU)]", "[Dense(64, Activation.ReLU)]"));

        AssertReasons(second, NetworkGenerator.TrackingNames.Parse, IncrementalStepRunReason.Modified);
        AssertReasons(second, NetworkGenerator.TrackingNames.Model, IncrementalStepRunReason.Modified);
        // The source output is re-emitted; the options' diagnostic output (SNET0010) has nothing new to say.
        Assert.Contains(second.Result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("[rows, 64]", second.SingleSource, StringComparison.Ordinal);
        Assert.DoesNotContain("[rows, 128]", second.SingleSource, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixing_an_error_replaces_the_diagnostic_with_a_model()
    {
        CSharpCompilation compilation = Initial(InvalidNetwork);
        GeneratorRun first = GeneratorHarness.Run(compilation);

        GeneratorRun second = GeneratorHarness.Run(first.Driver, Edit(compilation, NetworkPath, "[Dense(0)]", "[Dense(3)]"));

        AssertReasons(second, NetworkGenerator.TrackingNames.Model, IncrementalStepRunReason.New);
        Assert.Contains(Outputs(second, NetworkGenerator.TrackingNames.Diagnostics), o => o.Reason == IncrementalStepRunReason.Removed);
        Assert.Empty(second.GeneratorDiagnostics);
        Assert.Equal("Samples.Broken.BrokenNet.g.cs", Assert.Single(second.PlainHintNames));
    }

    [Fact]
    public void Two_runs_on_equal_compilations_produce_equal_step_outputs()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(
            new SourceFile(NetworkPath, Network), new SourceFile("Broken.cs", InvalidNetwork), new SourceFile(OtherPath, Other));

        GeneratorRun first = GeneratorHarness.Run(compilation);
        GeneratorRun second = GeneratorHarness.Run(compilation.Clone());

        foreach (string name in TrackingNames)
        {
            object[] a = Outputs(first, name).Select(o => o.Value).ToArray();
            object[] b = Outputs(second, name).Select(o => o.Value).ToArray();
            Assert.NotEmpty(a);
            Assert.Equal(a, b);
            Assert.Equal(a.Select(x => x.GetHashCode()), b.Select(x => x.GetHashCode()));
        }
    }

    [Fact]
    public void Step_outputs_hold_no_symbols_syntax_semantic_models_or_compilations()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(
            new SourceFile(NetworkPath, Network), new SourceFile("Broken.cs", InvalidNetwork), new SourceFile(OtherPath, Other));
        GeneratorRun run = GeneratorHarness.Run(compilation);

        var walker = new ObjectGraphWalker();
        foreach (string name in TrackingNames)
        {
            foreach ((object value, _) in Outputs(run, name)) walker.Visit(value, name);
        }

        Assert.True(walker.Problems.Count == 0, string.Join(Environment.NewLine, walker.Problems));
        // The walk really went through the model, the layers and the diagnostics.
        Assert.Contains("NetworkModel", walker.TypeNames);
        Assert.Contains("LayerModel", walker.TypeNames);
        Assert.Contains("DenseModel", walker.TypeNames);
        Assert.Contains("ParseResult", walker.TypeNames);
        Assert.Contains("DiagnosticInfo", walker.TypeNames);
        Assert.Contains("LocationInfo", walker.TypeNames);
    }

    private static CSharpCompilation Edit(CSharpCompilation compilation, string path, string find, string replace)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        string text = tree.GetText().ToString();
        int at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' is not in {path}");
        SourceText changed = tree.GetText().WithChanges(new TextChange(new TextSpan(at, find.Length), replace));
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(changed));
    }

    private static ImmutableArray<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRun run, string trackingName)
        => run.Result.TrackedSteps.TryGetValue(trackingName, out ImmutableArray<IncrementalGeneratorRunStep> steps)
            ? steps.SelectMany(s => s.Outputs).ToImmutableArray()
            : ImmutableArray<(object, IncrementalStepRunReason)>.Empty;

    /// <summary>The step ran and every one of its outputs has one of <paramref name="allowed"/>.</summary>
    private static void AssertReasons(GeneratorRun run, string trackingName, params IncrementalStepRunReason[] allowed)
    {
        ImmutableArray<(object Value, IncrementalStepRunReason Reason)> outputs = Outputs(run, trackingName);
        Assert.False(outputs.IsEmpty, $"The step '{trackingName}' has no outputs.");
        Assert.All(outputs, o => Assert.True(allowed.Contains(o.Reason), $"{trackingName}: {o.Reason} for {o.Value}"));
    }

    /// <summary>Every output of the tracked steps, and of the source outputs, is Cached or Unchanged.</summary>
    private static void AssertAllCachedOrUnchanged(GeneratorRun run)
    {
        Assert.Null(run.Result.Exception);
        Assert.True(Outputs(run, NetworkGenerator.TrackingNames.Parse).Length > 0, "The Parse step has no outputs.");
        foreach (string name in TrackingNames)
        {
            Assert.All(Outputs(run, name), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{name}: {o.Reason} for {o.Value}"));
        }
        Assert.All(run.Result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {o.Reason}"));
    }

    /// <summary>
    /// Walks an object graph through every instance field (so through every auto-property's
    /// backing field) and every element of a collection, and records any object, field type or
    /// property type that is a Roslyn symbol, syntax node, semantic model or compilation.
    /// </summary>
    /// <summary>
    /// Finds symbols, syntax nodes, semantic models and compilations anywhere in the step outputs. A diagnostic's location
    /// (<c>LocationInfo</c>) alone may hold its syntax tree: reported in that tree, the diagnostic obeys <c>#pragma warning</c>
    /// and <c>.editorconfig</c>; the tree is the compilation's own and is replaced with its file. The model never holds one.
    /// </summary>
    private sealed class ObjectGraphWalker
    {
        private static readonly Type[] Forbidden = { typeof(ISymbol), typeof(SyntaxNode), typeof(SemanticModel), typeof(Compilation), typeof(SyntaxTree) };

        private readonly HashSet<object> _visited = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<Type> _checkedTypes = new();

        public List<string> Problems { get; } = new();

        public HashSet<string> TypeNames { get; } = new();

        public void Visit(object? value, string path)
        {
            if (value is null) return;
            Type type = value.GetType();
            if (!type.IsValueType && !_visited.Add(value)) return;
            TypeNames.Add(type.IsGenericType ? type.Name[..type.Name.IndexOf('`')] : type.Name);
            if (type.Name == "LocationInfo")
            {
                Assert.DoesNotContain("Model", path, StringComparison.Ordinal); // no location inside the model
                return; // its tree, by design (see above)
            }
            CheckType(type, path);
            if (IsLeaf(type)) return;

            if (value is IEnumerable items)
            {
                int i = 0;
                foreach (object? item in items) Visit(item, $"{path}[{i++}]");
            }
            for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    CheckType(field.FieldType, $"{path}.{field.Name} (field type)");
                    Visit(field.GetValue(value), $"{path}.{field.Name}");
                }
            }
        }

        private void CheckType(Type type, string path)
        {
            if (!_checkedTypes.Add(type) || type.Name == "LocationInfo") return;
            if (Forbidden.Any(f => f.IsAssignableFrom(type)))
            {
                Problems.Add($"{path}: {type.FullName}");
                return;
            }
            if (IsLeaf(type)) return;
            // Declared property types too, without calling the getters.
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (Forbidden.Any(f => f.IsAssignableFrom(property.PropertyType)))
                {
                    Problems.Add($"{path}.{property.Name} (property of {type.Name}): {property.PropertyType.FullName}");
                }
            }
        }

        private static bool IsLeaf(Type type)
            => type.IsPrimitive || type.IsEnum || type.IsPointer || type == typeof(string) || type == typeof(decimal)
               || typeof(MemberInfo).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type);
    }
}
