using System.Collections.Generic;
using System;

namespace StaticNet.Generators.Emit;

/// <summary>
/// The kernels of one generated file, each written once however many layers call it: stages ask for a kernel by a base
/// name and a key that holds everything its text depends on (shapes, constants), and get back the method's name. Two
/// layers of the same shape share their kernels (a deep stack of equal layers generates each kernel once); two different
/// keys under one base name get distinct names (<c>BatchNorm64</c>, <c>BatchNorm64_2</c>); a family's methods are added
/// under their own names, each written once. Kernels are written in the order
/// they were first asked for.
/// </summary>
internal sealed class KernelSet
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _bases = new(StringComparer.Ordinal);
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
    private readonly List<Action<CodeWriter>> _emitters = new();

    /// <summary>
    /// The name of the kernel family <paramref name="baseName"/> whose text depends on <paramref name="key"/> (shapes and
    /// constants): the same name for the same key, a new one for a new key.
    /// </summary>
    public string Family(string baseName, string key)
    {
        string fullKey = baseName + "\u0001" + key;
        if (_names.TryGetValue(fullKey, out string? name)) return name;
        _bases.TryGetValue(baseName, out int count);
        _bases[baseName] = count + 1;
        name = count == 0 ? baseName : baseName + "_" + (count + 1);
        _names[fullKey] = name;
        return name;
    }

    /// <summary>Records <paramref name="emit"/> to write the method(s) named <paramref name="method"/>, unless an earlier stage did.</summary>
    public void Add(string method, Action<CodeWriter> emit)
    {
        if (_claimed.Add(method)) _emitters.Add(emit);
    }

    /// <summary>Writes every kernel, a blank line before each.</summary>
    public void Emit(CodeWriter w)
    {
        foreach (Action<CodeWriter> emit in _emitters)
        {
            w.Line();
            emit(w);
        }
    }
}
