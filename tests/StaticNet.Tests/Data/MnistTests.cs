using System.Security.Cryptography;
using StaticNet.Data;

namespace StaticNet.Tests.Data;

public class MnistTests
{
    private static byte[] Images(int count, int rows = 28, int columns = 28) =>
        IdxTestFiles.Build([count, rows, columns], IdxTestFiles.Sequence(count * rows * columns));

    private static byte[] Labels(params byte[] labels) => IdxTestFiles.Build([labels.Length], labels);

    [Fact]
    public void Loads_synthetic_set_scaling_pixels()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("images", IdxTestFiles.Gzip(Images(3)));
        string labels = dir.Write("labels", Labels(4, 0, 9));

        MnistSet set = Mnist.Load(images, labels);

        Assert.Equal(3, set.Count);
        Assert.Equal([4, 0, 9], set.Labels);
        byte[] pixels = IdxTestFiles.Sequence(3 * 784);
        Assert.Equal(3 * MnistSet.ImageSize, set.Images.Length);
        for (int i = 0; i < pixels.Length; i++)
        {
            Assert.Equal(pixels[i] / 255f, set.Images[i]);
        }
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public void LoadTraining_and_LoadTest_accept_gz_and_raw_names(bool imagesGz, bool labelsGz)
    {
        using var dir = new TempDirectory();
        dir.Write("train-images-idx3-ubyte" + (imagesGz ? ".gz" : ""), imagesGz ? IdxTestFiles.Gzip(Images(2)) : Images(2));
        dir.Write("train-labels-idx1-ubyte" + (labelsGz ? ".gz" : ""), labelsGz ? IdxTestFiles.Gzip(Labels(1, 2)) : Labels(1, 2));
        dir.Write("t10k-images-idx3-ubyte" + (imagesGz ? ".gz" : ""), imagesGz ? IdxTestFiles.Gzip(Images(1)) : Images(1));
        dir.Write("t10k-labels-idx1-ubyte" + (labelsGz ? ".gz" : ""), labelsGz ? IdxTestFiles.Gzip(Labels(8)) : Labels(8));

        MnistSet training = Mnist.LoadTraining(dir.Path);
        MnistSet test = Mnist.LoadTest(dir.Path);

        Assert.Equal([1, 2], training.Labels);
        Assert.Equal([8], test.Labels);
    }

    [Fact]
    public void Missing_file_names_both_candidates()
    {
        using var dir = new TempDirectory();
        dir.Write("t10k-images-idx3-ubyte.gz", IdxTestFiles.Gzip(Images(1)));

        var e = Assert.Throws<FileNotFoundException>(() => Mnist.LoadTest(dir.Path));

        Assert.Contains("t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains(Path.Combine(dir.Path, "t10k-labels-idx1-ubyte") + " exists", e.Message);
    }

    [Fact]
    public void Missing_directory_is_reported()
    {
        using var dir = new TempDirectory();
        string missing = Path.Combine(dir.Path, "nowhere");

        var e = Assert.Throws<DirectoryNotFoundException>(() => Mnist.LoadTraining(missing));

        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void Count_mismatch_names_files_and_counts()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("imgs", Images(3));
        string labels = dir.Write("lbls", Labels(1, 2));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(images, labels));

        Assert.Contains("has 3 images", e.Message);
        Assert.Contains("has 2 labels", e.Message);
        Assert.Contains(images, e.Message);
        Assert.Contains(labels, e.Message);
    }

    [Theory]
    [InlineData(28, 27)]
    [InlineData(32, 32)]
    public void Images_must_be_28_by_28(int rows, int columns)
    {
        using var dir = new TempDirectory();
        string images = dir.Write("imgs", Images(2, rows, columns));
        string labels = dir.Write("lbls", Labels(1, 2));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(images, labels));

