namespace StaticNet.Data;

/// <summary>A set of MNIST examples: 28x28 grayscale images scaled to [0, 1] and their digit labels.</summary>
public sealed class MnistSet
{
    /// <summary>The number of pixels in one image (28 x 28).</summary>
    public const int ImageSize = 784;

    /// <summary>The number of classes (the digits 0 to 9).</summary>
    public const int Classes = 10;

    /// <summary>
    /// Creates a set from images and labels, taking ownership of both arrays (they are not copied).
    /// </summary>
    /// <param name="images">Row-major [count, <see cref="ImageSize"/>] pixel values.</param>
    /// <param name="labels">One label in [0, <see cref="Classes"/>) per image.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="images"/> does not hold <see cref="ImageSize"/> values per label, or a label is outside [0, 9].
    /// </exception>
    public MnistSet(float[] images, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Length != (long)labels.Length * ImageSize)
        {
            throw new ArgumentException(
                $"images has {images.Length} values; expected {ImageSize} per label for {labels.Length} labels ({(long)labels.Length * ImageSize}).",
                nameof(images));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= Classes)
            {
                throw new ArgumentException($"labels[{i}] is {labels[i]}; expected 0-9.", nameof(labels));
            }
        }
        Images = images;
        Labels = labels;
    }

    /// <summary>The images, row-major [<see cref="Count"/>, <see cref="ImageSize"/>], each pixel divided by 255 (so in [0, 1]).</summary>
    public float[] Images { get; }

    /// <summary>The digit (0 to 9) shown by each image.</summary>
    public int[] Labels { get; }

    /// <summary>The number of examples.</summary>
    public int Count => Labels.Length;
}

/// <summary>Loads the MNIST handwritten-digit data set from its IDX files, gzip-compressed or not.</summary>
public static class Mnist
{
    private const int Side = 28;
    private const string TrainImages = "train-images-idx3-ubyte";
    private const string TrainLabels = "train-labels-idx1-ubyte";
    private const string TestImages = "t10k-images-idx3-ubyte";
    private const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>pixel / 255f for every byte value.</summary>
    private static readonly float[] PixelScale = CreatePixelScale();

    /// <summary>
    /// Loads the 60,000 training examples from <c>train-images-idx3-ubyte</c> and
    /// <c>train-labels-idx1-ubyte</c> in <paramref name="directory"/>, each with or without a
    /// <c>.gz</c> suffix (the <c>.gz</c> name is used when both exist).
    /// </summary>
    /// <param name="directory">The directory holding the MNIST files, for example the result of <see cref="FindDataDirectory"/>.</param>
    /// <returns>The training set.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing under both of its names.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or the two files disagree; see <see cref="Load"/>.</exception>
    public static MnistSet LoadTraining(string directory) =>
        Load(Locate(directory, TrainImages), Locate(directory, TrainLabels));

    /// <summary>
    /// Loads the 10,000 test examples from <c>t10k-images-idx3-ubyte</c> and
    /// <c>t10k-labels-idx1-ubyte</c> in <paramref name="directory"/>, each with or without a
    /// <c>.gz</c> suffix (the <c>.gz</c> name is used when both exist).
    /// </summary>
    /// <param name="directory">The directory holding the MNIST files, for example the result of <see cref="FindDataDirectory"/>.</param>
    /// <returns>The test set.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing under both of its names.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or the two files disagree; see <see cref="Load"/>.</exception>
    public static MnistSet LoadTest(string directory) =>
        Load(Locate(directory, TestImages), Locate(directory, TestLabels));

