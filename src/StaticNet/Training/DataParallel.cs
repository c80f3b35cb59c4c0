using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StaticNet.Training;

/// <summary>
/// Data-parallel training on several cores: each mini-batch is split into contiguous shards of
/// rows, one per thread; every thread computes the gradient of its shard on its own copy of the
/// network, the gradients are combined in a fixed order into the primary network's
/// <see cref="INetwork.Gradients"/>, and the primary takes one optimizer step, itself split across the threads.
/// </summary>
/// <typeparam name="TNet">The generated network class.</typeparam>
/// <remarks>
/// <para>
/// <b>What it computes.</b> With shards of r₀, r₁, … rows (sizes differ by at most one; shard 0 is
/// the first rows) the gradient is Σₖ (rₖ/r)·gₖ, where gₖ is the gradient of the mean loss over
/// shard k: mathematically the gradient of the mean loss over the whole batch, as one core computes
/// it. In floating point the sums run in another order, so the parameters agree with one-core
/// training within rounding, not bit for bit. The combination always runs shard 0, 1, 2, … for
/// every element, so with the same thread count the result is bitwise identical run to run. The
/// optimizer step (clipping, L1/L2, momentum, Adam, …) is the primary's own <see cref="INetwork.Step"/>,
/// taken once per mini-batch: each thread updates the range of parameters it combined (<see cref="INetwork.StepRange"/>),
/// right after combining it, so the step costs no pass of its own. With gradient clipping (<see cref="Hyperparameters.ClipNorm"/>
/// above 0), whose scale needs the whole combined gradient, the primary takes the step alone after the combination.
/// </para>
/// <para>
/// <b>Threads.</b> The calling thread computes shard 0 on the primary; threads − 1 persistent
/// background worker threads compute the others on replicas made with <c>TNet.CreateReplica</c>, which
/// for generated networks read the primary's parameters and hyperparameters in place (a replica that
/// does not share them gets a copy before every step), so replicas always see the latest weights. A batch with fewer rows than threads uses as many
/// threads as it has rows. Workers are woken without allocating; after warm-up a step allocates
/// nothing on any thread. <see cref="Dispose"/> stops them.
/// </para>
/// <para>
/// <b>The input spans</b> are pinned (<c>fixed</c>) for the whole call and workers read them
/// through raw pointers; every worker has finished with them before the call returns or throws,
/// so no pointer outlives the pin.
/// </para>
/// <para>
/// <b>Training noise.</b> Shard 0 draws the primary's own noise (the same masks one core would
/// draw for those rows); replica k draws from a seed derived from the primary's
/// <see cref="INetwork.NoiseSeed"/> and k, at the primary's <see cref="INetwork.NoiseStep"/>. With
/// dropout or RReLU the result is therefore deterministic run to run, and statistically the same
/// as one core, but not the same numbers. <b>Batch normalization</b> is not supported: each shard
/// would normalize with its own batch statistics, which is not what one core computes, so the
/// constructor throws <see cref="NotSupportedException"/>.
/// </para>
/// <para>
/// <b>Errors.</b> Sizes and labels are checked before any thread starts. An exception on any
/// thread is rethrown on the caller (the lowest shard's first) after every thread has stopped; no
/// step is taken, so the primary's parameters, optimizer state and step count are unchanged (its
/// <see cref="INetwork.Gradients"/> are then unspecified). Like a network, an instance is not
/// thread-safe: call it from one thread at a time.
/// </para>
/// </remarks>
public sealed unsafe class DataParallel<TNet> : IDisposable where TNet : class, INetwork<TNet>
{
    /// <summary>
    /// How long a waiting thread spins before it blocks. A step takes about a millisecond, the
    /// waits inside one are short (shards are equal), so spinning saves the tens of microseconds
    /// a blocked thread takes to wake.
    /// </summary>
    private const int SpinCount = 2047;

    private readonly TNet _primary;
    private readonly TNet[] _replicas; // index k − 1 for shard k
    private readonly bool[] _sharesParameters; // index k − 1: whether replica k reads the primary's parameter buffer
    private readonly Worker[] _workers; // index k − 1 for shard k
    private readonly int _inputs;
    private readonly int _outputs;
    private readonly int[] _shardStart;
    private readonly int[] _shardRows;
    private readonly float[] _shardLoss;
    private readonly Exception?[] _errors;
    private readonly ManualResetEventSlim _computed = new(false, SpinCount);
    private readonly ManualResetEventSlim _done = new(false, SpinCount);

