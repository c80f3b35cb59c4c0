using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Maxout;

/// <summary>Emits a maxout layer's max over its pieces and the backward pass that routes each gradient to the winning piece.</summary>
internal static class MaxoutKernels
{
    public static void EmitForward(CodeWriter w, MaxoutModel l, string name)
    {
        int u = l.Units, pieces = l.Pieces;
        w.Summary(
            $"Maxout: y[r, j] = max_k z[r, k·{u} + j] over the {pieces} pieces, for j &lt; {u};",
            "piece[r, j] = the winning k (the first on a tie), kept for the backward pass.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}(ref float z, ref float y, ref float piece, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float zr = ref Unsafe.Add(ref z, r * {u * pieces});");
            w.Line($"ref float yr = ref Unsafe.Add(ref y, r * {u});");
            w.Line($"ref float pr = ref Unsafe.Add(ref piece, r * {u});");
            Simd.Ladder(w, u, v => v.MapUniform(w, u, lane =>
            {
                var c = new Lane(w, lane).Reserve("z", "y", "piece", "rows", "r", "i", "zr", "yr", "pr");
                string best = c.Let("best", lane.Load("zr", "i"));
                string winner = c.Let("winner", lane.Zero);
                for (int k = 1; k < pieces; k++)
                {
                    string zk = c.Let("z" + k, lane.Load("zr", $"{k * u} + i"));
                    string wins = c.LetMask("wins" + k, lane.Gt(zk, best));
                    best = c.Let("best", lane.Select(wins, zk, best));
                    winner = c.Let("winner", lane.Select(wins, lane.Const(k), winner));
                }
                w.Line(lane.Store(best, "yr", "i"));
                w.Line(lane.Store(winner, "pr", "i"));
            }));
        }
    }

    public static void EmitBackward(CodeWriter w, MaxoutModel l, string name)
    {
        int u = l.Units, pieces = l.Pieces;
        w.Summary(
            $"Maxout backward: dz[r, k·{u} + j] = d[r, j] where piece[r, j] = k, 0 for the other pieces:",
            "only the winning piece learns (the notes' \"thin and linear network\").");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}Backward(ref float piece, ref float d, ref float dz, int rows)"))
        using (w.Block("for (int r = 0; r < rows; r++)"))
        {
            w.Line($"ref float pr = ref Unsafe.Add(ref piece, r * {u});");
            w.Line($"ref float dr = ref Unsafe.Add(ref d, r * {u});");
            w.Line($"ref float dzr = ref Unsafe.Add(ref dz, r * {u * pieces});");
            Simd.Ladder(w, u, v => v.MapUniform(w, u, lane =>
            {
                var c = new Lane(w, lane).Reserve("piece", "d", "dz", "rows", "r", "i", "pr", "dr", "dzr");
                string di = c.Let("di", lane.Load("dr", "i"));
                string winner = c.Let("winner", lane.Load("pr", "i"));
                for (int k = 0; k < pieces; k++)
                {
                    w.Line(lane.Store(lane.Select(lane.Eq(winner, lane.Const(k)), di, lane.Zero), "dzr", k == 0 ? "i" : $"{k * u} + i"));
                }
            }));
        }
    }
}
