using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// Every activation, loss, layer and option generates code that compiles cleanly, with well-formed
/// XML documentation, on the hardware ladder and on each forced path.
/// </summary>
public class ActivationGenerationTests
{
    public static readonly string[] Activations =
    [
        "Identity", "Sigmoid", "Tanh", "ReLU", "ArcTan", "Softsign", "ISRU", "LeakyReLU", "PReLU", "RReLU", "ELU", "SELU",
        "SReLU", "ISRLU", "APL", "SoftPlus", "BentIdentity", "SiLU", "SoftExponential", "Sinusoid", "Sinc", "GELU",
    ];

    /// <summary>One network using everything: every activation (widths 3, 5 and 19 for scalar-only, tail-only and mixed loops), maxout, batch norm, dropout.</summary>
    public static string Everything(string loss, string output, string form = "Inverted") => $$"""
        using StaticNet;
        namespace N;
        [Network(Inputs = 6, Loss = Loss.{{loss}}, InputDropout = 0.1f, DropoutForm = DropoutForm.{{form}})]
        {{string.Join("\n", Activations.Select((a, i) => $"[Dense({new[] { 3, 5, 19 }[i % 3]}, Activation.{a}{(i % 4 == 1 ? ", BatchNorm = true" : "")}{(i % 5 == 2 ? ", Dropout = 0.3f" : "")})]"))}}
        [Maxout(7, 3, Dropout = 0.2f)]
        [Dense(4, Activation.{{output}})]
        public partial class Everything;
        """;

    public static TheoryData<string, string, string> Combinations() => new()
    {
        { "SoftmaxCrossEntropy", "Softmax", "Inverted" },
        { "SoftmaxCrossEntropy", "Identity", "Notes" },
        { "MeanSquaredError", "Softmax", "Inverted" },
        { "BinaryCrossEntropy", "Sigmoid", "Notes" },
        { "BinaryCrossEntropy", "Identity", "Inverted" },
        { "MulticlassHinge", "Tanh", "Inverted" },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Every_activation_layer_and_loss_compiles_without_warnings_and_with_valid_documentation(string loss, string output, string form)
    {
        CSharpParseOptions parseOptions = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(
            new[] { new SourceFile(GeneratorHarness.DefaultPath, Everything(loss, output, form)) }, parseOptions);
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(parseOptions), compilation);

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.GeneratedSources);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
    }

    [Theory]
    [InlineData("Vector512")]
    [InlineData("Vector256")]
    [InlineData("Vector128")]
    public void Every_activation_layer_and_loss_compiles_on_each_forced_path(string path)
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver(globalOptions: new Dictionary<string, string> { ["build_property.StaticNetSimdPath"] = path });
        GeneratorRun run = GeneratorHarness.Run(driver, GeneratorHarness.CreateCompilation(Everything("SoftmaxCrossEntropy", "Softmax")));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
        Assert.Contains($"forced at build time", run.SingleSource, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_kernel_has_the_three_path_ladder_and_aggressive_optimization()
    {
        string source = GeneratorHarness.Run(Everything("SoftmaxCrossEntropy", "Softmax")).SingleSource;
        string[] lines = source.Split('\n');
        int kernels = 0;
        int first = Array.FindIndex(lines, l => l.Contains("---- Kernels. Shapes are constants", StringComparison.Ordinal));
        Assert.True(first > 0, "no kernels section");
        for (int i = first; i < lines.Length; i++)
        {
            // Every kernel method, named after its shape (Dense5x7Forward, ReLU7, Dropout7Training, …); the small row helpers are inlined instead.
            if (!lines[i].StartsWith("        private static void ", StringComparison.Ordinal) || lines[i - 1].Contains("AggressiveInlining", StringComparison.Ordinal)) continue;
            kernels++;
            Assert.Contains("AggressiveOptimization", lines[i - 1], StringComparison.Ordinal);
            string body = string.Join('\n', lines.Skip(i).TakeWhile((l, k) => k == 0 || !l.StartsWith("    /// <summary>", StringComparison.Ordinal)));
            bool narrow = body.Contains("Scalar only", StringComparison.Ordinal);
            if (!narrow)
            {
                Assert.Contains("Vector512.IsHardwareAccelerated", body, StringComparison.Ordinal);
                Assert.Contains("Vector256.IsHardwareAccelerated", body, StringComparison.Ordinal);
                Assert.Contains("Portable path", body, StringComparison.Ordinal);
            }
        }
        Assert.True(kernels > 60, $"only {kernels} kernels found");
    }
}
