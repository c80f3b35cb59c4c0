using Microsoft.CodeAnalysis;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// The intended behavior in cases the generator gets wrong today. Each test is skipped with the
/// bug as its reason; run with <c>STATICNET_RUN_KNOWN_BUGS=1</c> to see them fail.
/// </summary>
public class KnownGeneratorBugTests
{
    [KnownBugFact("[Network] on two partial declarations of one class: both parse to models with the same hint name and AddSource throws (CS8785).")]
    public void Network_attribute_on_two_partial_declarations_does_not_throw()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)] [Dense(2)] partial class A;
            [Network(Inputs = 5)] partial class A;
            """);

        Assert.True(run.Result.Exception is null, run.Result.Exception?.ToString());
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "CS8785");
    }

    [KnownBugFact("A verbatim-keyword namespace (namespace @class.Models) gives the hint name '@class.Models.Net.g.cs'; '@' is invalid there and AddSource throws (CS8785).")]
    public void Keyword_namespace_does_not_throw_and_compiles()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            namespace @class.Models;
            [Network(Inputs = 4)] [Dense(2)] public partial class Net;
            """);

        Assert.True(run.Result.Exception is null, run.Result.Exception?.ToString());
        Assert.Single(run.GeneratedSources);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
    }

    [KnownBugFact("A verbatim-keyword class name (partial class @event) is emitted unescaped ('partial class event'), so the generated file does not compile.")]
    public void Keyword_class_name_compiles()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            namespace N;
            [Network(Inputs = 4)] [Dense(2)] public partial class @event;
            """);

        Assert.Single(run.GeneratedSources);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
    }

    [KnownBugFact("A class declaration with a missing identifier ('partial class' being typed) is generated as '.g.cs' with 'partial class  : INetwork<>', adding a cascade of errors to the compiler's own.")]
    public void Class_being_typed_without_a_name_generates_nothing()
    {
        GeneratorRun run = GeneratorHarness.Run("using StaticNet; [Network(Inputs = 4)] [Dense(2)] partial class");

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.GeneratedSources);
    }

    [KnownBugFact("NetworkParser.PositionalArgument takes arguments in source order, so [Dense(activation: …, units: 0)] reports SNET0003 on 'activation: Activation.ReLU'.")]
    public void SNET0003_out_of_order_named_arguments_are_located_on_units()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(activation: Activation.ReLU, units: 0)]
            partial class ReorderedNet;
            """);

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("SNET0003", d.Id);
        Assert.Equal("units: 0", run.SpanText(d.Location));
    }

    [KnownBugFact("An abstract network class is accepted and the generated 'Create(int seed) => new(seed)' does not compile (CS0144); it should be SNET0007.")]
    public void Abstract_class_is_reported_as_unsupported()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)] [Dense(2)] public abstract partial class AbstractNet;
            """);

        Assert.Equal("SNET0007", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Empty(run.GeneratedSources);
    }

    [KnownBugFact("A file-local network class is accepted; the generated 'partial class Net' in another file is a second, unrelated type, so the user's class silently gets no members. It should be SNET0007.")]
    public void File_local_class_is_reported_as_unsupported()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            namespace N;
            [Network(Inputs = 4)] [Dense(2)] file partial class Net;
            """);

        Assert.Equal("SNET0007", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Empty(run.GeneratedSources);
    }

    [KnownBugFact("Generated code names framework types unqualified (Unsafe, Vector128, MathF, Span, Random, …) through using directives, so same-named types in the network's namespace shadow them; emit global:: qualified names.")]
    public void User_types_named_like_framework_types_do_not_break_the_generated_code()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            namespace N;
            internal static class Unsafe { }
            internal sealed class Vector128 { }
            internal static class MathF { }
            internal sealed class Random { }
            [Network(Inputs = 4)] [Dense(3, Activation.Tanh)] [Dense(2)] public partial class Net;
            """);

        Assert.Single(run.GeneratedSources);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
    }
}
