using Microsoft.CodeAnalysis;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// The generator never throws, whatever the user has half-typed: every input here is broken
/// C#, and the compiler's own errors are the user's guide. The generator may add its own
/// diagnostics, but never a SNET9999 (internal error) nor the driver's CS8784/CS8785
/// (generator failed to initialize / to generate). Inputs that currently break the generator
/// are in <see cref="KnownGeneratorBugTests"/>.
/// </summary>
public class RobustnessTests
{
    public static TheoryData<string, string> Garbage => new()
    {
        { "inputs as string", """using StaticNet; [Network(Inputs = "784")] [Dense(10)] partial class A;""" },
        { "learning rate as string", """using StaticNet; [Network(Inputs = 4, LearningRate = "fast")] [Dense(10)] partial class A;""" },
        { "learning rate as double", """using StaticNet; [Network(Inputs = 4, LearningRate = 0.1)] [Dense(10)] partial class A;""" },
        { "loss as int", """using StaticNet; [Network(Inputs = 4, Loss = 1)] [Dense(10)] partial class A;""" },
        { "loss as activation", """using StaticNet; [Network(Inputs = 4, Loss = Activation.ReLU)] [Dense(10)] partial class A;""" },
        { "unknown named argument", """using StaticNet; [Network(Inputs = 4, Outputs = 3)] [Dense(10)] partial class A;""" },
        { "positional argument to Network", """using StaticNet; [Network(4)] [Dense(10)] partial class A;""" },
        { "units as string", """using StaticNet; [Network(Inputs = 4)] [Dense("ten")] partial class A;""" },
        { "units as float", """using StaticNet; [Network(Inputs = 4)] [Dense(2.5f)] partial class A;""" },
        { "activation as string", """using StaticNet; [Network(Inputs = 4)] [Dense(10, "relu")] partial class A;""" },
        { "activation as int", """using StaticNet; [Network(Inputs = 4)] [Dense(10, 3)] partial class A;""" },
        { "dense without arguments", """using StaticNet; [Network(Inputs = 4)] [Dense] [Dense()] partial class A;""" },
        { "dense with too many arguments", """using StaticNet; [Network(Inputs = 4)] [Dense(10, Activation.ReLU, 3)] partial class A;""" },
        { "non-constant argument", """using StaticNet; [Network(Inputs = A.N)] [Dense(A.N)] partial class A { public static int N = 3; }""" },
        { "missing using", """[Network(Inputs = 4)] [Dense(10)] partial class A;""" },
        { "missing using, qualified dense", """[StaticNet.Network(Inputs = 4)] [Dense(10)] partial class A;""" },
        { "unknown attribute namespace", """using Other; [Network(Inputs = 4)] [Dense(10)] partial class A;""" },
        { "incomplete attribute", """using StaticNet; [Network(Inputs = """ },
        { "unclosed class", """using StaticNet; [Network(Inputs = 4)] [Dense(2)] partial class A {""" },
        { "attribute on nothing", """using StaticNet; namespace N { [Network(Inputs = 4)] [Dense(2)] }""" },
        { "attribute on a method", """using StaticNet; partial class A { [Network(Inputs = 4)] void M() { } }""" },
        { "attribute on a struct", """using StaticNet; [Network(Inputs = 4)] [Dense(2)] partial struct S;""" },
        { "attribute on a record", """using StaticNet; [Network(Inputs = 4)] [Dense(2)] partial record R;""" },
        { "attribute on an interface", """using StaticNet; [Network(Inputs = 4)] [Dense(2)] partial interface I;""" },
        { "attribute on an enum", """using StaticNet; [Network(Inputs = 4)] [Dense(2)] enum E { X }""" },
        { "duplicate network attribute", """using StaticNet; [Network(Inputs = 4)] [Network(Inputs = 5)] [Dense(2)] partial class A;""" },
        { "duplicate class", """using StaticNet; [Network(Inputs = 4)] [Dense(2)] partial class A; [Network(Inputs = 4)] [Dense(2)] class A;""" },
        { "inherits a sealed type", """using StaticNet; [Network(Inputs = 4)] [Dense(2)] partial class A : string;""" },
        { "overflowing widths", """using StaticNet; [Network(Inputs = int.MaxValue)] [Dense(int.MaxValue)] [Dense(int.MaxValue)] partial class A;""" },
        { "int.MinValue units", """using StaticNet; [Network(Inputs = 4)] [Dense(int.MinValue, (Activation)int.MinValue)] partial class A;""" },
        { "user-defined look-alike attributes", """
            namespace Fake { class NetworkAttribute : System.Attribute { public int Inputs { get; set; } } class DenseAttribute(int u) : System.Attribute { } }
            namespace N { using Fake; [Network(Inputs = 4)] [Dense(2)] partial class A; }
            """ },
        { "random text", "}}}{{{ [[[ Network ((( Dense ;;; partial class ))) " },
        { "empty file", "" },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void The_generator_never_throws(string description, string source)
    {
        GeneratorRun run = GeneratorHarness.Run(source);

        Assert.True(run.Result.Exception is null, $"{description}: {run.Result.Exception}");
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "SNET9999" or "CS8784" or "CS8785");
        Assert.DoesNotContain(run.OutputCompilationDiagnostics, d => d.Id is "CS8784" or "CS8785");
        // Whatever was generated is not worse than the input: it adds no errors of its own.
        foreach (GeneratedSourceResult generated in run.GeneratedSources)
        {
            Assert.DoesNotContain(run.OutputCompilationDiagnostics, d =>
                d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath == generated.SyntaxTree.FilePath);
        }
    }
}
