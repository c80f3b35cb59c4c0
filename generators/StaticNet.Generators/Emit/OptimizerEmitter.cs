using System.Collections.Generic;
using System.Linq;
using StaticNet.Generators.Layers;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit;

/// <summary>
/// Emits the optimizer step for the declared optimizer: one fused pass over a range [start, end)
/// of the parameter buffer (read the gradient, apply clipping and L1/L2, update the state, update
/// the parameter), in runs of tensors the step treats alike, whose bounds are constants. The
/// update rule is written once per optimizer and serves both the vector loop and the scalar tail.
/// </summary>
internal static class OptimizerEmitter
{
    /// <summary>PyTorch's names for the optimizer's state buffers.</summary>
    public static IReadOnlyList<string> Slots(Optimizer kind) => kind switch
    {
        Optimizer.Momentum => new[] { "velocity" },
        Optimizer.Nesterov => new[] { "momentum_buffer" },
        Optimizer.Adagrad => new[] { "sum" },
        Optimizer.RMSProp => new[] { "square_avg" },
        Optimizer.Adam or Optimizer.AdamW => new[] { "exp_avg", "exp_avg_sq" },
        _ => new string[0],
    };

    private static string Formula(OptimizerModel o) => o.Kind switch
    {
        Optimizer.Sgd => "SGD: θ ← θ − η·g.",
        Optimizer.Momentum => "Momentum (the notes' form): v ← λv − η·g; θ ← θ + v.",
        Optimizer.Nesterov => "Nesterov (PyTorch's SGD with nesterov=True): b ← λb + g; θ ← θ − η·(g + λb).",
        Optimizer.Adagrad when o.NotesForm => "Adagrad (the notes' form): s ← s + g²; θ ← θ − (ηᵗ/σᵗ)·g with ηᵗ = η/√(t+1), σᵗ = √(s/(t+1)), i.e. θ ← θ − η·g / max(√s, ε).",
        Optimizer.Adagrad => "Adagrad (PyTorch): s ← s + g²; θ ← θ − η·g / (√s + ε).",
        Optimizer.RMSProp when o.NotesForm => "RMSProp (the notes' form): σ² ← g² at t = 1, else α·σ² + (1 − α)·g²; θ ← θ − η·g / max(σ, ε).",
        Optimizer.RMSProp => "RMSProp: s ← α·s + (1 − α)·g²; θ ← θ − η·g / (√s + ε).",
        Optimizer.Adam => "Adam: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − η·m̂ / (√v̂ + ε), m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).",
        Optimizer.AdamW => "AdamW: θ ← θ − ηλθ on the regularized tensors, then the Adam update.",
        _ => o.Kind.ToString(),
    };

