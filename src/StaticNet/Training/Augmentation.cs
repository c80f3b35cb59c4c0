namespace StaticNet.Training;

/// <summary>The shape of an image input row: [height, width, channels] row-major, channels last (Keras' default layout).</summary>
/// <param name="Height">Rows of pixels.</param>
/// <param name="Width">Columns of pixels.</param>
/// <param name="Channels">Values per pixel (1 for grayscale).</param>
public readonly record struct ImageShape(int Height, int Width, int Channels = 1)
{
    /// <summary>The number of values in one image, Height × Width × Channels.</summary>
    public int Size => Height * Width * Channels;

    /// <summary>Throws unless every dimension is positive.</summary>
    internal void Validate(string parameterName)
    {
        if (Height < 1 || Width < 1 || Channels < 1)
        {
            throw new ArgumentException($"{parameterName} is {Height}×{Width}×{Channels}; every dimension must be at least 1.", parameterName);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Height}×{Width}×{Channels}";
}

/// <summary>
/// Geometric transforms of one image, [height, width, channels] row-major. Pixels that come from
/// outside the source image take <c>fill</c> (0 by default: black for raw pixels; Keras' random
/// layers default to reflecting instead).
/// </summary>
public static class ImageTransforms
{
    /// <summary>Mirrors the image left to right: destination(y, x) = source(y, width − 1 − x).</summary>
    /// <param name="source">One image.</param>
    /// <param name="destination">One image; must not overlap <paramref name="source"/>.</param>
    /// <param name="shape">The image shape.</param>
    public static void FlipHorizontal(ReadOnlySpan<float> source, Span<float> destination, ImageShape shape)
    {
        Check(source, destination, shape);
        int w = shape.Width, c = shape.Channels;
        for (int y = 0; y < shape.Height; y++)
        {
            for (int x = 0; x < w; x++)
            {
                source.Slice(((y * w) + (w - 1 - x)) * c, c).CopyTo(destination.Slice(((y * w) + x) * c, c));
            }
        }
    }

    /// <summary>
    /// Moves the content right by <paramref name="dx"/> and down by <paramref name="dy"/> pixels
    /// (negative: left, up): destination(y, x) = source(y − dy, x − dx), or <paramref name="fill"/>
    /// where that is outside. The same as padding by |dx|, |dy| and cropping the original size.
    /// </summary>
    /// <param name="source">One image.</param>
    /// <param name="destination">One image; must not overlap <paramref name="source"/>.</param>
    /// <param name="shape">The image shape.</param>
    /// <param name="dx">Columns to move right.</param>
    /// <param name="dy">Rows to move down.</param>
    /// <param name="fill">The value of uncovered pixels.</param>
    public static void Shift(ReadOnlySpan<float> source, Span<float> destination, ImageShape shape, int dx, int dy, float fill = 0f)
    {
        Check(source, destination, shape);
        int h = shape.Height, w = shape.Width, c = shape.Channels;
        for (int y = 0; y < h; y++)
        {
            int sy = y - dy;
            for (int x = 0; x < w; x++)
            {
                int sx = x - dx;
                Span<float> to = destination.Slice(((y * w) + x) * c, c);
                if ((uint)sy < (uint)h && (uint)sx < (uint)w)
                {
                    source.Slice(((sy * w) + sx) * c, c).CopyTo(to);
                }
                else
                {
                    to.Fill(fill);
                }
            }
        }
    }

    /// <summary>
    /// Rotates the image counter-clockwise as displayed (y pointing down) by <paramref name="degrees"/>
    /// about its centre ((width − 1)/2, (height − 1)/2), with bilinear interpolation: each destination
    /// pixel samples the source at the inverse-rotated position; source pixels outside the image count as <paramref name="fill"/>.
    /// </summary>
    /// <param name="source">One image.</param>
    /// <param name="destination">One image; must not overlap <paramref name="source"/>.</param>
    /// <param name="shape">The image shape.</param>
    /// <param name="degrees">The angle; negative turns clockwise.</param>
    /// <param name="fill">The value of pixels from outside the source.</param>
    public static void Rotate(ReadOnlySpan<float> source, Span<float> destination, ImageShape shape, double degrees, float fill = 0f)
    {
        Check(source, destination, shape);
        if (!double.IsFinite(degrees))
        {
            throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "The angle must be finite.");
        }
        int h = shape.Height, w = shape.Width, c = shape.Channels;
        double radians = degrees * Math.PI / 180.0;
        double cos = Math.Cos(radians), sin = Math.Sin(radians);
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++)
        {
            double v = y - cy;
            for (int x = 0; x < w; x++)
            {
                double u = x - cx;
                // Inverse of the counter-clockwise (on screen) rotation u' = u cos + v sin, v' = −u sin + v cos.
                double sx = (u * cos) - (v * sin) + cx;
                double sy = (u * sin) + (v * cos) + cy;
                // Snap positions within 1e-9 of a pixel centre so that right angles are exact.
                double rx = Math.Round(sx), ry = Math.Round(sy);
                if (Math.Abs(sx - rx) < 1e-9) sx = rx;
                if (Math.Abs(sy - ry) < 1e-9) sy = ry;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                double fx = sx - x0, fy = sy - y0;
                for (int k = 0; k < c; k++)
                {
                    double value =
                        ((1 - fx) * (1 - fy) * Pixel(source, shape, x0, y0, k, fill)) +
                        (fx * (1 - fy) * Pixel(source, shape, x0 + 1, y0, k, fill)) +
                        ((1 - fx) * fy * Pixel(source, shape, x0, y0 + 1, k, fill)) +
                        (fx * fy * Pixel(source, shape, x0 + 1, y0 + 1, k, fill));
                    destination[(((y * w) + x) * c) + k] = (float)value;
                }
            }
        }
    }

    private static float Pixel(ReadOnlySpan<float> source, ImageShape shape, int x, int y, int channel, float fill) =>
        (uint)x < (uint)shape.Width && (uint)y < (uint)shape.Height ? source[(((y * shape.Width) + x) * shape.Channels) + channel] : fill;

    private static void Check(ReadOnlySpan<float> source, Span<float> destination, ImageShape shape)
    {
        shape.Validate(nameof(shape));
        if (source.Length != shape.Size)
        {
            throw new ArgumentException($"source has {source.Length} values; expected {shape.Size} for a {shape} image.", nameof(source));
        }
        if (destination.Length != shape.Size)
        {
            throw new ArgumentException($"destination has {destination.Length} values; expected {shape.Size} for a {shape} image.", nameof(destination));
        }
        if (source.Overlaps(destination))
        {
            throw new ArgumentException("destination overlaps source; use a separate buffer.", nameof(destination));
        }
    }
}

