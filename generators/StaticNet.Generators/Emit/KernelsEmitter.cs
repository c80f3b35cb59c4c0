using System.Collections.Generic;
using System.Linq;
using StaticNet.Generators.Layers;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit;

/// <summary>
/// Writes the file-local kernels class of a network: the parameter layout, the work buffers, what each public member of
/// the network does (argument checks, the guard against concurrent calls, the non-finite check), the forward and backward
/// passes as a walk over the stages, then the kernels the stages asked for, the loss, the optimizer step and the helpers.
/// </summary>
internal static class KernelsEmitter
{
    /// <summary>The kernels class of <paramref name="type"/>: <c>DigitNetKernels</c>, in namespace <c>StaticNet.Generated</c>.</summary>
    public static string ClassName(TypeModel type) => type.Identifier + "Kernels";

    /// <summary>
    /// The namespaces the kernels class imports. Written inside its own namespace declaration, so they are found before
    /// anything the user's project declares (a type named <c>Unsafe</c> or <c>Math</c> in the user's namespaces, or in the
    /// global namespace, cannot take their place), and the kernels read as ordinary C#.
    /// </summary>
    private static readonly string[] Imports =
    {
        "global::System",
        "global::System.Numerics",
        "global::System.Runtime.CompilerServices",
        "global::System.Runtime.InteropServices",
        "global::System.Runtime.Intrinsics",
        "global::StaticNet",
        "global::StaticNet.Compiled",
    };

    public static void Emit(CodeWriter w, NetworkPlan plan)
    {
        NetworkModel model = plan.Model;
        string k = ClassName(model.Type);
        using (w.Block("namespace StaticNet.Generated"))
        {
            foreach (string import in Imports) w.Line($"using {import};");
            w.Line();
            w.Summary(
                $"The kernels of <see cref=\"{model.Type.GlobalName}\"/>: {NetworkEmitter.Describe(plan)}.",
                "Shapes are constants; the batch's rows are the only run-time trip count. " + (w.ForcedPath is Simd forced
                    ? $"Every kernel has the {forced.Type} path only (forced at build time by StaticNetSimdPath)."
                    : "Every kernel has an AVX-512, an AVX2 + FMA and a portable Vector128 path, tested in that order, and the JIT keeps the one the machine has."),
                "A struct with static members only: <c>CompiledNetwork</c>'s generic methods take it as their type argument, so the JIT",
                "compiles them for this network with direct calls into these kernels.");
            w.Line(NetworkEmitter.GeneratedCode);
            using (w.Block($"file struct {k} : global::StaticNet.Compiled.INetworkKernels"))
            {
                EmitLayout(w, plan);
                w.Line();
                EmitWorkspace(w, plan, "Workspace", Pass.Training, "The work buffers of a training network's passes");
                w.Line();
                EmitWorkspace(w, plan, "FrozenWorkspace", Pass.Frozen, "The work buffers of a frozen network's inference");
                w.Line();
                EmitApi(w, plan);
                w.Line();
                EmitPasses(w, plan);
                w.Line();
                w.Comment("---- Kernels. Shapes are constants; batch rows are the only run-time trip count; one kernel per shape. ----");
                plan.Kernels.Emit(w);
                w.Line();
                LossEmitter.Emit(w, model);
                w.Line();
                var rowHelpers = LossEmitter.RowHelpers(model.Loss).Concat(plan.Stages.SelectMany(s => s.RowHelpers)).Distinct().ToList();
                OutputRowEmitter.Emit(w, model.Outputs, rowHelpers);
                w.Line();
                OptimizerEmitter.Emit(w, plan);
                var helpers = plan.Stages.SelectMany(s => s.Helpers).Concat(LossEmitter.MathHelpers(model.Loss)).ToList();
                if (helpers.Count > 0)
                {
                    w.Line();
                    w.Comment("---- Math helpers, one overload per lane kind, so a kernel's vector loop and its tail agree. ----");
                    MathHelpers.Emit(w, helpers);
                }
            }
        }
    }

