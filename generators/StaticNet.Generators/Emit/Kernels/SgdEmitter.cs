using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Kernels;

/// <summary>Emits the SGD step, θ ← θ − η·g, one literal-length loop per parameter tensor.</summary>
internal static class SgdEmitter
{
    public static void Emit(CodeWriter w, NetworkModel model)
    {
        w.Summary("SGD step: θ ← θ − η·g for every parameter, one loop per tensor with its length as a constant.");
        w.Line(KernelNames.HotAttribute);
        using (w.Block("private static void SgdStep(ref float p, ref float g, float learningRate)"))
        {
            bool first = true;
            foreach (ParameterLayout.Tensor tensor in ParameterLayout.Tensors(model))
            {
                if (!first) w.Line();
                first = false;
                w.Comment($"{tensor.Name}: {tensor.ShapeText}, {tensor.Length} values at offset {tensor.Offset}.");
                using (w.Open())
                {
                    w.Line($"ref float pt = ref Unsafe.Add(ref p, {tensor.Offset});");
                    w.Line($"ref float gt = ref Unsafe.Add(ref g, {tensor.Offset});");
                    Simd.Ladder(w, tensor.Length, v =>
                    {
                        if (v.Full(tensor.Length) > 0) w.Line($"{v.Vec} step = {v.Broadcast("-learningRate")};");
                        v.Map(w, tensor.Length,
                            b => b.Line(v.Store(v.Fma(v.Load("gt", "i"), "step", v.Load("pt", "i")), "pt", "i")),
                            b => b.Line("Unsafe.Add(ref pt, i) -= learningRate * Unsafe.Add(ref gt, i);"));
                    });
                }
            }
        }
    }
}
