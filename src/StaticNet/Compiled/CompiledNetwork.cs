using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StaticNet.Compiled;

/// <summary>
/// The logic of a generated network's public members, written once for every network over its kernels
/// (the type argument <c>TKernels</c> of each method): the argument checks, the guard that turns a concurrent call on one
/// instance into an exception, the order of the passes, and the refusal of a step whose loss or gradients are not finite,
/// which then changes nothing. Used by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CompiledNetwork
{
    /// <summary>
    /// <c>ComputeGradients</c> (<paramref name="step"/> false) and <c>TrainStep</c> with class labels: the training forward
    /// pass, the loss and its gradient, the backward pass; then, only when the loss and every gradient are finite, the
    /// running statistics, the noise step and, for TrainStep, the optimizer step. Otherwise <see cref="NonFiniteException"/>
    /// with nothing changed (the gradients hold what the backward pass computed).
    /// </summary>
    public static float Train<TKernels>(NetworkState net, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, bool step, string call)
        where TKernels : struct, INetworkKernels
    {
        int rows = NetworkRuntime.Rows(inputs, TKernels.InputSize, nameof(inputs));
        NetworkRuntime.Labels(labels, rows, TKernels.LabelClasses, nameof(labels));
        return Train<TKernels>(net, inputs, ref MemoryMarshal.GetReference(labels), ref Unsafe.NullRef<float>(), rows, step, call);
    }

    /// <summary>As <see cref="Train{TKernels}(NetworkState, ReadOnlySpan{float}, ReadOnlySpan{int}, bool, string)"/> with dense targets.</summary>
    public static float Train<TKernels>(NetworkState net, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, bool step, string call)
        where TKernels : struct, INetworkKernels
    {
        int rows = NetworkRuntime.Rows(inputs, TKernels.InputSize, nameof(inputs));
        NetworkRuntime.RowsOf(targets.Length, rows, TKernels.OutputSize, nameof(targets), "targets");
        return Train<TKernels>(net, inputs, ref Unsafe.NullRef<int>(), ref MemoryMarshal.GetReference(targets), rows, step, call);
    }

    /// <summary>The training call, with class <paramref name="labels"/> or, when that is a null ref, dense <paramref name="targets"/>.</summary>
    private static float Train<TKernels>(NetworkState net, ReadOnlySpan<float> inputs, ref int labels, ref float targets, int rows, bool step, string call)
        where TKernels : struct, INetworkKernels
    {
        TKernels.CheckTrainingRows(rows);
        net.Work.Enter(call);
        try
        {
            Workspace ws = net.Work.For(rows, TKernels.NewWorkspace);
            ref float x = ref MemoryMarshal.GetReference(inputs);
            TKernels.ForwardTraining(net, ws, ref x, rows);
            float loss = LossOf<TKernels>(ws, ref labels, ref targets, rows);
            TKernels.Backward(net, ws, ref x, rows);
            if (!float.IsFinite(loss) || !NetworkRuntime.AllFinite(net.Gradients.Span)) throw NetworkRuntime.NonFinite(call, loss, inputs, TKernels.InputSize);
            if (!TKernels.Commit(net, ws)) throw NetworkRuntime.NonFiniteStatistics(call, inputs, TKernels.InputSize);
            net.NoiseStep++;
            float result = net.Hyperparameters.PenaltyInLoss ? loss + TKernels.Penalty(net) : loss;
            if (step) Update<TKernels>(net);
            return result;
        }
        finally
        {
            net.Work.Exit();
        }
    }

    /// <summary><c>ComputeLoss</c> with class labels: the inference forward pass and the loss; changes nothing but the work buffers.</summary>
    public static float Loss<TKernels>(NetworkState net, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
        where TKernels : struct, INetworkKernels
    {
        int rows = NetworkRuntime.Rows(inputs, TKernels.InputSize, nameof(inputs));
        NetworkRuntime.Labels(labels, rows, TKernels.LabelClasses, nameof(labels));
        return Loss<TKernels>(net, inputs, ref MemoryMarshal.GetReference(labels), ref Unsafe.NullRef<float>(), rows);
    }

    /// <summary>As <see cref="Loss{TKernels}(NetworkState, ReadOnlySpan{float}, ReadOnlySpan{int})"/> with dense targets.</summary>
    public static float Loss<TKernels>(NetworkState net, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
        where TKernels : struct, INetworkKernels
    {
        int rows = NetworkRuntime.Rows(inputs, TKernels.InputSize, nameof(inputs));
        NetworkRuntime.RowsOf(targets.Length, rows, TKernels.OutputSize, nameof(targets), "targets");
        return Loss<TKernels>(net, inputs, ref Unsafe.NullRef<int>(), ref MemoryMarshal.GetReference(targets), rows);
    }

    private static float Loss<TKernels>(NetworkState net, ReadOnlySpan<float> inputs, ref int labels, ref float targets, int rows)
        where TKernels : struct, INetworkKernels
    {
        net.Work.Enter("ComputeLoss");
        try
        {
            Workspace ws = net.Work.For(rows, TKernels.NewWorkspace);
            TKernels.ForwardInference(net, ws, ref MemoryMarshal.GetReference(inputs), rows);
            float loss = LossOf<TKernels>(ws, ref labels, ref targets, rows);
            return net.Hyperparameters.PenaltyInLoss ? loss + TKernels.Penalty(net) : loss;
        }
        finally
        {
            net.Work.Exit();
        }
    }

    /// <summary><c>Step</c>: the optimizer step with the current gradients when they are all finite; otherwise <see cref="NonFiniteException"/> with nothing changed.</summary>
    public static void Step<TKernels>(NetworkState net) where TKernels : struct, INetworkKernels
    {
        net.Work.Enter("Step");
        try
        {
            if (!NetworkRuntime.AllFinite(net.Gradients.Span)) throw NetworkRuntime.NonFiniteGradients();
            Update<TKernels>(net);
        }
        finally
        {
            net.Work.Exit();
        }
    }

    /// <summary>The optimizer step t + 1 over the whole parameter buffer.</summary>
    private static void Update<TKernels>(NetworkState net) where TKernels : struct, INetworkKernels
    {
        long t = net.NextOptimizerStep();
        TKernels.OptimizerUpdate(ref net.Parameters.Start, ref net.Gradients.Start, ref net.OptimizerState.Start, net.Hyperparameters, t, 0, TKernels.ParameterCount);
        net.OptimizerStep = t;
    }

    /// <summary>
    /// <c>StepRange</c>: the optimizer step t = <paramref name="step"/> over [start, end) only, for threads sharing one step
    /// (data-parallel training). Takes no guard, so that several threads can step disjoint ranges of one network at once;
    /// its writes stay inside the parameter and state buffers whatever the arguments.
    /// </summary>
    public static void StepRange<TKernels>(NetworkState net, int start, int end, long step) where TKernels : struct, INetworkKernels
    {
        NetworkRuntime.StepRange(start, end, TKernels.ParameterCount, step);
        TKernels.OptimizerUpdate(ref net.Parameters.Start, ref net.Gradients.Start, ref net.OptimizerState.Start, net.Hyperparameters, step, start, end);
    }

    /// <summary><c>Infer</c>: the inference forward pass, then the outputs as the loss reads them.</summary>
    public static void Infer<TKernels>(NetworkState net, ReadOnlySpan<float> inputs, Span<float> outputs) where TKernels : struct, INetworkKernels
    {
        int rows = NetworkRuntime.Rows(inputs, TKernels.InputSize, nameof(inputs));
        NetworkRuntime.RowsOf(outputs.Length, rows, TKernels.OutputSize, nameof(outputs), "outputs");
        net.Work.Enter("Infer");
        try
        {
            Workspace ws = net.Work.For(rows, TKernels.NewWorkspace);
            TKernels.ForwardInference(net, ws, ref MemoryMarshal.GetReference(inputs), rows);
            TKernels.Predict(ws, ref MemoryMarshal.GetReference(outputs), rows);
        }
        finally
        {
            net.Work.Exit();
        }
    }

    /// <summary>
    /// <c>Freeze</c>: a copy of the parameters, batch normalization folded into it, the weights packed. The frozen network
    /// keeps these and a pool of work buffers, and nothing of <paramref name="network"/>.
    /// </summary>
    public static (AlignedBuffer Parameters, AlignedBuffer[] Arrays) Freeze<TKernels>(NetworkState network) where TKernels : struct, INetworkKernels
    {
        network.Work.Enter("Freeze");
        try
        {
            var copy = new AlignedBuffer(TKernels.ParameterCount);
            network.Parameters.Span.CopyTo(copy.Span);
            return (copy, TKernels.Freeze(copy, network.Statistics.Span));
        }
        finally
        {
            network.Work.Exit();
        }
    }

    /// <summary>A frozen network's <c>Infer</c>: work buffers of its own from the pool for this call, so that any number of threads can call at once.</summary>
    public static void InferFrozen<TKernels>(AlignedBuffer parameters, AlignedBuffer[] arrays, WorkspacePool workspaces, ReadOnlySpan<float> inputs, Span<float> outputs)
        where TKernels : struct, INetworkKernels
    {
        int rows = NetworkRuntime.Rows(inputs, TKernels.InputSize, nameof(inputs));
        NetworkRuntime.RowsOf(outputs.Length, rows, TKernels.OutputSize, nameof(outputs), "outputs");
        Workspace ws = workspaces.Rent(rows, TKernels.NewFrozenWorkspace);
        try
        {
            TKernels.InferFrozen(parameters, arrays, ws, ref MemoryMarshal.GetReference(inputs), ref MemoryMarshal.GetReference(outputs), rows);
        }
        finally
        {
            workspaces.Return(ws);
        }
    }

    /// <summary>The loss against class <paramref name="labels"/>, or against dense <paramref name="targets"/> when the labels are a null ref.</summary>
    private static float LossOf<TKernels>(Workspace ws, ref int labels, ref float targets, int rows) where TKernels : struct, INetworkKernels
        => Unsafe.IsNullRef(ref labels) ? TKernels.LossWithTargets(ws, ref targets, rows) : TKernels.LossWithLabels(ws, ref labels, rows);
}
