namespace StaticNet;

/// <summary>
/// One named parameter tensor inside a network's contiguous parameter buffer, in PyTorch's
/// layout: a Dense weight is <c>[out, in]</c> row-major, a bias is <c>[out]</c>.
/// </summary>
/// <param name="Name">Stable name, for example <c>layers.0.weight</c>.</param>
/// <param name="Offset">Index of the first element in <see cref="INetwork.Parameters"/>.</param>
/// <param name="Shape">The tensor's shape, outermost dimension first.</param>
/// <param name="Regularized">L1/L2 regularization (and AdamW's decay) applies to this tensor.</param>
public sealed record ParameterTensor(string Name, int Offset, IReadOnlyList<int> Shape, bool Regularized = false)
{
    /// <summary>The number of elements, the product of <see cref="Shape"/>.</summary>
    public int Length
    {
        get
        {
            int n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }
}

/// <summary>One layer of a declared network.</summary>
/// <param name="Index">Position of the layer, from 0 at the input side.</param>
/// <param name="Inputs">Width of the layer's input.</param>
/// <param name="Units">Width of the layer's output.</param>
/// <param name="Activation">The activation applied to the output.</param>
/// <param name="Weight">The weight tensor, shape [Units, Inputs].</param>
/// <param name="Bias">The bias tensor, shape [Units].</param>
public sealed record LayerDescription(int Index, int Inputs, int Units, Activation Activation, ParameterTensor Weight, ParameterTensor Bias);

/// <summary>
/// A plain description of a generated network's declaration and parameter layout. The generator
/// emits one per network (<c>MyNet.Descriptor</c>); the reference implementation, tests and
/// serialization read it instead of using reflection.
/// </summary>
public sealed class NetworkDescription
{
    /// <summary>Creates a description; generated code calls this, users rarely need to.</summary>
    public NetworkDescription(string typeName, int inputs, Loss loss, Optimizer optimizer, float learningRate, IReadOnlyList<LayerDescription> layers, IReadOnlyList<string>? optimizerSlots = null)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(layers);
        if (inputs <= 0) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "The input width must be positive.");
        if (layers.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        TypeName = typeName;
        Inputs = inputs;
        Loss = loss;
        Optimizer = optimizer;
        LearningRate = learningRate;
        Layers = layers;
        var parameters = new List<ParameterTensor>();
        foreach (LayerDescription layer in layers)
        {
            parameters.Add(layer.Weight);
            parameters.Add(layer.Bias);
        }
        Parameters = parameters;
        ParameterCount = parameters.Sum(p => p.Length);
        OptimizerSlots = optimizerSlots ?? [];
    }

    /// <summary>
    /// The names of the optimizer's state buffers, each as long as the parameter buffer: none for
    /// SGD, <c>velocity</c> for Momentum, <c>momentum_buffer</c> for Nesterov, <c>sum</c> for
    /// Adagrad, <c>square_avg</c> for RMSProp, <c>exp_avg</c> and <c>exp_avg_sq</c> for Adam and
    /// AdamW (PyTorch's state names).
    /// </summary>
    public IReadOnlyList<string> OptimizerSlots { get; }

    /// <summary>The fully qualified name of the generated class.</summary>
    public string TypeName { get; }

    /// <summary>The width of one input row.</summary>
    public int Inputs { get; }

    /// <summary>The width of one output row.</summary>
    public int Outputs => Layers[^1].Units;

    /// <summary>The training loss.</summary>
    public Loss Loss { get; }

    /// <summary>The optimizer the step method implements.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The declared initial learning rate.</summary>
    public float LearningRate { get; }

    /// <summary>The layers, from input to output.</summary>
    public IReadOnlyList<LayerDescription> Layers { get; }

    /// <summary>Every parameter tensor, in buffer order.</summary>
    public IReadOnlyList<ParameterTensor> Parameters { get; }

    /// <summary>The total number of parameters (the length of the parameter buffer).</summary>
    public int ParameterCount { get; }

    /// <summary>Finds a parameter tensor by name.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists the names there are.</exception>
    public ParameterTensor this[string name]
    {
        get
        {
            foreach (ParameterTensor p in Parameters)
            {
                if (p.Name == name) return p;
            }
            throw new KeyNotFoundException($"{TypeName} has no parameter named '{name}'. Its parameters are: {string.Join(", ", Parameters.Select(p => p.Name))}.");
        }
    }
}
