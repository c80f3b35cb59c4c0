using StaticNet.Training;

namespace StaticNet.Tests.Training;

/// <summary>Each schedule yields its formula's sequence (values written out by hand), and Fit consults it.</summary>
public sealed class LearningRateScheduleTests
{
    private static double[] PerEpoch(LearningRateSchedule s, int count) =>
        Enumerable.Range(0, count).Select(e => s.LearningRate(e, step: 1000L * e + 7)).ToArray();

    private static double[] PerStep(LearningRateSchedule s, int count) =>
        Enumerable.Range(0, count).Select(t => s.LearningRate(epoch: t / 3, step: t)).ToArray();

    private static void Equal(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-15);
    }

    [Fact]
    public void Constant_is_the_same_at_every_epoch_and_step()
    {
        LearningRateSchedule s = LearningRateSchedule.Constant(0.03);
        Equal([0.03, 0.03, 0.03, 0.03], PerEpoch(s, 4));
        Equal([0.03, 0.03, 0.03, 0.03], PerStep(s, 4));
    }

    [Fact]
    public void Step_decay_multiplies_by_gamma_every_k_epochs()
    {
        // α₀ = 0.1, γ = 0.5, k = 2: 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125
        Equal([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125], PerEpoch(LearningRateSchedule.StepDecay(0.1, 0.5, 2), 7));
    }

    [Fact]
    public void Step_decay_per_step_counts_steps_not_epochs()
    {
        // α₀ = 1, γ = 0.1, k = 3 steps: 1, 1, 1, 0.1, 0.1, 0.1, 0.01
        Equal([1, 1, 1, 0.1, 0.1, 0.1, 0.01], PerStep(LearningRateSchedule.StepDecay(1, 0.1, 3, ScheduleUnit.Step), 7));
    }

    [Fact]
    public void Exponential_decay_is_alpha0_times_e_to_the_minus_kt()
    {
        // α₀ = 0.2, k = 0.5: 0.2·e^0, 0.2·e^−0.5, 0.2·e^−1, 0.2·e^−1.5, 0.2·e^−2
        Equal([0.2, 0.1213061319425267, 0.07357588823428847, 0.044626032029685965, 0.027067056647322542],
            PerEpoch(LearningRateSchedule.Exponential(0.2, 0.5), 5));
        // Per step, α₀ = 0.3, k = 0.01: 0.3, 0.3·e^−0.01, 0.3·e^−0.02, 0.3·e^−0.03
        Equal([0.3, 0.29701495012475043, 0.2940596019920266, 0.29113366006455244],
            PerStep(LearningRateSchedule.Exponential(0.3, 0.01, ScheduleUnit.Step), 4));
    }

    [Fact]
    public void One_over_t_decay_is_alpha0_over_one_plus_kt()
    {
        // α₀ = 1, k = 0.5: 1, 1/1.5, 1/2, 1/2.5, 1/3
        Equal([1.0, 0.6666666666666666, 0.5, 0.4, 0.3333333333333333], PerEpoch(LearningRateSchedule.InverseTime(1, 0.5), 5));
        // Per step, α₀ = 0.8, k = 0.1: 0.8, 0.8/1.1, 0.8/1.2, 0.8/1.3
        Equal([0.8, 0.7272727272727273, 0.6666666666666667, 0.6153846153846154],
            PerStep(LearningRateSchedule.InverseTime(0.8, 0.1, ScheduleUnit.Step), 4));
    }

    [Fact]
    public void A_custom_function_gets_epoch_and_step()
    {
        var s = LearningRateSchedule.Custom((epoch, step) => epoch + (step / 1000.0));
        Assert.Equal(2.005, s.LearningRate(2, 5), 1e-15);
    }

    [Fact]
    public void Asking_a_built_in_schedule_allocates_nothing()
    {
        LearningRateSchedule[] schedules =
        [
            LearningRateSchedule.Constant(0.1),
            LearningRateSchedule.StepDecay(0.1, 0.5, 2),
            LearningRateSchedule.Exponential(0.1, 0.01, ScheduleUnit.Step),
            LearningRateSchedule.InverseTime(0.1, 0.01),
            LearningRateSchedule.Custom(static (e, s) => 0.1 / (1 + e)),
        ];
        double sum = 0;
        foreach (LearningRateSchedule s in schedules) sum += s.LearningRate(0, 0); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            foreach (LearningRateSchedule s in schedules) sum += s.LearningRate(i / 100, i);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    [Fact]
    public void Invalid_parameters_are_refused_by_name()
    {
        Assert.Equal("rate", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(0)).ParamName);
        Assert.Equal("initialRate", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Exponential(double.NaN, 1)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDecay(0.1, 0, 1)).ParamName);
        Assert.Equal("every", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDecay(0.1, 0.5, 0)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.InverseTime(0.1, -1)).ParamName);
        Assert.Throws<ArgumentNullException>(() => LearningRateSchedule.Custom(null!));
    }

    [Fact]
    public void Fit_sets_the_learning_rate_of_every_step_from_a_per_step_schedule()
    {
        var net = new ScriptedNet();
        new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(6), new FitOptions
        {
            Epochs = 2,
            BatchSize = 2,
            TrainingAccuracySamples = 0,
            Schedule = LearningRateSchedule.InverseTime(0.8, 0.1, ScheduleUnit.Step),
        });
        // Six steps: 0.8/(1 + 0.1·t), t = 0..5, as float.
        Assert.Equal([0.8f, 0.8f / 1.1f, 0.8f / 1.2f, 0.8f / 1.3f, 0.8f / 1.4f, 0.8f / 1.5f], net.LearningRates, (a, b) => Math.Abs(a - b) <= 1e-7f);
    }

    [Fact]
    public void Fit_records_a_per_epoch_schedule_in_the_history_and_leaves_the_last_rate_on_the_network()
    {
        var model = Model<TinyFitNet>.Create(1);
        TrainingHistory history = model.Fit(SyntheticData.Blobs(12, 1).Dataset, new FitOptions
        {
            Epochs = 3,
            BatchSize = 4,
            Schedule = LearningRateSchedule.StepDecay(0.4, 0.5, 1),
        });
        Assert.Equal([0.4, 0.2, 0.1], history.Epochs.Select(e => e.LearningRate));
        Assert.Equal(0.1f, model.Network.LearningRate);
    }

    [Fact]
    public void A_schedule_that_returns_a_bad_rate_stops_the_fit_with_the_epoch_and_step()
    {
        var model = new Model<ScriptedNet>(new ScriptedNet());
        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(ScriptedNet.IndexedData(4), new FitOptions
        {
            Epochs = 3,
            BatchSize = 2,
            Schedule = LearningRateSchedule.Custom((epoch, step) => epoch == 1 ? -1 : 0.1),
        }));
        Assert.Contains("returned -1 for epoch 1 and step 2", e.Message);
    }
}
