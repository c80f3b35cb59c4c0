namespace StaticNet.Training;

/// <summary>What the time <c>t</c> of a <see cref="LearningRateSchedule"/> counts.</summary>
public enum ScheduleUnit
{
    /// <summary>t is the number of completed epochs: 0 during the first epoch (PyTorch's <c>scheduler.step()</c> once per epoch, Keras' <c>LearningRateScheduler</c>).</summary>
    Epoch = 0,

    /// <summary>t is the number of completed optimizer steps since the fit began: 0 for the first mini-batch (Keras' <c>LearningRateSchedule</c> objects).</summary>
    Step = 1,
}

/// <summary>
/// A learning-rate schedule: the learning rate η for a given epoch and step. <c>Fit</c> asks the
/// schedule before every optimizer step and sets <see cref="INetwork.LearningRate"/> to its
/// answer, so per-epoch schedules hold η for a whole epoch and per-step schedules change it every
/// step. A schedule is a small immutable object: asking it allocates nothing.
/// </summary>
/// <remarks>
/// Epochs and steps are counted from 0 here (the first epoch is epoch 0, the first step is step 0),
/// as in Keras and PyTorch, so every schedule starts at its initial rate α₀. The training
/// history numbers epochs from 1.
/// </remarks>
public abstract class LearningRateSchedule
{
    /// <summary>Schedules are created through the static factories or by deriving from this class.</summary>
    protected LearningRateSchedule()
    {
    }

    /// <summary>The learning rate for an optimizer step.</summary>
    /// <param name="epoch">The number of completed epochs (0 in the first epoch).</param>
    /// <param name="step">The number of completed optimizer steps since the fit began (0 for the first mini-batch).</param>
    /// <returns>η, a finite positive number for every valid schedule.</returns>
    public abstract double LearningRate(int epoch, long step);

    /// <summary>α = α₀ at every epoch and step.</summary>
    /// <param name="rate">The learning rate α₀, finite and positive.</param>
    public static LearningRateSchedule Constant(double rate) => new ConstantSchedule(rate);

    /// <summary>Step decay: α = α₀·γ^⌊t/k⌋, multiplying the rate by γ every <paramref name="every"/> units of t (PyTorch's <c>StepLR</c>).</summary>
    /// <param name="initialRate">α₀, finite and positive.</param>
    /// <param name="gamma">The factor γ, finite and positive (0.5 halves the rate).</param>
    /// <param name="every">k, at least 1.</param>
    /// <param name="unit">Whether t counts epochs (default) or steps.</param>
    public static LearningRateSchedule StepDecay(double initialRate, double gamma, int every, ScheduleUnit unit = ScheduleUnit.Epoch) =>
        new StepDecaySchedule(initialRate, gamma, every, unit);

    /// <summary>Exponential decay: α = α₀·e^(−k·t).</summary>
    /// <param name="initialRate">α₀, finite and positive.</param>
    /// <param name="k">The decay rate k, finite and not negative.</param>
    /// <param name="unit">Whether t counts epochs (default) or steps.</param>
    public static LearningRateSchedule Exponential(double initialRate, double k, ScheduleUnit unit = ScheduleUnit.Epoch) =>
        new ExponentialDecaySchedule(initialRate, k, unit);

    /// <summary>1/t decay: α = α₀ / (1 + k·t) (Keras' <c>InverseTimeDecay</c> with <c>decay_steps</c> 1).</summary>
    /// <param name="initialRate">α₀, finite and positive.</param>
    /// <param name="k">The decay rate k, finite and not negative.</param>
    /// <param name="unit">Whether t counts epochs (default) or steps.</param>
    public static LearningRateSchedule InverseTime(double initialRate, double k, ScheduleUnit unit = ScheduleUnit.Epoch) =>
        new InverseTimeDecaySchedule(initialRate, k, unit);

    /// <summary>
    /// A user-supplied function of (epoch, step), both counted from 0. <c>Fit</c> calls it before
    /// every step; it should not allocate, and must return a finite positive rate (<c>Fit</c>
    /// stops with an <see cref="InvalidOperationException"/> naming the epoch and step otherwise).
    /// </summary>
    /// <param name="function">The function.</param>
    public static LearningRateSchedule Custom(Func<int, long, double> function) => new FunctionSchedule(function);

    /// <summary>Throws unless <paramref name="value"/> is finite and positive.</summary>
    private protected static double Positive(double value, string parameterName)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be a finite positive number.");
        }
        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and not negative.</summary>
    private protected static double NotNegative(double value, string parameterName)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be a finite number, 0 or more.");
        }
        return value;
    }

    /// <summary>Throws unless <paramref name="unit"/> is a defined value.</summary>
    private protected static ScheduleUnit Defined(ScheduleUnit unit, string parameterName) =>
        unit is ScheduleUnit.Epoch or ScheduleUnit.Step
            ? unit
            : throw new ArgumentOutOfRangeException(parameterName, unit, $"{parameterName} must be {nameof(ScheduleUnit.Epoch)} or {nameof(ScheduleUnit.Step)}.");

    /// <summary>t for <paramref name="unit"/>.</summary>
    private protected static double Time(ScheduleUnit unit, int epoch, long step) => unit == ScheduleUnit.Epoch ? epoch : step;
}

