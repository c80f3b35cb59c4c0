using System.Linq;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Dense;

/// <summary>
/// Emits a Dense layer's two backward products, ∂L/∂W (with ∂L/∂b) and ∂L/∂x, as
/// register-blocked kernels running along the input dimension i.
/// </summary>
internal static class DenseBackwardKernels
{
    /// <summary>Tile per path: A broadcast scalars × B vectors along i, A·B accumulators + B loads + 1 broadcast in the register file.</summary>
    public static (int Broadcasts, int Vectors) Tile(Simd v) => v.Lanes == 16 ? (4, 6) : (4, 3);

    /// <summary>
    /// The batch rows one pass of the weight-gradient kernel sums before it moves on: their inputs (rows × n
    /// floats) stay in L2 while every tile of outputs reads them, instead of streaming the whole batch from
    /// memory once per tile. At most this many: a multiple of 8, about 256 KB of inputs (the kernel splits the batch into
    /// equal chunks no longer than this, so no short last chunk pays a tile's set-up for a few rows). Measured against
    /// 128 KB: 3–5 % faster on 784-input layers (784 → 512 at 1,024 rows 9.45 → 9.08 ms), even on 512 → 512.
    /// </summary>
    public static int RowChunk(int inputs) => System.Math.Max(8, 256 * 1024 / (4 * inputs) / 8 * 8);

