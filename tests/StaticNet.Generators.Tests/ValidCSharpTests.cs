using System.Diagnostics;
using Microsoft.CodeAnalysis;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// Valid C# the generator once threw on or answered with code that did not compile: it now generates code that compiles
/// without a warning, or reports one SNET error with the reason (and then only the network's public surface).
/// </summary>
public class ValidCSharpTests
{
    /// <summary>Declarations that must generate code compiling without any warning.</summary>
    public static TheoryData<string, string> Compiles => new()
    {
        { "names differing only in case", "namespace N; [Network(Inputs = 4)] [Dense(2)] public partial class Net; [Network(Inputs = 4)] [Dense(3)] public partial class NET;" },
        { "class named like framework types", "namespace N; [Network(Inputs = 4)] [Dense(2)] public partial class Math; [Network(Inputs = 4)] [Dense(2)] public partial class Random; [Network(Inputs = 4)] [Dense(2)] public partial class Buffer; [Network(Inputs = 4)] [Dense(2)] public partial class Unsafe;" },
        { "class in the global namespace named like framework types", "[Network(Inputs = 4)] [Dense(2)] public partial class Vector128; [Network(Inputs = 4)] [Dense(2)] public partial class MathF;" },
        { "namespaces named like framework types", "namespace A.Math.MathF.Unsafe.Vector128.GC.Array.NetworkRuntime { [Network(Inputs = 4)] [Dense(2)] public partial class Net; }" },
        { "extreme but valid constants", "[Network(Inputs = 4)] [Dense(3, Activation.SELU, Alpha = 3e38f, Lambda = 3e38f)] [Dense(2, Activation.RReLU, Lower = 0f, Upper = 3e38f)] public partial class Extreme;" },
        { "a base class with members of the generated names", "public class Base { public void Step() { } public int Frozen; public static int InputSize = 1; } [Network(Inputs = 4)] [Dense(2)] public partial class Net : Base;" },
        { "nested in partial types", "public partial class Outer { public partial struct Middle { [Network(Inputs = 4)] [Dense(2)] internal partial class Net; } }" },
    };

    [Theory]
    [MemberData(nameof(Compiles))]
    public void Valid_declarations_generate_code_that_compiles_without_warnings(string description, string declarations)
    {
        GeneratorRun run = GeneratorHarness.Run("using StaticNet;\n" + declarations);
        Assert.True(run.Result.Exception is null, $"{description}: {run.Result.Exception}");
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.NotEmpty(run.GeneratedSources);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, $"{description}:\n{run.Describe()}");
    }

    /// <summary>Declarations the generator cannot build, each refused with one SNET error at the right place.</summary>
    public static TheoryData<string, string, string> Refused => new()
    {
        { "SNET0007", "record", "[Network(Inputs = 4)] [Dense(2)] public partial record Net;" },
        { "SNET0007", "primary constructor", "[Network(Inputs = 4)] [Dense(2)] public partial class Net(int size);" },
        { "SNET0007", "struct", "[Network(Inputs = 4)] [Dense(2)] public partial struct Net;" },
        { "SNET0009", "three layers of int.MaxValue units", "[Network(Inputs = 4)] [Dense(int.MaxValue)] [Dense(int.MaxValue)] [Dense(int.MaxValue)] public partial class Net;" },
        { "SNET0014", "two million pieces", "[Network(Inputs = 4)] [Maxout(2, 2097152)] [Maxout(2, 2097152)] [Maxout(2, 2097152)] [Dense(2)] public partial class Net;" },
        { "SNET0014", "twenty thousand pieces", "[Network(Inputs = 4)] [Maxout(2, 20000)] [Dense(2)] public partial class Net;" },
        { "SNET0019", "layers on two partial declarations", "[Network(Inputs = 4)] [Dense(8)] public partial class Net; [Dense(3)] public partial class Net;" },
        { "SNET0020", "class named Frozen", "[Network(Inputs = 4)] [Dense(2)] public partial class Frozen;" },
        { "SNET0020", "class named Penalty", "[Network(Inputs = 4)] [Dense(2)] public partial class Penalty;" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Declarations_the_generator_cannot_build_get_one_SNET_error_quickly(string id, string description, string declarations)
    {
        var time = Stopwatch.StartNew();
        GeneratorRun run = GeneratorHarness.Run("using StaticNet;\n" + declarations);
        time.Stop();
        Assert.True(run.Result.Exception is null, $"{description}: {run.Result.Exception}");
        Assert.True(run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().SequenceEqual([id]), $"{description}:\n{run.Describe()}");
        Assert.DoesNotContain(run.OutputCompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.Contains("NetworkGenerator", StringComparison.Ordinal) == true);
        Assert.True(time.Elapsed < TimeSpan.FromSeconds(5), $"{description}: {time.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void An_argument_that_does_not_bind_leaves_the_error_to_the_compiler()
    {
        // A typo in the activation: the compiler reports it; the generator does not guess (it used to read the identity and
        // say that the identity does not use Alpha), and emits the public surface so that uses of the class add nothing.
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)] [Dense(3, Activation.LeakyRelu, Alpha = 0.1f)] [Dense(2)] public partial class Net;
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(run.OutputCompilationDiagnostics, d => d.Id == "CS0117"); // 'Activation' does not contain a definition for 'LeakyRelu'
        Assert.Contains("while its declaration has errors", Assert.Single(run.GeneratedSources).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Depth_costs_little_generated_code_because_equal_layers_share_their_kernels()
    {
        static (int Length, TimeSpan Time) Generate(int depth)
        {
            string layers = string.Concat(Enumerable.Repeat("[Dense(8, Activation.Tanh)] ", depth));
            GeneratorRun run = GeneratorHarness.Run($"using StaticNet; [Network(Inputs = 8, Loss = Loss.MeanSquaredError)] {layers} public partial class Deep;");
            Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
            return (run.SingleSource.Length, run.Driver.GetTimingInfo().ElapsedTime); // the generator's own time, not the compiler's
        }

        Generate(2); // warm the generator up
        (int shallow, _) = Generate(10);
        (int deep, TimeSpan time) = Generate(50);
        // Five times the layers: the passes grow by a few lines per layer, the kernels not at all.
        Assert.True(deep < 2 * shallow, $"10 layers: {shallow} characters; 50 layers: {deep}");
        Assert.True(time < TimeSpan.FromSeconds(1), $"50 layers took {time.TotalSeconds:F2} s to generate");
    }
}
