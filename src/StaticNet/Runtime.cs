using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>
    /// The largest number of floats a buffer of rows × width may hold: <see cref="Array.MaxLength"/> less the 16 floats
    /// <see cref="AllocateAligned"/> adds for its alignment and 48 more of slack, so that every index a kernel computes
    /// inside such a buffer, and its length, fit in an <see cref="int"/>.
    /// </summary>
    public const int MaxBufferLength = 0x7FFFFFC7 - 64; // Array.MaxLength − 64

    /// <summary>Checks a row-major input span and returns its number of rows.</summary>
    /// <exception cref="ArgumentException">Empty, or not a whole number of rows of <paramref name="width"/>.</exception>
    public static int Rows(ReadOnlySpan<float> values, int width, string parameterName)
    {
        if (width <= 0 || values.Length == 0 || values.Length % width != 0)
        {
            throw new ArgumentException(
                $"{parameterName} has {values.Length} elements; expected a positive multiple of {width} (one row of {width} values per example).",
                parameterName);
        }
        return values.Length / width;
    }

    /// <summary>
    /// Checks a row-major input span, returns its number of rows, and checks that a buffer of that many rows of
    /// <paramref name="bufferWidth"/> floats (the widest per-row buffer the call needs, for example a layer's units ×
    /// pieces) can exist: rows × <paramref name="bufferWidth"/> ≤ <see cref="MaxBufferLength"/>, computed in 64 bits.
    /// </summary>
    /// <exception cref="ArgumentException">Empty, not a whole number of rows, or too many rows for the widest buffer; the message names <paramref name="parameterName"/>.</exception>
    public static int Rows(ReadOnlySpan<float> values, int width, string parameterName, int bufferWidth)
    {
        int rows = Rows(values, width, parameterName);
        CheckBufferSize(rows, bufferWidth, parameterName);
        return rows;
    }

    /// <summary>
    /// Checks that a buffer of <paramref name="rows"/> rows of <paramref name="width"/> floats fits in one array:
    /// rows × width, computed in 64 bits, is at most <see cref="MaxBufferLength"/>.
    /// </summary>
    /// <returns>rows × width, which then fits in an <see cref="int"/>.</returns>
    /// <exception cref="ArgumentException">The product is larger (or a factor is negative); the message names <paramref name="parameterName"/>, the rows that would fit, and says to split the batch.</exception>
    public static int CheckBufferSize(long rows, long width, string parameterName)
    {
        if (rows < 0 || width < 0)
        {
            throw new ArgumentException($"{parameterName}: a buffer of {rows} rows × {width} floats has a negative size.", parameterName);
        }
        if (width > 0 && rows > MaxBufferLength / width)
        {
            throw new ArgumentException(
                $"{parameterName} has {rows:N0} rows; a buffer of {rows:N0} rows × {width:N0} floats ({rows * width:N0}) is larger than an array can hold ({MaxBufferLength:N0} floats). " +
                $"Split the batch into parts of at most {MaxBufferLength / width:N0} rows.",
                parameterName);
        }
        return (int)(rows * width);
    }

    /// <summary>Checks that a span holds exactly <paramref name="expected"/> elements.</summary>
    public static void Length(int actual, int expected, string parameterName, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{parameterName} has {actual} elements; expected {expected} ({what}).", parameterName);
        }
    }

    /// <summary>Checks the arguments of <see cref="INetwork.StepRange"/>: 0 ≤ start ≤ end ≤ <paramref name="count"/>, step ≥ 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is outside the parameter buffer, or the step count is below 1.</exception>
    public static void StepRange(int start, int end, int count, long step)
    {
        if (start < 0 || start > count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"start must be in [0, {count}], the parameter count.");
        }
        if (end < start || end > count)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, $"end must be in [start = {start}, {count}], the parameter count.");
        }
        if (step < 1 || step > Compiled.NetworkState.MaxOptimizerStep)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"step is the step count t of the step being taken: 1 for the first, at most {Compiled.NetworkState.MaxOptimizerStep}.");
        }
    }

    /// <summary>
    /// Checks that a span holds <paramref name="rows"/> × <paramref name="width"/> elements, one row of <paramref name="width"/>
    /// <paramref name="unit"/> per input row. The product is computed in 64 bits (an <see cref="int"/> product would wrap:
    /// 1,048,577 × 4,096 is 4,096 modulo 2³²).
    /// </summary>
    /// <exception cref="ArgumentException">Another length, or rows × width beyond <see cref="MaxBufferLength"/>; the message names <paramref name="parameterName"/>.</exception>
    public static void RowsOf(int actual, int rows, int width, string parameterName, string unit)
    {
        long expected = (long)rows * width;
        if (expected > MaxBufferLength)
        {
            CheckBufferSize(rows, width, parameterName);
        }
        if (actual != expected)
        {
            throw new ArgumentException($"{parameterName} has {actual} elements; expected {expected} ({rows} rows × {width} {unit}).", parameterName);
        }
    }

    /// <summary>
    /// Checks a label span: one label per row, each in [0, <paramref name="classes"/>), and a batch whose rows ×
    /// <paramref name="classes"/> (the outputs the labels are scored against) fits in one buffer.
    /// </summary>
    /// <exception cref="ArgumentException">Another length, or rows × classes beyond <see cref="MaxBufferLength"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label outside [0, classes).</exception>
    public static void Labels(ReadOnlySpan<int> labels, int rows, int classes, string parameterName)
    {
        CheckBufferSize(rows, classes, parameterName);
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
    public static double SumSquares(ReadOnlySpan<float> values) => Sum(values, squares: true);

    /// <summary>Σ |x|, accumulated in double.</summary>
    public static double SumAbs(ReadOnlySpan<float> values) => Sum(values, squares: false);

    /// <summary>
    /// Σ x² or Σ |x| in double precision, in four independent vector accumulators (16 doubles on AVX2): a single scalar
    /// accumulator waits on its own addition's latency for every element (measured: 96 µs for the 101,770 gradients of
    /// 784-128-10, twice the Adam step that clipping precedes; 15 µs like this).
    /// </summary>
    private static double Sum(ReadOnlySpan<float> values, bool squares)
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        int n = values.Length, i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            Vector256<double> a0 = Vector256<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 16; i += 16)
            {
                Vector256<float> v0 = Vector256.LoadUnsafe(ref x, (nuint)i), v1 = Vector256.LoadUnsafe(ref x, (nuint)(i + 8));
                (Vector256<double> l0, Vector256<double> h0) = Vector256.Widen(v0);
                (Vector256<double> l1, Vector256<double> h1) = Vector256.Widen(v1);
                if (squares)
                {
                    a0 += l0 * l0;
                    a1 += h0 * h0;
                    a2 += l1 * l1;
                    a3 += h1 * h1;
                }
                else
                {
                    a0 += Vector256.Abs(l0);
                    a1 += Vector256.Abs(h0);
                    a2 += Vector256.Abs(l1);
                    a3 += Vector256.Abs(h1);
                }
            }
            sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector128.IsHardwareAccelerated && n >= 8)
        {
            Vector128<double> a0 = Vector128<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 8; i += 8)
            {
                Vector128<float> v0 = Vector128.LoadUnsafe(ref x, (nuint)i), v1 = Vector128.LoadUnsafe(ref x, (nuint)(i + 4));
                (Vector128<double> l0, Vector128<double> h0) = Vector128.Widen(v0);
                (Vector128<double> l1, Vector128<double> h1) = Vector128.Widen(v1);
                if (squares)
                {
                    a0 += l0 * l0;
                    a1 += h0 * h0;
                    a2 += l1 * l1;
                    a3 += h1 * h1;
                }
                else
                {
                    a0 += Vector128.Abs(l0);
                    a1 += Vector128.Abs(h0);
                    a2 += Vector128.Abs(l1);
                    a3 += Vector128.Abs(h1);
                }
            }
            sum = Vector128.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < n; i++)
        {
            double v = Unsafe.Add(ref x, i);
            sum += squares ? v * v : Math.Abs(v);
        }
        return sum;
    }

    /// <summary>
    /// Fills <paramref name="weights"/> from N(0, <paramref name="standardDeviation"/>²) with the
    /// Box–Muller transform (two uniforms per pair of values).
    /// </summary>
    public static void InitializeNormal(Span<float> weights, double standardDeviation, Random random)
    {
        for (int i = 0; i < weights.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(); // (0, 1]: the logarithm stays finite
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1)) * standardDeviation;
            weights[i] = (float)(radius * Math.Cos(2.0 * Math.PI * u2));
            if (i + 1 < weights.Length) weights[i + 1] = (float)(radius * Math.Sin(2.0 * Math.PI * u2));
        }
    }

    /// <summary>Fills <paramref name="weights"/> as <paramref name="initializer"/> says (see <see cref="StaticNet.Initializer"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initializer"/> is <see cref="Initializer.Default"/> or unknown: the generator resolves the default.</exception>
    public static void Initialize(Span<float> weights, Initializer initializer, int fanIn, int fanOut, Random random)
    {
        switch (initializer)
        {
            case Initializer.GlorotUniform: InitializeUniform(weights, GlorotUniformLimit(fanIn, fanOut), random); break;
            case Initializer.GlorotNormal: InitializeNormal(weights, Math.Sqrt(2.0 / (fanIn + fanOut)), random); break;
            case Initializer.HeUniform: InitializeUniform(weights, HeUniformLimit(fanIn), random); break;
            case Initializer.HeNormal: InitializeNormal(weights, Math.Sqrt(2.0 / fanIn), random); break;
            case Initializer.LeCunUniform: InitializeUniform(weights, Math.Sqrt(3.0 / fanIn), random); break;
            case Initializer.LeCunNormal: InitializeNormal(weights, Math.Sqrt(1.0 / fanIn), random); break;
            default: throw new ArgumentOutOfRangeException(nameof(initializer), initializer, "A resolved initializer is expected.");
        }
    }

    /// <summary>
    /// Packs the first <paramref name="outputs"/> rows of a row-major [outputs, inputs] weight matrix, transposed, into
    /// panels <paramref name="width"/> outputs wide: panel q holds rows [q·width, (q + 1)·width), input i's
    /// <paramref name="width"/> weights contiguous, <c>pack[q·width·inputs + i·width + j] = w[(q·width + j)·inputs + i]</c>.
    /// A forward kernel then reads one vector of consecutive outputs per input and broadcasts the input, instead of
    /// taking a dot product along each weight row and reducing it across lanes.
    /// </summary>
    /// <remarks>
    /// With AVX, 8 × 8 blocks are transposed in registers (8 loads, 24 shuffles, 8 stores); the inputs past the last
    /// whole block of 8, and every input without AVX, are copied one at a time. Measured on the 128 × 784 weights of
    /// 784-128-10: 12–16 µs, against 70–80 µs for the scalar copy. No argument is checked: the generated forward kernels
    /// call it with their layer's constant shapes and a scratch buffer sized for them, like the kernels' own refs.
    /// </remarks>
    /// <param name="w">Row 0 of the weights.</param>
    /// <param name="inputs">Floats per weight row.</param>
    /// <param name="outputs">Rows to pack, a multiple of <paramref name="width"/>.</param>
    /// <param name="width">Outputs per panel, a multiple of 8.</param>
    /// <param name="pack">Where panel 0 starts; <paramref name="outputs"/> · <paramref name="inputs"/> floats are written.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackTransposed(ref float w, int inputs, int outputs, int width, ref float pack)
    {
        int n = inputs, blocked = Avx.IsSupported ? n & ~7 : 0;
        for (int o0 = 0; o0 < outputs; o0 += width)
        {
            ref float panel = ref Unsafe.Add(ref pack, o0 * n);
            for (int i = 0; i < blocked; i += 8)
            {
                // Input columns [i, i + 8) of the panel's rows: each group of 8 rows fills 8 consecutive width-float rows of the panel.
                for (int g = 0; g < width; g += 8)
                {
                    ref float src = ref Unsafe.Add(ref w, (o0 + g) * n + i);
                    Vector256<float> r0 = Vector256.LoadUnsafe(ref src), r1 = Vector256.LoadUnsafe(ref src, (nuint)n);
                    Vector256<float> r2 = Vector256.LoadUnsafe(ref src, (nuint)(2 * n)), r3 = Vector256.LoadUnsafe(ref src, (nuint)(3 * n));
                    Vector256<float> r4 = Vector256.LoadUnsafe(ref src, (nuint)(4 * n)), r5 = Vector256.LoadUnsafe(ref src, (nuint)(5 * n));
                    Vector256<float> r6 = Vector256.LoadUnsafe(ref src, (nuint)(6 * n)), r7 = Vector256.LoadUnsafe(ref src, (nuint)(7 * n));
                    // Interleave pairs of rows, then pairs of pairs: s_k holds column k in its low 128-bit half and column k + 4 in its high half for 4 rows.
                    Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
                    Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
                    Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
                    Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
                    ref float to = ref Unsafe.Add(ref panel, i * width + g);
                    Avx.Permute2x128(s0, s4, 0x20).StoreUnsafe(ref to);
                    Avx.Permute2x128(s1, s5, 0x20).StoreUnsafe(ref to, (nuint)width);
                    Avx.Permute2x128(s2, s6, 0x20).StoreUnsafe(ref to, (nuint)(2 * width));
                    Avx.Permute2x128(s3, s7, 0x20).StoreUnsafe(ref to, (nuint)(3 * width));
                    Avx.Permute2x128(s0, s4, 0x31).StoreUnsafe(ref to, (nuint)(4 * width));
                    Avx.Permute2x128(s1, s5, 0x31).StoreUnsafe(ref to, (nuint)(5 * width));
                    Avx.Permute2x128(s2, s6, 0x31).StoreUnsafe(ref to, (nuint)(6 * width));
                    Avx.Permute2x128(s3, s7, 0x31).StoreUnsafe(ref to, (nuint)(7 * width));
                }
            }
            for (int i = blocked; i < n; i++)
            {
                ref float to = ref Unsafe.Add(ref panel, i * width);
                for (int j = 0; j < width; j++) Unsafe.Add(ref to, j) = Unsafe.Add(ref w, (o0 + j) * n + i);
            }
        }
    }

    /// <summary>
    /// Whether at most 40 % of <paramref name="values"/> are non-zero: then a frozen network's kernels take its rows one at a
    /// time and skip the zero inputs, which reads less than the weights' whole panels (measured on 784 → 128, one row: 1.06 µs
    /// at 20 % non-zero against 4.1 µs dense; a tile of rows reads every weight but shares it between the rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsSparse(ReadOnlySpan<float> values)
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        int n = values.Length, i = 0, zeros = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                zeros += BitOperations.PopCount(Vector256.Equals(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256<float>.Zero).ExtractMostSignificantBits());
            }
        }
        for (; i < n; i++)
        {
            if (Unsafe.Add(ref x, i) == 0f) zeros++;
        }
        return (n - zeros) * 5 <= n * 2;
    }

    /// <summary>
    /// Folds inference-mode batch normalization y = γ(z − μ̄)/√(σ̄² + ε) + β into the Dense layer before it, z = x·Wᵀ + b (a frozen
    /// network's copy): with s = γ/√(σ̄² + ε), computed in double, W[o, ·] ← s[o]·W[o, ·] and b[o] ← (b[o] − μ̄[o])·s[o] + β[o].
    /// Checks nothing (generated code calls it with its constant shapes).
    /// </summary>
    /// <param name="weight">W, [units, inputs] row-major, overwritten.</param>
    /// <param name="bias">b, [units], overwritten.</param>
    /// <param name="gamma">γ, [units].</param>
    /// <param name="beta">β, [units].</param>
    /// <param name="runningMean">μ̄, [units].</param>
    /// <param name="runningVariance">σ̄², [units].</param>
    /// <param name="epsilon">ε of the layer's batch normalization.</param>
    public static void FoldBatchNorm(Span<float> weight, Span<float> bias, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, float epsilon)
    {
        int inputs = weight.Length / bias.Length;
        for (int o = 0; o < bias.Length; o++)
        {
            double s = gamma[o] / Math.Sqrt((double)runningVariance[o] + epsilon);
            Span<float> row = weight.Slice(o * inputs, inputs);
            for (int i = 0; i < row.Length; i++) row[i] = (float)(row[i] * s);
            bias[o] = (float)((bias[o] - (double)runningMean[o]) * s + beta[o]);
        }
    }

    /// <summary>Fills a per-unit parameter tensor with its initial value.</summary>
    public static void Fill(Span<float> values, float value) => values.Fill(value);

    /// <summary>Checks that a training batch has at least two rows, as batch normalization needs.</summary>
    /// <exception cref="ArgumentException">One row: its batch variance is 0 and its normalized value undefined.</exception>
    public static void BatchNormTrainingRows(int rows, string typeName, int layer, string parameterName)
    {
        if (rows < 2)
        {
            throw new ArgumentException(
                $"{parameterName} has {rows} row; layer {layer} of {typeName} uses batch normalization, which needs at least 2 rows per training batch " +
                "(the variance of one row is 0). Train on larger batches; inference (Infer, ComputeLoss) takes single rows and uses the running statistics.",
                parameterName);
        }
    }

    /// <summary>
    /// Whether every value is finite (no NaN, no infinity): x·0 is 0 for a finite x and NaN otherwise, summed a vector at a
    /// time, so the check reads each value once at the speed of memory. The training calls run it over the gradients
    /// before they change anything.
    /// </summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        int n = values.Length, i = 0;
        float tail = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 64)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 64; i += 64)
            {
                a0 += Vector512.LoadUnsafe(ref x, (nuint)i) * Vector512<float>.Zero;
                a1 += Vector512.LoadUnsafe(ref x, (nuint)(i + 16)) * Vector512<float>.Zero;
                a2 += Vector512.LoadUnsafe(ref x, (nuint)(i + 32)) * Vector512<float>.Zero;
                a3 += Vector512.LoadUnsafe(ref x, (nuint)(i + 48)) * Vector512<float>.Zero;
            }
            tail = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= 32)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 32; i += 32)
            {
                a0 += Vector256.LoadUnsafe(ref x, (nuint)i) * Vector256<float>.Zero;
                a1 += Vector256.LoadUnsafe(ref x, (nuint)(i + 8)) * Vector256<float>.Zero;
                a2 += Vector256.LoadUnsafe(ref x, (nuint)(i + 16)) * Vector256<float>.Zero;
                a3 += Vector256.LoadUnsafe(ref x, (nuint)(i + 24)) * Vector256<float>.Zero;
            }
            tail = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector128.IsHardwareAccelerated && n >= 16)
        {
            Vector128<float> a0 = Vector128<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 16; i += 16)
            {
                a0 += Vector128.LoadUnsafe(ref x, (nuint)i) * Vector128<float>.Zero;
                a1 += Vector128.LoadUnsafe(ref x, (nuint)(i + 4)) * Vector128<float>.Zero;
                a2 += Vector128.LoadUnsafe(ref x, (nuint)(i + 8)) * Vector128<float>.Zero;
                a3 += Vector128.LoadUnsafe(ref x, (nuint)(i + 12)) * Vector128<float>.Zero;
            }
            tail = Vector128.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < n; i++) tail += Unsafe.Add(ref x, i) * 0f;
        return tail == 0f;
    }

    /// <summary>The first row of <paramref name="values"/> ([rows, <paramref name="width"/>]) holding a NaN or an infinity, or −1.</summary>
    public static int FirstNonFiniteRow(ReadOnlySpan<float> values, int width)
    {
        for (int start = 0, row = 0; start + width <= values.Length; start += width, row++)
        {
            if (!AllFinite(values.Slice(start, width))) return row;
        }
        return -1;
    }

    /// <summary>
    /// The exception a training call throws when the loss or a gradient of a batch is not finite, after it has made sure
    /// nothing changed. Names the first input row holding a non-finite value, if any.
    /// </summary>
    public static NonFiniteException NonFinite(string call, float loss, ReadOnlySpan<float> inputs, int width)
    {
        int row = FirstNonFiniteRow(inputs, width);
        string what = float.IsFinite(loss) ? "a gradient is not finite (the loss is " + loss.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + ")" : "the loss is " + loss.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string where = row >= 0 ? $" Input row {row} of the batch holds a NaN or an infinity." : " Every input is finite: the network diverged (lower the learning rate, clip the gradients, or normalize the inputs).";
        return new NonFiniteException($"{call}: {what}; nothing was updated (parameters, optimizer state, running statistics and the noise step are as they were).{where}") { Row = row, Loss = loss };
    }

    /// <summary>
    /// The exception a training call throws when its loss and gradients are finite but the running statistics it would
    /// store are not (a batch whose variance overflows float), after it has made sure nothing changed.
    /// </summary>
    public static NonFiniteException NonFiniteStatistics(string call, ReadOnlySpan<float> inputs, int width)
    {
        int row = FirstNonFiniteRow(inputs, width);
        return new NonFiniteException($"{call}: the batch's statistics would make a running mean or variance infinite (an input too large for float's range?); nothing was updated.{(row >= 0 ? $" Input row {row} of the batch holds a NaN or an infinity." : "")}") { Row = row };
    }

    /// <summary>The exception <c>Step</c> throws when a gradient is not finite (it has changed nothing).</summary>
    public static NonFiniteException NonFiniteGradients()
        => new("Step: a gradient is not finite; nothing was updated (parameters, optimizer state and step are as they were).");

    /// <summary>The He-uniform limit √(6 / fanIn).</summary>
    public static double HeUniformLimit(int fanIn) => Math.Sqrt(6.0 / fanIn);

    /// <summary>The Glorot-uniform limit √(6 / (fanIn + fanOut)).</summary>
    public static double GlorotUniformLimit(int fanIn, int fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut));
}
