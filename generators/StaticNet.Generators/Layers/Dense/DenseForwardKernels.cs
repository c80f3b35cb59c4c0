using System.Linq;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;

namespace StaticNet.Generators.Layers.Dense;

/// <summary>
/// Emits a Dense layer's forward product with its bias, z = x·Wᵀ + b, in one of two register-blocked forms chosen by
/// the batch size at run time, each its own method (and, for a frozen network, <see cref="EmitFrozen"/>'s kernels over a W
/// transposed once). From <see cref="PackRows"/> rows on, W is first transposed into panels of outputs
/// (<c>NetworkRuntime.PackTransposed</c>) and a tile of rows × output vectors sums outer products, broadcasting one
/// input per row (Wᵀ's panel streams from L2 at one vector per row block per input). With fewer rows the transposition
/// would cost more than it saves, and a tile of rows × outputs takes dot products along the inputs from W as it is.
/// </summary>
internal static class DenseForwardKernels
{
    /// <summary>Dot-product tile per path: R·C accumulators plus R x vectors plus one W vector fit the register file.</summary>
    public static (int Rows, int Outputs) Tile(Simd v) => v.Lanes == 16 ? (4, 6) : (3, 4);

    /// <summary>
    /// Outer-product tile per path: rows × vectors of outputs; R·V accumulators plus V panel loads plus one broadcast fit the
    /// register file (16 vector registers on AVX2 and Vector128: 6 × 2; 32 on AVX-512: 6 × 4). A panel is V vectors of outputs wide.
    /// </summary>
    public static (int Rows, int Vectors) PanelTile(Simd v) => v.Lanes == 16 ? (6, 4) : (6, 2);

    /// <summary>
    /// From this many rows on, the forward kernel transposes W into panels first. Measured on AVX2 (784 → 128): packing
    /// costs 12–16 µs; the outer-product tiles run at 95–98 % of the FMA peak against 75–85 % for the dot products,
    /// which repays the packing from about 48 rows (at 32 rows 90 against 84 µs, at 64 rows 146 against 160 µs).
    /// </summary>
    public const int PackRows = 48;

    /// <summary>The outputs the packed form covers on path <paramref name="v"/>: whole panels, when there is a vector part along the inputs.</summary>
    private static int PanelOutputs(Simd v, DenseModel l)
    {
        int width = PanelTile(v).Vectors * v.Lanes;
        return v.Full(l.Inputs) > 0 ? l.LinearUnits / width * width : 0;
    }

    /// <summary>Outputs per packing pass: about 192 KB of packed W (a whole number of panels), which then stays in L2 while every row block reads it.</summary>
    public static int PanelChunk(int inputs, int panelWidth) => System.Math.Max(panelWidth, 192 * 1024 / (4 * inputs) / panelWidth * panelWidth);

    /// <summary>The floats of scratch the forward kernel of <paramref name="l"/> packs Wᵀ into (one chunk of panels, widest path), 0 when it never packs.</summary>
    public static int PackFloats(DenseModel l)
    {
        int most = 0;
        foreach (Simd v in Simd.Paths)
        {
            int outputs = PanelOutputs(v, l);
            if (outputs > 0) most = System.Math.Max(most, System.Math.Min(outputs, PanelChunk(l.Inputs, PanelTile(v).Vectors * v.Lanes)) * l.Inputs);
        }
        return most;
    }

    public static void Emit(CodeWriter w, DenseModel l, string name)
    {
        int n = l.Inputs, m = l.LinearUnits;
        bool panels = Simd.Paths.Any(v => PanelOutputs(v, l) > 0);
        w.Summary(
            $"{l.Title}, forward: z[r, o] = b[o] + Σ_i x[r, i] · W[o, i], for o &lt; {m}, i &lt; {n}.",
            l.IsMaxout
                ? $"W is [{l.Pieces}, {l.Units}, {n}] row-major: piece k of unit u is output o = k·{l.Units} + u."
                : $"W is [{m}, {n}] row-major (PyTorch's layout).",
            (panels ? $"From {PackRows} rows on, see <see cref=\"{name}ForwardPanels\"/>. Otherwise each" : "Each") + " output is a dot product",
            "along i, computed for a tile of rows × outputs at once (AVX2 and Vector128: 3 × 4, AVX-512: 4 × 6).");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}Forward(ref float x, ref float w, ref float b, ref float z, ref float pack, int rows)"))
        {
            if (panels)
            {
                using (w.Block($"if (rows >= {PackRows})"))
                {
                    w.Line($"{name}ForwardPanels(ref x, ref w, ref b, ref z, ref pack, rows);");
                    w.Line("return;");
                }
            }
            Simd.Ladder(w, n, v => DotProducts(w, v, l, 0));
        }
        if (!panels) return;