/// <summary>
/// Random data augmentation applied to each training mini-batch by <c>Fit</c>, drawn from the fit's
/// seed, never applied to validation or test data. For images (with <see cref="Image"/> set):
/// random horizontal flip, random shift (the same as random crop after zero padding) and small
/// random rotation; for any input: additive Gaussian noise. One instance keeps a scratch image and
/// is not thread-safe.
/// </summary>
/// <remarks>
/// Order per row: flip, rotation, shift on the raw input (so the fill 0 is a raw 0), then, inside
/// <c>Fit</c>, the model's standardization, then the noise, which is therefore in standardized
/// units when the model normalizes.
/// </remarks>
public sealed class Augmentation
{
    private float[]? _scratch;

    /// <summary>The shape of an input row as an image; needed by the flip, shift and rotation. Default none.</summary>
    public ImageShape? Image { get; init; }

    /// <summary>Mirror each image left to right with probability ½. Default false (wrong for digits and text).</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Shift each image by whole pixels dx, dy drawn uniformly from [−MaxShift, MaxShift]. Default 0.</summary>
    public int MaxShift { get; init; }

    /// <summary>Rotate each image by an angle drawn uniformly from [−MaxRotationDegrees, MaxRotationDegrees]. Default 0.</summary>
    public double MaxRotationDegrees { get; init; }

    /// <summary>Add N(0, σ²) noise with this σ to every input value (Keras' <c>GaussianNoise</c>). Default 0.</summary>
    public double NoiseStandardDeviation { get; init; }

    /// <summary>Whether any geometric transform is on.</summary>
    internal bool IsGeometric => HorizontalFlip || MaxShift > 0 || MaxRotationDegrees > 0;

