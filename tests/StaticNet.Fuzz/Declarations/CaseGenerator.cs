using System.Globalization;

namespace StaticNet.Fuzz.Declarations;

/// <summary>
/// Draws the declaration fuzzer's cases: a pure function of the seed and the case index. The mix: valid networks with
/// random arguments (a third), every attribute argument at once, odd class names and namespaces, other type kinds
/// (records, structs, primary constructors, nested, generic…), extreme numbers, faulty declarations, several networks
/// and split partial declarations, deep networks, and mid-edit text (valid text cut, spliced or garbled).
/// </summary>
public static class CaseGenerator
{
    /// <summary>Names the generated code, .NET or StaticNet use, which a user may well give a class or a namespace segment.</summary>
    public static readonly string[] AdversarialNames =
    [
        "Frozen", "Buffer", "Penalty", "Math", "MathF", "Random", "Unsafe", "Vector", "Vector128", "Vector256", "Vector512", "GC", "Array",
        "Span", "ReadOnlySpan", "MemoryMarshal", "NetworkRuntime", "Hyperparameters", "Activation", "Loss", "Optimizer", "Initializer",
        "INetwork", "IFrozenNetwork", "NetworkDescription", "ParameterTensor", "LayerDescription", "TrainingNoise", "SimdPath", "System",
        "StaticNet", "Runtime", "Intrinsics", "X86", "Numerics", "Avx", "Fma", "Sse", "Descriptor", "Parameters", "Gradients", "Infer",
        "TrainStep", "Step", "InputSize", "OutputSize", "ParameterCount", "Statistics", "Layer0", "Layer1", "Dense", "Network", "Maxout",
        "Exception", "ArgumentException", "Object", "String", "Int32", "Single", "Double", "Math2", "MethodImpl", "MethodImplOptions",
        "Nullable", "Task", "Action", "Func", "Enumerable", "List", "T", "_", "var", "dynamic", "nameof", "value", "global", "Attribute",
        "CompilerServices", "InteropServices", "Diagnostics", "Collections", "Generic", "Linq", "KernelPath", "Create", "Initialize",
        "BitConverter", "BitOperations", "Interlocked", "Volatile", "Thread", "ThreadLocal", "Environment", "Convert", "Marshal",
    ];

    /// <summary>C# keywords, which appear escaped (<c>@class</c>).</summary>
    private static readonly string[] Keywords = ["class", "event", "namespace", "int", "float", "object", "string", "base", "this", "new", "static", "partial", "record", "internal", "params", "fixed", "unsafe", "checked"];

    private static readonly string[] OddIdentifiers =
    [
        "Net", "NET", "net", "nEt", "Ünïcödé", "Δίκτυο", "网络", "N\u0301et", "_Net", "__", "Net_1", "Net2", "NetÅ", "x", "X", "A1B2",
        new string('L', 300), "Net\u200D", "ℕet",
    ];

    private static readonly string[] Activations = Enum.GetNames<Activation>();
    private static readonly string[] Losses = Enum.GetNames<Loss>();
    private static readonly string[] Optimizers = Enum.GetNames<Optimizer>();
    private static readonly string[] Initializers = Enum.GetNames<Initializer>();

    /// <summary>
    /// The cases the issue names, run first in every mode (their indices are the first ones): two classes differing only in
    /// case, Dense(int.MaxValue) three times, the class names and namespaces it lists, extreme SELU and RReLU constants, a
    /// record, a primary constructor, huge maxout, split partial declarations and 50 Tanh layers.
    /// </summary>
    public static IReadOnlyList<FuzzCase> IssueCases { get; } = CreateIssueCases();

