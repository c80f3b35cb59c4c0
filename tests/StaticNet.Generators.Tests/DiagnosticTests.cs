using Microsoft.CodeAnalysis;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// One test per diagnostic: its ID, severity, the facts its message must state, and the exact
/// source text its location covers. An invalid declaration never produces source.
/// </summary>
public class DiagnosticTests
{
    [Fact]
    public void SNET0001_class_not_partial_is_reported_on_the_class_identifier()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            namespace N;
            [Network(Inputs = 4)]
            [Dense(3)]
            public class WholeNet { }
            """);

        Diagnostic d = AssertSingle(run, "SNET0001", "WholeNet", "'WholeNet'", "partial");
        Assert.Equal(4, d.Location.GetLineSpan().StartLinePosition.Line); // zero-based: line 5
    }

    [Fact]
    public void SNET0002_missing_inputs_is_reported_on_the_network_attribute()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Loss = Loss.MeanSquaredError)]
            [Dense(3)]
            partial class NoInputs;
            """);

        AssertSingle(run, "SNET0002", "Network(Loss = Loss.MeanSquaredError)", "'NoInputs'", "Inputs = 0");
    }

    [Fact]
    public void SNET0002_missing_inputs_without_argument_list_is_reported_on_the_attribute_name()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network]
            [Dense(3)]
            partial class Bare;
            """);

        AssertSingle(run, "SNET0002", "Network", "'Bare'", "Inputs = 0");
    }

    [Theory]
    [InlineData("0", "Inputs = 0")]
    [InlineData("-5", "Inputs = -5")]
    [InlineData("int.MinValue", "Inputs = -2147483648")]
    public void SNET0002_inputs_not_positive_is_reported_on_the_inputs_argument(string value, string fact)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            [Network(Loss = Loss.MeanSquaredError, Inputs = {{value}})]
            [Dense(3)]
            partial class ZeroInputs;
            """);

        AssertSingle(run, "SNET0002", $"Inputs = {value}", "'ZeroInputs'", fact);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void SNET0003_layer_width_not_positive_is_reported_on_the_units_argument(string units)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(8, Activation.ReLU)]
            [Dense({{units}}, Activation.Tanh)]
            [Dense(2)]
            partial class NarrowNet;
            """);

        AssertSingle(run, "SNET0003", units, "Layer 1", "'NarrowNet'", $"{units} units");
    }

    [Fact]
    public void SNET0003_named_units_argument_is_located()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(units: -1)]
            partial class NamedNet;
            """);

        AssertSingle(run, "SNET0003", "units: -1", "Layer 0", "'NamedNet'", "-1 units");
    }

    [Fact]
    public void SNET0004_no_layers_is_reported_on_the_network_attribute()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            namespace N;
            [Network(Inputs = 4)]
            partial class Empty;
            """);

        AssertSingle(run, "SNET0004", "Network(Inputs = 4)", "'Empty'", "no layers", "[Dense(units)]");
    }

    [Fact]
    public void SNET0005_softmax_cross_entropy_with_one_output_is_reported_on_the_network_attribute()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy)]
            [Dense(8, Activation.ReLU)]
            [Dense(1)]
            partial class OneClass;
            """);

        AssertSingle(run, "SNET0005", "Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy)", "'OneClass'", "1 unit(s)", "softmax cross-entropy", "at least 2");
    }

    [Fact]
    public void SNET0005_default_loss_is_softmax_cross_entropy()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(1)]
            partial class DefaultLoss;
            """);

        AssertSingle(run, "SNET0005", "Network(Inputs = 4)", "'DefaultLoss'", "1 unit(s)", "softmax cross-entropy");
    }

    [Fact]
    public void SNET0006_unknown_activation_is_reported_on_the_activation_argument()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(8, (Activation)42)]
            [Dense(2)]
            partial class OddActivation;
            """);

        AssertSingle(run, "SNET0006", "(Activation)42", "Activation = 42", "Identity, Sigmoid, Tanh, ReLU");
    }

    [Fact]
    public void SNET0006_unknown_loss_is_reported_on_the_loss_argument()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4, Loss = (Loss)9)]
            [Dense(2)]
            partial class OddLoss;
            """);

        AssertSingle(run, "SNET0006", "Loss = (Loss)9", "Loss = 9", "MeanSquaredError, SoftmaxCrossEntropy");
    }

    [Fact]
    public void SNET0006_unknown_optimizer_is_reported_on_the_optimizer_argument()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4, Optimizer = (Optimizer)42)]
            [Dense(2)]
            partial class OddOptimizer;
            """);

        AssertSingle(run, "SNET0006", "Optimizer = (Optimizer)42", "Optimizer = 42", "Sgd", "AdamW");
    }

    [Fact]
    public void SNET0007_nested_class_is_reported_on_the_class_identifier()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            public class Outer
            {
                [Network(Inputs = 4)]
                [Dense(2)]
                public partial class Inner;
            }
            """);

        AssertSingle(run, "SNET0007", "Inner", "'Inner'", "nested in 'Outer', which is not partial");
    }

    [Fact]
    public void SNET0007_generic_class_is_reported_on_the_class_identifier()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(2)]
            public partial class GenericNet<T>;
            """);

        AssertSingle(run, "SNET0007", "GenericNet", "'GenericNet'", "generic");
    }

    [Fact]
    public void SNET0007_static_class_is_reported_on_the_class_identifier()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 4)]
            [Dense(2)]
            public static partial class StaticNetwork;
            """);

        AssertSingle(run, "SNET0007", "StaticNetwork", "'StaticNetwork'", "static");
    }

    [Theory]
    [InlineData("0", "LearningRate = 0;")]
    [InlineData("0f", "LearningRate = 0;")]
    [InlineData("-1", "LearningRate = -1;")]
    [InlineData("-0.5f", "LearningRate = -0.5;")]
    [InlineData("float.NaN", "LearningRate = NaN;")]
    [InlineData("float.PositiveInfinity", "LearningRate = Infinity;")]
    public void SNET0008_learning_rate_not_positive_and_finite_is_reported_on_the_learning_rate_argument(string value, string fact)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            [Network(Inputs = 4, LearningRate = {{value}})]
            [Dense(2)]
            partial class SlowNet;
            """);

        AssertSingle(run, "SNET0008", $"LearningRate = {value}", "'SlowNet'", fact, "positive, finite");
    }

    [Fact]
    public void SNET0009_too_many_parameters_is_reported_on_the_network_attribute()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 100000)]
            [Dense(100000)]
            [Dense(2)]
            partial class HugeNet;
            """);

        // 100000·100000 + 100000 + 100000·2 + 2 parameters.
        AssertSingle(run, "SNET0009", "Network(Inputs = 100000)", "'HugeNet'", "10000300002");
    }

    [Fact]
    public void Several_problems_are_all_reported_and_nothing_is_generated()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            [Network(Inputs = 0, LearningRate = -1)]
            [Dense(-3)]
            class Broken { }
            """);

        Assert.Null(run.Result.Exception);
        run.AssertShellOnly();
        Assert.Equal(
            new[] { "SNET0001", "SNET0002", "SNET0003", "SNET0008" },
            run.GeneratorDiagnostics.Select(d => d.Id).Order());
        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void Only_the_valid_network_of_a_compilation_is_generated()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using StaticNet;
            namespace N;
            [Network(Inputs = 4)] [Dense(3)] partial class Good;
            [Network(Inputs = 4)] [Dense(0)] partial class Bad;
            """);

        Assert.Equal(["N.Bad.g.cs", "N.Good.g.cs"], run.PlainHintNames.Order());
        Assert.Contains("while its declaration has errors", run.GeneratedSources.Single(s => s.HintName.StartsWith("N.Bad.", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("while its declaration has errors", run.GeneratedSources.Single(s => s.HintName.StartsWith("N.Good.", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
        Assert.Equal("SNET0003", Assert.Single(run.GeneratorDiagnostics).Id);
    }

    /// <summary>
    /// Asserts the run reported exactly one diagnostic, <paramref name="id"/>, as an error, at
    /// <paramref name="spanText"/>, with every one of <paramref name="facts"/> in its message; that
    /// the generator did not throw; and that nothing was generated.
    /// </summary>
    private static Diagnostic AssertSingle(GeneratorRun run, string id, string spanText, params string[] facts)
    {
        Assert.Null(run.Result.Exception);
        run.AssertShellOnly();
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
        Assert.Equal(GeneratorHarness.DefaultPath, d.Location.GetLineSpan().Path);
        Assert.Equal(spanText, run.SpanText(d.Location));
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string fact in facts) Assert.Contains(fact, message, StringComparison.Ordinal);
        return d;
    }
}