    /// <summary>Applies every transform, then the noise, to each row of <paramref name="inputs"/> in place.</summary>
    /// <param name="inputs">Row-major rows of <paramref name="width"/> values.</param>
    /// <param name="width">The width of a row; the image size when <see cref="Image"/> is set.</param>
    /// <param name="random">The source of randomness; the same sequence gives the same result.</param>
    /// <exception cref="ArgumentException">The settings do not fit <paramref name="width"/>, or the rows are not whole.</exception>
    public void Apply(Span<float> inputs, int width, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Validate(width, nameof(width));
        if (inputs.Length % width != 0)
        {
            throw new ArgumentException($"inputs has {inputs.Length} values; expected a multiple of {width} (whole rows).", nameof(inputs));
        }
        ApplyGeometric(inputs, width, random);
        ApplyNoise(inputs, random);
    }

    /// <summary>Throws unless the settings are valid for input rows of <paramref name="width"/>.</summary>
    internal void Validate(int width, string parameterName)
    {
        if (MaxShift < 0)
        {
            throw new ArgumentException($"{parameterName}: {nameof(MaxShift)} is {MaxShift}; expected 0 or more pixels.", parameterName);
        }
        if (!double.IsFinite(MaxRotationDegrees) || MaxRotationDegrees < 0 || MaxRotationDegrees > 180)
        {
            throw new ArgumentException($"{parameterName}: {nameof(MaxRotationDegrees)} is {MaxRotationDegrees}; expected degrees in [0, 180].", parameterName);
        }
        if (!double.IsFinite(NoiseStandardDeviation) || NoiseStandardDeviation < 0)
        {
            throw new ArgumentException($"{parameterName}: {nameof(NoiseStandardDeviation)} is {NoiseStandardDeviation}; expected a finite number, 0 or more.", parameterName);
        }
        if (Image is ImageShape shape)
        {
            shape.Validate($"{parameterName}.{nameof(Image)}");
            if (shape.Size != width)
            {
                throw new ArgumentException($"{parameterName}: {nameof(Image)} {shape} has {shape.Size} values, but an input row has {width}.", parameterName);
            }
            if (MaxShift >= Math.Max(shape.Width, shape.Height))
            {
                throw new ArgumentException($"{parameterName}: {nameof(MaxShift)} {MaxShift} would move a {shape} image out of view; expected less than {Math.Max(shape.Width, shape.Height)}.", parameterName);
            }
        }
        else if (IsGeometric)
        {
            throw new ArgumentException(
                $"{parameterName}: flip, shift and rotation need the input's image shape; set {nameof(Image)}, for example new ImageShape(28, 28, 1).", parameterName);
        }
    }

    /// <summary>Flip, rotation and shift of every row, with fresh random parameters per row.</summary>
    internal void ApplyGeometric(Span<float> inputs, int width, Random random)
    {
        if (!IsGeometric || Image is not ImageShape shape) return;
        if (_scratch is null || _scratch.Length != width) _scratch = new float[width];
        Span<float> scratch = _scratch;
        for (int start = 0; start < inputs.Length; start += width)
        {
            Span<float> row = inputs.Slice(start, width);
            if (HorizontalFlip && random.Next(2) == 1)
            {
                ImageTransforms.FlipHorizontal(row, scratch, shape);
                scratch.CopyTo(row);
            }
            if (MaxRotationDegrees > 0)
            {
                double angle = ((random.NextDouble() * 2) - 1) * MaxRotationDegrees;
                ImageTransforms.Rotate(row, scratch, shape, angle);
                scratch.CopyTo(row);
            }
            if (MaxShift > 0)
            {
                int dx = random.Next(-MaxShift, MaxShift + 1);
                int dy = random.Next(-MaxShift, MaxShift + 1);
                if (dx != 0 || dy != 0)
                {
                    ImageTransforms.Shift(row, scratch, shape, dx, dy);
                    scratch.CopyTo(row);
                }
            }
        }
    }

    /// <summary>Adds N(0, σ²) to every value (Box–Muller, two values per pair of uniforms).</summary>
    internal void ApplyNoise(Span<float> inputs, Random random)
    {
        double sigma = NoiseStandardDeviation;
        if (sigma <= 0) return;
        for (int i = 0; i < inputs.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(); // (0, 1]: log is finite
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1)) * sigma;
            double angle = 2.0 * Math.PI * u2;
            inputs[i] += (float)(radius * Math.Cos(angle));
            if (i + 1 < inputs.Length) inputs[i + 1] += (float)(radius * Math.Sin(angle));
        }
    }
}
