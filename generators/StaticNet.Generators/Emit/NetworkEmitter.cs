using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit;

/// <summary>
/// Stage 3 of the pipeline: writes the C# source of one network from its model. The file holds two things: the user's
/// partial class, which gets its public API and nothing else (every member <c>global::</c>-qualified, each a line that
/// calls into the kernels), and a <c>file static class</c> in <c>StaticNet.Generated</c> with everything else — the
/// work buffers, the passes, the kernels — written by <see cref="KernelsEmitter"/> from the stages of a
/// <see cref="NetworkPlan"/>.
/// </summary>
internal static class NetworkEmitter
{
    public const string GeneratorName = "StaticNet.Generators";
    public const string GeneratorVersion = "0.2.0";

    /// <summary>The attribute on every generated member of the user's class.</summary>
    public const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"" + GeneratorName + "\", \"" + GeneratorVersion + "\")]";

    /// <summary>
    /// The names of the members the generator adds to a network class. A class of one of these names cannot be a network
    /// (a member cannot have its class's name, CS0542): the parser reports SNET0020 instead.
    /// </summary>
    public static readonly HashSet<string> MemberNames = new(System.StringComparer.Ordinal)
    {
        "InputSize", "OutputSize", "ParameterCount", "StatisticCount", "Create", "CreateReplica", "Initialize", "Descriptor",
        "KernelPath", "Description", "Parameters", "Gradients", "Statistics", "NoiseSeed", "NoiseStep", "LearningRate",
        "Hyperparameters", "OptimizerState", "OptimizerStep", "ResetOptimizer", "Penalty", "Parameter", "Gradient", "Statistic",
        "LayerOutput", "ComputeGradients", "ComputeLoss", "TrainStep", "Step", "StepRange", "Infer", "Freeze", "Frozen",
    };

    /// <summary>The one field the generated code adds to the user's class.</summary>
    private const string State = "_staticNetState";

    private const string Api = "global::StaticNet.";

    /// <summary>The runtime class that runs a network's public members over its kernels.</summary>
    private const string Run = "global::StaticNet.Compiled.CompiledNetwork";

    public static string Emit(NetworkModel model, EmitOptions options)
    {
        var kernels = new KernelSet();
        var plan = new NetworkPlan(model, kernels);
        var w = new CodeWriter { ForcedPath = Simd.Named(options.ForcedSimdPath) };
        string k = KernelsEmitter.ClassName(model.Type);
        Header(w);
        InUserNamespace(w, model.Type, () => EmitClass(w, plan, k));
        w.Line();
        KernelsEmitter.Emit(w, plan);
        return w.ToString();
    }