        w.Line();
        w.Summary(
            $"{l.Title}, forward from {PackRows} rows on: W is transposed into <paramref name=\"pack\"/> in panels of outputs",
            "(AVX2: 16, Vector128: 8, AVX-512: 64), a chunk of panels at a time, and a tile of 6 rows × one panel adds",
            "x[r, i] · Wᵀ[i, panel] for each i in turn, starting from the bias, so each output is one chain of multiply-adds",
            "in the order of i, whichever tile computes it. The outputs past the last whole panel are dot products.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}ForwardPanels(ref float x, ref float w, ref float b, ref float z, ref float pack, int rows)"))
        {
            Simd.Ladder(w, n, v =>
            {
                int panelOutputs = PanelOutputs(v, l);
                if (panelOutputs > 0) Panels(w, v, l, panelOutputs);
                if (m > panelOutputs)
                {
                    w.Comment(panelOutputs > 0 ? $"The last {m - panelOutputs} output(s), fewer than a panel: dot products." : "Fewer outputs than a panel on this path: dot products.");
                    using (w.Open())
                    {
                        DotProducts(w, v, l, panelOutputs);
                    }
                }
            });
        }
    }

    /// <summary>Whether some path takes the packed-panel form for <paramref name="l"/>: its forward kernel then has a panels sibling, and a frozen network keeps its Wᵀ packed.</summary>
    public static bool HasPanels(DenseModel l) => Simd.Paths.Any(v => PanelOutputs(v, l) > 0);

    /// <summary>Outputs per panel on path <paramref name="v"/>.</summary>
    public static int PanelWidth(Simd v) => PanelTile(v).Vectors * v.Lanes;

    /// <summary>The floats of a frozen network's packed Wᵀ of <paramref name="l"/> on path <paramref name="v"/>: every whole panel (0 when the path has none).</summary>
    public static int FrozenPanelFloats(Simd v, DenseModel l) => PanelOutputs(v, l) * l.Inputs;

    /// <summary>
    /// The frozen network's forward product of <paramref name="l"/> (<see cref="HasPanels"/> layers only): W's whole panels are
    /// already transposed (packed once, when the network was frozen), so every batch size takes the panel form: from 6 rows
    /// on, tiles of 6 rows × one panel; below, one row at a time, skipping the inputs that are 0. Either way each output is
    /// the bias plus one chain of multiply-adds in the order of i, so a row's outputs do not depend on the rows beside it.
    /// The outputs past the last whole panel are dot products, as in the network's own forward kernel.
    /// </summary>
    public static void EmitFrozen(CodeWriter w, DenseModel l, string name)
    {
        int n = l.Inputs, m = l.LinearUnits;
        int rb = PanelTile(Simd.V512).Rows;
        w.Summary(
            $"{l.Title}, forward of the frozen network: z[r, o] = b[o] + Σ_i x[r, i] · W[o, i], for o &lt; {m}, i &lt; {n}, with W's",
            $"whole panels already transposed in <paramref name=\"panels\"/> (AVX2: 16 outputs wide, Vector128: 8, AVX-512: 64): tiles of rows × one panel",
            $"(<see cref=\"{name}FrozenTiles\"/>), or, for fewer than {rb} rows whose inputs are at most 40 % non-zero, one row at a time skipping the",
            $"zero inputs (<see cref=\"{name}FrozenRow\"/>). The outputs past the last whole panel are dot products along i on W itself.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}FrozenForward(ref float x, ref float panels, ref float w, ref float b, ref float z, int rows)"))
        {
            void Dispatch()
            {
                using (w.Block($"if (rows < {rb} && NetworkRuntime.IsSparse(MemoryMarshal.CreateReadOnlySpan(ref x, rows * {n})))"))
                {
                    using (w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        w.Line($"{name}FrozenRow(ref Unsafe.Add(ref x, r * {n}), ref panels, ref b, ref Unsafe.Add(ref z, r * {m}));");
                    }
                }
                using (w.Block("else"))
                {
                    w.Line($"{name}FrozenTiles(ref x, ref panels, ref b, ref z, rows);");
                }
            }
            Simd[] paths = w.ForcedPath is Simd forced ? new[] { forced } : Simd.Paths.ToArray();
            bool everyPath = paths.All(v => PanelOutputs(v, l) > 0);
            if (everyPath)
            {
                w.Comment("Every path has whole panels: the kernels below pick theirs.");
                Dispatch();
            }
            if (paths.Any(v => PanelOutputs(v, l) < m))
            {
                Simd.Ladder(w, n, v =>
                {
                    int panelOutputs = PanelOutputs(v, l);
                    if (panelOutputs > 0 && !everyPath)
                    {
                        w.Comment($"Outputs [0, {panelOutputs}): {Count(panelOutputs / PanelWidth(v), "panel")} of {PanelWidth(v)}.");
                        Dispatch();
                    }
                    if (m > panelOutputs)
                    {
                        w.Comment(panelOutputs > 0 ? $"The last {m - panelOutputs} output(s), fewer than a panel: dot products." : "Fewer outputs than a panel on this path: dot products.");
                        using (w.Open())
                        {
                            DotProducts(w, v, l, panelOutputs);
                        }
                    }
                    else
                    {
                        w.Comment($"{Count(panelOutputs / PanelWidth(v), "whole panel")} of {PanelWidth(v)}: nothing left.");
                    }
                });
            }
        }

        w.Line();
        w.Summary(
            $"{l.Title}, forward of the frozen network, whole panels only: tiles of {rb} rows × one panel over the packed Wᵀ in <paramref name=\"panels\"/>,",
            $"starting from the bias, then one tile of the 1 to {rb - 1} rows left (the network's own panel kernel, without the transposition).");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}FrozenTiles(ref float x, ref float panels, ref float b, ref float z, int rows)"))
        {
            Simd.Ladder(w, n, v =>
            {
                int panelOutputs = PanelOutputs(v, l);
                if (panelOutputs > 0) Panels(w, v, l, panelOutputs, prepacked: true);
                else w.Comment("No whole panel on this path: not called.");
            });
        }

        w.Line();
        w.Summary(
            $"{l.Title}, forward of the frozen network for one row: z[o] = b[o] + Σ x[i] · Wᵀ[i, o] over the inputs x[i] ≠ 0 only,",
            "found a vector of inputs at a time (a mask of the non-zero lanes, then its set bits in order). A zero input's row of",
            "Wᵀ is not read at all, which on sparse inputs (MNIST's pixels are 81 % zeros) skips most of the weights; its product",
            "would have added ±0. Each group of panels (eight vectors of accumulators) scans the row.");
        w.Line(Kernel.Hot);
        using (w.Block($"private static void {name}FrozenRow(ref float x, ref float panels, ref float b, ref float z)"))
        {
            Simd.Ladder(w, n, v =>
            {
                int panelOutputs = PanelOutputs(v, l);
                if (panelOutputs > 0) SparseRow(w, v, l, panelOutputs);
                else w.Comment("No whole panel on this path: not called.");
            });
        }
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>One row over the whole panels [0, <paramref name="outputs"/>), skipping zero inputs, in groups of panels that fill eight vector accumulators.</summary>
    private static void SparseRow(CodeWriter w, Simd v, DenseModel l, int outputs)
    {
        int n = l.Inputs, full = v.Full(n);
        int vectors = PanelTile(v).Vectors, width = vectors * v.Lanes;
        int group = System.Math.Max(1, 8 / vectors), count = outputs / width;
        string mask = v.Lanes == 16 ? "ulong" : "uint"; // ExtractMostSignificantBits: one bit per lane
        void Group(int panels)
        {
            int accumulators = panels * vectors;
            w.Line($"{v.Vec} {string.Join(", ", Enumerable.Range(0, accumulators).Select(k => $"a{k} = {v.Load("b", $"o + {k * v.Lanes}")}"))};");
            w.Line(panels == 1
                ? $"ref float p = ref Unsafe.Add(ref panels, o * {n}); // panel o / {width}"
                : $"ref float p = ref Unsafe.Add(ref panels, o * {n}); // panel o / {width}; the next {(panels == 2 ? "one follows" : $"{panels - 1} follow")}, {width * n} floats apart");
            void Update()
            {
                w.Line($"ref float row = ref Unsafe.Add(ref p, i * {width});");
                for (int q = 0; q < panels; q++)
                {
                    for (int k = 0; k < vectors; k++)
                    {
                        int a = q * vectors + k;
                        w.Line($"a{a} = {v.Fma("s", v.Load("row", $"{q * width * n + k * v.Lanes}"), $"a{a}")};");
                    }
                }
            }
            if (full > 0)
            {
                using (w.Block($"for (int i0 = 0; i0 < {full}; i0 += {v.Lanes})"))
                {
                    w.Line($"{mask} nonzero = (~{v.Type}.Equals({v.Load("x", "i0")}, {v.Zero})).ExtractMostSignificantBits();");
                    using (w.Block("while (nonzero != 0)"))
                    {
                        w.Line("int i = i0 + System.Numerics.BitOperations.TrailingZeroCount(nonzero);");
                        w.Line("nonzero &= nonzero - 1;");
                        w.Line($"{v.Vec} s = {v.Broadcast("Unsafe.Add(ref x, i)")};");
                        Update();
                    }
                }
            }
            if (full < n)
            {
                w.Comment(n - full == 1 ? "Tail: the last input." : $"Tail: the last {n - full} inputs, one at a time.");
                using (w.Block($"for (int i = {full}; i < {n}; i++)"))
                {
                    w.Line("float xs = Unsafe.Add(ref x, i);");
                    w.Line("if (xs == 0f) continue;");
                    w.Line($"{v.Vec} s = {v.Broadcast("xs")};");
                    Update();
                }
            }
            for (int k = 0; k < accumulators; k++) w.Line(v.Store($"a{k}", "z", $"o + {k * v.Lanes}"));
        }
        w.Comment($"The inputs ≠ 0, a vector at a time; {Count(count, "panel")} of {width} outputs, up to {group} per pass.");
        int whole = count / group * group;
        if (whole > group)
        {
            using (w.Block($"for (int o = 0; o < {whole * width}; o += {group * width})"))
            {
                Group(group);
            }
        }
        else if (whole > 0)
        {
            using (w.Open())
            {
                w.Line("const int o = 0;");
                Group(group);
            }
        }
        if (count > whole)
        {
            using (w.Open())
            {
                w.Line($"const int o = {whole * width};");
                Group(count - whole);
            }
        }
    }

    /// <summary>
    /// The outer-product form over outputs [0, <paramref name="outputs"/>), a whole number of panels. By default for at least
    /// <see cref="PackRows"/> rows, each chunk of W first transposed into <c>pack</c>, the last block of rows overlapping the
    /// one before. <paramref name="prepacked"/> (a frozen network's): Wᵀ's panels are all in <c>panels</c> already, and any
    /// number of rows is taken exactly, blocks of rows and then one smaller tile.
    /// </summary>
    private static void Panels(CodeWriter w, Simd v, DenseModel l, int outputs, bool prepacked = false)
    {
        int n = l.Inputs, m = l.LinearUnits;
        (int rb, int vectors) = PanelTile(v);
        int width = vectors * v.Lanes, chunk = PanelChunk(n, width);
        void Tile(int count, string o0, string o1)
        {
            using (w.Block($"for (int o = {o0}; o < {o1}; o += {width})"))
            {
                for (int k = 0; k < vectors; k++) w.Line($"{v.Vec} b{k} = {v.Load("b", $"o + {k * v.Lanes}")};");
                Tiles.Accumulate(w, v, count, vectors, loop: $"for (int i = 0; i < {n}; i++)",
                    cursors: new[] { ("wt", prepacked ? $"Unsafe.Add(ref panels, o * {n})" : $"Unsafe.Add(ref pack, (o - {o0}) * {n})", $"{width}"), ("xr", $"Unsafe.Add(ref x, r * {n})", "1") },
                    load: k => v.Load("wt", $"{k * v.Lanes}"),
                    broadcast: c => $"Unsafe.Add(ref xr, {c * n})",
                    initial: (c, k) => $"b{k}");
                for (int c = 0; c < count; c++)
                {
                    for (int k = 0; k < vectors; k++) w.Line(v.Store($"a{c}{k}", "z", $"(r + {c}) * {m} + o + {k * v.Lanes}"));
                }
            }
        }
        void Chunk(string o0, string o1)
        {
            if (!prepacked)
            {
                w.Line($"NetworkRuntime.PackTransposed(ref Unsafe.Add(ref w, {o0} * {n}), {n}, {o1} - {o0}, {width}, ref pack);");
                w.Comment($"Blocks of {rb} rows (there are at least {PackRows}); the last block ends at the last row, recomputing rows of the block before (bit for bit the same).");
                using (w.Block($"for (int r0 = 0; r0 < rows; r0 += {rb})"))
                {
                    w.Line($"int r = Math.Min(r0, rows - {rb});");
                    Tile(rb, o0, o1);
                }
                return;
            }
            w.Line("int r = 0;");
            w.Comment($"Blocks of {rb} rows, then one tile of the rows left (fewer than {rb}).");
            using (w.Block($"for (; r + {rb} <= rows; r += {rb})"))
            {
                Tile(rb, o0, o1);
            }
            using (w.Block("switch (rows - r)"))
            {
                for (int count = 1; count < rb; count++)
                {
                    w.Line($"case {count}:");
                    using (w.Open())
                    {
                        Tile(count, o0, o1);
                        w.Line("break;");
                    }
                }
            }
        }
        if (chunk < outputs)
        {
            w.Comment(prepacked
                ? $"Wᵀ's panels {chunk} outputs at a time ({Tiles.Size(chunk * n)}, kept in L2 while every row block reads them)."
                : $"Wᵀ in chunks of {chunk} outputs ({Tiles.Size(chunk * n)} packed, kept in L2 while every row block reads it).");
            using (w.Block($"for (int o0 = 0; o0 < {outputs}; o0 += {chunk})"))
            {
                w.Line($"int o1 = Math.Min(o0 + {chunk}, {outputs});");
                Chunk("o0", "o1");
            }
        }
        else
        {
            w.Comment($"Wᵀ's {outputs / width} panel(s) of {width} outputs ({Tiles.Size(outputs * n)} packed).");
            using (w.Open())
            {
                w.Line($"const int o0 = 0, o1 = {outputs};");
                Chunk("o0", "o1");
            }
        }
    }

    /// <summary>The dot-product form over outputs [<paramref name="from"/>, m).</summary>
    private static void DotProducts(CodeWriter w, Simd v, DenseModel l, int from)
    {
        int n = l.Inputs, m = l.LinearUnits;
        (int rb, int ob) = Tile(v);
        int full = from + (m - from) / ob * ob; // the end of the whole tiles
        int? remainder = m > full ? full : null;
        int chunk = OutputChunk(n, ob);
        if (full > from && chunk < full - from)
        {
            w.Comment($"W does not stay in L2 beside the inputs: {chunk} outputs at a time ({Tiles.Size(chunk * n)} of W, kept in L2 while every row reads it).");
            using (w.Block($"for (int o0 = {from}; o0 < {full}; o0 += {chunk})"))
            {
                w.Line($"int o1 = Math.Min(o0 + {chunk}, {full});");
                RowLoops(w, v, l, rb, ob, ("o0", "o1"), null);
            }
            if (remainder is not null)
            {
                using (w.Open())
                {
                    RowLoops(w, v, l, rb, ob, null, remainder);
                }
            }
        }
        else
        {
            RowLoops(w, v, l, rb, ob, full > from ? (from.ToString(), full.ToString()) : null, remainder);
        }
    }

    /// <summary>
    /// Outputs per pass when W is large (about 192 KB of W rows, a multiple of the tile's outputs):
    /// every row block then reads W from L2 instead of memory. Equal to or above the layer's outputs, it means one pass.
    /// </summary>
    public static int OutputChunk(int inputs, int tileOutputs) => System.Math.Max(tileOutputs, 192 * 1024 / (4 * inputs) / tileOutputs * tileOutputs);

    private static void RowLoops(CodeWriter w, Simd v, DenseModel l, int rb, int ob, (string From, string To)? outputs, int? remainder)
        => Tiles.RowBlocks(w, rb, count => EmitRowBlock(w, v, l, count, ob, outputs, remainder));

    /// <summary>One block of rows: tiles over the output range, then the outputs from <paramref name="remainder"/> to the last.</summary>
    private static void EmitRowBlock(CodeWriter w, Simd v, DenseModel l, int rb, int ob, (string From, string To)? outputs, int? remainder)
    {
        int n = l.Inputs, m = l.LinearUnits;
        for (int r = 0; r < rb; r++) w.Line($"ref float x{r} = ref Unsafe.Add(ref x, (r + {r}) * {n});");
        if (outputs is { } range)
        {
            using (w.Block($"for (int o = {range.From}; o < {range.To}; o += {ob})"))
            {
                EmitTile(w, v, l, rb, ob, "o");
            }
        }
        if (remainder is int last)
        {
            w.Comment($"The last {m - last} output(s).");
            using (w.Open())
            {
                w.Line($"const int o = {last};");
                EmitTile(w, v, l, rb, m - last, "o");
            }
        }
    }

    private static void EmitTile(CodeWriter w, Simd v, DenseModel l, int rb, int ob, string o)
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