    private static string Float(float value) => Simd.Literal(value);

    /// <summary>The constants: widths, counts, and every tensor's offset.</summary>
    private static void EmitLayout(CodeWriter w, NetworkPlan plan)
    {
        NetworkModel model = plan.Model;
        w.Line($"public static int InputSize => {model.Inputs};");
        w.Line($"public static int OutputSize => {model.Outputs};");
        w.Line($"public static int ParameterCount => {plan.ParameterCount};");
        w.Line($"public static int LabelClasses => {LossEmitter.LabelClasses(model)};{(LossEmitter.LabelClasses(model) != model.Outputs ? " // one output: the label is the target, 0 or 1" : "")}");
        w.Line($"public const int StatisticCount = {plan.StatisticCount};");
        w.Line($"public const int OptimizerSlots = {OptimizerEmitter.Slots(model.Optimizer.Kind).Count}; // {StateText(model)}");
        w.Line();
        w.Comment("Parameter layout: offsets into the parameter and gradient buffers (PyTorch's layout per tensor).");
        foreach (Tensor t in plan.Parameters) w.Line($"private const int {t.ConstantName} = {t.Offset}; // {t.Name} {t.ShapeText}");
        if (plan.Statistics.Count > 0)
        {
            w.Line();
            w.Comment("Statistics layout: offsets into the running-statistics buffer.");
            foreach (Tensor t in plan.Statistics) w.Line($"private const int {t.ConstantName} = {t.Offset}; // {t.Name} {t.ShapeText}");
        }
        w.Line();
        w.Line("private static ref float Buffer(float[] array) => ref MemoryMarshal.GetArrayDataReference(array);");
        w.Line();
        w.Line("private static readonly float[] NoScratch = Array.Empty<float>();");
    }

    private static string StateText(NetworkModel model)
    {
        IReadOnlyList<string> slots = OptimizerEmitter.Slots(model.Optimizer.Kind);
        return slots.Count == 0 ? $"none for {model.Optimizer.Kind}" : string.Join(", ", slots) + ", one per parameter each";
    }

    /// <summary>
    /// A workspace class: one array per buffer of <paramref name="pass"/> (and, for training, of the inference pass too), all
    /// allocated for the workspace's rows when it is made, sizes computed in 64 bits.
    /// </summary>
    private static void EmitWorkspace(CodeWriter w, NetworkPlan plan, string name, Pass pass, string what)
    {
        var buffers = new List<(int Layer, WorkBuffer Buffer)>();
        foreach (Pass p in pass == Pass.Training ? new[] { Pass.Training, Pass.Inference } : new[] { pass })
        {
            foreach (var b in plan.Buffers(p))
            {
                if (!buffers.Any(x => x.Buffer.Name == b.Buffer.Name)) buffers.Add(b);
            }
        }
        var scratch = pass == Pass.Training ? plan.Stages.SelectMany(s => s.Scratch).Distinct().ToList() : new List<string>();
        w.Summary(
            $"{what}, for up to <c>Rows</c> rows: every array is allocated for them when the workspace is made and never",
            "replaced, so a pass holding this workspace stays inside its arrays whatever other threads do.");
        using (w.Block($"public sealed class {name} : global::StaticNet.Compiled.Workspace"))
        {
            foreach (var group in buffers.GroupBy(b => b.Layer))
            {
                string where = group.Key < 0 ? "the inputs" : $"layer {group.Key}";
                foreach ((_, WorkBuffer b) in group)
                {
                    w.Line($"public readonly float[] {b.Name}; // {where}: {b.What}, {(b.PerRow ? $"[rows, {b.Width}]" : $"[{b.Width}]")}");
                }
            }
            if (scratch.Count > 0) w.Line("public readonly float[] Pack; // scratch of the Dense kernels: a chunk of the batch, of W or of Wᵀ, packed into panels");
            w.Line();
            using (w.Block($"public {name}(int rows) : base(rows)"))
            {
                foreach ((_, WorkBuffer b) in buffers)
                {
                    w.Line(b.PerRow
                        ? $"{b.Name} = GC.AllocateUninitializedArray<float>(Size(rows, {b.Width}));"
                        : $"{b.Name} = new float[{b.Width}];");
                }
                if (scratch.Count > 0)
                {
                    string pack = scratch.Skip(1).Aggregate(scratch[0], (a, b) => $"Math.Max({a}, {b})");
                    w.Line($"Pack = GC.AllocateUninitializedArray<float>({pack}); // the largest chunk a kernel packs");
                }
            }
        }
    }

    public static string[] InitializeSummary(NetworkPlan plan)
    {
        var lines = new List<string>
        {
            "Re-initializes every parameter from <paramref name=\"seed\"/>: weights as each layer's initializer says (by default",
            "He-uniform for the ReLU family, LeCun-normal for SELU, Glorot-uniform otherwise), biases zero",
        };
        if (plan.Statistics.Count > 0) lines.Add("batch normalization's γ = 1, β = 0 and running statistics μ̄ = 0, σ̄² = 1");
        if (plan.Stages.Any(s => s.Tensors.Any(t => t.Spec.Role != "weight" && t.Spec.Role != "bias" && t.Spec.Role != "gamma" && t.Spec.Role != "beta"))) lines.Add("learned activation parameters at their declared initial values");
        for (int i = 1; i < lines.Count - 1; i++) lines[i] += ",";
        lines[lines.Count - 1] += "; the optimizer's state and the training noise are reset.";
        return lines.ToArray();
    }

    /// <summary>
    /// The members <c>CompiledNetwork</c> calls (<c>INetworkKernels</c>: the passes, the loss, the step, freezing), and the
    /// ones the network's class calls itself (its state, initialization, description, layer outputs).
    /// </summary>
    private static void EmitApi(CodeWriter w, NetworkPlan plan)
    {
        NetworkModel model = plan.Model;
        OptimizerModel o = model.Optimizer;
        string output = plan.OutputOf(plan.Output, Pass.Training);
        string frozenOutput = plan.OutputOf(plan.Output, Pass.Frozen);
        const string Base = "global::StaticNet.Compiled.Workspace";

        w.Comment("---- What the network's members call: its state, its description, and what CompiledNetwork runs. ----");
        w.Line();
        w.Summary("The state of a new network: zeroed buffers and the declared hyperparameters.");
        using (w.Block("public static NetworkState NewState() => new(ParameterCount, OptimizerSlots, StatisticCount, new Hyperparameters", "});"))
        {
            w.Line($"LearningRate = {Float(o.LearningRate)},");
            w.Line($"Momentum = {Float(o.Momentum)},");
            w.Line($"Beta1 = {Float(o.Beta1)},");
            w.Line($"Beta2 = {Float(o.Beta2)},");
            w.Line($"Alpha = {Float(o.Alpha)},");
            w.Line($"Epsilon = {Float(o.Epsilon)},");
            w.Line($"L1 = {Float(o.L1)},");
            w.Line($"L2 = {Float(o.L2)},");
            w.Line($"ClipNorm = {Float(o.ClipNorm)},");
            w.Line($"PenaltyInLoss = {(o.PenaltyInLoss ? "true" : "false")},");
        }
        w.Line();
        w.Line(w.ForcedPath is Simd forced
            ? $"public static SimdPath KernelPath => SimdPath.{forced.Type}; // forced at build time by StaticNetSimdPath"
            : "public static SimdPath KernelPath => Simd.Active;");
        w.Line();
        Guarded(w, "public static void Initialize(NetworkState net, int seed)", "Initialize", () =>
        {
            w.Line("var random = new Random(seed);");
            w.Line("Span<float> p = net.Parameters.Span;");
            if (plan.Statistics.Count > 0) w.Line("Span<float> statistics = net.Statistics.Span;");
            foreach (Stage stage in plan.Stages) stage.EmitInitialize(w);
            w.Line("net.NoiseSeed = TrainingNoise.SeedFrom(seed);");
            w.Line("net.NoiseStep = 0;");
            w.Line("net.Gradients.Span.Clear();");
            w.Line("net.OptimizerState.Span.Clear();");
            w.Line("net.OptimizerStep = 0;");
        });
        w.Line();
        Guarded(w, "public static void ResetOptimizer(NetworkState net)", "ResetOptimizer", () =>
        {
            w.Line("net.OptimizerState.Span.Clear();");
            w.Line("net.OptimizerStep = 0;");
        });
        w.Line();
        EmitDescribe(w, plan);
        w.Line();
        EmitLayerOutput(w, plan);
        w.Line();
        using (w.Block("public static float Penalty(NetworkState net)"))
        {
            w.Line("double penalty = 0;");
            w.Line("Span<float> p = net.Parameters.Span;");
            w.Line("Hyperparameters h = net.Hyperparameters;");
            bool coupledL2 = o.Kind != Optimizer.AdamW;
            foreach (Tensor t in plan.Parameters.Where(t => t.Regularized))
            {
                w.Line($"penalty += h.L1 * NetworkRuntime.SumAbs(p.Slice({t.ConstantName}, {t.Length})){(coupledL2 ? $" + 0.5 * h.L2 * NetworkRuntime.SumSquares(p.Slice({t.ConstantName}, {t.Length}))" : "")}; // {t.Name}");
            }
            w.Line("return (float)penalty;");
        }
        w.Line();
        w.Line($"public static {Base} NewWorkspace(int rows) => new Workspace(rows);");
        w.Line();
        w.Line($"public static {Base} NewFrozenWorkspace(int rows) => new FrozenWorkspace(rows);");
        w.Line();
        var checks = new CodeWriter();
        foreach (Stage stage in plan.Stages)
        {
            stage.EmitTrainingChecks(checks, model.Type.FullName);
            if (checks.ToString().Length > 0) break;
        }
        string check = checks.ToString().Trim();
        w.Line(check.Length > 0 ? $"public static void CheckTrainingRows(int rows) => {check}" : "public static void CheckTrainingRows(int rows) { } // any number of rows");
        w.Line();
        string training = plan.DiffersInTraining ? "ForwardTraining" : "Forward";
        string inference = plan.DiffersInTraining ? "ForwardInference" : "Forward";
        w.Line($"public static void ForwardTraining(NetworkState net, {Base} workspace, ref float x, int rows) => {training}(net, (Workspace)workspace, ref x, rows);");
        w.Line();
        w.Line($"public static void ForwardInference(NetworkState net, {Base} workspace, ref float x, int rows) => {inference}(net, (Workspace)workspace, ref x, rows);");
        w.Line();
        w.Line($"public static float LossWithLabels({Base} workspace, ref int labels, int rows) => LossWithLabels(ref Buffer(((Workspace)workspace).{output}), ref labels, ref Buffer(((Workspace)workspace).{plan.Output.Delta}), rows);");
        w.Line();
        w.Line($"public static float LossWithTargets({Base} workspace, ref float targets, int rows) => LossWithTargets(ref Buffer(((Workspace)workspace).{output}), ref targets, ref Buffer(((Workspace)workspace).{plan.Output.Delta}), rows);");
        w.Line();
        w.Line($"public static void Backward(NetworkState net, {Base} workspace, ref float x, int rows) => Backward(net, (Workspace)workspace, ref x, rows);");
        w.Line();
        w.Line(plan.Stages.Any(s => s.CommitsAfterTraining)
            ? $"public static bool Commit(NetworkState net, {Base} workspace) => Commit(net, (Workspace)workspace);"
            : $"public static bool Commit(NetworkState net, {Base} workspace) => true; // nothing waits for a finite step");
        w.Line();
        w.Line($"public static void Predict({Base} workspace, ref float outputs, int rows) => Predict(ref Buffer(((Workspace)workspace).{output}), ref outputs, rows);");
        w.Line();
        EmitFreeze(w, plan);
        w.Line();
        using (w.Block($"public static void InferFrozen(AlignedBuffer parameters, AlignedBuffer[] arrays, {Base} workspace, ref float x, ref float outputs, int rows)"))
        {
            w.Line("var ws = (FrozenWorkspace)workspace;");
            w.Line("FrozenForward(ref parameters.Start, arrays, ws, ref x, rows);");
            w.Line($"Predict(ref Buffer(ws.{frozenOutput}), ref outputs, rows);");
        }
    }

    /// <summary>A member that holds the network's guard while <paramref name="body"/> runs (after <paramref name="before"/>, the argument checks).</summary>
    private static void Guarded(CodeWriter w, string header, string call, System.Action body, string? before = null, string guard = "net")
    {
        using (w.Block(header))
        {
            if (before is not null) w.Line(before);
            w.Line($"{guard}.Work.Enter(\"{call}\");");
            using (w.Block("try"))
            {
                body();
            }
            using (w.Block("finally"))
            {
                w.Line($"{guard}.Work.Exit();");
            }
        }
    }

    private static void EmitDescribe(CodeWriter w, NetworkPlan plan)
    {
        NetworkModel model = plan.Model;
        w.Summary("The declaration and parameter layout, for <c>Descriptor</c>.");
        using (w.Block("public static NetworkDescription Describe()"))
        {
            w.Line("return new NetworkDescription(");
            w.Line($"    typeName: \"{model.Type.FullName}\",");
            w.Line($"    inputs: {model.Inputs},");
            w.Line($"    loss: global::StaticNet.Loss.{model.Loss},");
            w.Line($"    optimizer: global::StaticNet.Optimizer.{model.Optimizer.Kind},");
            w.Line($"    learningRate: {Float(model.Optimizer.LearningRate)},");
            w.Line("    layers: new LayerDescription[]");
            w.Line("    {");
            var layers = new CodeWriter();
            foreach (LayerPlan layer in plan.Layers)
            {
                var d = new LayerDescriptionWriter(layer.Index);
                foreach (Stage stage in layer.Stages) stage.Describe(d);
                d.Write(layers);
            }
            foreach (string line in layers.ToString().TrimEnd('\n').Split('\n')) w.Line("        " + line);
            w.Line("    },");
            IReadOnlyList<string> slots = OptimizerEmitter.Slots(model.Optimizer.Kind);
            var extras = new List<string>();
            foreach (Stage stage in plan.InputStages)
            {
                var d = new LayerDescriptionWriter(-1);
                stage.Describe(d);
                extras.AddRange(d.Properties.Select(p => "Input" + p));
            }
            if (model.DropoutForm != DropoutForm.Inverted) extras.Add($"DropoutForm = DropoutForm.{model.DropoutForm}");
            w.Line($"    optimizerSlots: {(slots.Count == 0 ? "Array.Empty<string>()" : "new[] { " + string.Join(", ", slots.Select(n => "\"" + n + "\"")) + " }")}){(extras.Count > 0 ? "" : ";")}");
            if (extras.Count > 0)
            {
                w.Line("{");
                foreach (string extra in extras) w.Line("    " + extra + ",");
                w.Line("};");
            }
        }
    }

    private static void EmitLayerOutput(CodeWriter w, NetworkPlan plan)
    {
        w.Summary("LayerOutput: a layer's output from the last forward pass, which may have been a training one (dropped units) or not.");
        using (w.Block("public static ReadOnlySpan<float> LayerOutput(NetworkState net, int layer)"))
        {
            using (w.Block($"if ((uint)layer >= {plan.Layers.Count})"))
            {
                w.Line($"throw new ArgumentOutOfRangeException(nameof(layer), layer, \"The layers are numbered 0 to {plan.Layers.Count - 1}.\");");
            }
            w.Line("if (net.Work.Last<Workspace>() is not Workspace ws) return default;");
            w.Line("int rows = ws.LastRows;");
            w.Line("return layer switch");
            w.Line("{");
            foreach (LayerPlan layer in plan.Layers)
            {
                string trained = plan.OutputOf(layer, Pass.Training), inferred = plan.OutputOf(layer, Pass.Inference);
                string buffer = trained != inferred ? $"(ws.LastTraining ? ws.{trained} : ws.{inferred})" : $"ws.{inferred}";
                w.Line($"    {(layer.Index == plan.Layers.Count - 1 ? "_" : layer.Index.ToString(System.Globalization.CultureInfo.InvariantCulture))} => {buffer}.AsSpan(0, rows * {layer.Outputs}),");
            }
            w.Line("};");
        }
    }

    private static void EmitFreeze(CodeWriter w, NetworkPlan plan)
    {
        w.Summary("A frozen network from a copy of the parameters: batch normalization folded into it, the weights packed into panels.");
        using (w.Block("public static AlignedBuffer[] Freeze(AlignedBuffer parameters, ReadOnlySpan<float> statistics)"))
        {
            if (plan.FrozenArrays == 0 && !plan.Stages.Any(s => s.IsFolded))
            {
                w.Line("return Array.Empty<AlignedBuffer>(); // nothing to fold, no layer wide enough for panels");
                return;
            }
            w.Line($"var arrays = {(plan.FrozenArrays == 0 ? "Array.Empty<AlignedBuffer>()" : $"new AlignedBuffer[{plan.FrozenArrays}]")};");
            if (plan.Stages.Any(s => s.IsFolded)) w.Line("Span<float> copy = parameters.Span;");
            foreach (int phase in new[] { 0, 1 })
            {
                foreach (Stage stage in plan.Stages) stage.EmitFreeze(w, phase);
            }
            w.Line("return arrays;");
        }
    }

    /// <summary>The passes: forward (training, inference, frozen), backward, and the commit of the running statistics.</summary>
    private static void EmitPasses(CodeWriter w, NetworkPlan plan)
    {
        w.Comment("---- Passes: each stage of each layer in turn, by buffer. ----");
        if (plan.DiffersInTraining)
        {
            w.Line();
            EmitForward(w, plan, Pass.Training, "ForwardTraining");
            w.Line();
            EmitForward(w, plan, Pass.Inference, "ForwardInference");
        }
        else
        {
            w.Line();
            EmitForward(w, plan, Pass.Inference, "Forward");
        }
        w.Line();
        EmitForward(w, plan, Pass.Frozen, "FrozenForward");
        w.Line();
        EmitBackward(w, plan);
        if (plan.Stages.Any(s => s.CommitsAfterTraining))
        {
            w.Line();
            w.Summary(
                "After a training step whose loss and gradients are finite: the next running statistics from the batch's, which the",
                "training pass kept; stored only when every one of them is finite (false otherwise, with nothing changed).");
            using (w.Block("private static bool Commit(NetworkState net, Workspace ws)"))
            {
                w.Line("ref float s = ref net.Statistics.Start;");
                foreach (Stage stage in plan.Stages) stage.EmitCommit(w, 0);
                var buffers = plan.Stages.SelectMany(stage => stage.CommitBuffers).Select(b => $"NetworkRuntime.AllFinite(ws.{b})").ToList();
                w.Line($"if (!({string.Join(" && ", buffers)})) return false;");
                w.Line("Span<float> statistics = net.Statistics.Span;");
                foreach (Stage stage in plan.Stages) stage.EmitCommit(w, 1);
                w.Line("return true;");
            }
        }
    }

    private static void EmitForward(CodeWriter w, NetworkPlan plan, Pass pass, string name)
    {
        bool differs = plan.DiffersInTraining;
        string[] summary = pass switch
        {
            Pass.Training => new[]
            {
                "Forward pass in training mode over <paramref name=\"rows\"/> rows starting at <paramref name=\"x\"/>: dropout drops, RReLU draws",
                "its slopes, batch normalization uses the batch's statistics (kept for Commit). Draws the noise of step NoiseStep.",
            },
            Pass.Inference when differs => new[]
            {
                "Forward pass in inference mode over <paramref name=\"rows\"/> rows starting at <paramref name=\"x\"/>: nothing is dropped,",
                "RReLU's slope is (l + u)/2, batch normalization uses the running statistics. Changes no state but the work buffers.",
            },
            Pass.Inference => new[] { "Forward pass over <paramref name=\"rows\"/> rows starting at <paramref name=\"x\"/> (training and inference are the same)." },
            _ => new[]
            {
                "Forward pass of the frozen network over <paramref name=\"rows\"/> rows starting at <paramref name=\"x\"/>: the inference pass on",
                "the frozen copy of the parameters" + (plan.FrozenArrays > 0 ? ", the Dense products on the packed Wᵀ where the layer has panels on this path" : "")
                    + (plan.Stages.Any(s => s.IsFolded) ? ", batch normalization folded into W and b" : "") + ".",
            },
        };
        w.Summary(summary);
        string header = pass == Pass.Frozen
            ? $"private static void {name}(ref float p, AlignedBuffer[] arrays, FrozenWorkspace ws, ref float x, int rows)"
            : $"private static void {name}(NetworkState net, Workspace ws, ref float x, int rows)";
        var stages = plan.Stages.Where(s => NetworkPlan.Runs(s, pass)).ToList();
        using (w.Block(header))
        {
            if (pass != Pass.Frozen) w.Line("ref float p = ref net.Parameters.Start;");
            if (pass == Pass.Inference && plan.Statistics.Count > 0) w.Line("ref float s = ref net.Statistics.Start;");
            if (pass == Pass.Training && plan.DrawsNoise)
            {
                w.Line("uint noiseSeed = net.NoiseSeed;");
                w.Line("long step = net.NoiseStep; // Train advances it after the backward pass");
            }
            foreach (Stage stage in plan.InputStages.Where(s => NetworkPlan.Runs(s, pass)))
            {
                w.Comment($"The inputs: {stage.Describe(pass)}.");
                stage.EmitForward(new CallContext(w, pass, plan.InputOf(stage, pass)));
            }
            foreach (LayerPlan layer in plan.Layers)
            {
                var parts = layer.Stages.Select(s => s.Describe(pass)).Where(d => d is not null).ToList();
                w.Comment($"Layer {layer.Index}: {string.Join(", ", parts)}.");
                foreach (Stage stage in layer.Stages.Where(s => NetworkPlan.Runs(s, pass)))
                {
                    stage.EmitForward(new CallContext(w, pass, plan.InputOf(stage, pass)));
                }
            }
            if (pass == Pass.Frozen) return;
            w.Line("ws.LastRows = rows;");
            if (plan.OutputsDiffer) w.Line($"ws.LastTraining = {(pass == Pass.Training ? "true" : "false")};");
        }
    }

    private static void EmitBackward(CodeWriter w, NetworkPlan plan)
    {
        w.Summary(
            $"Backward pass: starts from the loss kernel's gradient in <c>{plan.Output.Delta}</c> and overwrites the gradients with ∂L/∂θ.",
            "Runs after a training forward pass, whose buffers (masks, slopes, batch statistics) it reads.");
        using (w.Block("private static void Backward(NetworkState net, Workspace ws, ref float x, int rows)"))
        {
            w.Line("ref float p = ref net.Parameters.Start;");
            w.Line("ref float g = ref net.Gradients.Start;");
            for (int i = plan.Layers.Count - 1; i >= 0; i--)
            {
                LayerPlan layer = plan.Layers[i];
                w.Comment($"Layer {layer.Index}: {(i == plan.Layers.Count - 1 ? "from ∂L/∂a" : "from ∂L/∂(output)")} to ∂L/∂θ{(i > 0 ? ", then ∂L/∂(output) of layer " + (i - 1) : "")}.");
                string delta = layer.Delta;
                foreach (Stage stage in layer.Stages.Reverse().Where(s => NetworkPlan.Runs(s, Pass.Training)))
                {
                    var call = new CallContext(w, Pass.Training, plan.InputOf(stage, Pass.Training))
                    {
                        Delta = delta,
                        InputDelta = i > 0 ? plan.Layers[i - 1].Delta : null,
                    };
                    stage.EmitBackward(call);
                    delta = call.Delta;
                }
            }
        }
    }
}