/// <summary>α = α₀, whatever the epoch and step.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="rate">α₀, finite and positive.</param>
    public ConstantSchedule(double rate) => Rate = Positive(rate, nameof(rate));

    /// <summary>α₀.</summary>
    public double Rate { get; }

    /// <inheritdoc />
    public override double LearningRate(int epoch, long step) => Rate;

    /// <inheritdoc />
    public override string ToString() => $"constant {Rate:G6}";
}

/// <summary>α = α₀·γ^⌊t/k⌋.</summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialRate">α₀, finite and positive.</param>
    /// <param name="gamma">γ, finite and positive.</param>
    /// <param name="every">k, at least 1.</param>
    /// <param name="unit">What t counts.</param>
    public StepDecaySchedule(double initialRate, double gamma, int every, ScheduleUnit unit = ScheduleUnit.Epoch)
    {
        InitialRate = Positive(initialRate, nameof(initialRate));
        Gamma = Positive(gamma, nameof(gamma));
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        Every = every;
        Unit = Defined(unit, nameof(unit));
    }

    /// <summary>α₀.</summary>
    public double InitialRate { get; }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <summary>k.</summary>
    public int Every { get; }

    /// <summary>What t counts.</summary>
    public ScheduleUnit Unit { get; }

    /// <inheritdoc />
    public override double LearningRate(int epoch, long step)
    {
        long t = Unit == ScheduleUnit.Epoch ? epoch : step;
        return InitialRate * Math.Pow(Gamma, t / Every);
    }

    /// <inheritdoc />
    public override string ToString() => $"step decay {InitialRate:G6} × {Gamma:G6} every {Every} {(Unit == ScheduleUnit.Epoch ? "epochs" : "steps")}";
}

/// <summary>α = α₀·e^(−k·t).</summary>
public sealed class ExponentialDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialRate">α₀, finite and positive.</param>
    /// <param name="k">k, finite and not negative.</param>
    /// <param name="unit">What t counts.</param>
    public ExponentialDecaySchedule(double initialRate, double k, ScheduleUnit unit = ScheduleUnit.Epoch)
    {
        InitialRate = Positive(initialRate, nameof(initialRate));
        K = NotNegative(k, nameof(k));
        Unit = Defined(unit, nameof(unit));
    }

    /// <summary>α₀.</summary>
    public double InitialRate { get; }

    /// <summary>k.</summary>
    public double K { get; }

    /// <summary>What t counts.</summary>
    public ScheduleUnit Unit { get; }

    /// <inheritdoc />
    public override double LearningRate(int epoch, long step) => InitialRate * Math.Exp(-K * Time(Unit, epoch, step));

    /// <inheritdoc />
    public override string ToString() => $"exponential {InitialRate:G6}·e^(−{K:G6}·t) per {(Unit == ScheduleUnit.Epoch ? "epoch" : "step")}";
}

/// <summary>α = α₀ / (1 + k·t).</summary>
public sealed class InverseTimeDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialRate">α₀, finite and positive.</param>
    /// <param name="k">k, finite and not negative.</param>
    /// <param name="unit">What t counts.</param>
    public InverseTimeDecaySchedule(double initialRate, double k, ScheduleUnit unit = ScheduleUnit.Epoch)
    {
        InitialRate = Positive(initialRate, nameof(initialRate));
        K = NotNegative(k, nameof(k));
        Unit = Defined(unit, nameof(unit));
    }

    /// <summary>α₀.</summary>
    public double InitialRate { get; }

    /// <summary>k.</summary>
    public double K { get; }

    /// <summary>What t counts.</summary>
    public ScheduleUnit Unit { get; }

    /// <inheritdoc />
    public override double LearningRate(int epoch, long step) => InitialRate / (1.0 + K * Time(Unit, epoch, step));

    /// <inheritdoc />
    public override string ToString() => $"1/t decay {InitialRate:G6}/(1 + {K:G6}·t) per {(Unit == ScheduleUnit.Epoch ? "epoch" : "step")}";
}

/// <summary>A user-supplied function of (epoch, step).</summary>
public sealed class FunctionSchedule : LearningRateSchedule
{
    private readonly Func<int, long, double> _function;

    /// <summary>Creates the schedule.</summary>
    /// <param name="function">The function of (epoch, step), both counted from 0.</param>
    public FunctionSchedule(Func<int, long, double> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        _function = function;
    }

    /// <inheritdoc />
    public override double LearningRate(int epoch, long step) => _function(epoch, step);

    /// <inheritdoc />
    public override string ToString() => "custom";
}