    private static List<FuzzCase> CreateIssueCases()
    {
        AttributeSpec network = new("Network", [], [new("Inputs", "4")]), output = new("Dense", ["3"], []);
        var cases = new List<FuzzCase>();
        void Add(string category, params TypeSpec[] types) => cases.Add(new FuzzCase(cases.Count, "issue: " + category, types, SimdPath: "Vector256"));
        string Ns() => $"Fuzz{cases.Count}";
        Add("case-insensitive hint names", new TypeSpec(Ns(), "Net", TypeKind.Class, [network, output]), new TypeSpec(Ns(), "NET", TypeKind.Class, [network, output]));
        Add("Dense(int.MaxValue) x3", new TypeSpec(Ns(), "Huge", TypeKind.Class, [network, new("Dense", ["int.MaxValue"], []), new("Dense", ["int.MaxValue"], []), new("Dense", ["int.MaxValue"], [])]));
        foreach (string name in new[] { "Frozen", "Buffer", "Penalty", "Math", "Random" })
        {
            Add("class named " + name, new TypeSpec(Ns(), name, TypeKind.Class, [network, output]));
        }
        foreach (string segment in new[] { "Math", "MathF", "Unsafe", "Vector128", "GC", "Array", "NetworkRuntime" })
        {
            Add("namespace containing " + segment, new TypeSpec($"{Ns()}.{segment}", "Net", TypeKind.Class, [network, output]));
        }
        Add("class named @record", new TypeSpec(Ns(), "@record", TypeKind.Class, [network, output]));
        Add("class named @partial", new TypeSpec(Ns(), "@partial", TypeKind.Class, [network, output]));
        Add("SELU alpha near float.MaxValue", new TypeSpec(Ns(), "Selu", TypeKind.Class, [network, new("Dense", ["5", "Activation.SELU"], [new("Alpha", "float.MaxValue"), new("Lambda", "3e38f")]), output]));
        Add("RReLU bounds near float.MaxValue", new TypeSpec(Ns(), "Rrelu", TypeKind.Class, [network, new("Dense", ["5", "Activation.RReLU"], [new("Lower", "3e38f"), new("Upper", "float.MaxValue")]), output]));
        Add("record", new TypeSpec(Ns(), "Net", TypeKind.Record, [network, output]));
        Add("primary constructor", new TypeSpec(Ns(), "Net", TypeKind.PrimaryConstructorClass, [network, output]));
        Add("huge maxout", new TypeSpec(Ns(), "Wide", TypeKind.Class, [network, new("Maxout", ["2", "20000"], []), output]));
        cases.Add(new FuzzCase(cases.Count, "split-partial", [
            new TypeSpec($"Fuzz{cases.Count}", "Split", TypeKind.Class, [network, new("Dense", ["8"], [])], File: 0),
            new TypeSpec($"Fuzz{cases.Count}", "Split", TypeKind.Class, [output], File: 1)], SimdPath: "Vector256"));
        Add("50 x Dense(8, Tanh)", new TypeSpec(Ns(), "Deep", TypeKind.Class, [network, .. Enumerable.Repeat(new AttributeSpec("Dense", ["8", "Activation.Tanh"], []), 49), output]));
        return cases;
    }

    public static FuzzCase Create(int index)
    {
        if (index < IssueCases.Count) return IssueCases[index];
        Random r = FuzzSettings.RandomFor(1, index);
        int pick = r.Next(100);
        string? path = r.Next(20) switch { 0 => null, < 5 => "Vector128", < 15 => "Vector256", _ => "Vector512" };
        FuzzCase c = pick switch
        {
            < 30 => Valid(r, index, "valid", everyArgument: false),
            < 38 => Valid(r, index, "every-argument", everyArgument: true),
            < 50 => OddNames(r, index),
            < 56 => TypeKinds(r, index),
            < 66 => Extreme(r, index),
            < 76 => Faulty(r, index),
            < 82 => Several(r, index),
            < 85 => Deep(r, index),
            _ => MidEdit(r, index),
        };
        return c with { SimdPath = path };
    }

    // ---- categories ----

    private static FuzzCase Valid(Random r, int index, string category, bool everyArgument)
    {
        var attributes = new List<AttributeSpec> { NetworkAttribute(r, out string loss, everyArgument) };
        int layers = 1 + r.Next(r.Next(4) == 0 ? 4 : 2);
        for (int i = 0; i < layers; i++) attributes.Add(Layer(r, output: i == layers - 1, loss, everyArgument));
        return new FuzzCase(index, category, [new TypeSpec(Namespace(r, index), ClassName(r, plain: true), TypeKind.Class, attributes, Modifiers: Modifier(r))]);
    }

