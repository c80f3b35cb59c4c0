using System.Globalization;
using Microsoft.CodeAnalysis;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>The generated optimizer step: its snapshot, and the diagnostics for bad hyperparameters.</summary>
public class OptimizerGenerationTests
{
    private const string AdamL2 = """
        using StaticNet;

        namespace Samples.Optimizers;

        [Network(Inputs = 10, Optimizer = Optimizer.Adam, L2 = 0.0005f)]
        [Dense(20, Activation.ReLU)]
        [Dense(13, Activation.Tanh)]
        [Dense(3)]
        public partial class AdamL2Net;
        """;

    [Fact]
    public void Adam_with_L2_on_a_three_layer_network()
    {
        GeneratorRun run = GeneratorHarness.Run(AdamL2);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
        string source = run.SingleSource;
        // The tight loop the design promises: one method, one fused pass per run of tensors treated alike, L2 only on weights.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(source, "static void OptimizerUpdate"));
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(source, @"// layers\.\d\.weight: .*, regularized\.").Count);
        Assert.DoesNotMatch(@"// layers\.\d\.bias: .*, regularized\.", source);
    }

    [Theory]
    [InlineData("Momentum = 1f", "Momentum", "1", "in [0, 1)")]
    [InlineData("Beta1 = -0.1f", "Beta1", "-0.1", "in [0, 1)")]
    [InlineData("Beta2 = 1.5f", "Beta2", "1.5", "in [0, 1)")]
    [InlineData("Alpha = 1f", "Alpha", "1", "in [0, 1)")]
    [InlineData("Epsilon = 0f", "Epsilon", "0", "positive")]
    [InlineData("L1 = -1f", "L1", "-1", "zero or positive")]
    [InlineData("L2 = float.NaN", "L2", "NaN", "zero or positive")]
    [InlineData("ClipNorm = -2f", "ClipNorm", "-2", "zero (off) or positive")]
    public void SNET0011_hyperparameter_out_of_range_is_reported_on_its_argument(string argument, string name, string value, string range)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            [Network(Inputs = 4, Optimizer = Optimizer.Adam, {{argument}})]
            [Dense(2)]
            partial class BadHyperparameter;
            """);

        Assert.Null(run.Result.Exception);
        run.AssertShellOnly();
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("SNET0011", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(argument, run.SpanText(d.Location));
        string message = d.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains($"{name} = {value}", message, StringComparison.Ordinal);
        Assert.Contains(range, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sgd", 0)]
    [InlineData("Momentum", 1)]
    [InlineData("Nesterov", 1)]
    [InlineData("Adagrad", 1)]
    [InlineData("RMSProp", 1)]
    [InlineData("Adam", 2)]
    [InlineData("AdamW", 2)]
    public void Every_optimizer_generates_clean_code_with_its_state_slots(string optimizer, int slots)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            [Network(Inputs = 5, Optimizer = Optimizer.{{optimizer}}, L1 = 0.1f, L2 = 0.1f, ClipNorm = 1f)]
            [Dense(7, Activation.Sigmoid, RegularizeBias = true)]
            [Dense(3)]
            public partial class Net;
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
        Assert.Contains($"public const int OptimizerSlots = {slots};", run.SingleSource, StringComparison.Ordinal);
    }
}
