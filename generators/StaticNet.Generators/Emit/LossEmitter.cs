using System.Collections.Generic;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit;

/// <summary>
/// Emits the loss kernels: each returns the mean loss over the rows and writes d = ∂L/∂a for
/// the output layer, and the inference kernel that turns outputs into predictions.
/// </summary>
internal static class LossEmitter
{
    public static void Emit(CodeWriter w, NetworkModel model)
    {
        int n = model.Outputs;
        switch (model.Loss)
        {
            case Loss.SoftmaxCrossEntropy: EmitSoftmaxCrossEntropy(w, n); break;
            case Loss.BinaryCrossEntropy: EmitBinaryCrossEntropy(w, n); break;
            case Loss.MulticlassHinge: EmitMulticlassHinge(w, n); break;
            default: EmitMeanSquaredError(w, n); break;
        }
    }

    /// <summary>The row helpers the loss kernels call.</summary>
    public static IEnumerable<string> RowHelpers(Loss loss) => loss switch
    {
        Loss.SoftmaxCrossEntropy => new[] { "RowMax", "RowExp", "RowSum", "RowDot", "RowScale", "RowScaleSubtract" },
        Loss.BinaryCrossEntropy => new[] { "RowBinaryCrossEntropy", "RowBinaryCrossEntropyTargets", "RowSigmoid" },
        Loss.MulticlassHinge => new[] { "RowHinge", "RowSum" },
        _ => new[] { "RowDot", "RowScale", "RowSquaredError" },
    };

    /// <summary>The math helpers the loss kernels call.</summary>
    public static IEnumerable<string> MathHelpers(Loss loss)
        => loss == Loss.BinaryCrossEntropy ? new[] { StaticNet.Generators.Emit.MathHelpers.Log1p } : new string[0];

    /// <summary>The number of classes a label may name: 2 for binary cross-entropy with one output (the label is the target), the outputs otherwise.</summary>
    public static int LabelClasses(NetworkModel model) => model.Loss == Loss.BinaryCrossEntropy && model.Outputs == 1 ? 2 : model.Outputs;

    private static void EmitBinaryCrossEntropy(CodeWriter w, int n)
    {
        w.Summary(
            $"Binary cross-entropy from logits with class labels: L = Σ_r,j (max(a, 0) − a·t + ln(1 + e^−|a|)) / (rows · {n}), sigmoid fused,",
            n == 1 ? "the label being the target t (0 or 1)." : "t the one-hot row of the label.",
            $"Writes d = ∂L/∂a = (σ(a) − t) / (rows · {n}).");
        w.Line(Kernel.Hot);
        using (w.Block("private static float LossWithLabels(ref float a, ref int labels, ref float d, int rows)"))
        {
            w.Line("double total = 0;");
            w.Line($"float c = 1f / (rows * {n}f);");
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                w.Line($"ref float ar = ref Unsafe.Add(ref a, r * {n});");
                w.Line($"ref float dr = ref Unsafe.Add(ref d, r * {n});");
                w.Line("int y = Unsafe.Add(ref labels, r);");
                w.Comment("Against all-zero targets first, then the one target that is 1: −a·t and −t in d.");
                w.Line("total += RowBinaryCrossEntropy(ref ar, ref dr, c);");
                if (n == 1)
                {
                    using (w.Block("if (y == 1)"))
                    {
                        w.Line("total -= ar;");
                        w.Line("dr -= c;");
                    }
                }
                else
                {
                    w.Line("total -= Unsafe.Add(ref ar, y);");
                    w.Line("Unsafe.Add(ref dr, y) -= c;");
                }
            }
            w.Line($"return (float)(total / (rows * {n}.0));");
        }
        w.Line();
        w.Summary(
            $"Binary cross-entropy from logits with dense targets t in [0, 1]: L = Σ_r,j (max(a, 0) − a·t + ln(1 + e^−|a|)) / (rows · {n}).",
            $"Writes d = (σ(a) − t) / (rows · {n}).");
        EmitElementwiseTargets(w, n, "1f", "RowBinaryCrossEntropyTargets");
        w.Line();
        w.Summary("Inference: probabilities p = σ(a), one independent yes/no per output.");
        w.Line(Kernel.Hot);
        using (w.Block("private static void Predict(ref float a, ref float p, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"RowSigmoid(ref Unsafe.Add(ref a, r * {n}), ref Unsafe.Add(ref p, r * {n}));");
        }
    }