    private static FuzzCase OddNames(Random r, int index)
    {
        FuzzCase valid = Valid(r, index, "odd-names", everyArgument: r.Next(4) == 0);
        TypeSpec t = valid.Types[0];
        string name = r.Next(3) switch
        {
            0 => Pick(r, AdversarialNames),
            1 => "@" + Pick(r, Keywords),
            _ => Pick(r, OddIdentifiers),
        };
        if (name == "_" || name == "var" || name == "dynamic" || name == "nameof" || name == "value" || name == "global" || name == "T") name = r.Next(2) == 0 ? name : "@" + name;
        string? ns = r.Next(6) switch
        {
            0 => null,                                                                    // the global namespace
            1 => Pick(r, AdversarialNames) + "." + Pick(r, AdversarialNames),             // a root a batch cannot share
            2 => $"Fuzz{index}.{Pick(r, AdversarialNames)}",
            3 => $"Fuzz{index}.{Pick(r, AdversarialNames)}.{Pick(r, AdversarialNames)}",
            4 => $"Fuzz{index}.@{Pick(r, Keywords)}",
            _ => $"Fuzz{index}.{Pick(r, OddIdentifiers)}",
        };
        if (ns is not null && ns.Split('.').Any(s => s is "_" or "var" or "dynamic" or "nameof" or "value" or "T")) ns = $"Fuzz{index}.Models";
        if (ns is not null && ns.Split('.').Any(s => s == "global")) ns = ns.Replace("global", "@global", StringComparison.Ordinal);
        return valid with { Types = [t with { Name = name, Namespace = ns }] };
    }

    private static FuzzCase TypeKinds(Random r, int index)
    {
        FuzzCase valid = Valid(r, index, "type-kind", everyArgument: false);
        TypeKind kind = (TypeKind)r.Next(Enum.GetValues<TypeKind>().Length);
        TypeSpec t = valid.Types[0] with { Kind = kind };
        if (kind == TypeKind.FileLocalClass) t = t with { Modifiers = "" };
        if (r.Next(3) == 0 && kind is TypeKind.Class or TypeKind.SealedClass or TypeKind.Record)
        {
            // A user member beside the generated ones.
            t = t with { Body = Pick(r, ["public int Extra => 1;", "private readonly int _field = 2; public int Field => _field;", "public override string ToString() => \"net\";", "public static int Count;"]) };
        }
        if (r.Next(4) == 0) t = t with { Modifiers = Pick(r, ["internal", "", "public", "private"]) };
        return valid with { Category = "type-kind", Types = [t] };
    }

    private static FuzzCase Extreme(Random r, int index)
    {
        var attributes = new List<AttributeSpec>();
        var named = new List<KeyValuePair<string, string>> { new("Inputs", Pick(r, ["1", "2", "3", "1000", "65536", "46341", "int.MaxValue", "1 << 20", "0x40000000", "7"])) };
        foreach (string key in new[] { "LearningRate", "Momentum", "Beta1", "Beta2", "Alpha", "Epsilon", "L1", "L2", "ClipNorm", "InputDropout" })
        {
            if (r.Next(3) == 0) named.Add(new(key, ExtremeFloat(r)));
        }
        if (r.Next(2) == 0) named.Add(new("Optimizer", "Optimizer." + Pick(r, Optimizers)));
        if (r.Next(2) == 0) named.Add(new("Loss", "Loss." + Pick(r, Losses)));
        attributes.Add(new AttributeSpec("Network", [], named));
        int layers = 1 + r.Next(3);
        for (int i = 0; i < layers; i++)
        {
            if (r.Next(4) == 0)
            {
                attributes.Add(new AttributeSpec("Maxout", [ExtremeInt(r), Pick(r, ["2", "3", "64", "1000", "20000", "int.MaxValue", "1 << 21", "0", "-1"])], []));
                continue;
            }
            string activation = Pick(r, Activations);
            var layerNamed = new List<KeyValuePair<string, string>>();
            foreach (string key in new[] { "Alpha", "Lambda", "Lower", "Upper", "LeftThreshold", "LeftSlope", "RightThreshold", "RightSlope", "BatchNormMomentum", "BatchNormEpsilon", "Dropout" })
            {
                if (r.Next(4) == 0) layerNamed.Add(new(key, ExtremeFloat(r)));
            }
            if (r.Next(5) == 0) layerNamed.Add(new("Hinges", Pick(r, ["0", "1", "64", "65", "int.MaxValue", "-1"])));
            if (r.Next(3) == 0) layerNamed.Add(new("BatchNorm", "true"));
            attributes.Add(new AttributeSpec("Dense", [ExtremeInt(r), "Activation." + activation], layerNamed));
        }
        return new FuzzCase(index, "extreme", [new TypeSpec($"Fuzz{index}", "Extreme" + index.ToString(CultureInfo.InvariantCulture), TypeKind.Class, attributes)]);
    }