        Assert.Contains(images, e.Message);
        Assert.Contains("[count, 28, 28]", e.Message);
        Assert.Contains($"[2, {rows}, {columns}]", e.Message);
    }

    [Fact]
    public void Images_must_be_three_dimensional()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("imgs", IdxTestFiles.Build([2, 784], new byte[2 * 784]));
        string labels = dir.Write("lbls", Labels(1, 2));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(images, labels));

        Assert.Contains("[2, 784]", e.Message);
    }

    [Fact]
    public void Labels_must_be_one_dimensional()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("imgs", Images(2));
        string labels = dir.Write("lbls", IdxTestFiles.Build([2, 1], [1, 2]));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(images, labels));

        Assert.Contains(labels, e.Message);
        Assert.Contains("[2, 1]", e.Message);
    }

    [Fact]
    public void Labels_above_nine_are_rejected()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("imgs", Images(3));
        string labels = dir.Write("lbls", Labels(1, 12, 3));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(images, labels));

        Assert.Contains(labels, e.Message);
        Assert.Contains("label 1 is 12; expected 0-9", e.Message);
    }

    [Fact]
    public void Truncated_images_file_is_reported_with_its_name()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("imgs.gz", IdxTestFiles.Gzip(Images(2)[..^100]));
        string labels = dir.Write("lbls", Labels(1, 2));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(images, labels));

        Assert.Contains(images, e.Message);
        Assert.Contains($"expected {2 * 784} data bytes, found {2 * 784 - 100}", e.Message);
    }

    [Fact]
    public void MnistSet_constructor_validates()
    {
        Assert.Throws<ArgumentException>(() => new MnistSet(new float[783], [0]));
        Assert.Throws<ArgumentException>(() => new MnistSet(new float[784], [10]));
        Assert.Throws<ArgumentException>(() => new MnistSet(new float[784], [-1]));
        Assert.Equal(1, new MnistSet(new float[784], [9]).Count);
    }

    [Fact]
    public void FindDataDirectory_walks_up_from_start()
    {
        using var dir = new TempDirectory();
        dir.Write(Path.Combine("repo", "samples", "data", "mnist", "train-images-idx3-ubyte.gz"), [0x1f, 0x8b]);
        string start = Path.Combine(dir.Path, "repo", "a", "b");
        Directory.CreateDirectory(start);

        Assert.Equal(Path.Combine(dir.Path, "repo", "samples", "data", "mnist"), Mnist.FindDataDirectory(start));
        Assert.Null(Mnist.FindDataDirectory(Path.Combine(dir.Path)));
    }

    [Fact]
    public void Real_test_set_loads()
    {
        string? directory = Mnist.FindDataDirectory();
        Assert.True(directory is not null, $"samples/data/mnist not found above {AppContext.BaseDirectory}");

        MnistSet set = Mnist.LoadTest(directory);

        Assert.Equal(10_000, set.Count);
        Assert.Equal(10_000 * 784, set.Images.Length);
        float min = float.MaxValue, max = float.MinValue;
        foreach (float v in set.Images)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        Assert.Equal(0f, min);
        Assert.Equal(1f, max);
        Assert.Equal(7, set.Labels[0]); // the first t10k digit is a 7
        int[] histogram = new int[MnistSet.Classes];
        foreach (int label in set.Labels)
        {
            Assert.InRange(label, 0, 9);
            histogram[label]++;
        }
        Assert.Equal(10_000, histogram.Sum());
        Assert.All(histogram, n => Assert.InRange(n, 800, 1200));
    }

    [Fact]
    public void Real_test_images_round_trip_to_published_md5()
    {
        string? directory = Mnist.FindDataDirectory();
        Assert.NotNull(directory);

        IdxTensor images = Idx.Read(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"));

        Assert.Equal([10_000, 28, 28], images.Shape);
        byte[] rebuilt = IdxTestFiles.Build([.. images.Shape], images.Data);
        Assert.Equal("2646ac647ad5339dbf082846283269ea", Convert.ToHexStringLower(MD5.HashData(rebuilt)));
    }

    [Fact]
    public void Real_training_set_loads()
    {
        string? directory = Mnist.FindDataDirectory();
        Assert.NotNull(directory);

        MnistSet set = Mnist.LoadTraining(directory);

        Assert.Equal(60_000, set.Count);
        Assert.Equal(60_000 * MnistSet.ImageSize, set.Images.Length);
        Assert.Equal(5, set.Labels[0]); // the first training digit is a 5
        int[] histogram = new int[MnistSet.Classes];
        foreach (int label in set.Labels)
        {
            histogram[label]++;
        }
        Assert.Equal(60_000, histogram.Sum());
        Assert.All(histogram, n => Assert.InRange(n, 5000, 7000));
    }
}
