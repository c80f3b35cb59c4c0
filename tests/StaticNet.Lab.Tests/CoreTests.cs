using StaticNet.Samples.Lab;
using StaticNet.Samples.Lab.Experiments;
using StaticNet.Training;

namespace StaticNet.Lab.Tests;

/// <summary>The lab's plumbing: statistics, formatting, tables, declarations, the catalog, the runner and the report.</summary>
public sealed class CoreTests
{
    [Fact]
    public void Summary_is_the_mean_and_the_sample_standard_deviation()
    {
        Summary s = Summary.Of([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, s.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), s.Std, 12); // Σ(x − 2.5)² = 5, over n − 1 = 3
        Assert.Equal(4, s.Count);
        Assert.Equal(0, Summary.Of([0.7]).Std);
        Assert.True(double.IsNaN(Summary.Of([1.0, double.NaN]).Mean));
        Assert.Equal("diverged", Summary.Of([1.0, double.NaN]).Percent());
        Assert.Equal("97.81 ± 0.12 %", new Summary(0.9781, 0.0012, 3).Percent());
        Assert.Equal("0.123 ± 0.004", new Summary(0.1234, 0.0041, 3).Format("F3"));
        Assert.Throws<ArgumentException>(() => Summary.Of([]));
    }

    [Fact]
    public void Formats_are_invariant_and_readable()
    {
        Assert.Equal("2.32e-5", Fmt.Sci(2.3213e-5));
        Assert.Equal("1.00e1", Fmt.Sci(9.9999));
        Assert.Equal("-4.5e3", Fmt.Sci(-4512, 2));
        Assert.Equal("0", Fmt.Sci(0));
        Assert.Equal("97.81 %", Fmt.Percent(0.9781));
        Assert.Equal("+1.23 points", Fmt.Points(0.0123));
        Assert.Equal("−0.50 points", Fmt.Points(-0.005));
        Assert.Equal("850.0 µs", Fmt.Time(TimeSpan.FromMicroseconds(850)));
        Assert.Equal("12.3 ms", Fmt.Time(TimeSpan.FromMilliseconds(12.3)));
        Assert.Equal("4.56 s", Fmt.Time(TimeSpan.FromSeconds(4.56)));
        Assert.Equal("2 min 03 s", Fmt.Time(TimeSpan.FromSeconds(123.4)));
    }