    public static void Emit(CodeWriter w, NetworkPlan plan)
    {
        OptimizerModel o = plan.Model.Optimizer;
        bool coupledL2 = o.HasL2 && o.Kind != Optimizer.AdamW;
        bool decoupledL2 = o.HasL2 && o.Kind == Optimizer.AdamW;
        var lines = new List<string> { Formula(o) };
        if (o.HasClipping) lines.Add("g is first scaled so that its global L2 norm (over every parameter, whatever the range) is at most ClipNorm.");
        if (coupledL2) lines.Add("On regularized tensors g gains λ₂·θ (L2).");
        if (o.HasL1) lines.Add("On regularized tensors g gains λ₁·sign(θ) (L1).");
        bool decays = o.Kind is Optimizer.Momentum or Optimizer.Nesterov or Optimizer.RMSProp or Optimizer.Adam or Optimizer.AdamW;
        if (decays) lines.Add("State below the smallest normal float is stored as 0: decaying into subnormals would make every step several times slower.");
        lines.Add("Updates the elements [start, end) of the parameters and their state, so that threads can share one step (Step passes the whole buffer);");
        lines.Add("each element's update is the same whichever range it falls in. Backward overwrites the gradients, so the step leaves them as they are.");
        w.Summary(lines.ToArray());
        w.Line(Kernel.Hot);
        using (w.Block("public static void OptimizerUpdate(ref float p, ref float g, ref float s, Hyperparameters h, long t, int start, int end)"))
        {
            w.Comment("Scalars of this step, computed once.");
            w.Line("float lr = h.LearningRate;");
            if (decays) w.Line("const float smallestNormal = 1.17549435E-38f; // 2⁻¹²⁶: state below it is flushed to 0");
            if (o.HasClipping) w.Line("float clip = NetworkRuntime.ClipScale(MemoryMarshal.CreateReadOnlySpan(ref g, ParameterCount), h.ClipNorm);");
            if (o.HasL1) w.Line("float l1 = h.L1;");
            if (coupledL2) w.Line("float l2 = h.L2;");
            if (decoupledL2) w.Line("float decay = 1f - h.LearningRate * h.L2;");
            switch (o.Kind)
            {
                case Optimizer.Momentum:
                case Optimizer.Nesterov:
                    w.Line("float momentum = h.Momentum;");
                    break;
                case Optimizer.Adagrad:
                case Optimizer.RMSProp:
                    w.Line("float eps = h.Epsilon;");
                    if (o.Kind == Optimizer.RMSProp)
                    {
                        w.Line(o.NotesForm
                            ? "float alpha = t == 1 ? 0f : h.Alpha; // σ⁰ = |g⁰|: the first step keeps g² alone"
                            : "float alpha = h.Alpha;");
                        w.Line("float oneMinusAlpha = 1f - alpha;");
                    }
                    break;
                case Optimizer.Adam:
                case Optimizer.AdamW:
                    w.Line("float beta1 = h.Beta1, beta2 = h.Beta2, eps = h.Epsilon;");
                    w.Line("float oneMinusBeta1 = 1f - beta1, oneMinusBeta2 = 1f - beta2;");
                    w.Line("float stepSize = (float)(h.LearningRate / (1.0 - Math.Pow(beta1, t))); // η / (1 − β₁ᵗ)");
                    w.Line("float vScale = (float)(1.0 / (1.0 - Math.Pow(beta2, t))); // 1 / (1 − β₂ᵗ)");
                    break;
            }
            int slots = Slots(o.Kind).Count;
            if (slots > 1) w.Line("ref float s1 = ref Unsafe.Add(ref s, ParameterCount); // the second state slot");

            int parameterCount = plan.ParameterCount;
            foreach (Run run in Runs(plan))
            {
                w.Line();
                w.Comment(run.Describe(parameterCount));
                using (w.Open())
                {
                    string first = run.Offset == 0 ? "start" : $"Math.Max(start, {run.Offset})";
                    string stop = run.End == parameterCount ? "end" : $"Math.Min(end, {run.End})";
                    w.Line($"int i = {first}, stop = {stop};");
                    Simd.Ladder(w, v =>
                    {
                        // The body is written once to learn which scalars it broadcasts, then for real after their declarations.
                        var hoisted = new List<(string Scalar, string Local)>();
                        Update(new CodeWriter(), v.Hoisting(hoisted), o, run.Regularized);
                        v.DeclareHoisted(w, hoisted);
                        using (w.Block($"for (; i <= stop - {v.Lanes}; i += {v.Lanes})"))
                        {
                            Update(w, v.Hoisting(hoisted), o, run.Regularized);
                        }
                    });
                    w.Comment("Tail: the elements after the last whole vector, one at a time.");
                    using (w.Block("for (; i < stop; i++)"))
                    {
                        Update(w, Simd.Scalar, o, run.Regularized);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Consecutive tensors the step treats alike (regularized or not, which matters only with
    /// L1/L2), as one range of the buffer: without L1/L2 the whole buffer is one run.
    /// </summary>
    private sealed class Run(int offset, bool regularized)
    {
        public int Offset { get; } = offset;

        public int End { get; set; } = offset;

        public bool Regularized { get; } = regularized;

        public List<Tensor> Tensors { get; } = new();

        public string Describe(int parameterCount)
        {
            string what = Tensors.Count == 1
                ? $"{Tensors[0].Name}: {Tensors[0].ShapeText}"
                : Offset == 0 && End == parameterCount
                    ? Tensors.Count <= 4 ? $"Every tensor ({string.Join(", ", Tensors.Select(t => t.Name))})" : $"Every tensor, {Tensors.Count} of them ({Tensors[0].Name} … {Tensors[Tensors.Count - 1].Name})"
                : string.Join(", ", Tensors.Select(t => t.Name));
            return $"{what}, {Count(End - Offset)} at offset {Offset}{(Regularized ? ", regularized" : "")}.";
        }
    }

    private static IEnumerable<Run> Runs(NetworkPlan plan)
    {
        OptimizerModel o = plan.Model.Optimizer;
        Run? current = null;
        foreach (Tensor tensor in plan.Parameters)
        {
            bool regularized = tensor.Regularized && (o.HasL1 || o.HasL2);
            if (current is null || current.Regularized != regularized)
            {
                if (current is not null) yield return current;
                current = new Run(tensor.Offset, regularized);
            }
            current.Tensors.Add(tensor);
            current.End = tensor.Offset + tensor.Length;
        }
        if (current is not null) yield return current;
    }

    private static string Count(int n) => n == 1 ? "1 value" : n + " values";

    /// <summary>The update of one lane (a vector or a single float) at index <c>i</c>.</summary>
    private static void Update(CodeWriter w, Simd v, OptimizerModel o, bool regularized)
    {
        string B(string scalar) => v.Broadcast(scalar);
        w.Line($"{v.Vec} theta = {v.Load("p", "i")};");
        w.Line($"{v.Vec} grad = {v.Load("g", "i")}{(o.HasClipping ? " * " + B("clip") : "")};");
        if (regularized && o.HasL2 && o.Kind != Optimizer.AdamW) w.Line($"grad = {v.Fma(B("l2"), "theta", "grad")}; // + λ₂θ");
        if (regularized && o.HasL1) w.Line($"grad = {v.Fma(B("l1"), v.Sign("theta"), "grad")}; // + λ₁ sign(θ)");
        switch (o.Kind)
        {
            case Optimizer.Sgd:
                w.Line(v.Store(v.Fma("grad", B("-lr"), "theta"), "p", "i"));
                break;
            case Optimizer.Momentum:
                w.Line($"{v.Vec} velocity = {v.Fma(B("momentum"), v.Load("s", "i"), $"grad * {B("-lr")}")};");
                Flush(w, v, "velocity");
                w.Line(v.Store("velocity", "s", "i"));
                w.Line(v.Store("theta + velocity", "p", "i"));
                break;
            case Optimizer.Nesterov:
                w.Line($"{v.Vec} buffer = {v.Fma(B("momentum"), v.Load("s", "i"), "grad")};");
                Flush(w, v, "buffer");
                w.Line(v.Store("buffer", "s", "i"));
                w.Line(v.Store(v.Fma(v.Fma(B("momentum"), "buffer", "grad"), B("-lr"), "theta"), "p", "i"));
                break;
            case Optimizer.Adagrad:
                w.Line($"{v.Vec} sum = {v.Fma("grad", "grad", v.Load("s", "i"))};");
                w.Line(v.Store("sum", "s", "i"));
                w.Line(v.Store($"theta - {B("lr")} * grad / {Denominator(v, o, "sum")}", "p", "i"));
                break;
            case Optimizer.RMSProp:
                w.Line($"{v.Vec} square = {v.Fma(B("alpha"), v.Load("s", "i"), $"{B("oneMinusAlpha")} * grad * grad")};");
                Flush(w, v, "square");
                w.Line(v.Store("square", "s", "i"));
                w.Line(v.Store($"theta - {B("lr")} * grad / {Denominator(v, o, "square")}", "p", "i"));
                break;
            case Optimizer.Adam:
            case Optimizer.AdamW:
                if (o.Kind == Optimizer.AdamW && regularized && o.HasL2) w.Line($"theta *= {B("decay")}; // decoupled weight decay, θ ← θ − ηλθ");
                w.Line($"{v.Vec} m = {v.Fma(B("beta1"), v.Load("s", "i"), $"{B("oneMinusBeta1")} * grad")};");
                w.Line($"{v.Vec} u = {v.Fma(B("beta2"), v.Load("s1", "i"), $"{B("oneMinusBeta2")} * grad * grad")};");
                Flush(w, v, "m");
                Flush(w, v, "u");
                w.Line(v.Store("m", "s", "i"));
                w.Line(v.Store("u", "s1", "i"));
                w.Line(v.Store($"theta - {B("stepSize")} * m / ({v.Sqrt($"u * {B("vScale")}")} + {B("eps")})", "p", "i"));
                break;
        }
    }

    /// <summary>Stores a decaying state flushed of subnormals (see <see cref="Simd.FlushSubnormal"/>).</summary>
    private static void Flush(CodeWriter w, Simd v, string state)
        => w.Line($"{state} = {v.FlushSubnormal(state, "smallestNormal")}; // subnormal → 0");

    /// <summary>√s + ε (PyTorch), or max(√s, ε) for the notes' forms, which divide by σ itself.</summary>
    private static string Denominator(Simd v, OptimizerModel o, string s)
        => o.NotesForm ? v.Max(v.Sqrt(s), v.Broadcast("eps")) : $"({v.Sqrt(s)} + {v.Broadcast("eps")})";
}
