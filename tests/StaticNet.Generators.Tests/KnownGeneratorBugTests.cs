using Microsoft.CodeAnalysis;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// Cases the generator once got wrong (each was a skipped known-bug test until it was fixed): partial declarations,
/// keyword names, a class still being typed, argument locations, unsupported class shapes.
/// </summary>
public class KnownGeneratorBugTests
{
    [Fact]
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

    [Fact]
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

    [Fact]
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

    [Fact]
    public void Class_being_typed_without_a_name_generates_nothing()
    {
        GeneratorRun run = GeneratorHarness.Run("using StaticNet; [Network(Inputs = 4)] [Dense(2)] partial class");

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
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

    [Fact]
    public void Abstract_class_is_reported_as_unsupported()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)] [Dense(2)] public abstract partial class AbstractNet;
            """);

        Assert.Equal("SNET0007", Assert.Single(run.GeneratorDiagnostics).Id);
        run.AssertShellOnly();
    }

    [Fact]
    public void File_local_class_is_reported_as_unsupported()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            namespace N;
            [Network(Inputs = 4)] [Dense(2)] file partial class Net;
            """);

        Assert.Equal("SNET0007", Assert.Single(run.GeneratorDiagnostics).Id);
        run.AssertShellOnly();
    }
}