    /// <summary>
    /// The public surface of a network whose declaration has errors: every member of the API, each throwing, so that the
    /// SNET diagnostic is the only error the user sees instead of one more per use of the class.
    /// </summary>
    public static string EmitShell(TypeModel type)
    {
        var w = new CodeWriter();
        Header(w);
        InUserNamespace(w, type, () =>
        {
            string t = type.Name;
            void Line(string text) => w.Line(Hide(type, text));
            string fail = $"throw new global::System.InvalidOperationException(\"The declaration of {type.FullName} has errors (see the StaticNet diagnostics); fix them to generate the network.\")";
            w.Summary($"The public surface of <see cref=\"{t}\"/> while its declaration has errors: every member throws. Fix the SNET diagnostics to generate the network.");
            w.Line(GeneratedCode);
            using (w.Block($"partial class {t} : {Api}INetwork<{t}>"))
            {
                Line("public const int InputSize = 0;");
                Line("public const int OutputSize = 0;");
                Line("public const int ParameterCount = 0;");
                Line($"public {t}(int seed) => {fail};");
                Line($"public static {t} Create(int seed) => {fail};");
                Line($"public static {t} CreateReplica({t} primary) => {fail};");
                Line($"public static {Api}NetworkDescription Descriptor => {fail};");
                Line($"public static {Api}SimdPath KernelPath => {fail};");
                Line($"public void Initialize(int seed) => {fail};");
                Line($"public {Api}NetworkDescription Description => {fail};");
                foreach (string span in new[] { "Parameters", "Gradients", "Statistics", "OptimizerState" }) Line($"public global::System.Span<float> {span} => {fail};");
                Line($"public float LearningRate {{ get => {fail}; set => {fail}; }}");
                Line($"public {Api}Hyperparameters Hyperparameters => {fail};");
                Line($"public long OptimizerStep {{ get => {fail}; set => {fail}; }}");
                Line($"public uint NoiseSeed {{ get => {fail}; set => {fail}; }}");
                Line($"public long NoiseStep {{ get => {fail}; set => {fail}; }}");
                Line($"public void ResetOptimizer() => {fail};");
                Line($"public float Penalty() => {fail};");
                foreach (string one in new[] { "Parameter", "Gradient", "Statistic" }) Line($"public global::System.Span<float> {one}(string name) => {fail};");
                Line($"public global::System.ReadOnlySpan<float> LayerOutput(int layer) => {fail};");
                foreach (string target in new[] { "global::System.ReadOnlySpan<int> labels", "global::System.ReadOnlySpan<float> targets" })
                {
                    foreach (string call in new[] { "ComputeGradients", "ComputeLoss", "TrainStep" }) Line($"public float {call}(global::System.ReadOnlySpan<float> inputs, {target}) => {fail};");
                }
                Line($"public void Step() => {fail};");
                Line($"public void StepRange(int start, int end, long step) => {fail};");
                Line($"public void Infer(global::System.ReadOnlySpan<float> inputs, global::System.Span<float> outputs) => {fail};");
                Line($"public Frozen Freeze() => {fail};");
                w.Line($"{Api}IFrozenNetwork {Api}INetwork.Freeze() => {fail};");
                using (w.Block(Hide(type, $"public sealed class Frozen : {Api}IFrozenNetwork")))
                {
                    w.Line("private Frozen() { }");
                    w.Line($"public {Api}NetworkDescription Description => {fail};");
                    w.Line($"public void Infer(global::System.ReadOnlySpan<float> inputs, global::System.Span<float> outputs) => {fail};");
                }
            }
        });
        return w.ToString();
    }

    private static void Header(CodeWriter w)
    {
        w.Line("// <auto-generated/>");
        w.Comment("Generated by StaticNet's source generator from the [Network] declaration: the network class's public API, then the");
        w.Comment("file-local class with its kernels. Regenerated on every build; edit the declaration, not this file.");
        w.Line("#nullable enable");
        w.Line();
    }

    /// <summary>Writes <paramref name="body"/> inside the class's namespace and containing types.</summary>
    private static void InUserNamespace(CodeWriter w, TypeModel type, System.Action body)
    {
        var scopes = new List<CodeWriter.Scope>();
        if (type.Namespace is not null) scopes.Add(w.Block($"namespace {type.Namespace}"));
        foreach (string containing in type.ContainingTypes) scopes.Add(w.Block(containing));
        body();
        for (int i = scopes.Count - 1; i >= 0; i--) scopes[i].Dispose();
    }

    /// <summary>Describes the network in one line: <c>784 inputs → Dense(128, ReLU) → Dense(10), softmax cross-entropy, Sgd (η = 0.1)</c>.</summary>
    public static string Describe(NetworkPlan plan)
    {
        NetworkModel model = plan.Model;
        IEnumerable<string> layers = plan.Layers.Select(l =>
        {
            var parts = l.Stages.SelectMany(stage => stage.SummaryParts).ToList();
            return l.Stages[0].Head + "(" + string.Join(", ", parts) + ")";
        });
        string loss = model.Loss switch
        {
            Loss.SoftmaxCrossEntropy => "softmax cross-entropy",
            Loss.BinaryCrossEntropy => "binary cross-entropy",
            Loss.MulticlassHinge => "multiclass hinge",
            _ => "mean squared error",
        };
        string inputs = plan.InputStages.Count > 0 ? $" ({string.Join(", ", plan.InputStages.Select(s => s.Describe(StaticNet.Generators.Layers.Pass.Training)))})" : "";
        OptimizerModel o = model.Optimizer;
        string optimizer = $"{o.Kind} (η = {Simd.Number(o.LearningRate)}{(o.HasL1 ? ", L1 = " + Simd.Number(o.L1) : "")}{(o.HasL2 ? ", L2 = " + Simd.Number(o.L2) : "")}{(o.HasClipping ? ", clip norm " + Simd.Number(o.ClipNorm) : "")})";
        return $"{model.Inputs} inputs{inputs} → {string.Join(" → ", layers)}, {loss}, {optimizer}";
    }

