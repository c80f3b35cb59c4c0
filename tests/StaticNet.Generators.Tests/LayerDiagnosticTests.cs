using Microsoft.CodeAnalysis;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// The diagnostics of activations, layers and losses (SNET0012–SNET0018): ID, severity, the facts
/// the message states, and the exact source text the location covers.
/// </summary>
public class LayerDiagnosticTests
{
    [Fact]
    public void SNET0012_binary_step_is_an_info_on_the_activation_argument_and_the_network_still_compiles()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
            [Dense(8, Activation.BinaryStep)]
            [Dense(2)]
            partial class StepNet;
            """);

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("SNET0012", d.Id);
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Equal("Activation.BinaryStep", run.SpanText(d.Location));
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("Layer 0", message);
        Assert.Contains("'StepNet'", message);
        Assert.Contains("derivative is 0", message);
        Assert.Contains("cannot learn", message);
        Assert.Single(run.GeneratedSources);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
    }

    [Theory]
    [InlineData("ELU", "Alpha = -1f", "Alpha = -1;", "positive")]
    [InlineData("ELU", "Alpha = 0f", "Alpha = 0;", "positive")]
    [InlineData("ISRU", "Alpha = 0", "Alpha = 0;", "positive")]
    [InlineData("ISRLU", "Alpha = -0.5f", "Alpha = -0.5;", "positive")]
    [InlineData("SELU", "Lambda = 0f", "Lambda = 0;", "positive")]
    [InlineData("SELU", "Alpha = float.NaN", "Alpha = NaN;", "positive")]
    [InlineData("RReLU", "Lower = -0.1f", "Lower = -0.1;", "zero or positive")]
    [InlineData("LeakyReLU", "Alpha = float.PositiveInfinity", "Alpha = Infinity;", "finite")]
    [InlineData("PReLU", "Alpha = float.NaN", "Alpha = NaN;", "finite")]
    [InlineData("SReLU", "RightSlope = float.NegativeInfinity", "RightSlope = -Infinity;", "finite")]
    [InlineData("APL", "Hinges = 0", "Hinges = 0;", "between 1 and 64")]
    [InlineData("APL", "Hinges = 65", "Hinges = 65;", "between 1 and 64")]
    public void SNET0013_activation_constant_out_of_range_is_reported_on_its_argument(string activation, string argument, string fact, string range)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(8, Activation.Tanh)]
            [Dense(6, Activation.{{activation}}, {{argument}})]
            [Dense(2)]
            partial class ConstantNet;
            """);

        AssertSingle(run, "SNET0013", argument, "Layer 1", "'ConstantNet'", fact, range);
    }

    [Fact]
    public void SNET0013_RReLU_upper_below_lower_is_reported_on_upper()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(8, Activation.RReLU, Lower = 0.5f, Upper = 0.25f)]
            [Dense(2)]
            partial class SlopeNet;
            """);

        AssertSingle(run, "SNET0013", "Upper = 0.25f", "Layer 0", "Upper = 0.25;", "at least Lower (0.5)");
    }

    [Theory]
    [InlineData("BatchNormMomentum = 0f", "BatchNormMomentum = 0;", "in (0, 1]")]
    [InlineData("BatchNormMomentum = 1.5f", "BatchNormMomentum = 1.5;", "in (0, 1]")]
    [InlineData("BatchNormEpsilon = 0f", "BatchNormEpsilon = 0;", "positive")]
    public void SNET0013_batch_norm_settings_out_of_range_are_reported_on_their_argument(string argument, string fact, string range)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(8, Activation.ReLU, BatchNorm = true, {{argument}})]
            [Dense(2)]
            partial class NormNet;
            """);

        AssertSingle(run, "SNET0013", argument, "Layer 0", "'NormNet'", fact, range);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("-2")]
    public void SNET0014_maxout_with_fewer_than_two_pieces_is_reported_on_the_pieces_argument(string pieces)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            [Network(Inputs = 4)]
            [Maxout(8, {{pieces}})]
            [Dense(2)]
            partial class MaxNet;
            """);

        AssertSingle(run, "SNET0014", pieces, "Layer 0", "'MaxNet'", $"declares {pieces} piece(s)", "2 to 32 pieces");
    }

    [Fact]
    public void SNET0014_named_pieces_argument_is_located()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)]
            [Maxout(pieces: 1, units: 8)]
            [Dense(2)]
            partial class MaxNet;
            """);

        AssertSingle(run, "SNET0014", "pieces: 1", "Layer 0", "1 piece(s)");
    }

    [Theory]
    [InlineData("Dropout = 1f", "Dropout = 1;")]
    [InlineData("Dropout = -0.1f", "Dropout = -0.1;")]
    [InlineData("Dropout = 1.5f", "Dropout = 1.5;")]
    [InlineData("Dropout = float.NaN", "Dropout = NaN;")]
    public void SNET0015_layer_dropout_outside_0_1_is_reported_on_the_dropout_argument(string argument, string fact)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(8, Activation.ReLU, {{argument}})]
            [Dense(2)]
            partial class DropNet;
            """);

        AssertSingle(run, "SNET0015", argument, "Layer 0", "'DropNet'", fact, "[0, 1)");
    }

    [Fact]
    public void SNET0015_maxout_and_input_dropout_outside_0_1_are_reported_on_their_arguments()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4, InputDropout = 1f)]
            [Maxout(8, 2, Dropout = -1f)]
            [Dense(2)]
            partial class DropNet;
            """);

        run.AssertShellOnly();
        Assert.Equal(["InputDropout = 1f", "Dropout = -1f"], run.GeneratorDiagnostics.Select(d => run.SpanText(d.Location)));
        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal("SNET0015", d.Id));
        Assert.Contains("The input layer", run.GeneratorDiagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("[Dense(8, Activation.ReLU, Alpha = 0.5f)]", "Alpha = 0.5f", "Alpha", "ReLU")]
    [InlineData("[Dense(8, Activation.ELU, Lower = 0.5f)]", "Lower = 0.5f", "Lower", "ELU")]
    [InlineData("[Dense(8, Activation.Tanh, Hinges = 3)]", "Hinges = 3", "Hinges", "Tanh")]
    [InlineData("[Dense(8, Activation.ReLU, BatchNormEpsilon = 1e-3f)]", "BatchNormEpsilon = 1e-3f", "BatchNormEpsilon", "without BatchNorm")]
    public void SNET0016_an_argument_the_layer_does_not_use_is_a_warning_on_it_and_the_network_still_generates(string layer, string span, string argument, string owner)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            [Network(Inputs = 4)]
            {{layer}}
            [Dense(2)]
            partial class UnusedNet;
            """);

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("SNET0016", d.Id);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(span, run.SpanText(d.Location));
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(argument, message);
        Assert.Contains(owner, message);
        Assert.Contains("no effect", message);
        Assert.Single(run.GeneratedSources);
    }

    [Fact]
    public void SNET0017_softmax_on_a_hidden_layer_is_reported_on_the_activation_argument()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(8, Activation.Softmax)]
            [Dense(3)]
            partial class HiddenSoftmax;
            """);

        AssertSingle(run, "SNET0017", "Activation.Softmax", "Layer 0", "'HiddenSoftmax'", "output layer");
    }

    [Fact]
    public void SNET0018_dropout_on_the_output_layer_is_reported_on_the_dropout_argument()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(8, Activation.ReLU, Dropout = 0.5f)]
            [Dense(3, Dropout = 0.25f)]
            partial class DroppedOutputs;
            """);

        AssertSingle(run, "SNET0018", "Dropout = 0.25f", "'DroppedOutputs'", "Dropout = 0.25", "hidden layer");
    }

    [Fact]
    public void SNET0005_hinge_loss_with_one_output_is_reported_on_the_network_attribute()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4, Loss = Loss.MulticlassHinge)]
            [Dense(1)]
            partial class OneScore;
            """);

        AssertSingle(run, "SNET0005", "Network(Inputs = 4, Loss = Loss.MulticlassHinge)", "'OneScore'", "multiclass hinge", "at least 2");
    }

    [Fact]
    public void SNET0006_unknown_initializer_and_dropout_form_are_reported_on_their_arguments()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4, DropoutForm = (DropoutForm)7)]
            [Dense(8, Activation.ReLU, Initializer = (Initializer)42)]
            [Dense(2)]
            partial class OddInit;
            """);

        run.AssertShellOnly();
        Assert.Equal(["DropoutForm = (DropoutForm)7", "Initializer = (Initializer)42"], run.GeneratorDiagnostics.Select(d => run.SpanText(d.Location)));
        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal("SNET0006", d.Id));
        Assert.Contains("HeNormal", run.GeneratorDiagnostics[1].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Exactly one error diagnostic, <paramref name="id"/>, at <paramref name="spanText"/>, stating every fact; nothing generated.</summary>
    private static Diagnostic AssertSingle(GeneratorRun run, string id, string spanText, params string[] facts)
    {
        Assert.Null(run.Result.Exception);
        run.AssertShellOnly();
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(GeneratorHarness.DefaultPath, d.Location.GetLineSpan().Path);
        Assert.Equal(spanText, run.SpanText(d.Location));
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string fact in facts) Assert.Contains(fact, message, StringComparison.Ordinal);
        return d;
    }
}
