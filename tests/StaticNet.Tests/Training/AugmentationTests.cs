using StaticNet.Training;

namespace StaticNet.Tests.Training;

/// <summary>Image transforms on hand-made images; augmentation shapes, determinism, statistics, and never on validation data.</summary>
public sealed class AugmentationTests
{
    // A 3×3 grayscale image with distinct values:
    //   1 2 3
    //   4 5 6
    //   7 8 9
    private static readonly float[] Image3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    private static readonly ImageShape Shape3 = new(3, 3, 1);

    [Fact]
    public void Horizontal_flip_mirrors_each_row()
    {
        float[] output = new float[9];
        ImageTransforms.FlipHorizontal(Image3, output, Shape3);
        Assert.Equal([3f, 2, 1, 6, 5, 4, 9, 8, 7], output);
    }

    [Fact]
    public void Horizontal_flip_keeps_the_channels_of_a_pixel_together()
    {
        // 1×2 image, 2 channels: pixels (1, 2) and (3, 4).
        float[] output = new float[4];
        ImageTransforms.FlipHorizontal([1, 2, 3, 4], output, new ImageShape(1, 2, 2));
        Assert.Equal([3f, 4, 1, 2], output);
    }

    [Fact]
    public void Shift_moves_the_content_and_fills_with_zero()
    {
        float[] output = new float[9];
        ImageTransforms.Shift(Image3, output, Shape3, dx: 1, dy: 0);
        Assert.Equal([0f, 1, 2, 0, 4, 5, 0, 7, 8], output);
        ImageTransforms.Shift(Image3, output, Shape3, dx: 0, dy: -1);
        Assert.Equal([4f, 5, 6, 7, 8, 9, 0, 0, 0], output);
        ImageTransforms.Shift(Image3, output, Shape3, dx: -1, dy: 1, fill: -5);
        Assert.Equal([-5f, -5, -5, 2, 3, -5, 5, 6, -5], output);
    }

    [Fact]
    public void Rotation_by_90_degrees_turns_counter_clockwise_on_screen()
    {
        float[] output = new float[9];
        ImageTransforms.Rotate(Image3, output, Shape3, 90);
        // The top row 1 2 3 becomes the left column read upwards.
        Assert.Equal([3f, 6, 9, 2, 5, 8, 1, 4, 7], output);
        ImageTransforms.Rotate(Image3, output, Shape3, -90);
        Assert.Equal([7f, 4, 1, 8, 5, 2, 9, 6, 3], output);
        ImageTransforms.Rotate(Image3, output, Shape3, 0);
        Assert.Equal(Image3, output);
    }

    [Fact]
    public void Rotation_interpolates_bilinearly_and_fills_from_outside()
    {
        // 1×2 image [a b], centre between them; 180° swaps them exactly.
        float[] output = new float[2];
        ImageTransforms.Rotate([10, 20], output, new ImageShape(1, 2), 180);
        Assert.Equal([20f, 10], output, (a, b) => Math.Abs(a - b) < 1e-5f);

        // 3×3, 45°: the centre stays; the pixel right of the centre samples at (1 + cos45, 1 + sin45) = (1.7071, 1.7071):
        // bilinear of 5, 6, 8, 9 with weights (0.2929·0.2929, 0.7071·0.2929, 0.2929·0.7071, 0.7071·0.7071).
        float[] rotated = new float[9];
        ImageTransforms.Rotate(Image3, rotated, Shape3, 45);
        Assert.Equal(5f, rotated[4], 5);
        double f = Math.Sqrt(0.5), g = 1 - f;
        double expected = (g * g * 5) + (f * g * 6) + (g * f * 8) + (f * f * 9);
        Assert.Equal(expected, rotated[5], 5);
    }

    [Fact]
    public void Transforms_check_their_buffers()
    {
        float[] output = new float[8];
        Assert.Contains("expected 9", Assert.Throws<ArgumentException>(() => ImageTransforms.Shift(Image3, output, Shape3, 1, 1)).Message);
        float[] same = (float[])Image3.Clone();
        Assert.Contains("overlaps", Assert.Throws<ArgumentException>(() => ImageTransforms.FlipHorizontal(same, same, Shape3)).Message);
    }

    [Fact]
    public void Random_shift_gives_one_of_the_possible_shifts_and_over_many_draws_all_of_them()
    {
        var augmentation = new Augmentation { Image = Shape3, MaxShift = 1 };
        var random = new Random(3);
        var seen = new HashSet<(int, int)>();
        for (int draw = 0; draw < 200; draw++)
        {
            float[] x = (float[])Image3.Clone();
            augmentation.Apply(x, 9, random);
            (int dx, int dy)? match = null;
            for (int dy = -1; dy <= 1; dy++)
            {
                for (int dx = -1; dx <= 1; dx++)
                {
                    if (x.SequenceEqual(ShiftedByHand(dx, dy))) match = (dx, dy);
                }
            }
            Assert.NotNull(match);
            seen.Add(match.Value);
        }
        Assert.Equal(9, seen.Count);
    }