    // The job of the current step, written by the caller before it wakes the workers.
    private float* _x;
    private int* _labels;
    private float* _targets;
    private int _rows;
    private int _shards;
    private bool _fusedStep; // each thread steps its combined range
    private long _step; // the step count of that step
    private uint _noiseSeed;
    private long _noiseStep;
    private int _arriving;
    private int _remaining;
    private long _workerShards;
    private int _busy;
    private volatile bool _disposed;

    /// <summary>Creates the replicas and starts the worker threads.</summary>
    /// <param name="network">The primary network: the one whose parameters and optimizer state are trained.</param>
    /// <param name="threads">The number of threads, the caller's included; default (0 or less) <see cref="Environment.ProcessorCount"/>. 1 trains on the calling thread only.</param>
    /// <exception cref="NotSupportedException">The network uses batch normalization.</exception>
    public DataParallel(TNet network, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkDescription description = network.Description;
        if (description.StatisticCount > 0)
        {
            throw new NotSupportedException(
                $"{description.TypeName} uses batch normalization, which data-parallel training does not support: each thread would normalize " +
                "its shard with that shard's own batch statistics (and update the running statistics from it), which is not what training on one core computes. " +
                "Train it with TrainStep on one thread.");
        }
        // A ManualResetEventSlim allocates its lock object the first time a Wait has to block, which may be any
        // step: the first step the other thread is slower. Block once here (1 ms, unset) so steps never allocate.
        _computed.Wait(1);
        _done.Wait(1);
        _primary = network;
        _inputs = description.Inputs;
        _outputs = description.Outputs;
        Threads = Math.Max(1, threads > 0 ? threads : Environment.ProcessorCount);
        _shardStart = new int[Threads];
        _shardRows = new int[Threads];
        _shardLoss = new float[Threads];
        _errors = new Exception?[Threads];
        _replicas = new TNet[Threads - 1];
        _sharesParameters = new bool[Threads - 1];
        _workers = new Worker[Threads - 1];
        for (int k = 1; k < Threads; k++)
        {
            TNet replica = TNet.CreateReplica(network);
            _replicas[k - 1] = replica;
            _sharesParameters[k - 1] = Unsafe.AreSame(
                ref MemoryMarshal.GetReference(network.Parameters), ref MemoryMarshal.GetReference(replica.Parameters));
            _workers[k - 1] = new Worker(this, k);
        }
    }

    /// <summary>The primary network, trained in place.</summary>
    public TNet Network => _primary;

    /// <summary>The number of threads a large enough batch is split across, the caller's included.</summary>
    public int Threads { get; }

    /// <summary>How many shards worker threads (not the caller) have computed so far: diagnostics, and proof that work ran in parallel.</summary>
    public long WorkerShards => Interlocked.Read(ref _workerShards);

    /// <summary>
    /// Forward and backward over the batch on all threads and one optimizer step on the primary,
    /// as <see cref="INetwork.TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int})"/>.
    /// </summary>
    /// <param name="inputs">Row-major [rows, Inputs].</param>
    /// <param name="labels">One class index in [0, Outputs) per row.</param>
    /// <returns>The mean loss over the batch before the step (the row-weighted mean of the shards' losses).</returns>
    /// <exception cref="ArgumentException">The spans do not hold whole, matching rows, or a label is out of range; nothing changes.</exception>
    /// <exception cref="ObjectDisposedException">The instance is disposed.</exception>
    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => WithLabels(inputs, labels, step: true);

