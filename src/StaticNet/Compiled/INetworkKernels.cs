using System.ComponentModel;

namespace StaticNet.Compiled;

/// <summary>
/// What the generated kernels of one network give <see cref="CompiledNetwork"/>, which writes the public members' logic
/// once for every network: the argument checks, the guard against concurrent calls, the order of the passes and the
/// refusal of non-finite steps. Implemented by a generated <c>file struct</c> (a struct, so that the JIT compiles each
/// network's calls through this interface as direct calls); the workspaces are the network's own subclasses.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface INetworkKernels
{
    /// <summary>The width of one input row.</summary>
    static abstract int InputSize { get; }

    /// <summary>The width of one output row.</summary>
    static abstract int OutputSize { get; }

    /// <summary>The number of parameters.</summary>
    static abstract int ParameterCount { get; }

    /// <summary>The number of classes a label may name (2 for binary cross-entropy with one output, the outputs otherwise).</summary>
    static abstract int LabelClasses { get; }

    /// <summary>A workspace for the network's passes over <paramref name="rows"/> rows.</summary>
    static abstract Workspace NewWorkspace(int rows);

    /// <summary>A workspace for the frozen network's inference over <paramref name="rows"/> rows.</summary>
    static abstract Workspace NewFrozenWorkspace(int rows);

    /// <summary>Checks what a training batch of <paramref name="rows"/> rows needs beyond its shape (batch normalization: 2 rows).</summary>
    static abstract void CheckTrainingRows(int rows);

    /// <summary>The forward pass in training mode: dropout drops, batch normalization uses (and keeps) the batch's statistics.</summary>
    static abstract void ForwardTraining(NetworkState net, Workspace workspace, ref float x, int rows);

    /// <summary>The forward pass in inference mode; changes nothing but the workspace.</summary>
    static abstract void ForwardInference(NetworkState net, Workspace workspace, ref float x, int rows);

    /// <summary>
    /// The mean loss of the last forward pass against class labels (the output layer's buffer is the same in both modes, as
    /// it has no dropout); writes ∂L/∂(outputs) for Backward.
    /// </summary>
    static abstract float LossWithLabels(Workspace workspace, ref int labels, int rows);

    /// <summary>As <see cref="LossWithLabels"/> against dense targets.</summary>
    static abstract float LossWithTargets(Workspace workspace, ref float targets, int rows);

    /// <summary>The backward pass after a training forward pass and its loss: overwrites the gradients with ∂L/∂θ.</summary>
    static abstract void Backward(NetworkState net, Workspace workspace, ref float x, int rows);

    /// <summary>
    /// Stores what the training pass kept for after a finite step (batch normalization's running statistics), unless a value
    /// to store is not finite: then stores nothing and returns false.
    /// </summary>
    static abstract bool Commit(NetworkState net, Workspace workspace);

    /// <summary>The outputs of the last inference pass as the loss reads them (softmax or sigmoid probabilities, or raw).</summary>
    static abstract void Predict(Workspace workspace, ref float outputs, int rows);

    /// <summary>The optimizer step t over the parameters [start, end).</summary>
    static abstract void OptimizerUpdate(ref float p, ref float g, ref float s, Hyperparameters h, long t, int start, int end);

    /// <summary>λ₁‖w‖₁ + λ₂/2‖w‖² over the regularized tensors (λ₂ coupled optimizers only).</summary>
    static abstract float Penalty(NetworkState net);

    /// <summary>
    /// Turns <paramref name="parameters"/>, a copy of the network's, into the frozen network's: folds batch normalization with
    /// <paramref name="statistics"/> and returns the packed weights.
    /// </summary>
    static abstract AlignedBuffer[] Freeze(AlignedBuffer parameters, ReadOnlySpan<float> statistics);

    /// <summary>The frozen network's forward pass and outputs.</summary>
    static abstract void InferFrozen(AlignedBuffer parameters, AlignedBuffer[] arrays, Workspace workspace, ref float x, ref float outputs, int rows);
}