    /// <summary>
    /// Loads an MNIST-format set from an images file (unsigned bytes, shape [count, 28, 28]) and a
    /// labels file (unsigned bytes, shape [count], each 0 to 9). Either may be gzip-compressed.
    /// </summary>
    /// <param name="imagesPath">The IDX images file.</param>
    /// <param name="labelsPath">The IDX labels file.</param>
    /// <returns>The set, pixels divided by 255.</returns>
    /// <exception cref="ArgumentException">A path is null or empty.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// A file is not well-formed IDX, the images are not 28x28, the labels are not one-dimensional,
    /// the image and label counts differ, or a label is greater than 9. The message names the file.
    /// </exception>
    /// <exception cref="NotSupportedException">A file's element type is not unsigned byte.</exception>
    public static MnistSet Load(string imagesPath, string labelsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);

        IdxTensor images = Idx.Read(imagesPath);
        IReadOnlyList<int> imageShape = images.Shape;
        if (imageShape.Count != 3 || imageShape[1] != Side || imageShape[2] != Side)
        {
            throw new InvalidDataException(
                $"{imagesPath}: expected MNIST images of shape [count, 28, 28], found [{string.Join(", ", imageShape)}].");
        }

        IdxTensor labels = Idx.Read(labelsPath);
        IReadOnlyList<int> labelShape = labels.Shape;
        if (labelShape.Count != 1)
        {
            throw new InvalidDataException(
                $"{labelsPath}: expected MNIST labels of shape [count], found [{string.Join(", ", labelShape)}].");
        }

        int count = imageShape[0];
        if (labelShape[0] != count)
        {
            throw new InvalidDataException(
                $"Image/label count mismatch: {imagesPath} has {count} images but {labelsPath} has {labelShape[0]} labels.");
        }

        int[] labelValues = new int[count];
        byte[] labelBytes = labels.Data;
        for (int i = 0; i < count; i++)
        {
            if (labelBytes[i] >= MnistSet.Classes)
            {
                throw new InvalidDataException($"{labelsPath}: label {i} is {labelBytes[i]}; expected 0-9.");
            }
            labelValues[i] = labelBytes[i];
        }

        byte[] pixels = images.Data;
        float[] imageValues = GC.AllocateUninitializedArray<float>(pixels.Length);
        float[] scale = PixelScale;
        for (int i = 0; i < pixels.Length; i++)
        {
            imageValues[i] = scale[pixels[i]];
        }

        return new MnistSet(imageValues, labelValues);
    }

    /// <summary>
    /// Looks for the repository's MNIST copy: walks up from <paramref name="start"/> through its
    /// parent directories and returns the first <c>samples/data/mnist</c> directory that holds
    /// <c>train-images-idx3-ubyte.gz</c> (or its uncompressed form).
    /// </summary>
    /// <param name="start">The directory to start from; <see cref="AppContext.BaseDirectory"/> when null.</param>
    /// <returns>The full path of the MNIST directory, or null if none was found.</returns>
    public static string? FindDataDirectory(string? start = null)
    {
        string? directory = Path.GetFullPath(string.IsNullOrEmpty(start) ? AppContext.BaseDirectory : start);
        while (directory is not null)
        {
            string candidate = Path.Combine(directory, "samples", "data", "mnist");
            if (File.Exists(Path.Combine(candidate, TrainImages + ".gz")) || File.Exists(Path.Combine(candidate, TrainImages)))
            {
                return candidate;
            }
            directory = Path.GetDirectoryName(directory);
        }
        return null;
    }

    /// <summary>The path of <paramref name="name"/>.gz or, failing that, <paramref name="name"/> in <paramref name="directory"/>.</summary>
    private static string Locate(string directory, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"MNIST directory not found: {directory}");
        }
        string compressed = Path.Combine(directory, name + ".gz");
        if (File.Exists(compressed))
        {
            return compressed;
        }
        string raw = Path.Combine(directory, name);
        if (File.Exists(raw))
        {
            return raw;
        }
        throw new FileNotFoundException($"MNIST file not found: neither {compressed} nor {raw} exists.", compressed);
    }

    private static float[] CreatePixelScale()
    {
        float[] scale = new float[256];
        for (int i = 0; i < scale.Length; i++)
        {
            scale[i] = i / 255f;
        }
        return scale;
    }
}
