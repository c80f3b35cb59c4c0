namespace StaticNet;

/// <summary>Conveniences over <see cref="INetwork"/> that generated code need not implement.</summary>
public static class NetworkExtensions
{
    /// <summary>
    /// The L2 norm of each layer's weight gradient (not its bias) after the last
    /// <c>ComputeGradients</c>, one entry per layer from the input side: the notes' picture of
    /// vanishing gradients (with sigmoid, the first layers' norms are orders of magnitude smaller).
    /// </summary>
    public static double[] LayerGradientNorms(this INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<LayerDescription> layers = network.Description.Layers;
        ReadOnlySpan<float> gradients = network.Gradients;
        double[] norms = new double[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            ParameterTensor w = layers[l].Weight;
            norms[l] = Math.Sqrt(NetworkRuntime.SumSquares(gradients.Slice(w.Offset, w.Length)));
        }
        return norms;
    }
}