    /// <summary>Image3 moved by (dx, dy), written with the index formula: out(y, x) = in(y − dy, x − dx) or 0.</summary>
    private static float[] ShiftedByHand(int dx, int dy)
    {
        float[] result = new float[9];
        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < 3; x++)
            {
                int sy = y - dy, sx = x - dx;
                result[(y * 3) + x] = sy is >= 0 and < 3 && sx is >= 0 and < 3 ? 1 + (sy * 3) + sx : 0;
            }
        }
        return result;
    }

    [Fact]
    public void Random_flip_flips_about_half_the_rows()
    {
        var augmentation = new Augmentation { Image = Shape3, HorizontalFlip = true };
        float[] batch = new float[9 * 1000];
        for (int r = 0; r < 1000; r++) Image3.CopyTo(batch, r * 9);
        augmentation.Apply(batch, 9, new Random(1));
        int flipped = 0;
        for (int r = 0; r < 1000; r++)
        {
            float[] row = batch[(r * 9)..((r + 1) * 9)];
            if (row.SequenceEqual(new float[] { 3, 2, 1, 6, 5, 4, 9, 8, 7 })) flipped++;
            else Assert.Equal(Image3, row);
        }
        Assert.InRange(flipped, 450, 550); // binomial(1000, ½): ±3.2σ
    }

    [Fact]
    public void Augmentation_keeps_the_shape_and_is_determined_by_the_seed()
    {
        var augmentation = new Augmentation { Image = new ImageShape(4, 4), MaxShift = 1, MaxRotationDegrees = 15, HorizontalFlip = true, NoiseStandardDeviation = 0.1 };
        float[] Run(int seed)
        {
            float[] batch = Enumerable.Range(0, 16 * 5).Select(i => (float)(i % 7)).ToArray();
            augmentation.Apply(batch, 16, new Random(seed));
            return batch;
        }
        float[] a = Run(1);
        Assert.Equal(16 * 5, a.Length);
        Assert.Equal(a, Run(1));
        Assert.NotEqual(a, Run(2));
    }

    [Fact]
    public void Gaussian_noise_has_mean_zero_and_the_given_standard_deviation()
    {
        var augmentation = new Augmentation { NoiseStandardDeviation = 0.5 };
        float[] x = new float[100_001]; // odd: the last value has no Box–Muller partner
        augmentation.Apply(x, 1, new Random(9));
        double mean = x.Average(v => (double)v);
        double sd = Math.Sqrt(x.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.01, 0.01);   // σ/√n ≈ 0.0016
        Assert.InRange(sd, 0.49, 0.51);
        Assert.NotEqual(0f, x[^1]);
    }

    [Fact]
    public void Fit_augments_training_batches_but_never_validation_data()
    {
        var net = new ScriptedNet();
        new Model<ScriptedNet>(net).Fit(ScriptedNet.IndexedData(8), new FitOptions
        {
            Epochs = 2,
            BatchSize = 8,
            Shuffle = false,
            ValidationData = ScriptedNet.IndexedData(3),
            Augmentation = new Augmentation { NoiseStandardDeviation = 0.1 },
            TrainingAccuracySamples = 0,
        });
        float[] raw = [0, 0, 1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60, 7, 70];
        Assert.All(net.TrainInputs, batch =>
        {
            Assert.NotEqual(raw, batch);
            for (int i = 0; i < raw.Length; i++) Assert.InRange(batch[i] - raw[i], -1f, 1f); // 10σ
        });
        Assert.NotEqual(net.TrainInputs[0], net.TrainInputs[1]); // fresh noise every epoch
        Assert.All(net.EvaluationInputs, x => Assert.Equal(new float[] { 0, 0, 1, 10, 2, 20 }, x));
        Assert.All(net.InferInputs, x => Assert.Equal(new float[] { 0, 0, 1, 10, 2, 20 }, x));
    }

    [Fact]
    public void Invalid_settings_are_refused()
    {
        Assert.Contains("MaxRotationDegrees", Assert.Throws<ArgumentException>(() =>
            new Augmentation { Image = Shape3, MaxRotationDegrees = 270 }.Apply(new float[9], 9, new Random(1))).Message);
        Assert.Contains("NoiseStandardDeviation", Assert.Throws<ArgumentException>(() =>
            new Augmentation { NoiseStandardDeviation = -1 }.Apply(new float[9], 9, new Random(1))).Message);
        Assert.Contains("out of view", Assert.Throws<ArgumentException>(() =>
            new Augmentation { Image = Shape3, MaxShift = 3 }.Apply(new float[9], 9, new Random(1))).Message);
    }
}