    /// <summary>The user's class: its public API, each member a call into the kernels class <paramref name="k"/>.</summary>
    private static void EmitClass(CodeWriter w, NetworkPlan plan, string k)
    {
        NetworkModel model = plan.Model;
        string t = model.Type.Name;
        string span = "global::System.Span<float>", input = "global::System.ReadOnlySpan<float> inputs";
        string K = "global::StaticNet.Generated." + k;
        w.Summary(
            $"{Describe(plan)}.",
            $"Generated by StaticNet: {plan.ParameterCount.ToString(CultureInfo.InvariantCulture)} parameters in one buffer, fixed-shape kernels for every layer ({(w.ForcedPath is Simd forced ? "the " + forced.Type + " path only, forced" : "an AVX-512, an AVX2 + FMA")}",
            $"{(w.ForcedPath is null ? "and a portable Vector128 path in each" : "at build time")}), in the file-local <c>{k}</c> of this file. An instance is not thread-safe: a call",
            $"while another runs on it throws <see cref=\"global::System.InvalidOperationException\"/>; share a <see cref=\"Frozen\"/> copy between threads.");
        using (w.Block($"partial class {t} : {Api}INetwork<{t}>"))
        {
            bool documented = false;
            void Member(string summary, params string[] lines)
            {
                if (summary.Length > 0) w.Summary(summary);
                else if (!documented) w.Line("/// <inheritdoc />");
                documented = false;
                w.Line(GeneratedCode);
                for (int i = 0; i < lines.Length; i++) w.Line(i == 0 ? Hide(model.Type, lines[i]) : lines[i]);
                w.Line();
            }

            Member("The width of one input row.", $"public const int InputSize = {model.Inputs};");
            Member("The width of one output row.", $"public const int OutputSize = {model.Outputs};");
            Member("The number of parameters, the length of <see cref=\"Parameters\"/> and <see cref=\"Gradients\"/>.", $"public const int ParameterCount = {plan.ParameterCount};");
            if (plan.StatisticCount > 0) Member("The number of running statistics, the length of <see cref=\"Statistics\"/>.", $"public const int StatisticCount = {plan.StatisticCount};");
            Member("Everything an instance holds: parameters, gradients, optimizer state, statistics, work buffers, counters.", $"private readonly global::StaticNet.Compiled.NetworkState {State};");
            Member("Creates the network with its parameters initialized from <paramref name=\"seed\"/> (see <see cref=\"Initialize\"/>).",
                $"public {t}(int seed) : this(global::StaticNet.Generated.{k}.NewState()) => Initialize(seed);");
            Member("Wraps <paramref name=\"state\"/>: a new network's, or a replica's.", $"private {t}(global::StaticNet.Compiled.NetworkState state) => {State} = state;");
            Member("Creates the network with its parameters initialized from <paramref name=\"seed\"/>.", $"public static {t} Create(int seed) => new(seed);");
            w.Summary(
                "Creates a replica of <paramref name=\"primary\"/> for data-parallel training: it uses the primary's parameters, optimizer",
                "state and hyperparameters (the same buffers, not copies) and has its own gradients, work buffers and training noise" + (plan.StatisticCount > 0 ? "," : "."),
                (plan.StatisticCount > 0 ? "and a copy of the running statistics. " : "") + "Take optimizer steps on the primary: a replica's Step would update the shared parameters and state with the replica's gradients.");
            documented = true;
            Member("", $"public static {t} CreateReplica({t} primary) => new(new global::StaticNet.Compiled.NetworkState((primary ?? throw new global::System.ArgumentNullException(nameof(primary))).{State}));");
            w.Summary(KernelsEmitter.InitializeSummary(plan));
            documented = true;
            Member("", $"public void Initialize(int seed) => global::StaticNet.Generated.{k}.Initialize({State}, seed);");
            Member("The declaration and parameter layout of this network type.", $"public static {Api}NetworkDescription Descriptor {{ get; }} = global::StaticNet.Generated.{k}.Describe();");
            Member("The kernel path this class's code takes on this machine.", $"public static {Api}SimdPath KernelPath => global::StaticNet.Generated.{k}.KernelPath;");
            Member("", $"public {Api}NetworkDescription Description => Descriptor;");
            Member("", $"public {span} Parameters => {State}.Parameters.Span;");
            Member("", $"public {span} Gradients => {State}.Gradients.Span;");
            Member("", $"public {span} Statistics => {State}.Statistics.Span;");
            Member("", $"public uint NoiseSeed {{ get => {State}.NoiseSeed; set => {State}.NoiseSeed = value; }}");
            Member("", $"public long NoiseStep {{ get => {State}.NoiseStep; set => {State}.NoiseStep = value; }}");
            Member("", $"public float LearningRate {{ get => {State}.Hyperparameters.LearningRate; set => {State}.Hyperparameters.LearningRate = value; }}");
            Member("", $"public {Api}Hyperparameters Hyperparameters => {State}.Hyperparameters;");
            Member("", $"public {span} OptimizerState => {State}.OptimizerState.Span;");
            Member("", $"public long OptimizerStep {{ get => {State}.OptimizerStep; set => {State}.OptimizerStep = value; }}");
            Member("", $"public void ResetOptimizer() => global::StaticNet.Generated.{k}.ResetOptimizer({State});");
            Member("", $"public float Penalty() => global::StaticNet.Generated.{k}.Penalty({State});");
            foreach ((string one, string all, string find) in new[] { ("Parameter", "Parameters", "Descriptor[name]"), ("Gradient", "Gradients", "Descriptor[name]"), ("Statistic", "Statistics", "Descriptor.Statistic(name)") })
            {
                Member("", $"public {span} {one}(string name)", "{", $"    {Api}ParameterTensor tensor = {find};", $"    return {all}.Slice(tensor.Offset, tensor.Length);", "}");
            }
            Member("", $"public global::System.ReadOnlySpan<float> LayerOutput(int layer) => global::StaticNet.Generated.{k}.LayerOutput({State}, layer);");
            foreach (string target in new[] { "global::System.ReadOnlySpan<int> labels", "global::System.ReadOnlySpan<float> targets" })
            {
                string name = target.Substring(target.LastIndexOf(' ') + 1);
                Member("", $"public float ComputeGradients({input}, {target}) => {Run}.Train<{K}>({State}, inputs, {name}, step: false, nameof(ComputeGradients));");
                Member("", $"public float ComputeLoss({input}, {target}) => {Run}.Loss<{K}>({State}, inputs, {name});");
                Member("", $"public float TrainStep({input}, {target}) => {Run}.Train<{K}>({State}, inputs, {name}, step: true, nameof(TrainStep));");
            }
            Member("", $"public void Step() => {Run}.Step<{K}>({State});");
            Member("", $"public void StepRange(int start, int end, long step) => {Run}.StepRange<{K}>({State}, start, end, step);");
            Member("", $"public void Infer({input}, {span} outputs) => {Run}.Infer<{K}>({State}, inputs, outputs);");
            w.Summary(
                "A frozen copy of this network for inference: the parameters" + (plan.StatisticCount > 0 ? " (with batch normalization folded in)" : "") + " as they are now, each Dense layer's weights",
                "also transposed into the panels its kernels read. Later training or parameter writes do not reach it; freeze again to pick them up.");
            documented = true;
            Member("", $"public Frozen Freeze() => new({State});");
            Member("", $"{Api}IFrozenNetwork {Api}INetwork.Freeze() => Freeze();");
            EmitFrozenClass(w, plan, k);
        }
    }