    private static FuzzCase Faulty(Random r, int index)
    {
        FuzzCase valid = Valid(r, index, "faulty", everyArgument: false);
        TypeSpec t = valid.Types[0];
        var attributes = t.Attributes.ToList();
        switch (r.Next(14))
        {
            case 0: attributes[0] = Replace(attributes[0], "Inputs", Pick(r, ["0", "-1", "int.MinValue"])); break;
            case 1: attributes[^1] = attributes[^1] with { Positional = [Pick(r, ["0", "-5", "int.MinValue"]), .. attributes[^1].Positional.Skip(1)] }; break;
            case 2: attributes.RemoveRange(1, attributes.Count - 1); break; // no layers
            case 3: attributes[^1] = attributes[^1] with { Positional = [attributes[^1].Positional[0], "(Activation)" + Pick(r, ["99", "(-1)", "24", "int.MaxValue"])] }; break;
            case 4: attributes[0] = Replace(attributes[0], "Loss", "(Loss)" + Pick(r, ["7", "(-3)"])); break;
            case 5: attributes[0] = Replace(attributes[0], "Optimizer", "(Optimizer)" + Pick(r, ["42", "(-1)"])); break;
            case 6: attributes[0] = Replace(attributes[0], Pick(r, ["LearningRate", "Epsilon"]), Pick(r, ["0f", "-1f", "float.NaN", "float.PositiveInfinity"])); break;
            case 7: attributes[0] = Replace(attributes[0], Pick(r, ["Momentum", "Beta1", "Beta2", "Alpha"]), Pick(r, ["1f", "-0.5f", "2f", "float.NaN"])); break;
            case 8: attributes[0] = Replace(attributes[0], Pick(r, ["L1", "L2", "ClipNorm", "InputDropout"]), Pick(r, ["-1f", "float.NaN", "1f", "float.NegativeInfinity"])); break;
            case 9: attributes[^1] = new AttributeSpec("Dense", ["1"], []); attributes[0] = Replace(attributes[0], "Loss", "Loss.SoftmaxCrossEntropy"); break;
            case 10: t = t with { Kind = TypeKind.NotPartialClass }; break;
            case 11: attributes.Insert(1, new AttributeSpec("Dense", ["8", "Activation.Softmax"], [])); break;
            case 12: attributes[^1] = attributes[^1] with { Named = [.. attributes[^1].Named, new("Dropout", "0.5f")] }; break;
            default: attributes.Add(new AttributeSpec("Maxout", ["4", Pick(r, ["1", "0", "-2"])], [])); break;
        }
        return valid with { Types = [t with { Attributes = attributes }] };
    }

