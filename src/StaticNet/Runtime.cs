using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StaticNet;

/// <summary>
/// Small services that generated code calls outside its kernels: argument checks, buffer
/// allocation and parameter initialization. Not meant to be called by users directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkRuntime
{
    /// <summary>
    /// Allocates a buffer of <paramref name="length"/> floats whose first element is 64-byte
    /// aligned, on the pinned object heap so the alignment holds for the buffer's life.
    /// </summary>
    /// <returns>The array, and the offset of the aligned first element inside it.</returns>
    public static unsafe (float[] Array, int Offset) AllocateAligned(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        const int alignFloats = 64 / sizeof(float);
        float[] array = GC.AllocateArray<float>(length + alignFloats, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        int misalignment = (int)(address & 63) / sizeof(float);
        int offset = misalignment == 0 ? 0 : alignFloats - misalignment;
        return (array, offset);
    }

    /// <summary>Checks a row-major input span and returns its number of rows.</summary>
    /// <exception cref="ArgumentException">Empty, or not a whole number of rows of <paramref name="width"/>.</exception>
    public static int Rows(ReadOnlySpan<float> values, int width, string parameterName)
    {
        if (values.Length == 0 || values.Length % width != 0)
        {
            throw new ArgumentException(
                $"{parameterName} has {values.Length} elements; expected a positive multiple of {width} (one row of {width} values per example).",
                parameterName);
        }
        return values.Length / width;
    }

    /// <summary>Checks that a span holds exactly <paramref name="expected"/> elements.</summary>
    public static void Length(int actual, int expected, string parameterName, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{parameterName} has {actual} elements; expected {expected} ({what}).", parameterName);
        }
    }

    /// <summary>Checks that a span holds <paramref name="rows"/> × <paramref name="width"/> elements, one row of <paramref name="width"/> <paramref name="unit"/> per input row.</summary>
    public static void RowsOf(int actual, int rows, int width, string parameterName, string unit)
    {
        if (actual != rows * width)
        {
            throw new ArgumentException($"{parameterName} has {actual} elements; expected {rows * width} ({rows} rows × {width} {unit}).", parameterName);
        }
    }

    /// <summary>Checks a label span: one label per row, each in [0, classes).</summary>
    public static void Labels(ReadOnlySpan<int> labels, int rows, int classes, string parameterName)
    {
        Length(labels.Length, rows, parameterName, "one class label per input row");
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(parameterName, labels[i], $"{parameterName}[{i}] is {labels[i]}; expected a class index in [0, {classes}).");
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="weights"/> from U(−limit, limit). He-uniform uses
    /// limit = √(6 / fanIn) (Keras <c>he_uniform</c>); Glorot-uniform uses
    /// limit = √(6 / (fanIn + fanOut)) (Keras <c>glorot_uniform</c>, its default).
    /// </summary>
    public static void InitializeUniform(Span<float> weights, double limit, Random random)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)((random.NextDouble() * 2.0 - 1.0) * limit);
        }
    }

    /// <summary>
    /// The factor that clips a gradient to global L2 norm <paramref name="maxNorm"/> (PyTorch's
    /// <c>clip_grad_norm_</c>): min(1, maxNorm / ‖g‖₂); 1 when clipping is off (maxNorm ≤ 0).
    /// </summary>
    public static float ClipScale(ReadOnlySpan<float> gradients, float maxNorm)
    {
        if (!(maxNorm > 0f)) return 1f;
        double norm = Math.Sqrt(SumSquares(gradients));
        return norm > maxNorm ? (float)(maxNorm / norm) : 1f;
    }

    /// <summary>Σ x², accumulated in double.</summary>
    public static double SumSquares(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += (double)v * v;
        return sum;
    }

    /// <summary>Σ |x|, accumulated in double.</summary>
    public static double SumAbs(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += Math.Abs(v);
        return sum;
    }

    /// <summary>The He-uniform limit √(6 / fanIn).</summary>
    public static double HeUniformLimit(int fanIn) => Math.Sqrt(6.0 / fanIn);

    /// <summary>The Glorot-uniform limit √(6 / (fanIn + fanOut)).</summary>
    public static double GlorotUniformLimit(int fanIn, int fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut));
}
