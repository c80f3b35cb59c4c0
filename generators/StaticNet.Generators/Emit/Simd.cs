using System.Collections.Generic;
using System;

namespace StaticNet.Generators.Emit;

/// <summary>
/// One vector width the kernels are written for. Kernels are emitted once per width, behind
/// <c>IsHardwareAccelerated</c> tests the JIT folds to constants, so exactly one path survives
/// in the machine code: AVX-512, then AVX2 + FMA, then the portable Vector128 path (SSE, NEON,
/// or software where neither exists).
/// </summary>
internal sealed class Simd
{
    public static readonly Simd V512 = new("Vector512", 16, "AVX-512 path: 16 floats per vector");
    public static readonly Simd V256 = new("Vector256", 8, "AVX2 + FMA path: 8 floats per vector");
    public static readonly Simd V128 = new("Vector128", 4, "Portable path: Vector128, 4 floats per vector");

    /// <summary>
    /// One float at a time: the same expression builders as the vector paths, so a kernel body
    /// written once serves its vector loop and its scalar tail.
    /// </summary>
    public static readonly Simd Scalar = new("float", 1, "Scalar");

    /// <summary>The paths in the order they are tested; the last one is the unconditional fallback.</summary>
    public static readonly IReadOnlyList<Simd> Paths = new[] { V512, V256, V128 };

    /// <summary>The path called <paramref name="name"/> (<c>Vector512</c>, <c>Vector256</c>, <c>Vector128</c>), or null.</summary>
    public static Simd? Named(string? name)
    {
        foreach (Simd simd in Paths)
        {
            if (string.Equals(simd.Type, name, StringComparison.OrdinalIgnoreCase)) return simd;
        }
        return null;
    }

    private Simd(string type, int lanes, string description, List<(string Scalar, string Local)>? hoisted = null)
    {
        Type = type;
        Lanes = lanes;
        Description = description;
        _hoisted = hoisted;
    }

    private readonly List<(string Scalar, string Local)>? _hoisted;

    /// <summary>
    /// This path with every <see cref="Broadcast"/> of a scalar turned into a local named after it (<c>beta1</c> →
    /// <c>beta1V</c>), recorded in <paramref name="hoisted"/> so that the caller declares them before its loop. The JIT
    /// hoists broadcasts out of simple counted loops itself, but not reliably out of loops with run-time bounds:
    /// measured, the Adam step's loop reloaded and re-broadcast seven scalars from the stack every iteration.
    /// </summary>
    public Simd Hoisting(List<(string Scalar, string Local)> hoisted) => IsScalar ? this : new Simd(Type, Lanes, Description, hoisted);

    /// <summary>Declares the broadcasts <see cref="Hoisting"/> recorded, one line each.</summary>
    public void DeclareHoisted(CodeWriter w, List<(string Scalar, string Local)> hoisted)
    {
        foreach ((string scalar, string local) in hoisted) w.Line($"{Vec} {local} = {Type}.Create({scalar});");
    }

    /// <summary>The static class, for example <c>Vector512</c>.</summary>
    public string Type { get; }

    /// <summary>Floats per vector.</summary>
    public int Lanes { get; }

    public string Description { get; }

    public bool IsScalar => Lanes == 1;

    /// <summary>The vector type, for example <c>Vector512&lt;float&gt;</c>, or <c>float</c>.</summary>
    public string Vec => IsScalar ? "float" : Type + "<float>";

    public string Zero => IsScalar ? "0f" : Vec + ".Zero";

    public string One => IsScalar ? "1f" : Vec + ".One";

    public string Sqrt(string x) => IsScalar ? $"MathF.Sqrt({x})" : $"{Type}.Sqrt({x})";

    public string Max(string a, string b) => IsScalar ? $"MathF.Max({a}, {b})" : $"{Type}.Max({a}, {b})";

    /// <summary>sign(x): −1, 0 or 1 (0 at 0, as L1's subgradient convention).</summary>
    public string Sign(string x) => IsScalar
        ? $"({x} > 0f ? 1f : {x} < 0f ? -1f : 0f)"
        : $"(({Type}.GreaterThan({x}, {Zero}) & {One}) - ({Type}.LessThan({x}, {Zero}) & {One}))";

    /// <summary>The type of a comparison's result: a vector mask, or <c>bool</c> for the scalar lane.</summary>
    public string MaskType => IsScalar ? "bool" : Vec;

    /// <summary>A float literal as C# spells it (<c>0.25f</c>, <c>-1E-05f</c>; a constant that overflowed is <c>float.PositiveInfinity</c>).</summary>
    public static string Literal(float value)
        => float.IsPositiveInfinity(value) ? "float.PositiveInfinity"
            : float.IsNegativeInfinity(value) ? "float.NegativeInfinity"
            : float.IsNaN(value) ? "float.NaN"
            : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f";