    private static FuzzCase Several(Random r, int index)
    {
        string ns = $"Fuzz{index}";
        FuzzCase a = Valid(r, index, "several", false), b = Valid(r, index + 1_000_000, "several", false);
        TypeSpec ta = a.Types[0] with { Namespace = ns }, tb = b.Types[0] with { Namespace = ns };
        switch (r.Next(6))
        {
            case 0: // names that differ only in case
                string name = Pick(r, ["Net", "Model", "Digits"]);
                return new FuzzCase(index, "several", [ta with { Name = name }, tb with { Name = name.ToUpperInvariant(), File = r.Next(2) }]);
            case 1: // the same name in two namespaces
                return new FuzzCase(index, "several", [ta with { Name = "Net" }, tb with { Name = "Net", Namespace = ns + ".Other" }]);
            case 2: // [Network] on two partial declarations of one class
                return new FuzzCase(index, "several", [ta with { Name = "Net" }, new TypeSpec(ns, "Net", TypeKind.Class, [b.Types[0].Attributes[0]], File: 1)]);
            case 3: // layers split over two partial declarations in two files
            {
                List<AttributeSpec> layers = [.. ta.Attributes.Skip(1), .. tb.Attributes.Skip(1)];
                int cut = 1 + r.Next(Math.Max(1, layers.Count - 1));
                var first = new TypeSpec(ns, "Split", TypeKind.Class, [ta.Attributes[0], .. layers.Take(cut)], File: 0);
                var second = new TypeSpec(ns, "Split", TypeKind.Class, layers.Skip(cut).ToList(), File: 1);
                return new FuzzCase(index, "split-partial", [first, second]);
            }
            case 4: // many networks in one file
                return new FuzzCase(index, "several", Enumerable.Range(0, 3 + r.Next(4)).Select(i => Valid(r, index * 10 + i, "several", false).Types[0] with { Namespace = ns, Name = "Net" + i.ToString(CultureInfo.InvariantCulture) }).ToList());
            default: // a network beside an ordinary class of an adversarial name in the same namespace
                return new FuzzCase(index, "several", [ta, new TypeSpec(ns, Pick(r, AdversarialNames.Where(n => n.Length > 1 && char.IsUpper(n[0])).ToArray()), TypeKind.Class, [], Body: "")]);
        }
    }

    private static FuzzCase Deep(Random r, int index)
    {
        var attributes = new List<AttributeSpec> { new("Network", [], [new("Inputs", "4")]) };
        int depth = 8 + r.Next(r.Next(3) == 0 ? 53 : 13);
        string activation = Pick(r, ["Tanh", "ReLU", "Sigmoid"]);
        for (int i = 0; i < depth; i++) attributes.Add(new AttributeSpec("Dense", [(i == depth - 1 ? 3 : 8).ToString(CultureInfo.InvariantCulture), "Activation." + activation], []));
        return new FuzzCase(index, "deep", [new TypeSpec($"Fuzz{index}", "Deep", TypeKind.Class, attributes)]);
    }

    private static FuzzCase MidEdit(Random r, int index)
    {
        FuzzCase source = r.Next(3) == 0 ? Several(r, index) : Valid(r, index, "mid-edit", r.Next(2) == 0);
        string text = string.Join("\n", source.Files());
        string edited = r.Next(6) switch
        {
            0 => text[..r.Next(text.Length)],                                                     // typing: cut anywhere
            1 => Splice(r, text, ""),                                                              // a span deleted
            2 => Splice(r, text, Pick(r, ["(", ")", "[", "]", ",", "=", "\"", "'", "/*", "//", "{", "}", "#if X", "@", "\\u0041", "Activation.", "0x", "1e", "..", "=>", "\u00A0", "\0"])),
            3 => text.Replace("Activation.", Pick(r, ["Activation.Re", "Activaton.", "Activation.relu", "Activation.", "(Activation)"]), StringComparison.Ordinal),
            4 => text.Insert(r.Next(text.Length), "\n[Dense(" + r.Next(-3, 20).ToString(CultureInfo.InvariantCulture) + (r.Next(2) == 0 ? ")]" : "")),
            _ => Splice(r, text, text.Substring(r.Next(text.Length / 2), r.Next(1, Math.Max(2, text.Length / 3)))),
        };
        return new FuzzCase(index, "mid-edit", [], RawFiles: [edited]);
    }

    // ---- parts ----

