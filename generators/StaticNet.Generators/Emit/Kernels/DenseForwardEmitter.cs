using System.Linq;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Emit.Kernels;

/// <summary>
/// Emits a Dense layer's forward product with its bias, z = x·Wᵀ + b, as a register-blocked
/// kernel: a tile of R batch rows × C outputs keeps R·C vector accumulators along the input
/// dimension, so each loaded x vector serves C outputs and each loaded W vector serves R rows.
/// </summary>
internal static class DenseForwardEmitter
{
    /// <summary>Tile shape per path: R·C accumulators plus R x vectors plus one W vector fit the register file.</summary>
    public static (int Rows, int Outputs) Tile(Simd v) => v.Lanes == 16 ? (4, 6) : (3, 4);

    public static void Emit(CodeWriter w, DenseLayerModel l)
    {
        int n = l.Inputs, m = l.LinearUnits;
        w.Summary(
            $"Layer {l.Index} forward: z[r, o] = b[o] + Σ_i x[r, i] · W[o, i], for o &lt; {m}, i &lt; {n}.",
            l.IsMaxout
                ? $"W is [{l.Pieces}, {l.Units}, {n}] row-major: piece k of unit u is output o = k·{l.Units} + u, a dot product along i, computed for a"
                : $"W is [{m}, {n}] row-major (PyTorch's layout): each output is a dot product along i, computed for a",
            "tile of rows × outputs at once (16 vector registers on AVX2 and Vector128: 3 × 4; 32 on AVX-512: 4 × 6).");
        w.Line(KernelNames.HotAttribute);
        using (w.Block($"private static void {KernelNames.Forward(l)}(ref float x, ref float w, ref float b, ref float z, int rows)"))
        {
            Simd.Ladder(w, n, v =>
            {
                (int rb, int ob) = Tile(v);
                int mFull = m / ob * ob, chunk = OutputChunk(n, ob);
                if (mFull > 0 && chunk < mFull)
                {
                    w.Comment($"W does not stay in L2 beside the inputs: {chunk} outputs at a time ({chunk * n * 4 / 1024} KB of W, kept in L2 while every row reads it).");
                    using (w.Block($"for (int o0 = 0; o0 < {mFull}; o0 += {chunk})"))
                    {
                        w.Line($"int o1 = Math.Min(o0 + {chunk}, {mFull});");
                        RowLoops(w, v, l, rb, ob, ("o0", "o1"), remainder: false);
                    }
                    if (m > mFull)
                    {
                        using (w.Open())
                        {
                            RowLoops(w, v, l, rb, ob, null, remainder: true);
                        }
                    }
                }
                else
                {
                    RowLoops(w, v, l, rb, ob, mFull > 0 ? ("0", mFull.ToString()) : null, remainder: m > mFull);
                }
            });
        }
    }

    /// <summary>
    /// Outputs per pass when W is large (about 192 KB of W rows, a multiple of the tile's outputs):
    /// every row block then reads W from L2 instead of memory. Equal to or above the layer's outputs, it means one pass.
    /// </summary>
    public static int OutputChunk(int inputs, int tileOutputs) => System.Math.Max(tileOutputs, 192 * 1024 / (4 * inputs) / tileOutputs * tileOutputs);

    private static void RowLoops(CodeWriter w, Simd v, DenseLayerModel l, int rb, int ob, (string From, string To)? outputs, bool remainder)
        => RowBlocks(w, rb, count => EmitRowBlock(w, v, l, count, ob, outputs, remainder));

    /// <summary>
    /// The loop over the batch every Dense kernel tiles by rows: blocks of <paramref name="rows"/> rows, then the
    /// remaining rows one at a time; <paramref name="body"/> writes one block for the given row count, at row <c>r</c>.
    /// </summary>
    public static void RowBlocks(CodeWriter w, int rows, System.Action<int> body)
    {
        w.Line("int r = 0;");
        w.Comment($"Blocks of {rows} rows, then the remaining rows one at a time.");
        using (w.Block($"for (; r + {rows} <= rows; r += {rows})"))
        {
            body(rows);
        }
        using (w.Block("for (; r < rows; r++)"))
        {
            body(1);
        }
    }

    private static void EmitRowBlock(CodeWriter w, Simd v, DenseLayerModel l, int rb, int ob, (string From, string To)? outputs, bool remainder)
    {
        int n = l.Inputs, m = l.LinearUnits;
        for (int r = 0; r < rb; r++) w.Line($"ref float x{r} = ref Unsafe.Add(ref x, (r + {r}) * {n});");
        int mFull = m / ob * ob;
        if (outputs is { } range)
        {
            using (w.Block($"for (int o = {range.From}; o < {range.To}; o += {ob})"))
            {
                EmitTile(w, v, l, rb, ob, "o");
            }
        }
        if (remainder)
        {
            w.Comment($"The last {m - mFull} output(s).");
            using (w.Open())
            {
                w.Line($"const int o = {mFull};");
                EmitTile(w, v, l, rb, m - mFull, "o");
            }
        }
    }

    private static void EmitTile(CodeWriter w, Simd v, DenseLayerModel l, int rb, int ob, string o)
    {
        int n = l.Inputs, m = l.LinearUnits;
        int full = v.Full(n);
        for (int c = 0; c < ob; c++) w.Line($"ref float w{c} = ref Unsafe.Add(ref w, ({o} + {c}) * {n});");
        string[] acc = (from r in Enumerable.Range(0, rb) from c in Enumerable.Range(0, ob) select $"a{r}{c}").ToArray();
        if (full > 0)
        {
            w.Line($"{v.Vec} {string.Join(", ", acc.Select(a => a + " = " + v.Zero))};");
            using (w.Block($"for (int i = 0; i < {full}; i += {v.Lanes})"))
            {
                for (int r = 0; r < rb; r++) w.Line($"{v.Vec} xv{r} = {v.Load($"x{r}", "i")};");
                for (int c = 0; c < ob; c++)
                {
                    w.Line($"{(c == 0 ? v.Vec + " " : "")}wv = {v.Load($"w{c}", "i")};");
                    for (int r = 0; r < rb; r++) w.Line($"a{r}{c} = {v.Fma($"xv{r}", "wv", $"a{r}{c}")};");
                }
            }
            w.Line($"float {string.Join(", ", acc.Select(a => "s" + a.Substring(1) + " = " + v.Type + ".Sum(" + a + ")"))};");
        }
        else
        {
            w.Line($"float {string.Join(", ", acc.Select(a => "s" + a.Substring(1) + " = 0f"))};");
        }
        if (full < n)
        {
            w.Comment(n - full == 1 ? "Tail: the last input." : $"Tail: the last {n - full} inputs, one at a time.");
            using (w.Block($"for (int i = {full}; i < {n}; i++)"))
            {
                for (int r = 0; r < rb; r++) w.Line($"float xs{r} = Unsafe.Add(ref x{r}, i);");
                for (int r = 0; r < rb; r++)
                {
                    for (int c = 0; c < ob; c++) w.Line($"s{r}{c} += xs{r} * Unsafe.Add(ref w{c}, i);");
                }
            }
        }
        for (int r = 0; r < rb; r++)
        {
            for (int c = 0; c < ob; c++) w.Line($"Unsafe.Add(ref z, (r + {r}) * {m} + {o} + {c}) = s{r}{c} + Unsafe.Add(ref b, {o} + {c});");
        }
    }
}
