using StaticNet.Data;
using Xunit.Abstractions;

namespace StaticNet.Tests.EndToEnd;

/// <summary>The foundation's promise: 784-128-10 with plain SGD learns real MNIST.</summary>
[Trait("Category", "EndToEnd")]
public sealed class MnistTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void DigitNet_with_SGD_reaches_97_percent_on_the_test_set_within_five_epochs()
    {
        string directory = Mnist.FindDataDirectory() ?? throw new InvalidOperationException("MNIST not found under samples/data/mnist.");
        MnistSet train = Mnist.LoadTraining(directory);
        MnistSet test = Mnist.LoadTest(directory);

        var net = new DigitNet(seed: 1);
        const int batch = 32;
        var order = Enumerable.Range(0, train.Count).ToArray();
        var random = new Random(7);
        float[] x = new float[batch * 784];
        int[] y = new int[batch];
        double accuracy = 0;
        for (int epoch = 1; epoch <= 5; epoch++)
        {
            random.Shuffle(order);
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start + batch <= train.Count; start += batch)
            {
                for (int k = 0; k < batch; k++)
                {
                    int row = order[start + k];
                    train.Images.AsSpan(row * 784, 784).CopyTo(x.AsSpan(k * 784));
                    y[k] = train.Labels[row];
                }
                float loss = net.TrainStep(x, y);
                Assert.True(float.IsFinite(loss), $"loss became {loss} in epoch {epoch}");
                lossSum += loss;
                batches++;
            }
            accuracy = Accuracy(net, test);
            output.WriteLine($"epoch {epoch}: train loss {lossSum / batches:F4}, test accuracy {accuracy:P2}");
            if (accuracy >= 0.97) break;
        }
        Assert.True(accuracy >= 0.97, $"test accuracy {accuracy:P2} after 5 epochs; expected at least 97%");
    }

    internal static double Accuracy(INetwork net, MnistSet set)
    {
        const int chunk = 1000;
        float[] probabilities = new float[chunk * 10];
        int correct = 0;
        for (int start = 0; start < set.Count; start += chunk)
        {
            int rows = Math.Min(chunk, set.Count - start);
            net.Infer(set.Images.AsSpan(start * 784, rows * 784), probabilities.AsSpan(0, rows * 10));
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> p = probabilities.AsSpan(r * 10, 10);
                int best = 0;
                for (int j = 1; j < 10; j++) if (p[j] > p[best]) best = j;
                if (best == set.Labels[start + r]) correct++;
            }
        }
        return (double)correct / set.Count;
    }
}