    public static void EmitWeightGradient(CodeWriter w, DenseModel l, string name)
    {
        int n = l.Inputs, m = l.LinearUnits;
        int chunk = RowChunk(n);
        w.Summary(
            $"{l.Title}, weight gradient: dW[o, i] = Σ_r dz[r, o] · x[r, i] and db[o] = Σ_r dz[r, o],",
            $"for o &lt; {m}, i &lt; {n}. Overwrites dW and db. A tile of outputs × vectors along i sums over",
            "the batch in registers (AVX2 and Vector128: 4 × 3, AVX-512: 4 × 6), the batch taken in equal chunks of at",
            $"most {chunk} rows ({Tiles.Size(chunk * n)} of inputs, kept in L2 while all tiles read them): the first chunk",
            "writes dW, the next ones add to it. Each chunk is first packed into <paramref name=\"pack\"/>: x's columns in",
            "panels of one tile's width and dz's outputs in panels of one tile's height, each panel rows × width contiguous,",
            "so the tiles walk down the batch through consecutive memory instead of one row (n floats) per step, which for",
            "widths like 512 (2 KB rows) fell into a handful of L1 sets and ran from L2 (measured 59 → 89 GFLOP/s at 512 → 512).");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}WeightGradient(ref float x, ref float dz, ref float dw, ref float db, ref float pack, int rows)"))
        {
            Simd.Ladder(w, n, v =>
            {
                BiasSums(w, v, m);
                (int ob, int ib) = Tile(v);
                int vectorPart = v.Full(n);
                w.Line($"int chunks = (rows + {chunk - 1}) / {chunk}, chunk = (rows + chunks - 1) / chunks; // equal chunks of at most {chunk} rows");
                using (w.Block($"for (int r0 = 0; r0 < rows; r0 += chunk)"))
                {
                    w.Line($"int r1 = Math.Min(rows, r0 + chunk), cn = r1 - r0;");
                    if (!v.IsScalar) w.Line($"{v.Vec} keep = r0 == 0 ? {v.Zero} : {v.Type}<float>.AllBitsSet; // the first chunk overwrites dW, the next ones add to it");
                    if (vectorPart > 0) Pack(w, v, n, m, ob, ib, vectorPart);
                    Blocks(w, m, ob, "o", count =>
                    {
                        BlocksOfVectors(w, v, n, ib, vectors =>
                        {
                            Tiles.Accumulate(w, v, count, vectors, loop: "for (int r = 0; r < cn; r++)",
                                cursors: new[] { ("xr", "Unsafe.Add(ref xp, i * cn)", $"{vectors * v.Lanes}"), ("dr", "Unsafe.Add(ref dp, o * cn)", $"{count}") },
                                load: k => v.Load("xr", $"{k * v.Lanes}"),
                                broadcast: c => $"Unsafe.Add(ref dr, {c})",
                                initial: (c, k) => v.IsScalar
                                    ? $"r0 == 0 ? 0f : {v.Load("dw", $"(o + {c}) * {n} + i + {k * v.Lanes}")}"
                                    : $"{v.Load("dw", $"(o + {c}) * {n} + i + {k * v.Lanes}")} & keep");
                            for (int c = 0; c < count; c++)
                            {
                                for (int k = 0; k < vectors; k++) w.Line(v.Store($"a{c}{k}", "dw", $"(o + {c}) * {n} + i + {k * v.Lanes}"));
                            }
                        });
                        Tail(w, v, n, () =>
                        {
                            for (int c = 0; c < count; c++)
                            {
                                w.Line($"float sum{c} = r0 == 0 ? 0f : Unsafe.Add(ref dw, (o + {c}) * {n} + i);");
                            }
                            using (w.Block("for (int r = r0; r < r1; r++)"))
                            {
                                w.Line($"float xs = Unsafe.Add(ref x, r * {n} + i);");
                                for (int c = 0; c < count; c++) w.Line($"sum{c} += Unsafe.Add(ref dz, r * {m} + o + {c}) * xs;");
                            }
                            for (int c = 0; c < count; c++) w.Line($"Unsafe.Add(ref dw, (o + {c}) * {n} + i) = sum{c};");
                        });
                    });
                }
            });
        }
    }

    /// <summary>
    /// db[o] = Σ_r dz[r, o], each output summed down the batch in row order like one scalar sum, for up to four vectors of
    /// outputs at a time (independent additions; one scalar chain per output cost ~4 cycles per row and output), then the
    /// outputs past the last whole vector with the same body on <see cref="Simd.Scalar"/>.
    /// </summary>
    private static void BiasSums(CodeWriter w, Simd v, int m)
    {
        void Sum(Simd s, int vectors)
        {
            w.Line($"{s.Vec} {string.Join(", ", Enumerable.Range(0, vectors).Select(k => $"s{k} = {s.Zero}"))};");
            w.Line("ref float d = ref Unsafe.Add(ref dz, o);");
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                for (int k = 0; k < vectors; k++) w.Line($"s{k} += {s.Load("d", $"{k * s.Lanes}")};");
                w.Line($"d = ref Unsafe.Add(ref d, {m});");
            }
            for (int k = 0; k < vectors; k++) w.Line(s.Store($"s{k}", "db", $"o + {k * s.Lanes}"));
        }
        w.Comment("db[o] = Σ_r dz[r, o], down the batch in row order, vectors of outputs side by side.");
        Blocks(w, v.Full(m), 4 * v.Lanes, "o", count => Sum(v, count / v.Lanes));
        if (v.Full(m) < m)
        {
            using (w.Block($"for (int o = {v.Full(m)}; o < {m}; o++)"))
            {
                Sum(Simd.Scalar, 1);
            }
        }
    }

    /// <summary>
    /// Packs rows [r0, r1) of the chunk: the panel of x's columns [i, i + width) lives at <c>xp + i·cn</c>, row r at
    /// <c>r·width</c>; the panel of dz's outputs [o, o + height) at <c>dp + o·cn</c>, row r at <c>r·height</c>. The
    /// widths and heights are the tile loops' blocks, so the tiles read their panel from its start to its end.
    /// </summary>
    private static void Pack(CodeWriter w, Simd v, int n, int m, int ob, int ib, int vectorPart)
    {
        w.Comment("Pack the chunk: x's columns in panels as wide as a tile, dz's outputs in panels as tall as one.");
        w.Line("ref float xp = ref pack;");
        w.Line($"ref float dp = ref Unsafe.Add(ref pack, cn * {vectorPart});");
        using (w.Block("for (int r = 0; r < cn; r++)"))
        {
            w.Line($"ref float xs = ref Unsafe.Add(ref x, (r0 + r) * {n});");
            BlocksOfVectors(w, v, n, ib, vectors =>
            {
                w.Line($"ref float to = ref Unsafe.Add(ref xp, i * cn + r * {vectors * v.Lanes});");
                for (int k = 0; k < vectors; k++) w.Line(v.Store(v.Load("xs", $"i + {k * v.Lanes}"), "to", $"{k * v.Lanes}"));
            });
            w.Line($"ref float ds = ref Unsafe.Add(ref dz, (r0 + r) * {m});");
            Blocks(w, m, ob, "o", count =>
            {
                w.Line($"ref float to = ref Unsafe.Add(ref dp, o * cn + r * {count});");
                for (int c = 0; c < count; c++) w.Line($"Unsafe.Add(ref to, {c}) = Unsafe.Add(ref ds, o + {c});");
            });
        }
    }

    /// <summary>
    /// Input columns per pass of the input-gradient kernel when W is large (about 192 KB of W columns, a whole
    /// number of tiles): every row block then reads that slice of W from L2 instead of memory.
    /// </summary>
    public static int ColumnChunk(int units, int tileFloats) => System.Math.Max(tileFloats, 192 * 1024 / (4 * units) / tileFloats * tileFloats);

    /// <summary>From this many rows on, the input-gradient kernel packs W's columns first (see <see cref="EmitInputGradient"/>).</summary>
    public const int InputPackRows = 16;

    /// <summary>The floats of scratch the input-gradient kernel of <paramref name="l"/> packs W's columns into: one column chunk × the outputs, on the widest-tile path.</summary>
    public static int InputPackFloats(DenseModel l)
    {
        int n = l.Inputs, m = l.LinearUnits, most = 0;
        foreach (Simd v in Simd.Paths)
        {
            int tileFloats = Tile(v).Vectors * v.Lanes;
            int blocked = v.Full(n) / tileFloats * tileFloats;
            most = System.Math.Max(most, System.Math.Min(ColumnChunk(m, tileFloats), blocked) * m);
        }
        return most;
    }

    public static void EmitInputGradient(CodeWriter w, DenseModel l, string name)
    {
        int n = l.Inputs, m = l.LinearUnits;
        w.Summary(
            $"{l.Title}, input gradient: dx[r, i] = Σ_o dz[r, o] · W[o, i], for i &lt; {n}, o &lt; {m}.",
            "Overwrites dx. A tile of rows × vectors along i sums over the outputs in registers",
            "(AVX2 and Vector128: 4 × 3, AVX-512: 4 × 6). From " + InputPackRows + " rows on, each chunk of W's columns is first",
            "packed into <paramref name=\"pack\"/> in panels a tile wide, outputs contiguous, so a tile reads its panel in",
            "order instead of one W row (n floats) per output; with fewer rows the copy would cost more than it saves.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}InputGradient(ref float dz, ref float w, ref float dx, ref float pack, int rows)"))
        {
            Simd.Ladder(w, n, v =>
            {
                (int rb, int ib) = Tile(v);
                int tileFloats = ib * v.Lanes;
                int blocked = v.Full(n) / tileFloats * tileFloats; // columns covered by whole tiles
                int chunk = ColumnChunk(m, tileFloats);
                if (blocked > 0)
                {
                    w.Line($"bool packed = rows >= {InputPackRows};");
                    w.Line($"int wStride = packed ? {tileFloats} : {n}; // from one output's W to the next");
                }
                if (blocked > 0 && chunk < blocked)
                {
                    w.Comment($"W is large: {chunk} input columns at a time ({Tiles.Size(chunk * m)} of W, kept in L2 while every row reads it).");
                    using (w.Block($"for (int i0 = 0; i0 < {blocked}; i0 += {chunk})"))
                    {
                        w.Line($"int i1 = Math.Min(i0 + {chunk}, {blocked});");
                        PackColumns();
                        RowLoops(("i0", "i1"), leftovers: false);
                    }
                    if (n > blocked)
                    {
                        using (w.Open())
                        {
                            RowLoops(null, leftovers: true);
                        }
                    }
                }
                else if (blocked > 0)
                {
                    using (w.Open())
                    {
                        w.Line($"const int i0 = 0, i1 = {blocked};");
                        PackColumns();
                        RowLoops(("i0", "i1"), leftovers: n > blocked);
                    }
                }
                else
                {
                    RowLoops(null, leftovers: true);
                }

                void PackColumns()
                {
                    using (w.Block("if (packed)"))
                    {
                        w.Comment($"Pack W's columns [i0, i1): the panel of columns [i, i + {tileFloats}) at (i − i0)·{m}, output o at o·{tileFloats}.");
                        using (w.Block($"for (int o = 0; o < {m}; o++)"))
                        {
                            w.Line($"ref float row = ref Unsafe.Add(ref w, o * {n});");
                            using (w.Block($"for (int i = i0; i < i1; i += {tileFloats})"))
                            {
                                w.Line($"ref float to = ref Unsafe.Add(ref pack, (i - i0) * {m} + o * {tileFloats});");
                                for (int k = 0; k < ib; k++) w.Line(v.Store(v.Load("row", $"i + {k * v.Lanes}"), "to", $"{k * v.Lanes}"));
                            }
                        }
                    }
                }

                void RowLoops((string From, string To)? columns, bool leftovers)
                    => Tiles.RowBlocks(w, rb, count => RowBlock(count, columns, leftovers));

                void RowBlock(int count, (string From, string To)? columns, bool leftovers)
                {
                    void Body(int vectors, bool packable)
                    {
                        var wr = packable
                            ? ("wr", $"packed ? ref Unsafe.Add(ref pack, (i - i0) * {m}) : ref Unsafe.Add(ref w, i)", "wStride")
                            : ("wr", "Unsafe.Add(ref w, i)", $"{n}");
                        Tiles.Accumulate(w, v, count, vectors, loop: $"for (int o = 0; o < {m}; o++)",
                            cursors: new[] { wr, ("dr", $"Unsafe.Add(ref dz, r * {m})", "1") },
                            load: k => v.Load("wr", $"{k * v.Lanes}"),
                            broadcast: c => $"Unsafe.Add(ref dr, {c * m})");
                        for (int c = 0; c < count; c++)
                        {
                            for (int k = 0; k < vectors; k++) w.Line(v.Store($"a{c}{k}", "dx", $"(r + {c}) * {n} + i + {k * v.Lanes}"));
                        }
                    }
                    if (columns is { } range)
                    {
                        using (w.Block($"for (int i = {range.From}; i < {range.To}; i += {tileFloats})"))
                        {
                            Body(ib, packable: true);
                        }
                    }
                    if (!leftovers) return;
                    int vectors = v.Full(n) / v.Lanes - blocked / v.Lanes;
                    if (vectors > 0)
                    {
                        using (w.Open())
                        {
                            w.Line($"const int i = {blocked};");
                            Body(vectors, packable: false);
                        }
                    }
                    Tail(w, v, n, () =>
                    {
                        for (int c = 0; c < count; c++) w.Line($"float sum{c} = 0f;");
                        using (w.Block($"for (int o = 0; o < {m}; o++)"))
                        {
                            w.Line($"float ws = Unsafe.Add(ref w, o * {n} + i);");
                            for (int c = 0; c < count; c++) w.Line($"sum{c} += Unsafe.Add(ref dz, (r + {c}) * {m} + o) * ws;");
                        }
                        for (int c = 0; c < count; c++) w.Line($"Unsafe.Add(ref dx, (r + {c}) * {n} + i) = sum{c};");
                    });
                }
            });
        }
    }

    /// <summary>Loops <paramref name="index"/> over [0, <paramref name="total"/>) in blocks of <paramref name="block"/>, then one block of the remainder (a constant).</summary>
    private static void Blocks(CodeWriter w, int total, int block, string index, System.Action<int> body)
    {
        int full = total / block * block;
        if (full > 0)
        {
            using (w.Block($"for (int {index} = 0; {index} < {full}; {index} += {block})"))
            {
                body(block);
            }
        }
        if (total > full)
        {
            using (w.Open())
            {
                w.Line($"const int {index} = {full};");
                body(total - full);
            }
        }
    }

    /// <summary>Loops <c>i</c> over the vector part of [0, n) in blocks of <paramref name="block"/> vectors, then the leftover vectors.</summary>
    private static void BlocksOfVectors(CodeWriter w, Simd v, int n, int block, System.Action<int> body)
    {
        int vectors = v.Full(n) / v.Lanes;
        int fullBlocks = vectors / block * block;
        if (fullBlocks > 0)
        {
            using (w.Block($"for (int i = 0; i < {fullBlocks * v.Lanes}; i += {block * v.Lanes})"))
            {
                body(block);
            }
        }
        if (vectors > fullBlocks)
        {
            using (w.Open())
            {
                w.Line($"const int i = {fullBlocks * v.Lanes};");
                body(vectors - fullBlocks);
            }
        }
    }

    /// <summary>The scalar tail over i in [Full(n), n), if any.</summary>
    private static void Tail(CodeWriter w, Simd v, int n, System.Action body)
    {
        int full = v.Full(n);
        if (full == n) return;
        w.Comment(n - full == 1 ? "Tail: the last input." : $"Tail: the last {n - full} inputs, one at a time.");
        using (w.Block($"for (int i = {full}; i < {n}; i++)"))
        {
            body();
        }
    }
}
