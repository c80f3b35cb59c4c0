using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StaticNet.Compiled;

/// <summary>
/// A block of floats whose first element is 64-byte aligned, on the pinned object heap so the alignment holds for the
/// block's life: a network's parameters, gradients, optimizer state or running statistics. Used by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AlignedBuffer
{
    private readonly float[] _array;
    private readonly int _start;

    /// <summary>Allocates <paramref name="length"/> zeroed floats.</summary>
    public AlignedBuffer(int length)
    {
        (_array, _start) = NetworkRuntime.AllocateAligned(length);
        Length = length;
    }

    /// <summary>The number of floats.</summary>
    public int Length { get; }

    /// <summary>The floats.</summary>
    public Span<float> Span => _array.AsSpan(_start, Length);

    /// <summary>The first float, for kernels. Reading past <see cref="Length"/> floats from it is out of bounds.</summary>
    public ref float Start
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _start);
    }
}
