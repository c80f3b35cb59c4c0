using System.Globalization;
using System.Text;

namespace StaticNet.Samples.Lab;

/// <summary>Renders a network's declaration back from its <see cref="NetworkDescription"/>, for the report's setup.</summary>
public static class Describe
{
    /// <summary>
    /// The declaration as attributes, repeated layers folded ("[Dense(64, Sigmoid)] × 8"), with the parameter count:
    /// <c>[Network(Inputs = 784, Optimizer = Sgd, LearningRate = 0.1)] [Dense(64, Sigmoid)] × 8 [Dense(10)]</c>.
    /// </summary>
    /// <param name="description">The network type's descriptor.</param>
    /// <param name="extra">Network arguments the descriptor does not carry (for example "NotesForm = true", "L2 = 0.001").</param>
    public static string Declaration(NetworkDescription description, params string[] extra)
    {
        ArgumentNullException.ThrowIfNull(description);
        var network = new List<string> { $"Inputs = {description.Inputs}" };
        if (description.Loss != Loss.SoftmaxCrossEntropy) network.Add($"Loss = {description.Loss}");
        network.Add($"Optimizer = {description.Optimizer}");
        network.Add($"LearningRate = {Number(description.LearningRate)}");
        if (description.InputDropout > 0) network.Add($"InputDropout = {Number(description.InputDropout)}");
        if (description.DropoutForm != DropoutForm.Inverted) network.Add($"DropoutForm = {description.DropoutForm}");
        network.AddRange(extra);

        var text = new StringBuilder($"`[Network({string.Join(", ", network)})]");
        string? previous = null;
        int repeat = 0;
        foreach (LayerDescription layer in description.Layers)
        {
            string current = Layer(layer);
            if (current == previous)
            {
                repeat++;
                continue;
            }
            Flush();
            previous = current;
            repeat = 1;
        }
        Flush();
        text.Append($"` ({description.ParameterCount:N0} parameters)");
        return text.ToString();

        void Flush()
        {
            if (previous is null) return;
            text.Append(' ').Append(previous);
            if (repeat > 1) text.Append(" × ").Append(repeat);
        }
    }

    /// <summary>The layer widths, "784-64×8-10".</summary>
    public static string Shape(NetworkDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var parts = new List<string> { description.Inputs.ToString(CultureInfo.InvariantCulture) };
        int i = 0;
        while (i < description.Layers.Count)
        {
            int units = description.Layers[i].Units, j = i;
            while (j < description.Layers.Count && description.Layers[j].Units == units) j++;
            parts.Add(j - i > 1 ? $"{units}×{j - i}" : units.ToString(CultureInfo.InvariantCulture));
            i = j;
        }
        return string.Join("-", parts);
    }

    private static string Layer(LayerDescription layer)
    {
        var arguments = new List<string>();
        string kind;
        if (layer.IsMaxout)
        {
            kind = "Maxout";
            arguments.Add(layer.Units.ToString(CultureInfo.InvariantCulture));
            arguments.Add(layer.Pieces.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            kind = "Dense";
            arguments.Add(layer.Units.ToString(CultureInfo.InvariantCulture));
            if (layer.Activation != Activation.Identity) arguments.Add(layer.Activation.ToString());
            if (layer.BatchNorm is not null) arguments.Add("BatchNorm = true");
        }
        if (layer.Dropout > 0) arguments.Add($"Dropout = {Number(layer.Dropout)}");
        return $"[{kind}({string.Join(", ", arguments)})]";
    }

    private static string Number(float value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