    /// <summary>
    /// <paramref name="expression"/> in parentheses, unless it is already one parenthesized group,
    /// a name, a literal or a call, which bind tighter than any operator.
    /// </summary>
    public static string Paren(string expression)
    {
        string e = expression.Trim();
        if (e.Length == 0) return e;
        if (System.Text.RegularExpressions.Regex.IsMatch(e, @"^[@\w.<>]+$")) return e; // a name, a member or a literal
        int depth = 0;
        bool wholeGroup = e[0] == '(' || System.Text.RegularExpressions.Regex.IsMatch(e, @"^[\w.<>]+\(");
        if (wholeGroup)
        {
            int start = e.IndexOf('(');
            for (int k = start; k < e.Length; k++)
            {
                if (e[k] == '(') depth++;
                else if (e[k] == ')') depth--;
                if (depth == 0 && k < e.Length - 1) return "(" + e + ")";
            }
            return e;
        }
        return "(" + e + ")";
    }

    /// <summary>A float as comments show it (<c>0.25</c>, <c>1E-05</c>).</summary>
    public static string Number(float value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The constant <paramref name="value"/> in every lane.</summary>
    public string Const(float value) => Broadcast(Literal(value));

    public string Exp(string x) => IsScalar ? $"MathF.Exp({x})" : $"{Type}.Exp({x})";

    public string Log(string x) => IsScalar ? $"MathF.Log({x})" : $"{Type}.Log({x})";

    public string Sin(string x) => IsScalar ? $"MathF.Sin({x})" : $"{Type}.Sin({x})";

    public string Cos(string x) => IsScalar ? $"MathF.Cos({x})" : $"{Type}.Cos({x})";

    public string Abs(string x) => IsScalar ? $"MathF.Abs({x})" : $"{Type}.Abs({x})";

    public string Min(string a, string b) => IsScalar ? $"MathF.Min({a}, {b})" : $"{Type}.Min({a}, {b})";

    public string Gt(string a, string b) => IsScalar ? $"({a} > {b})" : $"{Type}.GreaterThan({a}, {b})";

    public string Ge(string a, string b) => IsScalar ? $"({a} >= {b})" : $"{Type}.GreaterThanOrEqual({a}, {b})";

    public string Lt(string a, string b) => IsScalar ? $"({a} < {b})" : $"{Type}.LessThan({a}, {b})";

    public string Le(string a, string b) => IsScalar ? $"({a} <= {b})" : $"{Type}.LessThanOrEqual({a}, {b})";

    public string Eq(string a, string b) => IsScalar ? $"({a} == {b})" : $"{Type}.Equals({a}, {b})";

    /// <summary><paramref name="mask"/> ? <paramref name="a"/> : <paramref name="b"/>, lane by lane.</summary>
    public string Select(string mask, string a, string b) => IsScalar ? $"({mask} ? {a} : {b})" : $"{Type}.ConditionalSelect({mask}, {a}, {b})";

    /// <summary>
    /// <paramref name="x"/> with the lanes below <paramref name="smallestNormal"/> in magnitude (a scalar holding
    /// 2⁻¹²⁶, the smallest normal float) set to 0: a decaying optimizer state otherwise slides into subnormals, on
    /// which x86 arithmetic runs many times slower.
    /// </summary>
    public string FlushSubnormal(string x, string smallestNormal) => Select(Ge(Abs(x), Broadcast(smallestNormal)), x, Zero);

    /// <summary>1 where <paramref name="mask"/> holds, 0 elsewhere.</summary>
    public string Mask01(string mask) => IsScalar ? $"({mask} ? 1f : 0f)" : $"({mask} & {One})";

    /// <summary>Uniform [0, 1) training noise for elements <paramref name="index"/>… of stream <paramref name="key"/> (see <c>StaticNet.TrainingNoise</c>).</summary>
    public string Uniform(string key, string index) => IsScalar
        ? $"TrainingNoise.Uniform({key}, {index})"
        : $"TrainingNoise.Uniform{Lanes * 32}({key}, {index})";

    /// <summary>The largest multiple of <see cref="Lanes"/> not above <paramref name="n"/>: where the vector loop stops and the tail starts.</summary>
    public int Full(int n) => n / Lanes * Lanes;

    public string Load(string reference, string index) => IsScalar
        ? $"Unsafe.Add(ref {reference}, {index})"
        : $"{Type}.LoadUnsafe(ref {reference}, (nuint)({index}))";

    public string Store(string value, string reference, string index) => IsScalar
        ? $"Unsafe.Add(ref {reference}, {index}) = {value};"
        : $"{Type}.StoreUnsafe({value}, ref {reference}, (nuint)({index}));";

    public string Broadcast(string scalar)
    {
        if (IsScalar) return scalar;
        if (_hoisted is null || !System.Text.RegularExpressions.Regex.IsMatch(scalar, @"^-?[A-Za-z_]\w*$")) return $"{Type}.Create({scalar})";
        foreach ((string known, string local) in _hoisted)
        {
            if (known == scalar) return local;
        }
        string name = (scalar.StartsWith("-", StringComparison.Ordinal) ? "minus" + char.ToUpperInvariant(scalar[1]) + scalar.Substring(2) : scalar) + "V";
        _hoisted.Add((scalar, name));
        return name;
    }

    /// <summary>
    /// a·b + addend: one fused multiply-add where the hardware has one (every AVX2 and AVX-512 x86 core, Arm64), a
    /// multiply and an add where it does not. <c>FusedMultiplyAdd</c> would be emulated in software there, one lane at a
    /// time (measured: the Vector128 path with <c>DOTNET_EnableAVX2=0</c>, which on .NET 10 also turns off FMA, ran 200×
    /// slower than with separate multiplies and adds).
    /// </summary>
    public string Fma(string a, string b, string addend) => IsScalar
        ? $"float.MultiplyAddEstimate({a}, {b}, {addend})"
        : $"{Type}.MultiplyAddEstimate({a}, {b}, {addend})";

    /// <summary>
    /// Writes an element-wise loop over the constant length <paramref name="n"/> whose body is
    /// written once: <paramref name="body"/> gets this path for the vector loop, then
    /// <see cref="Scalar"/> for the explicit tail.
    /// </summary>
    public void MapUniform(CodeWriter w, int n, Action<Simd> body)
    {
        Map(w, n, _ => body(this), _ => body(Scalar));
    }

    /// <summary>
    /// Writes <c>if (Vector512.IsHardwareAccelerated) { … } else if (Vector256…) { … } else { … }</c>
    /// with <paramref name="body"/> written once per path.
    /// </summary>
    public static void Ladder(CodeWriter w, Action<Simd> body) => Ladder(w, int.MaxValue, body);

    /// <summary>
    /// As <see cref="Ladder(CodeWriter, Action{Simd})"/> for a loop of constant width
    /// <paramref name="width"/>: narrower than every vector, only the scalar code is written.
    /// </summary>
    public static void Ladder(CodeWriter w, int width, Action<Simd> body)
    {
        if (width < V128.Lanes)
        {
            using (w.Open())
            {
                w.Comment($"Scalar only: {width} is narrower than any vector.");
                body(V128);
            }
            return;
        }
        if (w.ForcedPath is Simd forced)
        {
            using (w.Open())
            {
                w.Comment(forced.Description + ", forced at build time by StaticNetSimdPath (for testing paths the machine lacks).");
                body(forced);
            }
            return;
        }
        for (int i = 0; i < Paths.Count; i++)
        {
            Simd simd = Paths[i];
            string header = i == 0 ? $"if ({simd.Type}.IsHardwareAccelerated)"
                : i == Paths.Count - 1 ? "else"
                : $"else if ({simd.Type}.IsHardwareAccelerated)";
            using (w.Block(header))
            {
                w.Comment(simd.Description + ".");
                body(simd);
            }
        }
    }

    /// <summary>
    /// Writes an element-wise loop over the constant length <paramref name="n"/>: a vector loop
    /// up to <see cref="Full"/> and an explicit scalar tail. <paramref name="vectorBody"/> and
    /// <paramref name="scalarBody"/> write the statements for index variable <c>i</c>.
    /// </summary>
    public void Map(CodeWriter w, int n, Action<CodeWriter> vectorBody, Action<CodeWriter> scalarBody)
    {
        int full = Full(n);
        if (full > 0)
        {
            using (w.Block($"for (int i = 0; i < {full}; i += {Lanes})"))
            {
                vectorBody(w);
            }
        }
        Tail(w, full, n, scalarBody);
    }

    /// <summary>Writes the scalar tail loop from <paramref name="start"/> to <paramref name="n"/>, or a comment saying there is none.</summary>
    public void Tail(CodeWriter w, int start, int n, Action<CodeWriter> scalarBody)
    {
        if (start == n)
        {
            w.Comment($"No tail: {n} is a multiple of {Lanes}.");
            return;
        }
        if (start == 0)
        {
            using (w.Block($"for (int i = 0; i < {n}; i++)"))
            {
                scalarBody(w);
            }
            return;
        }
        w.Comment(n - start == 1 ? "Tail: the last element." : $"Tail: the last {n - start} elements, one at a time.");
        using (w.Block($"for (int i = {start}; i < {n}; i++)"))
        {
            scalarBody(w);
        }
    }
}
