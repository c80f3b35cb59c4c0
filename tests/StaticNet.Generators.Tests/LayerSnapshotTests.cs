using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// The generated source of a network with every kind of layer of issue 3 — maxout, batch
/// normalization, dropout (on the inputs and on layers) and a learned activation — compared to
/// <c>Snapshots/LayerSnapshotTests.*.verified.cs</c>. Accept intended changes with
/// <c>STATICNET_ACCEPT_SNAPSHOTS=1 dotnet test tests/StaticNet.Generators.Tests</c>.
/// </summary>
public class LayerSnapshotTests
{
    public const string Layered = """
        using StaticNet;

        namespace Samples.Layers;

        [Network(Inputs = 10, Loss = Loss.SoftmaxCrossEntropy, InputDropout = 0.1f, Optimizer = Optimizer.Adam)]
        [Maxout(12, 3, Dropout = 0.25f)]
        [Dense(9, Activation.PReLU, BatchNorm = true, Dropout = 0.5f)]
        [Dense(4, Activation.Softmax)]
        public partial class LayeredNet;
        """;

    [Fact]
    public Task Maxout_BatchNorm_Dropout_PReLU_Softmax()
    {
        GeneratorRun run = GeneratorHarness.Run(Layered);
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal("Samples.Layers.LayeredNet.g.cs", Assert.Single(run.GeneratedSources).HintName);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
        return Snapshot.Verify(run.SingleSource);
    }
}
