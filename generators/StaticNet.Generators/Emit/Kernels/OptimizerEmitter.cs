using System.Collections.Generic;
using System.Linq;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Kernels;

/// <summary>
/// Emits the optimizer step for the declared optimizer: one fused pass per parameter tensor
/// (read the gradient, apply clipping and L1/L2, update the state, update the parameter), with
/// the tensor's offset and length as constants. The update rule is written once per optimizer
/// and serves both the vector loop and the scalar tail.
/// </summary>
internal static class OptimizerEmitter
{
    /// <summary>PyTorch's names for the optimizer's state buffers.</summary>
    public static IReadOnlyList<string> Slots(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Momentum => new[] { "velocity" },
        OptimizerKind.Nesterov => new[] { "momentum_buffer" },
        OptimizerKind.Adagrad => new[] { "sum" },
        OptimizerKind.RMSProp => new[] { "square_avg" },
        OptimizerKind.Adam or OptimizerKind.AdamW => new[] { "exp_avg", "exp_avg_sq" },
        _ => new string[0],
    };

    private static string Formula(OptimizerModel o) => o.Kind switch
    {
        OptimizerKind.Sgd => "SGD: θ ← θ − η·g.",
        OptimizerKind.Momentum => "Momentum (the notes' form): v ← λv − η·g; θ ← θ + v.",
        OptimizerKind.Nesterov => "Nesterov (PyTorch's SGD with nesterov=True): b ← λb + g; θ ← θ − η·(g + λb).",
        OptimizerKind.Adagrad when o.NotesForm => "Adagrad (the notes' form): s ← s + g²; θ ← θ − (ηᵗ/σᵗ)·g with ηᵗ = η/√(t+1), σᵗ = √(s/(t+1)), i.e. θ ← θ − η·g / max(√s, ε).",
        OptimizerKind.Adagrad => "Adagrad (PyTorch): s ← s + g²; θ ← θ − η·g / (√s + ε).",
        OptimizerKind.RMSProp when o.NotesForm => "RMSProp (the notes' form): σ² ← g² at t = 1, else α·σ² + (1 − α)·g²; θ ← θ − η·g / max(σ, ε).",
        OptimizerKind.RMSProp => "RMSProp: s ← α·s + (1 − α)·g²; θ ← θ − η·g / (√s + ε).",
        OptimizerKind.Adam => "Adam: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − η·m̂ / (√v̂ + ε), m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).",
        OptimizerKind.AdamW => "AdamW: θ ← θ − ηλθ on the regularized tensors, then the Adam update.",
        _ => o.Kind.ToString(),
    };

    public static void Emit(CodeWriter w, NetworkModel model)
    {
        OptimizerModel o = model.Optimizer;
        bool coupledL2 = o.HasL2 && o.Kind != OptimizerKind.AdamW;
        bool decoupledL2 = o.HasL2 && o.Kind == OptimizerKind.AdamW;
        var lines = new List<string> { Formula(o) };
        if (o.HasClipping) lines.Add("g is first scaled so that its global L2 norm is at most ClipNorm.");
        if (coupledL2) lines.Add("On regularized tensors g gains λ₂·θ (L2).");
        if (o.HasL1) lines.Add("On regularized tensors g gains λ₁·sign(θ) (L1).");
        bool decays = o.Kind is OptimizerKind.Momentum or OptimizerKind.Nesterov or OptimizerKind.RMSProp or OptimizerKind.Adam or OptimizerKind.AdamW;
        if (decays) lines.Add("State below the smallest normal float is stored as 0: decaying into subnormals would make every step several times slower.");
        lines.Add("Backward overwrites the gradients, so the step leaves them as they are.");
        w.Summary(lines.ToArray());
        w.Line(KernelNames.HotAttribute);
        using (w.Block("private static void OptimizerUpdate(ref float p, ref float g, ref float s, Hyperparameters h, long t)"))
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
                case OptimizerKind.Momentum:
                case OptimizerKind.Nesterov:
                    w.Line("float momentum = h.Momentum;");
                    break;
                case OptimizerKind.Adagrad:
                case OptimizerKind.RMSProp:
                    w.Line("float eps = h.Epsilon;");
                    if (o.Kind == OptimizerKind.RMSProp)
                    {
                        w.Line(o.NotesForm
                            ? "float alpha = t == 1 ? 0f : h.Alpha; // σ⁰ = |g⁰|: the first step keeps g² alone"
                            : "float alpha = h.Alpha;");
                        w.Line("float oneMinusAlpha = 1f - alpha;");
                    }
                    break;
                case OptimizerKind.Adam:
                case OptimizerKind.AdamW:
                    w.Line("float beta1 = h.Beta1, beta2 = h.Beta2, eps = h.Epsilon;");
                    w.Line("float oneMinusBeta1 = 1f - beta1, oneMinusBeta2 = 1f - beta2;");
                    w.Line("float stepSize = (float)(h.LearningRate / (1.0 - Math.Pow(beta1, t))); // η / (1 − β₁ᵗ)");
                    w.Line("float vScale = (float)(1.0 / (1.0 - Math.Pow(beta2, t))); // 1 / (1 − β₂ᵗ)");
                    break;
            }

