// Trains 784-128-10 on the 60,000 MNIST training digits with mini-batch SGD and reports, per
// epoch, the training loss and accuracy and the test accuracy; then where the time went.
//
//   dotnet run -c Release --project samples/Mnist [-- --epochs 5 --batch 32 --seed 1]

using System.Diagnostics;
using StaticNet;
using StaticNet.Data;
using StaticNet.Samples.Mnist;

int epochs = Option("--epochs", 5);
int batch = Option("--batch", 32);
int seed = Option("--seed", 1);

string directory = Mnist.FindDataDirectory()
    ?? throw new DirectoryNotFoundException("MNIST not found: expected samples/data/mnist above the program's folder.");
var load = Stopwatch.StartNew();
MnistSet train = Mnist.LoadTraining(directory);
MnistSet test = Mnist.LoadTest(directory);
load.Stop();

var net = new DigitNet(seed);
Console.WriteLine($"StaticNet MNIST sample: {DigitNet.InputSize}-128-{DigitNet.OutputSize}, {DigitNet.ParameterCount:N0} parameters, " +
                  $"SGD η={net.LearningRate}, batch {batch}, kernel path {DigitNet.KernelPath}");
Console.WriteLine($"Loaded {train.Count:N0} training and {test.Count:N0} test images in {load.Elapsed.TotalSeconds:F2} s.");
Console.WriteLine();
Console.WriteLine("epoch  train loss  train acc  test acc   epoch time");

var order = Enumerable.Range(0, train.Count).ToArray();
var shuffle = new Random(seed);
float[] x = new float[batch * DigitNet.InputSize];
int[] y = new int[batch];
TimeSpan stepTime = TimeSpan.Zero, batchTime = TimeSpan.Zero, evaluationTime = TimeSpan.Zero;
long examples = 0;
var clock = new Stopwatch();

for (int epoch = 1; epoch <= epochs; epoch++)
{
    var epochClock = Stopwatch.StartNew();
    shuffle.Shuffle(order);
    double lossSum = 0;
    int batches = 0;
    for (int start = 0; start < train.Count; start += batch)
    {
        // The last batch may be smaller: every image is used once per epoch.
        int rows = Math.Min(batch, train.Count - start);
        clock.Restart();
        for (int k = 0; k < rows; k++)
        {
            int row = order[start + k];
            train.Images.AsSpan(row * DigitNet.InputSize, DigitNet.InputSize).CopyTo(x.AsSpan(k * DigitNet.InputSize));
            y[k] = train.Labels[row];
        }
        batchTime += clock.Elapsed;

        clock.Restart();
        lossSum += net.TrainStep(x.AsSpan(0, rows * DigitNet.InputSize), y.AsSpan(0, rows));
        stepTime += clock.Elapsed;
        batches++;
        examples += rows;
    }
    TimeSpan trainingTime = epochClock.Elapsed;

    clock.Restart();
    double trainAccuracy = Accuracy(net, train);
    double testAccuracy = Accuracy(net, test);
    evaluationTime += clock.Elapsed;

    Console.WriteLine($"{epoch,5}  {lossSum / batches,10:F4}  {trainAccuracy,9:P2}  {testAccuracy,8:P2}  {trainingTime.TotalSeconds,8:F2} s");
}

double flops = 6.0 * DigitNet.ParameterCount * examples; // forward 2, backward 4 multiply-adds per parameter per example
Console.WriteLine();
Console.WriteLine("Where the time went:");
Console.WriteLine($"  train steps (forward + backward + SGD)  {stepTime.TotalSeconds,7:F2} s  {flops / stepTime.TotalSeconds / 1e9,6:F1} GFLOP/s, {stepTime.TotalMicroseconds / (examples / (double)batch),7:F1} µs per batch of {batch}");
Console.WriteLine($"  assembling shuffled batches             {batchTime.TotalSeconds,7:F2} s");
Console.WriteLine($"  evaluating train and test accuracy      {evaluationTime.TotalSeconds,7:F2} s");
Console.WriteLine($"  loading MNIST                           {load.Elapsed.TotalSeconds,7:F2} s");
return 0;

static double Accuracy(INetwork net, MnistSet set)
{
    const int chunk = 1000;
    float[] probabilities = new float[chunk * 10];
    int correct = 0;
    for (int start = 0; start < set.Count; start += chunk)
    {
        int rows = Math.Min(chunk, set.Count - start);
        net.Infer(set.Images.AsSpan(start * 784, rows * 784), probabilities.AsSpan(0, rows * 10));
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> p = probabilities.AsSpan(r * 10, 10);
            int best = 0;
            for (int j = 1; j < 10; j++) if (p[j] > p[best]) best = j;
            if (best == set.Labels[start + r]) correct++;
        }
    }
    return (double)correct / set.Count;
}

int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    if (i < 0) return fallback;
    if (i + 1 < args.Length && int.TryParse(args[i + 1], out int value) && value > 0) return value;
    throw new ArgumentException($"{name} needs a positive whole number, for example {name} {fallback}.");
}