    /// <summary>As <see cref="TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int})"/> with dense targets, row-major [rows, Outputs].</summary>
    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets) => WithTargets(inputs, targets, step: true);

    /// <summary>
    /// Forward and backward over the batch on all threads, without the optimizer step: the
    /// primary's <see cref="INetwork.Gradients"/> receive the gradient of the mean loss over the batch.
    /// </summary>
    /// <returns>The mean loss over the batch.</returns>
    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => WithLabels(inputs, labels, step: false);

    /// <summary>As <see cref="ComputeGradients(ReadOnlySpan{float}, ReadOnlySpan{int})"/> with dense targets, row-major [rows, Outputs].</summary>
    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets) => WithTargets(inputs, targets, step: false);

    /// <summary>Checks a batch with class labels, pins it and runs it (with <paramref name="step"/> the optimizer step).</summary>
    private float WithLabels(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, bool step)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int rows = NetworkRuntime.Rows(inputs, _inputs, nameof(inputs));
        NetworkRuntime.Labels(labels, rows, _outputs, nameof(labels));
        fixed (float* x = inputs)
        fixed (int* y = labels)
        {
            return Run(x, y, null, rows, step);
        }
    }

    /// <summary>Checks a batch with dense targets, pins it and runs it (with <paramref name="step"/> the optimizer step).</summary>
    private float WithTargets(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, bool step)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int rows = NetworkRuntime.Rows(inputs, _inputs, nameof(inputs));
        NetworkRuntime.RowsOf(targets.Length, rows, _outputs, nameof(targets), "targets");
        fixed (float* x = inputs)
        fixed (float* t = targets)
        {
            return Run(x, null, t, rows, step);
        }
    }

    /// <summary>Stops and joins the worker threads. The primary network stays usable on its own.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (Worker worker in _workers) worker.Start.Set();
        foreach (Worker worker in _workers)
        {
            worker.Thread.Join();
            worker.Start.Dispose();
        }
        _computed.Dispose();
        _done.Dispose();
    }

    /// <summary>
    /// One step's gradients over <paramref name="rows"/> rows whose pinned data are at the pointers (labels or targets, the
    /// other null), and with <paramref name="step"/> the optimizer step.
    /// </summary>
    private float Run(float* x, int* labels, float* targets, int rows, bool step)
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("DataParallel is not thread-safe: another call is still running on it.");
        }
        try
        {
            int shards = Math.Min(Threads, rows);
            if (shards == 1)
            {
                float single = labels is not null
                    ? _primary.ComputeGradients(new ReadOnlySpan<float>(x, rows * _inputs), new ReadOnlySpan<int>(labels, rows))
                    : _primary.ComputeGradients(new ReadOnlySpan<float>(x, rows * _inputs), new ReadOnlySpan<float>(targets, rows * _outputs));
                if (step) _primary.Step();
                return single;
            }

            // The job: contiguous shards, the first rows % shards of them one row longer.
            int baseRows = rows / shards, extra = rows % shards, start = 0;
            for (int k = 0; k < shards; k++)
            {
                _shardStart[k] = start;
                _shardRows[k] = baseRows + (k < extra ? 1 : 0);
                start += _shardRows[k];
                _errors[k] = null;
            }
            _x = x;
            _labels = labels;
            _targets = targets;
            _rows = rows;
            _shards = shards;
            _noiseSeed = _primary.NoiseSeed;
            _noiseStep = _primary.NoiseStep;
            Hyperparameters h = _primary.Hyperparameters;
            _fusedStep = step && !(h.ClipNorm > 0f);
            _step = _primary.OptimizerStep + 1;
            for (int k = 1; k < shards; k++)
            {
                Hyperparameters replica = _replicas[k - 1].Hyperparameters;
                if (!ReferenceEquals(replica, h)) CopyHyperparameters(h, replica);
            }
            _arriving = shards;
            _remaining = shards - 1;
            _computed.Reset();
            _done.Reset();
            for (int k = 1; k < shards; k++) _workers[k - 1].Start.Set(); // a full fence: workers see the job

            Shard(0);
            _done.Wait(); // every worker is past its last read of the inputs and its part of the combination

            for (int k = 0; k < shards; k++)
            {
                if (_errors[k] is Exception error)
                {
                    _primary.NoiseStep = _noiseStep;
                    ExceptionDispatchInfo.Throw(error);
                }
            }
            if (_fusedStep) _primary.OptimizerStep = _step; // every thread has stepped its range
            else if (step) _primary.Step();
            double loss = 0;
            for (int k = 0; k < shards; k++) loss += (double)_shardRows[k] / rows * _shardLoss[k];
            return (float)loss;
        }
        finally
        {
            _x = null;
            _labels = null;
            _targets = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Shard <paramref name="k"/>'s part of a step, on its thread: its gradient, the barrier, its range of the combination.</summary>
    private void Shard(int k)
    {
        try
        {
            TNet net = k == 0 ? _primary : _replicas[k - 1];
            if (k > 0)
            {
                if (!_sharesParameters[k - 1]) _primary.Parameters.CopyTo(net.Parameters);
                net.NoiseSeed = TrainingNoise.Hash(_noiseSeed + ((uint)k * 0x9E3779B9u));
                net.NoiseStep = _noiseStep;
            }
            int start = _shardStart[k], rows = _shardRows[k];
            var x = new ReadOnlySpan<float>(_x + ((long)start * _inputs), rows * _inputs);
            _shardLoss[k] = _labels is not null
                ? net.ComputeGradients(x, new ReadOnlySpan<int>(_labels + start, rows))
                : net.ComputeGradients(x, new ReadOnlySpan<float>(_targets + ((long)start * _outputs), rows * _outputs));
            if (k > 0) Interlocked.Increment(ref _workerShards);
        }
        catch (Exception e)
        {
            _errors[k] = e;
        }

        // Barrier: every shard's gradient is ready before anyone combines.
        if (Interlocked.Decrement(ref _arriving) == 0) _computed.Set();
        else _computed.Wait();

        bool failed = false;
        for (int j = 0; j < _shards; j++) failed |= _errors[j] is not null;
        if (failed) return;
        (int lo, int hi) = Combine(k);
        if (_fusedStep && lo < hi) _primary.StepRange(lo, hi, _step); // while the range is still in this core's cache
    }

    /// <summary>
    /// Thread <paramref name="k"/>'s range [lo, hi) of the combination g ← Σⱼ (rⱼ/r)·gⱼ into the primary's
    /// gradients, j in order 0, 1, 2, … for every element. Vector and scalar code do the same
    /// multiplications and additions (no fused multiply-add), so an element's value does not
    /// depend on which thread or which code path computed it.
    /// </summary>
    private (int Lo, int Hi) Combine(int k)
    {
        Span<float> g = _primary.Gradients;
        int n = g.Length, shards = _shards;
        int chunk = ((n + shards - 1) / shards + 15) & ~15;
        int lo = Math.Min(k * chunk, n), hi = Math.Min(lo + chunk, n);
        if (lo >= hi) return (lo, hi);
        float w0 = (float)_shardRows[0] / _rows;
        ref float acc = ref g[0];
        int i = lo;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= hi - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref acc, (nuint)i) * w0, ref acc, (nuint)i);
            }
        }
        for (; i < hi; i++) Unsafe.Add(ref acc, i) *= w0;
        for (int j = 1; j < shards; j++)
        {
            float w = (float)_shardRows[j] / _rows;
            ref float gj = ref _replicas[j - 1].Gradients[0];
            i = lo;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= hi - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    Vector256<float> sum = Vector256.LoadUnsafe(ref acc, (nuint)i) + (Vector256.LoadUnsafe(ref gj, (nuint)i) * w);
                    Vector256.StoreUnsafe(sum, ref acc, (nuint)i);
                }
            }
            for (; i < hi; i++) Unsafe.Add(ref acc, i) += Unsafe.Add(ref gj, i) * w;
        }
        return (lo, hi);
    }

    /// <summary>Everything a replica's training pass reads of the hyperparameters (the loss's penalty), set without allocating.</summary>
    private static void CopyHyperparameters(Hyperparameters from, Hyperparameters to)
    {
        to.LearningRate = from.LearningRate;
        to.Momentum = from.Momentum;
        to.Beta1 = from.Beta1;
        to.Beta2 = from.Beta2;
        to.Alpha = from.Alpha;
        to.Epsilon = from.Epsilon;
        to.L1 = from.L1;
        to.L2 = from.L2;
        to.ClipNorm = from.ClipNorm;
        to.PenaltyInLoss = from.PenaltyInLoss;
    }

    /// <summary>A persistent worker thread: waits for a step, runs its shard, signals, waits again.</summary>
    private sealed class Worker
    {
        private readonly DataParallel<TNet> _owner;
        private readonly int _shard;

        public Worker(DataParallel<TNet> owner, int shard)
        {
            _owner = owner;
            _shard = shard;
            Thread = new Thread(Loop) { IsBackground = true, Name = $"StaticNet DataParallel worker {shard}" };
            Thread.Start();
        }

        public ManualResetEventSlim Start { get; } = new(false, SpinCount);

        public Thread Thread { get; }

        private void Loop()
        {
            DataParallel<TNet> owner = _owner;
            while (true)
            {
                Start.Wait();
                Start.Reset(); // the caller sets it again only after this step's _done
                if (owner._disposed) return;
                owner.Shard(_shard);
                if (Interlocked.Decrement(ref owner._remaining) == 0) owner._done.Set();
            }
        }
    }
}
