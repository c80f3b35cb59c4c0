using System.Globalization;
using StaticNet.Training;

namespace StaticNet.Samples.Lab.Experiments;

/// <summary>Experiment 11's member network.</summary>
[Network(Inputs = 784, Optimizer = Optimizer.Sgd, LearningRate = 0.1f)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class EnsembleMemberNet;

/// <summary>11. Ensembles: test accuracy against the number of averaged members.</summary>
public sealed class Ensembles : Experiment
{
    /// <summary>The scale of a run.</summary>
    /// <param name="Training">Training digits.</param>
    /// <param name="Test">Test digits.</param>
    /// <param name="Epochs">Epochs per member.</param>
    /// <param name="BatchSize">Mini-batch rows.</param>
    /// <param name="Sizes">The ensemble sizes (the largest is the number of members trained per seed).</param>
    public sealed record Settings(int Training, int Test, int Epochs, int BatchSize, int[] Sizes);

    /// <summary>The report's configuration.</summary>
    public static Settings Full { get; } = new(10_000, 10_000, 5, 32, [1, 3, 5, 10]);

    /// <summary>The tests' configuration.</summary>
    public static Settings Tiny { get; } = new(200, 200, 1, 32, [1, 3]);

    /// <summary>What the rule looks at: test accuracy per ensemble size.</summary>
    /// <param name="Sizes">The sizes, ascending (the first is 1).</param>
    /// <param name="Accuracy">Test accuracy per size.</param>
    public sealed record Figures(int[] Sizes, Summary[] Accuracy);

    /// <inheritdoc />
    public override int Number => 11;

    /// <inheritdoc />
    public override string Id => "ensembles";

    /// <inheritdoc />
    public override string Title => "Ensembles";

    /// <inheritdoc />
    public override string Claim =>
        "Averaging the outputs of independently trained networks beats a single network, and each added member helps less than the one before.";

    /// <inheritdoc />
    public override string Rule =>
        "Three parts, on the mean test accuracy over seeds. (a) The second size (3 members) beats a single network by at least 0.3 points. " +
        "(b) The accuracy never falls as members are added (1 ≤ 3 ≤ 5 ≤ 10). (c) Diminishing returns: the gain of the last step (5 → 10) is smaller than the gain of the first (1 → 3). " +
        "All three: reproduced; none: not reproduced; otherwise partly.";

    /// <summary>The rule.</summary>
    public static ClaimVerdict Judge(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        double[] m = f.Accuracy.Select(a => a.Mean).ToArray();
        bool monotone = Enumerable.Range(1, m.Length - 1).All(i => m[i] >= m[i - 1]);
        double first = m[1] - m[0], last = m[^1] - m[^2];
        string curve = string.Join(", ", f.Sizes.Select((k, i) => $"{k}: {Fmt.Percent(m[i])}"));
        return ClaimVerdict.FromParts(
            new Part($"{f.Sizes[1]} members ≥ 1 + 0.3 points", first >= 0.003, $"{Fmt.Points(first)}"),
            new Part("never falls with more members", monotone, curve),
            new Part("diminishing returns", m.Length > 2 && last < first, $"first step {Fmt.Points(first)}, last step {Fmt.Points(last)}"));
    }

    /// <inheritdoc />
    public override ExperimentResult Run(LabContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Settings s = context.Tiny ? Tiny : Full;
        Dataset train = context.Data.Training(s.Training), test = context.Data.Test(s.Test);
        int members = s.Sizes.Max();
        RunTracker tracker = context.Track(context.Seeds * members);
        var accuracy = s.Sizes.Select(_ => new List<double>()).ToArray();
        var loss = s.Sizes.Select(_ => new List<double>()).ToArray();
        var single = new List<double>();
        foreach (int seed in context.SeedList)
        {
            // Member i of group `seed` is initialized from seed·100 + i and shuffles with the same number: no member is shared between groups.
            int first = seed * 100;
            var ensemble = Ensemble<EnsembleMemberNet>.Create(members, first);
            ensemble.Fit(train, new FitOptions { Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = first, TrainingAccuracySamples = 0, Threads = context.Threads },
                new MemberProgress(tracker, seed, members), context.Cancellation);
            for (int k = 0; k < s.Sizes.Length; k++)
            {
                EnsembleEvaluation e = new Ensemble<EnsembleMemberNet>(ensemble.Members.Take(s.Sizes[k])).Evaluate(test);
                accuracy[k].Add(e.Ensemble.Accuracy ?? double.NaN);
                loss[k].Add(e.Ensemble.Loss);
                if (k == s.Sizes.Length - 1) single.AddRange(e.Members.Select(m => m.Accuracy ?? double.NaN));
            }
        }

        var figures = new Figures(s.Sizes, accuracy.Select(Summary.Of).ToArray());
        var result = new ExperimentResult(Judge(figures),
            "test accuracy by members: " + string.Join(", ", s.Sizes.Select((k, i) => $"{k}: {figures.Accuracy[i].Percent()}")));
        result.Setup.Add($"Members: {Describe.Declaration(EnsembleMemberNet.Descriptor)}, plain SGD η = 0.1, batch {s.BatchSize}, {s.Epochs} epochs on the first {train.Count:N0} training digits " +
                         "(a subset: weaker members leave the average room to help).");
        result.Setup.Add($"Per seed s, `Ensemble<EnsembleMemberNet>.Create({members}, 100·s)` then `Fit`: member i initialized and shuffled from 100·s + i, so no member is shared between seeds. " +
                         $"The ensembles of size {string.Join(", ", s.Sizes)} are the first members of each group; `Evaluate` averages their softmax probabilities on {test.Count:N0} test digits.");
        result.Setup.Add($"Seeds {string.Join(", ", context.SeedList)} ({context.Seeds * members} networks in all).");

        var table = new Table("Per ensemble size (mean ± std over seeds)", "members", "test accuracy", "test loss (of the averaged probabilities)", "gain over one network");
        for (int k = 0; k < s.Sizes.Length; k++)
        {
            table.Add(s.Sizes[k].ToString(CultureInfo.InvariantCulture), figures.Accuracy[k].Percent(), Summary.Of(loss[k]).Format("F4"),
                Fmt.Points(figures.Accuracy[k].Mean - figures.Accuracy[0].Mean));
        }
        result.Tables.Add(table);
        result.Notes.Add($"The {single.Count} individual networks: test accuracy {Summary.Of(single).Percent()} (min {Fmt.Percent(single.Min())}, max {Fmt.Percent(single.Max())}).");

        const string file = "e11-ensembles.png";
        double[] sizes = s.Sizes.Select(k => (double)k).ToArray();
        Charts.Save(context.PlotPath(file), p =>
        {
            Charts.Lines(p, "Test accuracy against ensemble size", "members", "%",
            [
                Series.WithStd("ensemble (mean ± std over seeds)", sizes, figures.Accuracy.Select(a => a.Mean * 100).ToArray(), figures.Accuracy.Select(a => a.Std * 100).ToArray()),
                new Series("best single member", sizes, sizes.Select(_ => single.Max() * 100).ToArray()),
                new Series("mean single member", sizes, sizes.Select(_ => single.Average() * 100).ToArray()),
            ], integerX: true, legend: ScottPlot.Alignment.LowerRight);
        });
        result.Plots.Add(new PlotFile(file, "Ensemble test accuracy against the number of members, beside the best and the mean single network."));
        return result;
    }

    /// <summary>Moves the tracker as the members train.</summary>
    private sealed class MemberProgress(RunTracker tracker, int seed, int members) : IProgress<EnsembleProgress>
    {
        private int _member = -1;
        private IProgress<FitProgress>? _inner;

        public void Report(EnsembleProgress value)
        {
            if (value.Member != _member)
            {
                if (_member >= 0) tracker.Finish();
                _member = value.Member;
                _inner = tracker.Start($"seed {seed}, member {value.Member + 1}/{members}");
            }
            _inner!.Report(value.Progress);
            if (value.Member == members - 1 && value.Progress.Completed is not null && value.Progress.Epoch == value.Progress.Epochs) tracker.Finish();
        }
    }
}