    private static void EmitFrozenClass(CodeWriter w, NetworkPlan plan, string k)
    {
        NetworkModel model = plan.Model;
        var folded = plan.Stages.Where(s => s.IsFolded).Select(s => s.Layer).ToList();
        var packed = plan.Stages.Where(s => s.FrozenArrays > 0).Select(s => s.Layer).ToList();
        var summary = new List<string>
        {
            $"A <see cref=\"{model.Type.Name}\"/> frozen for inference (<see cref=\"Freeze\"/>): a copy of its parameters, taken when it was made.",
        };
        if (folded.Count > 0) summary.Add($"The batch normalization of {Layers(folded)} is folded into the layer's W and b, with the running statistics of that moment.");
        summary.Add(packed.Count > 0
            ? $"The weights of {Layers(packed)} are also transposed into the panels of outputs the kernels read, on the paths where the layer is at least one panel wide, so no call repacks them: every batch size takes the panel form there, and a few sparse rows skip the inputs that are 0."
            : "No layer is wide enough for panels, so the kernels are the network's own dot products.");
        summary.Add("Safe to share between threads: each call takes work buffers of its own from a pool, and nothing else changes after the copy is made.");
        w.Summary(summary.ToArray());
        w.Line(GeneratedCode);
        using (w.Block(Hide(model.Type, $"public sealed class Frozen : {Api}IFrozenNetwork")))
        {
            w.Line("private readonly global::StaticNet.Compiled.AlignedBuffer _parameters;");
            w.Line("private readonly global::StaticNet.Compiled.AlignedBuffer[] _arrays; // the packed weights, per layer with panels");
            w.Line("private readonly global::StaticNet.Compiled.WorkspacePool _workspaces = new();");
            w.Line();
            w.Summary($"Copies <paramref name=\"network\"/>'s parameters{(folded.Count > 0 ? ", folds batch normalization into them with the running statistics of this moment" : "")}{(packed.Count > 0 ? " and packs the weights" : "")}; see <see cref=\"Freeze\"/>.");
            w.Line($"internal Frozen(global::StaticNet.Compiled.NetworkState network) => (_parameters, _arrays) = {Run}.Freeze<global::StaticNet.Generated.{k}>(network);");
            w.Line();
            w.Line("/// <inheritdoc />");
            w.Line($"public {Api}NetworkDescription Description => Descriptor;");
            w.Line();
            w.Line("/// <inheritdoc />");
            w.Line($"public void Infer(global::System.ReadOnlySpan<float> inputs, global::System.Span<float> outputs) => {Run}.InferFrozen<global::StaticNet.Generated.{k}>(_parameters, _arrays, _workspaces, inputs, outputs);");
        }
    }

    /// <summary>
    /// <paramref name="line"/>, a member's declaration, with <c>new</c> after its accessibility when the member hides one of
    /// the class's base types (so that the user's base class costs no CS0108 warning in generated code).
    /// </summary>
    private static string Hide(TypeModel type, string line)
    {
        if (type.Hidden.Count == 0) return line;
        var declaration = System.Text.RegularExpressions.Regex.Match(line, @"^public (?:static |sealed |const )*[\w.:<>\[\], ]*?\b(\w+)\s*(?:\(|=>|\{|=|;|:|$)");
        return declaration.Success && type.Hidden.Contains(declaration.Groups[1].Value) ? "public new " + line.Substring("public ".Length) : line;
    }

    private static string Layers(List<int> indices)
        => (indices.Count > 1 ? "layers " : "layer ") + (indices.Count > 1 ? string.Join(", ", indices.Take(indices.Count - 1)) + " and " + indices[indices.Count - 1] : indices[0].ToString(CultureInfo.InvariantCulture));
}