    [Fact]
    public void Table_renders_markdown_and_rejects_ragged_rows()
    {
        var table = new Table("Caption", "a", "b");
        table.Add("1", "x|y");
        Assert.Equal("**Caption**\n\n| a | b |\n| --- | --- |\n| 1 | x\\|y |\n", table.ToMarkdown());
        ArgumentException e = Assert.Throws<ArgumentException>(() => table.Add("only one"));
        Assert.Contains("2 columns", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declarations_are_rendered_from_the_descriptor()
    {
        Assert.Equal("`[Network(Inputs = 784, Optimizer = Sgd, LearningRate = 0.1)] [Dense(64, Sigmoid)] × 8 [Dense(10)]` (80,010 parameters)",
            Describe.Declaration(VanishingSigmoidNet.Descriptor));
        Assert.Equal("784-64×8-10", Describe.Shape(VanishingSigmoidNet.Descriptor));
        Assert.Equal("`[Network(Inputs = 784, Optimizer = Sgd, LearningRate = 0.1)] [Maxout(32, 2)] × 2 [Dense(10)]` (52,682 parameters)",
            Describe.Declaration(ActivationMaxoutNet.Descriptor));
        Assert.Equal("`[Network(Inputs = 784, Optimizer = Sgd, LearningRate = 0.1, InputDropout = 0.2, DropoutForm = Notes)] [Dense(256, ReLU, Dropout = 0.5)] [Dense(10)]` (203,530 parameters)",
            Describe.Declaration(DropoutNotesFormNet.Descriptor));
        Assert.Contains("[Dense(64, ReLU, BatchNorm = true)] × 2", Describe.Declaration(BatchNormDeepNet.Descriptor), StringComparison.Ordinal);
        Assert.Contains("NotesForm = true", Describe.Declaration(OptimizerAdagradNotesNet.Descriptor, "NotesForm = true"), StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_has_the_thirteen_experiments_in_order_with_unique_names()
    {
        IReadOnlyList<Experiment> all = Catalog.All;
        Assert.Equal(Enumerable.Range(1, 13), all.Select(e => e.Number));
        Assert.Equal(all.Count, all.Select(e => e.Id).Distinct().Count());
        Assert.All(all, e => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", e.Id));
        Assert.All(all, e => Assert.False(string.IsNullOrWhiteSpace(e.Claim) || string.IsNullOrWhiteSpace(e.Rule) || string.IsNullOrWhiteSpace(e.Title)));
    }

    [Fact]
    public void Only_selects_by_id_or_number_in_the_lab_order()
    {
        Assert.Equal([3, 9], Catalog.Select("dropout, batch-size").Select(e => e.Number));
        Assert.Equal([1, 13], Catalog.Select("13,1,1").Select(e => e.Number));
        Assert.Equal(13, Catalog.Select(null).Count);
        Assert.Equal(13, Catalog.Select(" ").Count);
        ArgumentException e = Assert.Throws<ArgumentException>(() => Catalog.Select("batch-size,dropuot"));
        Assert.Contains("'dropuot'", e.Message, StringComparison.Ordinal);
        Assert.Contains("9 dropout", e.Message, StringComparison.Ordinal);
        Assert.Equal("only", e.ParamName);
    }

    [Fact]
    public void Reordered_copies_rows_and_labels_in_the_given_order()
    {
        var data = new Dataset(new float[] { 0, 0, 1, 1, 2, 2 }, 2, new[] { 7, 8, 9 });
        Dataset r = Runs.Reordered(data, [2, 0, 1]);
        Assert.Equal(new float[] { 2, 2, 0, 0, 1, 1 }, r.Features.ToArray());
        Assert.Equal(new[] { 9, 7, 8 }, r.Labels.ToArray());
        Assert.Throws<ArgumentException>(() => Runs.Reordered(data, [0, 1]));
    }

    [Fact]
    public void Mean_curve_skips_missing_epochs()
    {
        double[] mean = Runs.MeanCurve([[1, 2, 3], [3, double.NaN, double.NaN], [2, 4]]);
        Assert.Equal(2, mean[0], 12);
        Assert.Equal(3, mean[1], 12);
        Assert.Equal(3, mean[2], 12);
    }

    [Fact]
    public void Runner_records_a_failing_experiment_and_goes_on()
    {
        var context = new LabContext { Data = null!, OutputDirectory = Path.GetTempPath() };
        var finished = new List<ExperimentRun>();
        IReadOnlyList<ExperimentRun> runs = LabRunner.Run(context, [new Failing(), new Succeeding()], null, finished.Add);
        Assert.Equal(2, runs.Count);
        Assert.Null(runs[0].Result);
        Assert.Equal("InvalidOperationException: broken on purpose", runs[0].Error);
        Assert.NotNull(runs[1].Result);
        Assert.Equal(runs, finished);

        string report = Report.Render(new RunInfo("dotnet run -c Release --project samples/Lab", DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(90), "test machine", 3, 1, false), runs);
        Assert.Contains("| 101 | [Failing](#e101-failing) | failed | InvalidOperationException: broken on purpose |", report, StringComparison.Ordinal);
        Assert.Contains("| 102 | [Succeeding](#e102-succeeding) | reproduced | all good |", report, StringComparison.Ordinal);
        Assert.Contains("**Failed:** InvalidOperationException: broken on purpose", report, StringComparison.Ordinal);
        Assert.Contains("**Verdict: reproduced**, because ✓ works (1 = 1).", report, StringComparison.Ordinal);
        Assert.Contains("total 1 min 30 s", report, StringComparison.Ordinal);
        Assert.DoesNotContain("Tiny configuration", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Runner_stops_on_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var context = new LabContext { Data = null!, OutputDirectory = Path.GetTempPath(), Cancellation = cancel.Token };
        Assert.Throws<OperationCanceledException>(() => LabRunner.Run(context, [new Succeeding()]));
    }

    private sealed class Failing : Experiment
    {
        public override int Number => 101;
        public override string Id => "failing";
        public override string Title => "Failing";
        public override string Claim => "c";
        public override string Rule => "r";
        public override ExperimentResult Run(LabContext context) => throw new InvalidOperationException("broken on purpose");
    }

    private sealed class Succeeding : Experiment
    {
        public override int Number => 102;
        public override string Id => "succeeding";
        public override string Title => "Succeeding";
        public override string Claim => "c";
        public override string Rule => "r";
        public override ExperimentResult Run(LabContext context) => new(ClaimVerdict.FromParts(new Part("works", true, "1 = 1")), "all good");
    }
}

/// <summary>FitUntil stops a fit after the first epoch that meets the condition, with that epoch's weights.</summary>
[Collection(LabCollection.Name)]
public sealed class FitUntilTests(LabFixture fixture)
{
    [Fact]
    public void Stops_after_the_epoch_that_meets_the_condition()
    {
        Dataset train = fixture.Data.Training(200);
        var model = Model<ShufflingNet>.Create(1);
        FitRun run = Runs.FitUntil(model, train, new FitOptions { Epochs = 6, BatchSize = 32, TrainingAccuracySamples = 0 }, r => r.Epoch == 2, null, CancellationToken.None);
        Assert.Equal(2, run.History.Epochs.Count);
        Assert.False(run.Diverged);

        // The weights are those after epoch 2: the same as a two-epoch fit from the same seeds.
        var reference = Model<ShufflingNet>.Create(1);
        reference.Fit(train, new FitOptions { Epochs = 2, BatchSize = 32, TrainingAccuracySamples = 0 });
        Assert.Equal(reference.Network.Parameters.ToArray(), model.Network.Parameters.ToArray());
    }

    [Fact]
    public void Outside_cancellation_still_propagates()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var model = Model<ShufflingNet>.Create(1);
        Assert.Throws<TrainingCanceledException>(() =>
            Runs.FitUntil(model, fixture.Data.Training(100), new FitOptions { Epochs = 2, TrainingAccuracySamples = 0 }, _ => false, null, cancel.Token));
    }

    [Fact]
    public void A_diverging_fit_is_a_result()
    {
        // Inputs near float's largest value overflow the sums within the first mini-batches.
        Dataset digits = fixture.Data.Training(200);
        float[] huge = digits.Features.ToArray().Select(x => x * 1e38f).ToArray();
        var model = Model<InputScalingNet>.Create(1);
        FitRun run = Runs.Fit(model, new Dataset(huge, digits.InputWidth, digits.Labels), new FitOptions { Epochs = 3, BatchSize = 32, TrainingAccuracySamples = 0 }, null, CancellationToken.None);
        Assert.True(run.Diverged);
        Assert.StartsWith("epoch 1, step ", run.DivergedAt, StringComparison.Ordinal);
        Assert.Empty(run.History.Epochs);
        Assert.True(double.IsNaN(run.FinalTrainLoss));
        Assert.True(double.IsNaN(run.FinalValidationAccuracy));
    }
}
