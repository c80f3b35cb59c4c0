using System.ComponentModel;

namespace StaticNet.Compiled;

/// <summary>
/// Everything one generated network instance holds: its parameters, gradients, optimizer state and running statistics
/// (one 64-byte aligned block each), its hyperparameters, its training noise and optimizer step counters, and its work
/// buffers behind the guard that refuses concurrent calls. The generated class keeps this one field, so that the user's
/// class gets nothing but its public API. Used by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NetworkState
{
    /// <summary>The largest optimizer step: 2⁵³, the last count a double holds exactly (Adam's bias correction raises β to it).</summary>
    public const long MaxOptimizerStep = 1L << 53;

    private long _optimizerStep;

    /// <summary>A new network's state: every buffer zeroed.</summary>
    public NetworkState(int parameterCount, int optimizerSlots, int statisticCount, Hyperparameters hyperparameters)
    {
        Parameters = new AlignedBuffer(parameterCount);
        Gradients = new AlignedBuffer(parameterCount);
        OptimizerState = new AlignedBuffer(checked(optimizerSlots * parameterCount));
        Statistics = new AlignedBuffer(statisticCount);
        Hyperparameters = hyperparameters;
    }

    /// <summary>
    /// The state of a replica of <paramref name="primary"/> for data-parallel training: the primary's parameters, optimizer
    /// state and hyperparameters (the same objects), its own gradients, work buffers and a copy of the running statistics.
    /// </summary>
    public NetworkState(NetworkState primary)
    {
        ArgumentNullException.ThrowIfNull(primary);
        Parameters = primary.Parameters;
        Gradients = new AlignedBuffer(primary.Gradients.Length);
        OptimizerState = primary.OptimizerState;
        Statistics = new AlignedBuffer(primary.Statistics.Length);
        primary.Statistics.Span.CopyTo(Statistics.Span);
        Hyperparameters = primary.Hyperparameters;
        NoiseSeed = primary.NoiseSeed;
        NoiseStep = primary.NoiseStep;
        _optimizerStep = primary._optimizerStep;
    }

    /// <summary>The parameters, every tensor in PyTorch's layout, in the order of the network's description.</summary>
    public AlignedBuffer Parameters { get; }

    /// <summary>∂L/∂θ, laid out as the parameters.</summary>
    public AlignedBuffer Gradients { get; }

    /// <summary>The optimizer's state: its slots one after the other, each laid out as the parameters.</summary>
    public AlignedBuffer OptimizerState { get; }

    /// <summary>Batch normalization's running means and variances.</summary>
    public AlignedBuffer Statistics { get; }

    /// <summary>The hyperparameters the optimizer step reads (shared with replicas).</summary>
    public Hyperparameters Hyperparameters { get; }

    /// <summary>The seed of the training noise (dropout masks, RReLU slopes).</summary>
    public uint NoiseSeed { get; set; }

    /// <summary>The training step whose noise the next training pass draws.</summary>
    public long NoiseStep { get; set; }

    /// <summary>The number of optimizer steps taken, t; 0 to <see cref="MaxOptimizerStep"/>.</summary>
    public long OptimizerStep
    {
        get => _optimizerStep;
        set
        {
            if (value is < 0 or > MaxOptimizerStep)
            {
                throw new ArgumentOutOfRangeException(nameof(OptimizerStep), value, $"The optimizer step counts the steps taken: 0 to {MaxOptimizerStep}.");
            }
            _optimizerStep = value;
        }
    }

    /// <summary>The next optimizer step, t + 1, after checking that it can be counted.</summary>
    public long NextOptimizerStep()
    {
        if (_optimizerStep >= MaxOptimizerStep)
        {
            throw new InvalidOperationException($"The optimizer has taken {MaxOptimizerStep} steps, the most it counts; ResetOptimizer to go on.");
        }
        return _optimizerStep + 1;
    }

    /// <summary>The work buffers and the guard against concurrent calls.</summary>
    public ExclusiveWorkspace Work { get; } = new();
}
