using System.Linq;

namespace StaticNet.Generators.Emit;

/// <summary>The loops and register tiles the Dense kernels share.</summary>
internal static class Tiles
{
    /// <summary>The size of <paramref name="floats"/> floats as the kernels' comments give it: KB, or bytes below 1 KB.</summary>
    public static string Size(int floats) => floats * 4 >= 1024 ? $"{floats * 4 / 1024} KB" : $"{floats * 4} bytes";

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

    /// <summary>Sums <c>a{c}{k}</c> += broadcast(c) · load(k) over <paramref name="loop"/>, for c &lt; broadcasts, k &lt; vectors.</summary>
    /// <remarks>
    /// The loop walks <paramref name="cursors"/>: refs that start at the ref expression <c>start</c> and move by a
    /// loop-invariant stride each iteration, so every load inside has a constant offset the JIT folds into its addressing mode
    /// (measured: with the index recomputed per load, the loop spent ~20 integer instructions per 12 FMAs).
    /// </remarks>
    public static void Accumulate(CodeWriter w, Simd v, int broadcasts, int vectors, string loop,
        (string Name, string Start, string Stride)[] cursors, System.Func<int, string> load, System.Func<int, string> broadcast,
        System.Func<int, int, string>? initial = null)
    {
        var acc = from c in Enumerable.Range(0, broadcasts) from k in Enumerable.Range(0, vectors) select $"a{c}{k} = {(initial is null ? v.Zero : initial(c, k))}";
        w.Line($"{v.Vec} {string.Join(", ", acc)};");
        foreach (var cursor in cursors) w.Line($"ref float {cursor.Name} = ref {cursor.Start};");
        using (w.Block(loop))
        {
            for (int k = 0; k < vectors; k++) w.Line($"{v.Vec} v{k} = {load(k)};");
            for (int c = 0; c < broadcasts; c++)
            {
                w.Line($"{(c == 0 ? v.Vec + " " : "")}s = {v.Broadcast(broadcast(c))};");
                for (int k = 0; k < vectors; k++) w.Line($"a{c}{k} = {v.Fma("s", $"v{k}", $"a{c}{k}")};");
            }
            foreach (var cursor in cursors) w.Line($"{cursor.Name} = ref Unsafe.Add(ref {cursor.Name}, {cursor.Stride});");
        }
    }
}
