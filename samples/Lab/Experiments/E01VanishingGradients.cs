using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 1's deep sigmoid network: eight hidden sigmoid layers of 64.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(64, Activation.Sigmoid)]
[Dense(10)]
public partial class VanishingSigmoidNet;

/// <summary>The same depth with ReLU.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class VanishingReluNet;

/// <summary>1. Vanishing gradients: per-layer gradient norms of a deep sigmoid network and the same with ReLU, and their learning.</summary>
public sealed class VanishingGradients : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="Training">Training digits.</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="Epochs">Epochs.</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    /// <param name="Probe">Training digits the gradient norms are measured on.</param>
    public sealed record Settings(int Training, int Test, int Epochs, int BatchSize, int Probe);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(60_000, 10_000, 5, 32, 1_000);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(300, 200, 1, 32, 100);

    /// <summary>What the rule looks at.</summary>
    /// <param name="SigmoidDecay">Sigmoid network at initialization: first layer's weight-gradient norm / last hidden layer's, per seed.</param>
    /// <param name="ReluDecay">The same ratio for the ReLU network.</param>
    /// <param name="FirstLayerRatio">At initialization: the ReLU network's first-layer norm / the sigmoid network's, per seed.</param>
    /// <param name="SigmoidAccuracy">Sigmoid network's final test accuracy.</param>
    /// <param name="ReluAccuracy">ReLU network's final test accuracy.</param>
    public sealed record Figures(Summary SigmoidDecay, Summary ReluDecay, Summary FirstLayerRatio, Summary SigmoidAccuracy, Summary ReluAccuracy);

    /// <inheritdoc />
    public override int Number => 1;

    /// <inheritdoc />
    public override string Id => "vanishing-gradients";

    /// <inheritdoc />
    public override string Title => "Vanishing gradients";

    /// <inheritdoc />
    public override string Claim =>
        "In a deep sigmoid network the gradient shrinks layer by layer towards the input, so the first layers barely learn; ReLU keeps it alive and the same network trains.";

    /// <inheritdoc />
    public override string Rule =>
        "Three parts, on the mean over seeds. (a) At initialization the sigmoid network's first-layer weight-gradient norm is at most 1/10 of its last hidden layer's. " +
        "(b) At initialization the ReLU network's first-layer norm is at least 10× the sigmoid network's. " +
        "(c) After the last epoch the ReLU network's test accuracy is at least 5 points above the sigmoid network's. " +
        "All three: reproduced; none: not reproduced; otherwise partly.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return ClaimVerdict.FromParts(
            new Part("sigmoid: first layer ≤ 1/10 of the last hidden layer", f.SigmoidDecay.Mean <= 0.1,
                $"ratio {Fmt.Sci(f.SigmoidDecay.Mean)}; ReLU's {Fmt.Num(f.ReluDecay.Mean, "G3")}"),
            new Part("ReLU's first-layer gradient ≥ 10× sigmoid's", f.FirstLayerRatio.Mean >= 10,
                $"{Fmt.Sci(f.FirstLayerRatio.Mean)}×"),
            new Part("ReLU's test accuracy ≥ sigmoid's + 5 points", f.ReluAccuracy.Mean - f.SigmoidAccuracy.Mean >= 0.05,
                $"{f.ReluAccuracy.Percent()} vs {f.SigmoidAccuracy.Percent()}"));
    }

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset train = context.Data.Training(s.Training), test = context.Data.Test(s.Test);
        (float[] probeX, int[] probeY) = Runs.Copy(train, s.Probe);
        RunTracker tracker = context.Track(2 * context.Seeds);

        var sigmoid = context.SeedList.Select(seed => Measure<VanishingSigmoidNet>("sigmoid", seed)).ToArray();
        var relu = context.SeedList.Select(seed => Measure<VanishingReluNet>("ReLU", seed)).ToArray();

        int layers = VanishingSigmoidNet.Descriptor.Layers.Count, lastHidden = layers - 2;
        var figures = new Figures(
            Summary.Of(sigmoid.Select(m => m.Init[0] / m.Init[lastHidden])),
            Summary.Of(relu.Select(m => m.Init[0] / m.Init[lastHidden])),
            Summary.Of(sigmoid.Zip(relu, (a, b) => b.Init[0] / a.Init[0])),
            Summary.Of(sigmoid.Select(m => m.Run.FinalValidationAccuracy)),
            Summary.Of(relu.Select(m => m.Run.FinalValidationAccuracy)));

        var result = new ExperimentResult(Judge(figures),
            $"first-layer gradient norm at init: sigmoid {Fmt.Sci(sigmoid.Average(m => m.Init[0]), 2)} vs ReLU {Fmt.Sci(relu.Average(m => m.Init[0]), 2)} " +
            $"(×{Fmt.Sci(figures.FirstLayerRatio.Mean, 2)}); test accuracy after {s.Epochs} epochs {figures.SigmoidAccuracy.Percent(1)} vs {figures.ReluAccuracy.Percent(1)}");
        result.Setup.Add($"Sigmoid: {Describe.Declaration(VanishingSigmoidNet.Descriptor)}");
        result.Setup.Add($"ReLU: {Describe.Declaration(VanishingReluNet.Descriptor)}");
        result.Setup.Add($"Plain SGD η = 0.1, batch {s.BatchSize}, {s.Epochs} epochs on the first {train.Count:N0} training digits, tested on {test.Count:N0} test digits; Keras' default initialization (Glorot for sigmoid, He for ReLU).");
        result.Setup.Add($"Gradient norms: the L2 norm of each layer's weight gradient (`LayerGradientNorms`) of the mean loss over the first {probeX.Length / 784:N0} training digits, at initialization and after epoch 1.");
        result.Setup.Add($"Seeds {string.Join(", ", context.SeedList)} (initialization and shuffling).");

        var norms = new Table("Weight-gradient norm per layer (mean ± std over seeds)", "layer", "sigmoid, init", "sigmoid, after epoch 1", "ReLU, init", "ReLU, after epoch 1");
        for (int l = 0; l < layers; l++)
        {
            norms.Add(l == layers - 1 ? $"{l + 1} (output)" : $"{l + 1}",
                Summary.Of(sigmoid.Select(m => m.Init[l])).Sci(), Summary.Of(sigmoid.Select(m => m.After[l])).Sci(),
                Summary.Of(relu.Select(m => m.Init[l])).Sci(), Summary.Of(relu.Select(m => m.After[l])).Sci());
        }
        result.Tables.Add(norms);
        var learning = new Table("Learning (mean ± std over seeds)", "network", "test accuracy after epoch 1", $"test accuracy after epoch {s.Epochs}", "training loss, last epoch");
        foreach ((string name, Measurement[] m) in new[] { ("sigmoid", sigmoid), ("ReLU", relu) })
        {
            learning.Add(name, Summary.Of(m.Select(x => x.Run.Curve(r => r.ValidationAccuracy, 1)[0])).Percent(),
                Summary.Of(m.Select(x => x.Run.FinalValidationAccuracy)).Percent(), Summary.Of(m.Select(x => x.Run.FinalTrainLoss)).Format("F4"));
        }
        result.Tables.Add(learning);

        double[] layerAxis = Enumerable.Range(1, layers).Select(l => (double)l).ToArray();
        Series Norms(string label, IEnumerable<double[]> perSeed)
        {
            double[][] all = perSeed.ToArray();
            double[] geometric = Enumerable.Range(0, layers).Select(l => Math.Exp(all.Average(v => Math.Log(v[l])))).ToArray();
            return new Series(label, layerAxis, geometric,
                Enumerable.Range(0, layers).Select(l => all.Min(v => v[l])).ToArray(),
                Enumerable.Range(0, layers).Select(l => all.Max(v => v[l])).ToArray());
        }
        const string normsFile = "e01-gradient-norms.png";
        Charts.Save(context.PlotPath(normsFile),
        [
            p => Charts.Lines(p, "At initialization", "layer (1 = input side)", "‖∂L/∂W‖ (log scale)",
                [Norms("sigmoid", sigmoid.Select(m => m.Init)), Norms("ReLU", relu.Select(m => m.Init))], logY: true, integerX: true, legend: ScottPlot.Alignment.LowerRight),
            p => Charts.Lines(p, "After epoch 1", "layer (1 = input side)", "‖∂L/∂W‖ (log scale)",
                [Norms("sigmoid", sigmoid.Select(m => m.After)), Norms("ReLU", relu.Select(m => m.After))], logY: true, integerX: true, legend: ScottPlot.Alignment.LowerRight),
        ]);
        result.Plots.Add(new PlotFile(normsFile, "Weight-gradient norm per layer, geometric mean over seeds (band: min–max), log scale."));

        const string curvesFile = "e01-learning-curves.png";
        double[] epochs = Runs.Epochs(s.Epochs);
        Charts.Save(context.PlotPath(curvesFile),
        [
            p => Charts.Lines(p, "Test accuracy", "epoch", "%",
                [Curve("sigmoid", sigmoid, r => r.ValidationAccuracy * 100), Curve("ReLU", relu, r => r.ValidationAccuracy * 100)], integerX: true, legend: ScottPlot.Alignment.MiddleRight),
            p => Charts.Lines(p, "Training loss", "epoch", "mean mini-batch cross-entropy",
                [Curve("sigmoid", sigmoid, r => r.TrainLoss), Curve("ReLU", relu, r => r.TrainLoss)], integerX: true, legend: ScottPlot.Alignment.MiddleRight),
        ]);
        result.Plots.Add(new PlotFile(curvesFile, "Learning curves, mean ± std over seeds."));
        return result;

        Series Curve(string label, Measurement[] m, Func<EpochRecord, double?> pick)
        {
            double[][] curves = m.Select(x => x.Run.Curve(pick, s.Epochs)).ToArray();
            return Series.WithStd(label, epochs,
                Enumerable.Range(0, s.Epochs).Select(e => Summary.Of(curves.Select(c => c[e])).Mean).ToArray(),
                Enumerable.Range(0, s.Epochs).Select(e => Summary.Of(curves.Select(c => c[e])).Std).ToArray());
        }

        Measurement Measure<TNet>(string name, int seed) where TNet : class, INetwork<TNet>
        {
            var model = Model<TNet>.Create(seed);
            model.Network.ComputeGradients(probeX, probeY);
            double[] init = model.Network.LayerGradientNorms();
            double[]? after = null;
            IProgress<FitProgress> progress = new EpochHook(tracker.Start($"{name}, seed {seed}"), record =>
            {
                if (record.Epoch != 1) return;
                model.Network.ComputeGradients(probeX, probeY); // the next mini-batch overwrites these gradients before any step
                after = model.Network.LayerGradientNorms();
            });
            FitRun run = Runs.Fit(model, train, new FitOptions
            {
                Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = seed, ValidationData = test, TrainingAccuracySamples = 0, Threads = context.Threads,
            }, progress, context.Cancellation);
            tracker.Finish();
            return new Measurement(init, after ?? init.Select(_ => double.NaN).ToArray(), run);
        }
    }

    private sealed record Measurement(double[] Init, double[] After, FitRun Run);
}
