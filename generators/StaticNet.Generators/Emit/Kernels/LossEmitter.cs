using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Kernels;

/// <summary>
/// Emits the loss kernels: each returns the mean loss over the rows and writes d = ∂L/∂a for
/// the output layer, and the inference kernel that turns outputs into predictions.
/// </summary>
internal static class LossEmitter
{
    public static void Emit(CodeWriter w, NetworkModel model)
    {
        int n = model.Outputs;
        if (model.Loss == LossKind.SoftmaxCrossEntropy)
        {
            EmitSoftmaxCrossEntropy(w, n);
        }
        else
        {
            EmitMeanSquaredError(w, n);
        }
    }

    private static void EmitSoftmaxCrossEntropy(CodeWriter w, int n)
    {
        w.Summary(
            "Softmax cross-entropy from logits with class labels: L = mean_r (log Σ_j e^a[r, j] − a[r, y_r]),",
            "computed as log-sum-exp with the row maximum subtracted so no exponential overflows.",
            "Writes d = ∂L/∂a = (softmax(a) − onehot(y)) / rows.");
        w.Line(KernelNames.HotAttribute);
        using (w.Block("private static float LossWithLabels(ref float a, ref int labels, ref float d, int rows)"))
        {
            w.Line("double total = 0;");
            w.Line("float scale = 1f / rows;");
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {n});");
                w.Line($"ref float dr = ref Unsafe.Add(ref d, r * {n});");
                w.Line("int y = Unsafe.Add(ref labels, r);");
                w.Line("float max = RowMax(ref ar);");
                w.Line("float sum = RowExp(ref ar, max, ref dr);");
                w.Line("total += Math.Log(sum) + max - Unsafe.Add(ref ar, y);");
                w.Line("RowScale(ref dr, scale / sum);");
                w.Line("Unsafe.Add(ref dr, y) -= scale;");
            }
            w.Line("return (float)(total / rows);");
        }
        w.Line();
        w.Summary(
            "Softmax cross-entropy from logits with target distributions t: L = mean_r Σ_j t[r, j] (lse_r − a[r, j]).",
            "Writes d = ∂L/∂a = (softmax(a) · Σ_j t[r, j] − t) / rows.");
        w.Line(KernelNames.HotAttribute);
        using (w.Block("private static float LossWithTargets(ref float a, ref float t, ref float d, int rows)"))
        {
            w.Line("double total = 0;");
            w.Line("float scale = 1f / rows;");
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {n});");
                w.Line($"ref float tr = ref Unsafe.Add(ref t, r * {n});");
                w.Line($"ref float dr = ref Unsafe.Add(ref d, r * {n});");
                w.Line("float max = RowMax(ref ar);");
                w.Line("float sum = RowExp(ref ar, max, ref dr);");
                w.Line("float mass = RowSum(ref tr);");
                w.Line("total += (Math.Log(sum) + max) * mass - RowDot(ref tr, ref ar);");
                w.Line("RowScaleSubtract(ref dr, scale * mass / sum, ref tr, scale);");
            }
            w.Line("return (float)(total / rows);");
        }
        w.Line();
        w.Summary("Inference: probabilities p[r, j] = e^(a[r, j] − max) / Σ_k e^(a[r, k] − max).");
        w.Line(KernelNames.HotAttribute);
        using (w.Block("private static void Predict(ref float a, ref float p, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {n});");
            w.Line($"ref float pr = ref Unsafe.Add(ref p, r * {n});");
            w.Line("float sum = RowExp(ref ar, RowMax(ref ar), ref pr);");
            w.Line("RowScale(ref pr, 1f / sum);");
        }
    }

    private static void EmitMeanSquaredError(CodeWriter w, int n)
    {
        w.Summary(
            $"Mean squared error with class labels (one-hot targets): L = Σ_r,j (a[r, j] − [j = y_r])² / (rows · {n}).",
            $"Writes d = ∂L/∂a = 2 (a − onehot(y)) / (rows · {n}).");
        w.Line(KernelNames.HotAttribute);
        using (w.Block("private static float LossWithLabels(ref float a, ref int labels, ref float d, int rows)"))
        {
            w.Line("double total = 0;");
            w.Line($"float c = 2f / (rows * {n}f);");
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {n});");
                w.Line($"ref float dr = ref Unsafe.Add(ref d, r * {n});");
                w.Line("int y = Unsafe.Add(ref labels, r);");
                w.Comment("Against a zero target first, then correct the one element whose target is 1.");
                w.Line("float ay = Unsafe.Add(ref ar, y);");
                w.Line("total += RowDot(ref ar, ref ar) - ay * ay + (ay - 1f) * (ay - 1f);");
                w.Line("Unsafe.CopyBlockUnaligned(ref Unsafe.As<float, byte>(ref dr), ref Unsafe.As<float, byte>(ref ar), " + n * 4 + ");");
                w.Line("RowScale(ref dr, c);");
                w.Line("Unsafe.Add(ref dr, y) -= c;");
            }
            w.Line($"return (float)(total / (rows * {n}.0));");
        }
        w.Line();
        w.Summary(
            $"Mean squared error with dense targets: L = Σ_r,j (a[r, j] − t[r, j])² / (rows · {n}), no factor ½ (PyTorch's MSELoss).",
            $"Writes d = ∂L/∂a = 2 (a − t) / (rows · {n}).");
        w.Line(KernelNames.HotAttribute);
        using (w.Block("private static float LossWithTargets(ref float a, ref float t, ref float d, int rows)"))
        {
            w.Line("double total = 0;");
            w.Line($"float c = 2f / (rows * {n}f);");
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                w.Line($"total += RowSquaredError(ref Unsafe.Add(ref a, r * {n}), ref Unsafe.Add(ref t, r * {n}), ref Unsafe.Add(ref d, r * {n}), c);");
            }
            w.Line($"return (float)(total / (rows * {n}.0));");
        }
        w.Line();
        w.Summary("Inference: the outputs as they are.");
        w.Line(KernelNames.HotAttribute);
        using (w.Block("private static void Predict(ref float a, ref float p, int rows)"))
        {
            w.Line($"Unsafe.CopyBlockUnaligned(ref Unsafe.As<float, byte>(ref p), ref Unsafe.As<float, byte>(ref a), (uint)(rows * {n} * sizeof(float)));");
        }
    }
}
