using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.BatchNorm;

/// <summary>
/// Emits a layer's batch normalization (the notes' algorithm, PyTorch's defaults): the training
/// pass over the batch's statistics, which also updates the running ones; the inference pass over
/// the running statistics; and the full backward pass through the batch statistics.
/// </summary>
internal static class BatchNormKernels
{
    private static string Clear(string reference, int n) => $"Unsafe.InitBlockUnaligned(ref Unsafe.As<float, byte>(ref {reference}), 0, {n * 4});";

    private static void EachRow(CodeWriter w, int m, string[] rowRefs, System.Action<Simd> body)
    {
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            foreach (string reference in rowRefs) w.Line($"ref float {reference}r = ref Unsafe.Add(ref {reference}, r * {m});");
            Simd.Ladder(w, m, v => v.MapUniform(w, m, body));
        }
    }

    public static void EmitTraining(CodeWriter w, BatchNormModel bn, string name)
    {
        int m = bn.Units;
        string momentum = Simd.Number(bn.Momentum), keep = Simd.Number(1f - bn.Momentum), eps = Simd.Number(bn.Epsilon);
        w.Summary(
            $"Batch normalization of {m} units, training, over [rows, {m}]: per unit j, μ = mean_r z[r, j] and",
            "σ² = mean_r (z[r, j] − μ)² (biased); x̂ = (z − μ)/√(σ² + ε), y = γx̂ + β, ε = " + eps + ".",
            "Keeps μ, σ² (for the running statistics, which <c>" + name + "Commit</c> updates once the step is known to be finite),",
            "x̂ and 1/√(σ² + ε) (in invStd) for the backward pass. Needs rows ≥ 2.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}Training(ref float z, ref float gamma, ref float beta, ref float xhat, ref float y, ref float mean, ref float variance, ref float invStd, int rows)"))
        {
            w.Line("float inverseRows = 1f / rows;");
            w.Comment("μ: the sum over rows, then scaled by 1/n.");
            w.Line(Clear("mean", m));
            EachRow(w, m, new[] { "z" }, v => w.Line(v.Store($"{v.Load("mean", "i")} + {v.Load("zr", "i")}", "mean", "i")));
            Simd.Ladder(w, m, s => s.MapUniform(w, m, v => w.Line(v.Store($"{v.Load("mean", "i")} * {v.Broadcast("inverseRows")}", "mean", "i"))));
            w.Comment("σ²·n: the sum of squared deviations (a second pass, so no cancellation), accumulated in invStd.");
            w.Line(Clear("invStd", m));
            EachRow(w, m, new[] { "z" }, v =>
            {
                w.Line($"{v.Vec} deviation = {v.Load("zr", "i")} - {v.Load("mean", "i")};");
                w.Line(v.Store(v.Fma("deviation", "deviation", v.Load("invStd", "i")), "invStd", "i"));
            });
            w.Comment("Per unit: σ², then invStd = 1/√(σ² + ε).");
            Simd.Ladder(w, m, s => s.MapUniform(w, m, v =>
            {
                w.Line($"{v.Vec} sigma2 = {v.Load("invStd", "i")} * {v.Broadcast("inverseRows")};");
                w.Line(v.Store("sigma2", "variance", "i"));
                w.Line(v.Store($"{v.One} / {v.Sqrt($"sigma2 + {v.Const(bn.Epsilon)}")}", "invStd", "i"));
            }));
            w.Comment("x̂ and y.");
            EachRow(w, m, new[] { "z", "xhat", "y" }, v =>
            {
                w.Line($"{v.Vec} normalized = ({v.Load("zr", "i")} - {v.Load("mean", "i")}) * {v.Load("invStd", "i")};");
                w.Line(v.Store("normalized", "xhatr", "i"));
                w.Line(v.Store(v.Fma(v.Load("gamma", "i"), "normalized", v.Load("beta", "i")), "yr", "i"));
            });
        }

        w.Line();
        w.Summary(
            $"Batch normalization of {m} units: the next running statistics after a finite training step, μ̄ ← {keep}·μ̄ + {momentum}·μ and",
            $"σ̄² ← {keep}·σ̄² + {momentum}·σ²·n/(n − 1) (unbiased, as PyTorch), from the batch's μ and σ² the training pass kept, written over",
            "them: the caller stores them once every value is known to be finite.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}Commit(ref float mean, ref float variance, ref float runningMean, ref float runningVar, int rows)"))
        {
            w.Line("float unbiased = rows / (rows - 1f);");
            Simd.Ladder(w, m, s => s.MapUniform(w, m, v =>
            {
                w.Line(v.Store($"{v.Const(1f - bn.Momentum)} * {v.Load("runningMean", "i")} + {v.Const(bn.Momentum)} * {v.Load("mean", "i")}", "mean", "i"));
                w.Line(v.Store($"{v.Const(1f - bn.Momentum)} * {v.Load("runningVar", "i")} + {v.Const(bn.Momentum)} * {v.Load("variance", "i")} * {v.Broadcast("unbiased")}", "variance", "i"));
            }));
        }
    }

    public static void EmitInference(CodeWriter w, BatchNormModel bn, string name)
    {
        int m = bn.Units;
        w.Summary(
            $"Batch normalization of {m} units, inference, over [rows, {m}]: y = γ(z − μ̄)/√(σ̄² + ε) + β with the running",
            $"statistics, ε = {Simd.Number(bn.Epsilon)}. Reads no batch statistic and changes nothing.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}Inference(ref float z, ref float gamma, ref float beta, ref float runningMean, ref float runningVar, ref float y, int rows)"))
        {
            EachRow(w, m, new[] { "z", "y" }, v =>
            {
                w.Line($"{v.Vec} scale = {v.Load("gamma", "i")} / {v.Sqrt($"{v.Load("runningVar", "i")} + {v.Const(bn.Epsilon)}")};");
                w.Line(v.Store(v.Fma($"{v.Load("zr", "i")} - {v.Load("runningMean", "i")}", "scale", v.Load("beta", "i")), "yr", "i"));
            });
        }
    }

    public static void EmitBackward(CodeWriter w, BatchNormModel bn, string name)
    {
        int m = bn.Units;
        w.Summary(
            $"Batch normalization of {m} units, backward, over [rows, {m}], through the batch statistics:",
            "∂L/∂γ[j] = Σ_r d·x̂, ∂L/∂β[j] = Σ_r d (overwritten), and in place the gradient with respect to z,",
            "d ← γ/√(σ² + ε) · (d − (∂L/∂β + (x̂ − x̄)·(∂L/∂γ − x̄·∂L/∂β))/n), with x̄ = mean_r x̂. In exact arithmetic x̄ = 0 and this is",
            "the textbook form; in float, x̂ of a few rows with a large mean relative to their spread keeps a mean of its own, and",
            "centring on it makes the unit's gradients sum to 0 as they should (the weight gradient below then stays accurate).");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}Backward(ref float xhat, ref float gamma, ref float invStd, ref float d, ref float gGamma, ref float gBeta, ref float xhatMean, int rows)"))
        {
            w.Line(Clear("gGamma", m));
            w.Line(Clear("gBeta", m));
            w.Line(Clear("xhatMean", m));
            EachRow(w, m, new[] { "xhat", "d" }, v =>
            {
                w.Line($"{v.Vec} di = {v.Load("dr", "i")};");
                w.Line($"{v.Vec} xi = {v.Load("xhatr", "i")};");
                w.Line(v.Store($"{v.Load("gBeta", "i")} + di", "gBeta", "i"));
                w.Line(v.Store(v.Fma("di", "xi", v.Load("gGamma", "i")), "gGamma", "i"));
                w.Line(v.Store($"{v.Load("xhatMean", "i")} + xi", "xhatMean", "i"));
            });
            w.Line("float inverseRows = 1f / rows;");
            Simd.Ladder(w, m, s => s.MapUniform(w, m, v => w.Line(v.Store($"{v.Load("xhatMean", "i")} * {v.Broadcast("inverseRows")}", "xhatMean", "i"))));
            EachRow(w, m, new[] { "xhat", "d" }, v =>
            {
                w.Line($"{v.Vec} mean = {v.Load("xhatMean", "i")}, beta = {v.Load("gBeta", "i")};");
                w.Line($"{v.Vec} slope = {v.Load("gGamma", "i")} - mean * beta;");
                w.Line($"{v.Vec} correction = (beta + ({v.Load("xhatr", "i")} - mean) * slope) * {v.Broadcast("inverseRows")};");
                w.Line(v.Store($"{v.Load("gamma", "i")} * {v.Load("invStd", "i")} * ({v.Load("dr", "i")} - correction)", "dr", "i"));
            });
        }
    }
}
