namespace StaticNet;

/// <summary>
/// What every generated network offers. An instance is not thread-safe: it owns the work
/// buffers its kernels write to.
/// </summary>
/// <remarks>
/// <para>Two modes, fixed by the method, never by a flag:</para>
/// <list type="bullet">
/// <item><b>Training</b>: <see cref="ComputeGradients(ReadOnlySpan{float}, ReadOnlySpan{int})"/> and
/// <see cref="TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int})"/> (and their dense-target forms). Dropout
/// drops, RReLU draws its slopes, batch normalization uses the batch's statistics and updates the
/// running ones; every call draws fresh noise and advances <see cref="NoiseStep"/>.</item>
/// <item><b>Inference</b>: <see cref="Infer"/> and <see cref="ComputeLoss(ReadOnlySpan{float}, ReadOnlySpan{int})"/>.
/// Nothing is dropped, RReLU's slope is (l + u)/2, batch normalization uses the running statistics,
/// and no state changes.</item>
/// </list>
/// </remarks>
public interface INetwork
{
    /// <summary>The declaration and parameter layout of this network.</summary>
    NetworkDescription Description { get; }

    /// <summary>
    /// All parameters in one contiguous, 64-byte aligned buffer, tensors in the order of
    /// <see cref="NetworkDescription.Parameters"/>, each in PyTorch's layout. Writable.
    /// </summary>
    Span<float> Parameters { get; }

    /// <summary>The gradient of the last <c>ComputeGradients</c> call, laid out like <see cref="Parameters"/>.</summary>
    Span<float> Gradients { get; }

    /// <summary>The learning rate η the optimizer step uses; change it at any time (the same as <c>Hyperparameters.LearningRate</c>).</summary>
    float LearningRate { get; set; }

    /// <summary>The optimizer's hyperparameters, read by every <see cref="Step"/>.</summary>
    Hyperparameters Hyperparameters { get; }

    /// <summary>
    /// The optimizer's state: one buffer of <see cref="NetworkDescription.ParameterCount"/> floats
    /// per slot named in <see cref="NetworkDescription.OptimizerSlots"/> (for Adam: m, then v),
    /// laid out like <see cref="Parameters"/>. Empty for SGD.
    /// </summary>
    Span<float> OptimizerState { get; }

    /// <summary>The number of optimizer steps taken, t (Adam's bias correction and the notes' forms read it).</summary>
    long OptimizerStep { get; set; }

    /// <summary>Zeroes <see cref="OptimizerState"/> and <see cref="OptimizerStep"/>.</summary>
    void ResetOptimizer();

    /// <summary>The L1/L2 penalty λ₁‖w‖₁ + λ₂/2‖w‖² over the regularized tensors at the current parameters (0 for AdamW's decoupled decay).</summary>
    float Penalty();

    /// <summary>
    /// The running statistics of the batch-normalized layers, laid out as
    /// <see cref="NetworkDescription.Statistics"/> says (empty without batch normalization). Training
    /// updates them; inference reads them. Writable.
    /// </summary>
    Span<float> Statistics => Span<float>.Empty;

    /// <summary>The running statistic called <paramref name="name"/> (for example <c>layers.0.batchnorm.running_var</c>), writable.</summary>
    Span<float> Statistic(string name)
    {
        ParameterTensor tensor = Description.Statistic(name);
        return Statistics.Slice(tensor.Offset, tensor.Length);
    }

    /// <summary>
    /// The seed of the training noise (dropout masks, RReLU slopes). The noise of a training pass is a
    /// pure function of this seed, <see cref="NoiseStep"/>, the layer, the example and the unit (see
    /// <see cref="TrainingNoise"/>), so setting both reproduces a step exactly. Set from the
    /// constructor's seed.
    /// </summary>
    uint NoiseSeed { get => 0; set { } }

    /// <summary>The number of training forward passes so far; each one advances it by 1, so every step draws fresh noise.</summary>
    long NoiseStep { get => 0; set { } }

    /// <summary>
    /// The output of layer <paramref name="layer"/> in the last forward pass, row-major [rows, Units]:
    /// after dropout in training, as inference sees it otherwise. For inspection and tests; the view is
    /// overwritten by the next pass.
    /// </summary>
    ReadOnlySpan<float> LayerOutput(int layer) => throw new NotSupportedException($"{GetType().Name} does not expose its layer outputs.");

    /// <summary>The parameter tensor called <paramref name="name"/> (for example <c>layers.0.weight</c>), writable.</summary>
    Span<float> Parameter(string name);

    /// <summary>The gradient of the parameter tensor called <paramref name="name"/>.</summary>
    Span<float> Gradient(string name);

