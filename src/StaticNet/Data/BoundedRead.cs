namespace StaticNet.Data;

/// <summary>
/// Reads a count of bytes that a file's header declares from a stream whose length is not known in advance (gzip, or not
/// seekable), without trusting the count: memory grows only as fast as the data arrives.
/// </summary>
internal static class BoundedRead
{
    /// <summary>The first buffer, 1 MiB: a stream never gets more than this, or twice what it has delivered.</summary>
    public const int FirstChunk = 1 << 20;

    /// <summary>
    /// Reads up to <paramref name="count"/> bytes: the buffer starts at <see cref="FirstChunk"/> bytes (or
    /// <paramref name="count"/> when smaller) and doubles only once the data has filled it, the last growth stopping at
    /// <paramref name="count"/>. So a 352-byte gzip file that declares 2 GB allocates 1 MiB before its data ends.
    /// </summary>
    /// <param name="stream">The stream, read from its position.</param>
    /// <param name="count">The declared number of bytes, 0 to <see cref="Array.MaxLength"/>.</param>
    /// <param name="read">Reads into a span until it is full or the stream ends and returns the bytes read (where the caller turns decoder errors into its own messages).</param>
    /// <param name="filled">How many bytes were read: <paramref name="count"/>, or fewer when the stream ended first.</param>
    /// <returns>A buffer holding the <paramref name="filled"/> bytes; exactly <paramref name="count"/> long when they all came.</returns>
    public static byte[] Read(Stream stream, int count, Func<Stream, Memory<byte>, int> read, out int filled)
    {
        byte[] data = GC.AllocateUninitializedArray<byte>(Math.Min(count, FirstChunk));
        filled = 0;
        while (true)
        {
            filled += read(stream, data.AsMemory(filled));
            if (filled < data.Length || filled == count)
            {
                return data;
            }
            byte[] larger = GC.AllocateUninitializedArray<byte>((int)Math.Min(count, 2L * data.Length));
            data.AsSpan(0, filled).CopyTo(larger);
            data = larger;
        }
    }
}
