using Microsoft.CodeAnalysis;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// The generator never throws on half-typed declarations of the issue-3 layers and arguments
/// either (the pattern of <see cref="RobustnessTests"/>).
/// </summary>
public class LayerRobustnessTests
{
    public static TheoryData<string, string> Garbage => new()
    {
        { "maxout without pieces", """using StaticNet; [Network(Inputs = 4)] [Maxout(8)] [Dense(2)] partial class A;""" },
        { "maxout pieces as string", """using StaticNet; [Network(Inputs = 4)] [Maxout(8, "two")] [Dense(2)] partial class A;""" },
        { "maxout huge", """using StaticNet; [Network(Inputs = 100000)] [Maxout(100000, 1000)] [Dense(2)] partial class A;""" },
        { "maxout int.MinValue", """using StaticNet; [Network(Inputs = 4)] [Maxout(int.MinValue, int.MinValue)] [Dense(2)] partial class A;""" },
        { "dropout as double", """using StaticNet; [Network(Inputs = 4)] [Dense(8, Dropout = 0.5)] [Dense(2)] partial class A;""" },
        { "dropout as string", """using StaticNet; [Network(Inputs = 4, InputDropout = "half")] [Dense(8)] [Dense(2)] partial class A;""" },
        { "batch norm as int", """using StaticNet; [Network(Inputs = 4)] [Dense(8, BatchNorm = 1)] [Dense(2)] partial class A;""" },
        { "hinges huge", """using StaticNet; [Network(Inputs = 4)] [Dense(8, Activation.APL, Hinges = int.MaxValue)] [Dense(2)] partial class A;""" },
        { "hinges negative", """using StaticNet; [Network(Inputs = 4)] [Dense(8, Activation.APL, Hinges = int.MinValue)] [Dense(2)] partial class A;""" },
        { "initializer as int", """using StaticNet; [Network(Inputs = 4)] [Dense(8, Initializer = 3)] [Dense(2)] partial class A;""" },
        { "dropout form as int", """using StaticNet; [Network(Inputs = 4, DropoutForm = 1)] [Dense(2)] partial class A;""" },
        { "alpha on every activation", """using StaticNet; [Network(Inputs = 4)] [Dense(3, (Activation)int.MaxValue, Alpha = float.NaN, Lambda = -1, Lower = 2, Upper = 1)] [Dense(2)] partial class A;""" },
        { "softmax only layer with one unit", """using StaticNet; [Network(Inputs = 4, Loss = Loss.MeanSquaredError)] [Dense(1, Activation.Softmax)] partial class A;""" },
        { "unclosed maxout", """using StaticNet; [Network(Inputs = 4)] [Maxout(8, """ },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void The_generator_never_throws(string description, string source)
    {
        GeneratorRun run = GeneratorHarness.Run(source);

        Assert.True(run.Result.Exception is null, $"{description}: {run.Result.Exception}");
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "SNET9999" or "CS8784" or "CS8785");
        foreach (GeneratedSourceResult generated in run.GeneratedSources)
        {
            Assert.DoesNotContain(run.OutputCompilationDiagnostics, d =>
                d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath == generated.SyntaxTree.FilePath);
        }
    }
}
