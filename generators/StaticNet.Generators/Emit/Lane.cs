using System.Collections.Generic;
using System;

namespace StaticNet.Generators.Emit;

/// <summary>
/// The body of one element-wise loop for one lane kind (a vector path or the scalar tail): named
/// temporaries written as they are first needed, so a kernel's formula is written once and reads
/// like the math. A temporary with the same expression is declared once and reused.
/// </summary>
internal sealed class Lane
{
    private readonly Dictionary<string, string> _byExpression = new();
    private readonly HashSet<string> _names = new();
    private readonly Dictionary<string, Func<string>> _inputs = new();
    private readonly Dictionary<string, string> _bound = new();

    public Lane(CodeWriter writer, Simd simd)
    {
        W = writer;
        V = simd;
    }

    public CodeWriter W { get; }

    public Simd V { get; }

    /// <summary>Reserves names the body must not declare (kernel parameters).</summary>
    public Lane Reserve(params string[] names)
    {
        foreach (string n in names) _names.Add(n);
        return this;
    }

    /// <summary>Declares <c>name = expression</c> (a fresh name if taken) and returns the name; an expression already declared returns its name.</summary>
    public string Let(string name, string expression) => Declare(V.Vec, name, expression);

    /// <summary>As <see cref="Let"/> for a comparison result.</summary>
    public string LetMask(string name, string expression) => Declare(V.MaskType, name, expression);

    private string Declare(string type, string name, string expression)
    {
        if (_byExpression.TryGetValue(type + " " + expression, out string? existing)) return existing;
        string unique = name;
        for (int k = 2; _names.Contains(unique); k++) unique = name + k;
        _names.Add(unique);
        _byExpression[type + " " + expression] = unique;
        W.Line($"{type} {unique} = {expression};");
        return unique;
    }

    /// <summary>Registers an input whose declaration is written the first time <see cref="Get"/> asks for it.</summary>
    public void Input(string key, Func<string> declare) => _inputs[key] = declare;

    /// <summary>Registers an input that loads <paramref name="reference"/>[<paramref name="index"/>] into a variable called <paramref name="name"/>.</summary>
    public void LoadInput(string key, string name, string reference, string index)
        => Input(key, () => Let(name, V.Load(reference, index)));

    public bool Has(string key) => _inputs.ContainsKey(key) || _bound.ContainsKey(key);

    /// <summary>The variable of input <paramref name="key"/>, declared now if this is its first use.</summary>
    public string Get(string key)
    {
        if (_bound.TryGetValue(key, out string? name)) return name;
        if (!_inputs.TryGetValue(key, out Func<string>? declare)) throw new InvalidOperationException("No input '" + key + "' in this kernel.");
        name = declare();
        _bound[key] = name;
        return name;
    }

    /// <summary>Whether input <paramref name="key"/> has been used (declared) so far.</summary>
    public bool Used(string key) => _bound.ContainsKey(key);

    public string C(float value) => V.Const(value);
}