    private static AttributeSpec NetworkAttribute(Random r, out string loss, bool everyArgument)
    {
        var named = new List<KeyValuePair<string, string>> { new("Inputs", Width(r)) };
        loss = Pick(r, Losses);
        string optimizer = Pick(r, Optimizers);
        bool Include() => everyArgument || r.Next(3) == 0;
        if (Include()) named.Add(new("Loss", "Loss." + loss));
        else loss = "SoftmaxCrossEntropy";
        if (Include()) named.Add(new("Optimizer", "Optimizer." + optimizer));
        if (Include()) named.Add(new("LearningRate", Float(r, 1e-5, 1.0)));
        if (Include()) named.Add(new("Momentum", Float(r, 0, 0.999)));
        if (Include()) named.Add(new("Beta1", Float(r, 0, 0.99)));
        if (Include()) named.Add(new("Beta2", Float(r, 0.9, 0.9999)));
        if (Include()) named.Add(new("Alpha", Float(r, 0, 0.99)));
        if (Include()) named.Add(new("Epsilon", Pick(r, ["1e-8f", "1e-10f", "1e-3f", "float.Epsilon"])));
        if (Include()) named.Add(new("NotesForm", Bool(r)));
        if (Include()) named.Add(new("L1", Float(r, 0, 0.1)));
        if (Include()) named.Add(new("L2", Float(r, 0, 0.1)));
        if (Include()) named.Add(new("ClipNorm", Float(r, 0, 10)));
        if (Include()) named.Add(new("PenaltyInLoss", Bool(r)));
        if (Include()) named.Add(new("InputDropout", Float(r, 0, 0.9)));
        if (Include()) named.Add(new("DropoutForm", "DropoutForm." + Pick(r, Enum.GetNames<DropoutForm>())));
        Shuffle(r, named);
        return new AttributeSpec("Network", [], named);
    }

    private static AttributeSpec Layer(Random r, bool output, string loss, bool everyArgument)
    {
        bool Include() => everyArgument || r.Next(4) == 0;
        string units = output ? (loss is "SoftmaxCrossEntropy" or "MulticlassHinge" ? (2 + r.Next(11)).ToString(CultureInfo.InvariantCulture) : (1 + r.Next(5)).ToString(CultureInfo.InvariantCulture)) : Width(r);
        if (!output && r.Next(6) == 0)
        {
            var maxoutNamed = new List<KeyValuePair<string, string>>();
            if (Include()) maxoutNamed.Add(new("RegularizeWeights", Bool(r)));
            if (Include()) maxoutNamed.Add(new("RegularizeBias", Bool(r)));
            if (Include()) maxoutNamed.Add(new("Initializer", "Initializer." + Pick(r, Initializers)));
            if (Include()) maxoutNamed.Add(new("Dropout", Float(r, 0, 0.8)));
            return new AttributeSpec("Maxout", [units, (2 + r.Next(4)).ToString(CultureInfo.InvariantCulture)], maxoutNamed);
        }
        string activation = output ? Pick(r, ["Identity", "Identity", "Softmax", "Sigmoid", "Tanh"]) : Pick(r, Activations.Where(a => a != "Softmax").ToArray());
        var named = new List<KeyValuePair<string, string>>();
        switch (activation)
        {
            case "LeakyReLU" or "PReLU" or "SoftExponential": if (Include()) named.Add(new("Alpha", Float(r, -1, 1))); break;
            case "ELU" or "ISRU" or "ISRLU": if (Include()) named.Add(new("Alpha", Float(r, 0.01, 3))); break;
            case "SELU":
                if (Include()) named.Add(new("Alpha", Float(r, 0.5, 2)));
                if (Include()) named.Add(new("Lambda", Float(r, 0.5, 2)));
                break;
            case "RReLU":
                if (Include()) { named.Add(new("Lower", "0.1f")); named.Add(new("Upper", Float(r, 0.1, 0.5))); }
                break;
            case "SReLU":
                if (Include()) named.Add(new("LeftThreshold", Float(r, -1, 0)));
                if (Include()) named.Add(new("LeftSlope", Float(r, 0, 0.5)));
                if (Include()) named.Add(new("RightThreshold", Float(r, 0.5, 2)));
                if (Include()) named.Add(new("RightSlope", Float(r, 0.5, 2)));
                break;
            case "APL": if (Include()) named.Add(new("Hinges", (1 + r.Next(5)).ToString(CultureInfo.InvariantCulture))); break;
        }
        if (Include()) named.Add(new("RegularizeWeights", Bool(r)));
        if (Include()) named.Add(new("RegularizeBias", Bool(r)));
        if (Include() && activation is "PReLU" or "SoftExponential" or "SReLU" or "APL") named.Add(new("RegularizeActivation", Bool(r)));
        if (Include()) named.Add(new("Initializer", "Initializer." + Pick(r, Initializers)));
        if (Include() || r.Next(5) == 0)
        {
            named.Add(new("BatchNorm", "true"));
            if (Include()) named.Add(new("BatchNormMomentum", Float(r, 0.01, 1)));
            if (Include()) named.Add(new("BatchNormEpsilon", Pick(r, ["1e-5f", "1e-3f", "0.1f"])));
            if (Include()) named.Add(new("RegularizeBatchNorm", Bool(r)));
        }
        if (!output && Include()) named.Add(new("Dropout", Float(r, 0, 0.8)));
        Shuffle(r, named);
        IReadOnlyList<string> positional = activation == "Identity" && r.Next(2) == 0 ? [units] : [units, "Activation." + activation];
        if (r.Next(8) == 0) positional = [$"units: {units}", .. positional.Skip(1).Select(p => "activation: " + p)];
        return new AttributeSpec("Dense", positional, named);
    }