            int slots = Slots(o.Kind).Count;
            foreach (ParameterLayout.Tensor tensor in ParameterLayout.Tensors(model))
            {
                w.Line();
                w.Comment($"{tensor.Name}: {tensor.ShapeText}, {Count(tensor.Length)} at offset {tensor.Offset}{(tensor.Regularized && (o.HasL1 || o.HasL2) ? ", regularized" : "")}.");
                using (w.Open())
                {
                    w.Line($"ref float pt = ref Unsafe.Add(ref p, {tensor.Offset});");
                    w.Line($"ref float gt = ref Unsafe.Add(ref g, {tensor.Offset});");
                    if (slots > 0) w.Line($"ref float s0 = ref Unsafe.Add(ref s, {tensor.Offset});");
                    if (slots > 1) w.Line($"ref float s1 = ref Unsafe.Add(ref s, ParameterCount + {tensor.Offset});");
                    Simd.Ladder(w, tensor.Length, v => v.MapUniform(w, tensor.Length, lane => Update(w, lane, o, tensor.Regularized)));
                }
            }
        }
    }

    private static string Count(int n) => n == 1 ? "1 value" : n + " values";

    /// <summary>The update of one lane (a vector or a single float) at index <c>i</c>.</summary>
    private static void Update(CodeWriter w, Simd v, OptimizerModel o, bool regularized)
    {
        string B(string scalar) => v.Broadcast(scalar);
        w.Line($"{v.Vec} theta = {v.Load("pt", "i")};");
        w.Line($"{v.Vec} grad = {v.Load("gt", "i")}{(o.HasClipping ? " * " + B("clip") : "")};");
        if (regularized && o.HasL2 && o.Kind != OptimizerKind.AdamW) w.Line($"grad = {v.Fma(B("l2"), "theta", "grad")}; // + λ₂θ");
        if (regularized && o.HasL1) w.Line($"grad = {v.Fma(B("l1"), v.Sign("theta"), "grad")}; // + λ₁ sign(θ)");
        switch (o.Kind)
        {
            case OptimizerKind.Sgd:
                w.Line(v.Store(v.Fma("grad", B("-lr"), "theta"), "pt", "i"));
                break;
            case OptimizerKind.Momentum:
                w.Line($"{v.Vec} velocity = {v.Fma(B("momentum"), v.Load("s0", "i"), $"grad * {B("-lr")}")};");
                Flush(w, v, "velocity");
                w.Line(v.Store("velocity", "s0", "i"));
                w.Line(v.Store("theta + velocity", "pt", "i"));
                break;
            case OptimizerKind.Nesterov:
                w.Line($"{v.Vec} buffer = {v.Fma(B("momentum"), v.Load("s0", "i"), "grad")};");
                Flush(w, v, "buffer");
                w.Line(v.Store("buffer", "s0", "i"));
                w.Line(v.Store(v.Fma(v.Fma(B("momentum"), "buffer", "grad"), B("-lr"), "theta"), "pt", "i"));
                break;
            case OptimizerKind.Adagrad:
                w.Line($"{v.Vec} sum = {v.Fma("grad", "grad", v.Load("s0", "i"))};");
                w.Line(v.Store("sum", "s0", "i"));
                w.Line(v.Store($"theta - {B("lr")} * grad / {Denominator(v, o, "sum")}", "pt", "i"));
                break;
            case OptimizerKind.RMSProp:
                w.Line($"{v.Vec} square = {v.Fma(B("alpha"), v.Load("s0", "i"), $"{B("oneMinusAlpha")} * grad * grad")};");
                Flush(w, v, "square");
                w.Line(v.Store("square", "s0", "i"));
                w.Line(v.Store($"theta - {B("lr")} * grad / {Denominator(v, o, "square")}", "pt", "i"));
                break;
            case OptimizerKind.Adam:
            case OptimizerKind.AdamW:
                if (o.Kind == OptimizerKind.AdamW && regularized && o.HasL2) w.Line($"theta *= {B("decay")}; // decoupled weight decay, θ ← θ − ηλθ");
                w.Line($"{v.Vec} m = {v.Fma(B("beta1"), v.Load("s0", "i"), $"{B("oneMinusBeta1")} * grad")};");
                w.Line($"{v.Vec} u = {v.Fma(B("beta2"), v.Load("s1", "i"), $"{B("oneMinusBeta2")} * grad * grad")};");
                Flush(w, v, "m");
                Flush(w, v, "u");
                w.Line(v.Store("m", "s0", "i"));
                w.Line(v.Store("u", "s1", "i"));
                w.Line(v.Store($"theta - {B("stepSize")} * m / ({v.Sqrt($"u * {B("vScale")}")} + {B("eps")})", "pt", "i"));
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
