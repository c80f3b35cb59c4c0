using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using StaticNet.Generators.Diagnostics;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Parsing;

/// <summary>
/// What a layer kind's parser works with: the attribute, the layer's index and input width, the network's settings, and
/// the diagnostics, with the messages the kinds share.
/// </summary>
internal sealed class LayerParser(AttributeReader attribute, int index, int inputs, string network, DropoutForm dropoutForm, List<DiagnosticInfo> diagnostics)
{
    public AttributeReader Attribute { get; } = attribute;

    /// <summary>The layer's index, <c>layers.{Index}</c>.</summary>
    public int Index { get; } = index;

    /// <summary>The width of the layer's input.</summary>
    public int Inputs { get; } = inputs;

    /// <summary>The network class's name, for messages.</summary>
    public string Network { get; } = network;

    public DropoutForm DropoutForm { get; } = dropoutForm;

    public string LayerText => Index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The network's diagnostics, for the readers that report on their own (<see cref="NetworkParser.ReadEnum"/>).</summary>
    public List<DiagnosticInfo> Diagnostics { get; } = diagnostics;

    public void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
        => Diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? Attribute.Location, arguments));

    /// <summary>SNET0013 on named argument <paramref name="key"/>: its value is outside <paramref name="range"/>.</summary>
    public void Invalid(string key, string shown, string range)
        => Report(DiagnosticDescriptors.InvalidLayerArgument, Attribute.LocationOf(key), LayerText, Network, key, shown, range);

    /// <summary>SNET0016 on named argument <paramref name="key"/>: <paramref name="by"/> does not use it.</summary>
    public void NotUsed(string key, string by)
        => Report(DiagnosticDescriptors.ArgumentNotUsed, Attribute.LocationOf(key), LayerText, Network, key, by);

    /// <summary>A named float argument, or null when unset.</summary>
    public float? Float(string key) => Attribute.TryGet(key, out float value) ? value : null;

    /// <summary>A named bool argument, or <paramref name="fallback"/>.</summary>
    public bool Bool(string key, bool fallback) => Attribute.TryGet(key, out bool value) ? value : fallback;

    /// <summary>A named int argument, or null when unset.</summary>
    public int? Int(string key) => Attribute.TryGet(key, out int value) ? value : null;

    /// <summary>A named enum argument; an undefined value is SNET0006 and gives <paramref name="fallback"/>.</summary>
    public T Enum<T>(string key, T fallback) where T : struct, Enum
        => Attribute.TryGet(key, out int value) ? NetworkParser.ReadEnum<T>(value, key, Attribute.LocationOf(key), Diagnostics) ?? fallback : fallback;

    private readonly List<(bool OnOutput, Action Report)> _placement = new();

    /// <summary>Reports <paramref name="report"/> once the layers are known, if this layer is the output layer.</summary>
    public void IfOutput(Action report) => _placement.Add((true, report));

    /// <summary>Reports <paramref name="report"/> once the layers are known, if this layer is not the output layer.</summary>
    public void UnlessOutput(Action report) => _placement.Add((false, report));

    /// <summary>Runs the placement checks (<see cref="IfOutput"/>, <see cref="UnlessOutput"/>) once the network's layers are known.</summary>
    public void CheckPlacement(bool isOutput)
    {
        foreach ((bool onOutput, Action report) in _placement)
        {
            if (onOutput == isOutput) report();
        }
    }

    /// <summary>
    /// The parameters of the layer, to refuse a network no buffer can index (SNET0009). Counted in double and capped at 2⁶⁰,
    /// so that absurd widths (int.MaxValue × int.MaxValue × pieces) cannot wrap around to a small or negative count.
    /// </summary>
    public long Parameters { get; private set; }

    /// <summary>Counts <paramref name="count"/> more parameters.</summary>
    public void AddParameters(double count) => Parameters = (long)Math.Min(Parameters + count, 1L << 60);

    public static string Shown(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