    private static AttributeSpec Replace(AttributeSpec attribute, string key, string value) =>
        attribute with { Named = [.. attribute.Named.Where(n => n.Key != key), new(key, value)] };

    private static string Namespace(Random r, int index) => r.Next(4) switch
    {
        0 => $"Fuzz{index}",
        1 => $"Fuzz{index}.Models",
        2 => $"Fuzz{index}.A.B.C",
        _ => $"Fuzz{index}.Networks",
    };

    private static string ClassName(Random r, bool plain) => plain ? Pick(r, ["Net", "DigitNet", "Model", "Classifier", "Regressor", "MyNetwork"]) : Pick(r, OddIdentifiers);

    private static string Modifier(Random r) => Pick(r, ["public", "public", "internal", ""]);

    private static string Width(Random r) => r.Next(50) switch
    {
        < 38 => (1 + r.Next(12)).ToString(CultureInfo.InvariantCulture),
        < 49 => (13 + r.Next(120)).ToString(CultureInfo.InvariantCulture),
        _ => (200 + r.Next(800)).ToString(CultureInfo.InvariantCulture),
    };

    private static string ExtremeInt(Random r) => Pick(r, ["1", "2", "3", "8", "17", "4096", "46341", "65536", "100000", "1 << 20", "int.MaxValue", "0x7FFFFFFF", "int.MaxValue - 1", "1073741824", "0", "-1"]);

    private static string ExtremeFloat(Random r) => Pick(r,
    [
        "float.MaxValue", "-float.MaxValue", "float.Epsilon", "-float.Epsilon", "float.NaN", "float.PositiveInfinity", "float.NegativeInfinity",
        "-0f", "0f", "1f", "0.99999994f", "1.0000001f", "3.4028235E+38f", "1e38f", "-1e38f", "1e-45f", "1e-38f", "1.17549435E-38f", "16777217f",
        "0.5f", "2f", "100f", "float.MinValue", "(float)Math.PI", "1f / 3f", "0.0009765625f",
    ]);

    private static string Float(Random r, double low, double high) =>
        ((float)(low + r.NextDouble() * (high - low))).ToString("R", CultureInfo.InvariantCulture) + "f";

    private static string Bool(Random r) => r.Next(2) == 0 ? "true" : "false";

    private static string Splice(Random r, string text, string insert)
    {
        int start = r.Next(text.Length), length = r.Next(Math.Min(40, text.Length - start) + 1);
        return text[..start] + insert + text[(start + length)..];
    }

    private static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    private static void Shuffle<T>(Random r, List<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = r.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