    /// <summary>
    /// Forward and backward on a mini-batch of class labels, without stepping the optimizer:
    /// overwrites <see cref="Gradients"/> with the gradient of the mean loss and returns that loss.
    /// </summary>
    /// <param name="inputs">Row-major [rows, Inputs].</param>
    /// <param name="labels">One class index in [0, Outputs) per row.</param>
    float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels);

    /// <summary>As <see cref="ComputeGradients(ReadOnlySpan{float}, ReadOnlySpan{int})"/> with dense targets, row-major [rows, Outputs].</summary>
    float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets);

    /// <summary>The mean loss of a mini-batch in inference mode; leaves gradients and parameters alone.</summary>
    float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels);

    /// <summary>The mean loss of a mini-batch with dense targets, in inference mode.</summary>
    float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets);

    /// <summary>One optimizer step from the current <see cref="Gradients"/>.</summary>
    void Step();

    /// <summary>
    /// Part of one optimizer step, so that several threads can share it: updates the parameters in
    /// [<paramref name="start"/>, <paramref name="end"/>) of <see cref="Parameters"/>, and their optimizer
    /// state, exactly as <see cref="Step"/> would at step count <paramref name="step"/>; the other elements
    /// are not touched. Calls on disjoint ranges may run at the same time. Does not change
    /// <see cref="OptimizerStep"/>: a caller covering [0, ParameterCount) once takes one step, and then sets
    /// <see cref="OptimizerStep"/> to <paramref name="step"/>. With gradient clipping every call reads all of
    /// <see cref="Gradients"/> for the global norm.
    /// </summary>
    /// <param name="start">The first parameter index updated.</param>
    /// <param name="end">One past the last parameter index updated.</param>
    /// <param name="step">The step count t of the step being taken (<see cref="OptimizerStep"/> + 1): Adam's bias correction reads it.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the parameter buffer, or <paramref name="step"/> is below 1.</exception>
    void StepRange(int start, int end, long step);

    /// <summary>Forward, backward and one optimizer step on a mini-batch; returns the mean loss before the step.</summary>
    float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels);

    /// <summary>Forward, backward and one optimizer step on a mini-batch with dense targets.</summary>
    float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets);

    /// <summary>
    /// Inference on any number of rows: <paramref name="outputs"/> (row-major [rows, Outputs])
    /// receives probabilities for softmax cross-entropy, the network's outputs otherwise.
    /// </summary>
    void Infer(ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>
    /// A frozen copy of this network for inference (see <see cref="IFrozenNetwork"/>): its parameters and running statistics
    /// as they are now, with the weights also stored in the layout the inference kernels read. Later training or writes to
    /// <see cref="Parameters"/> do not reach it; freeze again to pick them up.
    /// </summary>
    /// <exception cref="NotSupportedException">This implementation cannot be frozen (generated networks always can).</exception>
    IFrozenNetwork Freeze() => throw new NotSupportedException($"{GetType().Name} cannot be frozen; generated networks implement Freeze.");
}

/// <summary>
/// A network frozen for inference by <see cref="INetwork.Freeze"/>: a snapshot of the parameters, with batch normalization
/// folded into the Dense layer before it (using the running statistics of that moment) and each Dense layer's weights
/// transposed once into the panels its kernels read where the layer is at least a panel wide on the machine's vector path,
/// so that no call repacks them (a network's own <see cref="INetwork.Infer"/> transposes W on every call from 48 rows on and
/// takes dot products below). A few sparse rows skip the inputs that are 0: their weights are not read. Computes what <see cref="INetwork.Infer"/> computes, summed in
/// another order (within float rounding). Not thread-safe: an instance owns its work buffers.
/// </summary>
public interface IFrozenNetwork
{
    /// <summary>The declaration and parameter layout of the frozen network.</summary>
    NetworkDescription Description { get; }

    /// <summary>
    /// Inference on any number of rows: <paramref name="outputs"/> (row-major [rows, Outputs]) receives probabilities for
    /// softmax cross-entropy, the network's outputs otherwise; allocates nothing once the work buffers have grown to the batch.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is not a whole number of rows, or <paramref name="outputs"/> has the wrong length.</exception>
    void Infer(ReadOnlySpan<float> inputs, Span<float> outputs);
}

/// <summary>
/// The static side of a generated network, so that generic code (training loops, tests,
/// benchmarks) can create and describe networks without reflection or virtual dispatch.
/// </summary>
/// <typeparam name="TSelf">The generated class.</typeparam>
public interface INetwork<TSelf> : INetwork where TSelf : class, INetwork<TSelf>
{
    /// <summary>The declaration and parameter layout of the network type.</summary>
    static abstract NetworkDescription Descriptor { get; }

    /// <summary>Creates a network whose parameters are initialized from <paramref name="seed"/>.</summary>
    static abstract TSelf Create(int seed);

    /// <summary>
    /// Creates a replica of <paramref name="primary"/> for data-parallel training: a network of the same
    /// type with its own gradients and work buffers. Generated networks share the primary's parameter,
    /// optimizer-state and hyperparameter buffers with it, so a replica always sees the current weights
    /// without a copy; an implementation may instead return an independent network, whose parameters
    /// <see cref="StaticNet.Training.DataParallel{TNet}"/> then copies from the primary before every step. Take optimizer
    /// steps on the primary: a sharing replica's <see cref="INetwork.Step"/> would update the shared parameters and state
    /// with the replica's gradients.
    /// </summary>
    static abstract TSelf CreateReplica(TSelf primary);
}
