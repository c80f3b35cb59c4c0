namespace StaticNet.Tests.Training;

// Tiny generated networks for the training-workflow tests.

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, LearningRate = 0.5f)]
[Dense(8, Activation.Tanh)]
[Dense(3)]
public partial class TinyFitNet;

/// <summary>Same inputs and outputs as <see cref="TinyFitNet"/>, another hidden width: a different declaration.</summary>
[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, LearningRate = 0.5f)]
[Dense(6, Activation.Tanh)]
[Dense(3)]
public partial class TinyOtherNet;

/// <summary>The same declaration as <see cref="TinyFitNet"/> under another name.</summary>
[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, LearningRate = 0.1f)]
[Dense(8, Activation.Tanh)]
[Dense(3)]
public partial class TinyTwinNet;

/// <summary>The shapes of <see cref="TinyFitNet"/> with Adam, whose state is part of the model.</summary>
[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f)]
[Dense(8, Activation.Tanh)]
[Dense(3)]
public partial class TinyAdamNet;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError, LearningRate = 0.05f)]
[Dense(1)]
public partial class TinyRegressionNet;

/// <summary>Small synthetic data sets, the same on every run.</summary>
internal static class SyntheticData
{
    /// <summary>
    /// Three well separated classes in 4 dimensions: class c has its centre at 2 on axis c and
    /// uniform noise in [−0.5, 0.5] on every axis.
    /// </summary>
    public static Training3 Blobs(int count, int seed)
    {
        var random = new Random(seed);
        float[] x = new float[count * 4];
        int[] y = new int[count];
        for (int i = 0; i < count; i++)
        {
            int c = i % 3;
            y[i] = c;
            for (int j = 0; j < 4; j++)
            {
                x[(i * 4) + j] = (j == c ? 2f : 0f) + (float)(random.NextDouble() - 0.5);
            }
        }
        return new Training3(x, y);
    }

    /// <summary>y = 3·x₀ − 2·x₁ + 1 on points in [−1, 1]².</summary>
    public static (float[] X, float[] Y) Line(int count, int seed)
    {
        var random = new Random(seed);
        float[] x = new float[count * 2];
        float[] y = new float[count];
        for (int i = 0; i < count; i++)
        {
            float a = (float)((random.NextDouble() * 2) - 1), b = (float)((random.NextDouble() * 2) - 1);
            x[2 * i] = a;
            x[(2 * i) + 1] = b;
            y[i] = (3 * a) - (2 * b) + 1;
        }
        return (x, y);
    }
}

internal sealed record Training3(float[] X, int[] Y)
{
    public StaticNet.Training.Dataset Dataset => new(X, 4, Y);
}
