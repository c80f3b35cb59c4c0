using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StaticNet;

/// <summary>
/// The random numbers of training (dropout masks, RReLU slopes): a counter-based generator, so a
/// number is a pure function of (seed, step, stream, index) and kernels draw any element
/// independently, vectorized, without state. The reference implementation draws the same numbers.
/// </summary>
/// <remarks>
/// <para>
/// The key of one pass and stream is <c>Key(seed, step, stream)</c>; element <c>index</c> of that
/// pass gets <c>Hash(key + index) &gt;&gt; 8</c> scaled by 2⁻²⁴, a float in [0, 1) with 24 random bits.
/// Hash is Chris Wellons' <c>lowbias32</c> integer finalizer. Streams: 0 for input dropout,
/// 2l + 1 for layer l's dropout, 2l + 2 for layer l's RReLU. Indices run over [rows, width]
/// row-major, so every example of every step has its own numbers.
/// </para>
/// <para>Fast and well mixed, not cryptographic.</para>
/// </remarks>
public static class TrainingNoise
{
    private const float Scale = 1f / (1 << 24);

    /// <summary>The stream of input dropout.</summary>
    public const int InputDropoutStream = 0;

    /// <summary>The stream of layer <paramref name="layer"/>'s dropout.</summary>
    public static int DropoutStream(int layer) => 2 * layer + 1;

    /// <summary>The stream of layer <paramref name="layer"/>'s RReLU slopes.</summary>
    public static int RReLUStream(int layer) => 2 * layer + 2;

    /// <summary>A noise seed from a network's construction seed.</summary>
    public static uint SeedFrom(int seed) => Hash((uint)seed ^ 0x5EED5EEDu);

    /// <summary>The key of one pass (<paramref name="step"/>) and stream.</summary>
    public static uint Key(uint seed, long step, int stream)
        => Hash(Hash(Hash(seed ^ (uint)step) ^ (uint)(step >> 32)) + (uint)stream * 0x9E3779B9u);

    /// <summary>lowbias32: a bijective 32-bit mix with low bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(uint x)
    {
        x ^= x >> 16;
        x *= 0x7FEB352Du;
        x ^= x >> 15;
        x *= 0x846CA68Bu;
        x ^= x >> 16;
        return x;
    }

    /// <summary>Element <paramref name="index"/> of stream <paramref name="key"/>: uniform in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Uniform(uint key, int index) => (Hash(key + (uint)index) >> 8) * Scale;

    /// <summary>Elements <paramref name="index"/> … <paramref name="index"/> + 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining), EditorBrowsable(EditorBrowsableState.Never)]
    public static Vector128<float> Uniform128(uint key, int index)
    {
        Vector128<uint> x = Vector128.Create(key + (uint)index) + Vector128<uint>.Indices;
        x ^= x >>> 16;
        x *= 0x7FEB352Du;
        x ^= x >>> 15;
        x *= 0x846CA68Bu;
        x ^= x >>> 16;
        return Vector128.ConvertToSingle((x >>> 8).AsInt32()) * Scale;
    }

    /// <summary>Elements <paramref name="index"/> … <paramref name="index"/> + 7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining), EditorBrowsable(EditorBrowsableState.Never)]
    public static Vector256<float> Uniform256(uint key, int index)
    {
        Vector256<uint> x = Vector256.Create(key + (uint)index) + Vector256<uint>.Indices;
        x ^= x >>> 16;
        x *= 0x7FEB352Du;
        x ^= x >>> 15;
        x *= 0x846CA68Bu;
        x ^= x >>> 16;
        return Vector256.ConvertToSingle((x >>> 8).AsInt32()) * Scale;
    }

    /// <summary>Elements <paramref name="index"/> … <paramref name="index"/> + 15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining), EditorBrowsable(EditorBrowsableState.Never)]
    public static Vector512<float> Uniform512(uint key, int index)
    {
        Vector512<uint> x = Vector512.Create(key + (uint)index) + Vector512<uint>.Indices;
        x ^= x >>> 16;
        x *= 0x7FEB352Du;
        x ^= x >>> 15;
        x *= 0x846CA68Bu;
        x ^= x >>> 16;
        return Vector512.ConvertToSingle((x >>> 8).AsInt32()) * Scale;
    }
}
