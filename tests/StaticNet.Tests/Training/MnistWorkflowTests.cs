using StaticNet.Data;
using StaticNet.Metrics;
using StaticNet.Training;
using Xunit.Abstractions;

namespace StaticNet.Tests.Training;

/// <summary>The whole workflow on real MNIST, kept short: fit with a validation split and early stopping, diagnose, save, load, evaluate.</summary>
[Trait("Category", "EndToEnd")]
public sealed class MnistWorkflowTests(ITestOutputHelper output)
{
    [Fact]
    public void Fit_diagnose_save_load_and_evaluate_on_real_MNIST()
    {
        string directory = Mnist.FindDataDirectory() ?? throw new InvalidOperationException("MNIST not found under samples/data/mnist.");
        Dataset train = Dataset.From(Mnist.LoadTraining(directory)).Slice(0, 20_000);
        Dataset test = Dataset.From(Mnist.LoadTest(directory));

        var model = Model<DigitNet>.Create(seed: 1);
        TrainingHistory history = model.Fit(train, new FitOptions
        {
            Epochs = 2,
            BatchSize = 32,
            ValidationSplit = 0.1,
            EarlyStopping = new EarlyStopping { Patience = 1 },
            Schedule = LearningRateSchedule.StepDecay(0.1, 0.5, 1),
            TrainingAccuracySamples = 2_000,
        });
        foreach (EpochRecord e in history.Epochs) output.WriteLine(e.ToString());
        Assert.Equal(2, history.Epochs.Count);
        Assert.True(history.Final!.ValidationAccuracy > 0.93, $"validation accuracy {history.Final.ValidationAccuracy}");

        Diagnosis diagnosis = Recipe.Diagnose(history);
        output.WriteLine(diagnosis.ToString());
        Assert.NotEqual(Verdict.Optimization, diagnosis.Verdict);

        string path = Path.Combine(Path.GetTempPath(), $"staticnet-mnist-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.Save(path);
            Model<DigitNet> loaded = Model<DigitNet>.Load(path);
            EvaluationResult before = model.Evaluate(test), after = loaded.Evaluate(test);
            output.WriteLine($"test accuracy {after.Accuracy:P2}, top-5 {after.TopKAccuracy:P2}, loss {after.Loss:F4}");
            Assert.Equal(before, after with { Confusion = before.Confusion });
            Assert.True(after.Accuracy > 0.93, $"test accuracy {after.Accuracy}");
            Assert.Equal(10_000, after.Confusion!.Total);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
