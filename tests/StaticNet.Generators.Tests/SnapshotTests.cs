using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// The generated source of representative networks, compared to the checked-in
/// <c>Snapshots/SnapshotTests.*.verified.cs</c>. Accept intended changes with
/// <c>STATICNET_ACCEPT_SNAPSHOTS=1 dotnet test tests/StaticNet.Generators.Tests</c>.
/// </summary>
public class SnapshotTests
{
    [Fact]
    public Task Mnist_784_128_10_ReLU_SoftmaxCrossEntropy()
        => Snapshot.Verify(Generate(TestNetworks.Mnist, "Samples.Mnist.DigitNet.g.cs"));

    [Fact]
    public Task OddRegression_7_19_33_3_Sigmoid_Tanh_MeanSquaredError()
        => Snapshot.Verify(Generate(TestNetworks.OddRegression, "Samples.Regression.OddRegressionNet.g.cs"));

    [Fact]
    public Task GlobalNamespace_SingleDenseLayer()
        => Snapshot.Verify(Generate(TestNetworks.GlobalLinear, "LinearNet.g.cs"));

    /// <summary>Runs the generator, checks it produced exactly one clean file named <paramref name="hintName"/>, returns its text.</summary>
    private static string Generate(string source, string hintName)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(hintName, Assert.Single(run.GeneratedSources).HintName);
        return run.SingleSource;
    }
}