    private static void EmitMulticlassHinge(CodeWriter w, int n)
    {
        w.Summary(
            "Multiclass hinge (the notes' SVM loss) with class labels: L = mean_r Σ_{j≠y} max(0, a[r, j] − a[r, y] + 1).",
            "Writes d: 1/rows for each j ≠ y whose margin is positive, −(their count)/rows for y (subgradient 0 at the kink).");
        w.Line(Kernel.Hot);
        using (w.Block("private static float LossWithLabels(ref float a, ref int labels, ref float d, int rows)"))
        {
            w.Line("double total = 0;");
            w.Line("float c = 1f / rows;");
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                w.Line($"total += HingeRow(ref Unsafe.Add(ref a, r * {n}), Unsafe.Add(ref labels, r), ref Unsafe.Add(ref d, r * {n}), c);");
            }
            w.Line("return (float)(total / rows);");
        }
        w.Line();
        w.Summary("Multiclass hinge with dense targets: the class of a row is the index of its largest target (the first on a tie).");
        w.Line(Kernel.Hot);
        using (w.Block("private static float LossWithTargets(ref float a, ref float t, ref float d, int rows)"))
        {
            w.Line("double total = 0;");
            w.Line("float c = 1f / rows;");
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                w.Line($"ref float tr = ref Unsafe.Add(ref t, r * {n});");
                w.Line("int y = 0;");
                using (w.Block($"for (int j = 1; j < {n}; j++)"))
                {
                    w.Line("if (Unsafe.Add(ref tr, j) > Unsafe.Add(ref tr, y)) y = j;");
                }
                w.Line($"total += HingeRow(ref Unsafe.Add(ref a, r * {n}), y, ref Unsafe.Add(ref d, r * {n}), c);");
            }
            w.Line("return (float)(total / rows);");
        }
        w.Line();
        w.Summary("One row of the hinge loss: Σ_{j≠y} max(0, a[j] − a[y] + 1), and d scaled by c.");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (w.Block("private static float HingeRow(ref float ar, int y, ref float dr, float c)"))
        {
            w.Line("float loss = RowHinge(ref ar, Unsafe.Add(ref ar, y), ref dr, c) - 1f; // j = y has margin 1: remove it");
            w.Line("Unsafe.Add(ref dr, y) = 0f;");
            w.Line("Unsafe.Add(ref dr, y) = -RowSum(ref dr);");
            w.Line("return loss;");
        }
        w.Line();
        w.Summary("Inference: the scores as they are.");
        w.Line(Kernel.Hot);
        using (w.Block("private static void Predict(ref float a, ref float p, int rows)"))
        {
            w.Line($"Unsafe.CopyBlockUnaligned(ref Unsafe.As<float, byte>(ref p), ref Unsafe.As<float, byte>(ref a), (uint)(rows * {n} * sizeof(float)));");
        }
    }

    private static void EmitSoftmaxCrossEntropy(CodeWriter w, int n)
    {
        w.Summary(
            "Softmax cross-entropy from logits with class labels: L = mean_r (log Σ_j e^a[r, j] − a[r, y_r]),",
            "computed as log-sum-exp with the row maximum subtracted so no exponential overflows.",
            "Writes d = ∂L/∂a = (softmax(a) − onehot(y)) / rows.");
        w.Line(Kernel.Hot);
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
        w.Line(Kernel.Hot);
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
        w.Line(Kernel.Hot);
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
        w.Line(Kernel.Hot);
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
        EmitElementwiseTargets(w, n, "2f", "RowSquaredError");
        w.Line();
        w.Summary("Inference: the outputs as they are.");
        w.Line(Kernel.Hot);
        using (w.Block("private static void Predict(ref float a, ref float p, int rows)"))
        {
            w.Line($"Unsafe.CopyBlockUnaligned(ref Unsafe.As<float, byte>(ref p), ref Unsafe.As<float, byte>(ref a), (uint)(rows * {n} * sizeof(float)));");
        }
    }

    /// <summary>
    /// A loss that is a mean over rows and outputs of an element-wise term with dense targets:
    /// <paramref name="rowKernel"/> writes d = c·∂term/∂a for one row and returns the row's sum,
    /// with c = <paramref name="numerator"/> / (rows · n).
    /// </summary>
    private static void EmitElementwiseTargets(CodeWriter w, int n, string numerator, string rowKernel)
    {
        w.Line(Kernel.Hot);
        using (w.Block("private static float LossWithTargets(ref float a, ref float t, ref float d, int rows)"))
        {
            w.Line("double total = 0;");
            w.Line($"float c = {numerator} / (rows * {n}f);");
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                w.Line($"total += {rowKernel}(ref Unsafe.Add(ref a, r * {n}), ref Unsafe.Add(ref t, r * {n}), ref Unsafe.Add(ref d, r * {n}), c);");
            }
            w.Line($"return (float)(total / (rows * {n}.0));");
        }
    }
}
