using StaticNet.Serialization;

namespace StaticNet.Tests.Serialization;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, LearningRate = 0.1f)]
[Dense(6, Activation.ReLU, BatchNorm = true)]
[Dense(3)]
public partial class SavedBatchNormNet;

public sealed class BatchNormStatisticsFileTests
{
    [Fact]
    public void Running_statistics_round_trip_and_inference_is_identical()
    {
        var net = new SavedBatchNormNet(1);
        float[] x = Numeric.NumericHarness.RandomInputs(8, 4, seed: 1);
        int[] y = Numeric.NumericHarness.RandomLabels(8, 3, seed: 2);
        for (int i = 0; i < 3; i++) net.TrainStep(x, y);
        Assert.NotEmpty(SavedBatchNormNet.Descriptor.Statistics);
        Assert.Contains(net.Statistics.ToArray(), v => v != 0f && v != 1f); // moved from their initial 0 and 1

        string path = Path.Combine(Path.GetTempPath(), $"bn-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModelFile.Save(net, path);
            var loaded = new SavedBatchNormNet(99);
            ModelFile.Load(loaded, path);

            Assert.Equal(net.Statistics.ToArray(), loaded.Statistics.ToArray());
            var expected = new float[8 * 3];
            var actual = new float[8 * 3];
            net.Infer(x, expected);
            loaded.Infer(x, actual);
            Assert.Equal(expected, actual);
            foreach (ParameterTensor statistic in SavedBatchNormNet.Descriptor.Statistics)
            {
                Assert.NotNull(SafeTensorsFile.Read(path).Find(statistic.Name));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
