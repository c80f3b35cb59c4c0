// Trains DigitNet (DigitNet.cs) on the 60,000 MNIST training digits with StaticNet's training
// workflow: a validation split, early stopping with the best weights restored, a learning-rate
// schedule, a progress bar; then learning curves as a PNG, the model saved, loaded back and
// evaluated on the 10,000 test digits, the recipe's diagnosis, and where the time went.
//
//   dotnet run -c Release --project samples/Mnist [-- --epochs 12 --batch 32 --seed 1 --patience 3
//                                                    --validation 0.1 --augment --ensemble 3 --plain --data DIR --out DIR]
//
// --epochs is the maximum (early stopping may end sooner); --augment adds random shifts and small
// rotations to the training batches; --ensemble K trains K − 1 more networks from other seeds and
// reports the averaged ensemble beside each member; --plain prints one line per epoch instead of
// a live progress bar (the default when the output is not a terminal, as in CI logs); --data names the
// folder of the MNIST files (default: samples/data/mnist, found above the program's folder or the
// current one). Outputs go to samples/Mnist/out/ (git-ignored; ./mnist-out with --data):
// learning-curves.png, history.csv, digitnet.safetensors.

using System.Diagnostics;
using Spectre.Console;
using StaticNet;
using StaticNet.Data;
using StaticNet.Metrics;
using StaticNet.Samples.Mnist;
using StaticNet.Serialization;
using StaticNet.Training;

int maxEpochs = IntOption("--epochs", 12);
int batch = IntOption("--batch", 32);
int seed = IntOption("--seed", 1);
int patience = IntOption("--patience", 3);
int members = IntOption("--ensemble", 1);
double validationSplit = DoubleOption("--validation", 0.1);
bool augment = args.Contains("--augment");
bool live = !args.Contains("--plain") && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 1000; // a log file: do not wrap at the default 80 columns

// The data: --data DIR, else samples/data/mnist found above the program's folder (dotnet run), else above the
// current folder (a published binary run from the repository).
string? dataOption = args.Contains("--data") ? StringOption("--data", "") : null;
string directory = dataOption is not null ? Path.GetFullPath(dataOption)
    : Mnist.FindDataDirectory() ?? Mnist.FindDataDirectory(Environment.CurrentDirectory)
    ?? throw new DirectoryNotFoundException("MNIST not found: pass --data DIR (the folder of the four MNIST files), or run from inside the repository (samples/data/mnist).");
if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"--data {dataOption}: no such folder ({directory}).");
// Outputs: --out DIR, else samples/Mnist/out beside the repository's data, else ./mnist-out.
string defaultOut = dataOption is null ? Path.Combine(directory, "..", "..", "Mnist", "out") : Path.Combine(Environment.CurrentDirectory, "mnist-out");
string outDirectory = Path.GetFullPath(StringOption("--out", defaultOut));
Directory.CreateDirectory(outDirectory);

var load = Stopwatch.StartNew();
MnistSet trainSet = Mnist.LoadTraining(directory);
MnistSet testSet = Mnist.LoadTest(directory);
load.Stop();
Dataset train = Dataset.From(trainSet), test = Dataset.From(testSet);

var model = Model<DigitNet>.Create(seed);
NetworkDescription d = DigitNet.Descriptor;
double initialRate = model.Network.LearningRate;
FitOptions Options(int fitSeed) => new()
{
    Epochs = maxEpochs,
    BatchSize = batch,
    Seed = fitSeed,
    ValidationSplit = validationSplit,
    EarlyStopping = new EarlyStopping { Monitor = MonitoredQuantity.ValidationLoss, Patience = patience, RestoreBestWeights = true },
    // Halve the declared rate every 4 epochs (the same for SGD's 0.1 or Adam's 0.001).
    Schedule = LearningRateSchedule.StepDecay(initialRate, 0.5, 4),
    Augmentation = augment ? new Augmentation { Image = new ImageShape(28, 28), MaxShift = 2, MaxRotationDegrees = 10 } : null,
    TrainingAccuracySamples = 5_000, // training accuracy after each epoch on a fixed sample of 5,000 rows
};
FitOptions options = Options(seed);

AnsiConsole.MarkupLine($"[bold]StaticNet MNIST sample[/]: {Markup.Escape(Shape(d))}, {DigitNet.ParameterCount:N0} parameters, " +
                       $"{d.Optimizer} η₀={initialRate:G3} (×0.5 every 4 epochs), batch {batch}, kernel path {DigitNet.KernelPath}");
AnsiConsole.WriteLine(Simd.Describe() + (Simd.IsNativeAot ? " (NativeAOT)" : ""));
AnsiConsole.MarkupLine($"Loaded {trainSet.Count:N0} training and {testSet.Count:N0} test images in {load.Elapsed.TotalSeconds:F2} s; " +
                       $"{validationSplit:P0} of the training images held out for validation; at most {maxEpochs} epochs, early stopping after {patience} without improvement" +
                       (augment ? "; augmentation: shifts ≤ 2 px, rotations ≤ 10°." : "."));
AnsiConsole.WriteLine();
string header = "epoch  train loss  train acc  val loss  val acc         η   time";
AnsiConsole.MarkupLine($"[grey]{header}[/]");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); }; // Ctrl+C: stop after the current mini-batch, keep what was learned

TrainingHistory history;
var fitClock = Stopwatch.StartNew();
try
{
    if (live)
    {
        history = AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("epoch 1", maxValue: 1);
                var progress = new SyncProgress<FitProgress>(p =>
                {
                    task.Value = (double)p.Batch / p.BatchesPerEpoch;
                    task.Description = $"epoch {p.Epoch}/{p.Epochs}  loss {p.Loss:F4}";
                    if (p.Completed is EpochRecord r)
                    {
                        AnsiConsole.WriteLine(Line(r));
                        task.Value = 0;
                    }
                });
                return model.Fit(train, options, progress, cancel.Token);
            });
    }
    else
    {
        history = model.Fit(train, options, new SyncProgress<FitProgress>(p =>
        {
            if (p.Completed is EpochRecord r) Console.WriteLine(Line(r));
        }), cancel.Token);
    }
}
catch (TrainingCanceledException e)
{
    history = e.History;
    AnsiConsole.MarkupLine($"[yellow]Cancelled[/] after {history.Epochs.Count} complete epoch(s); the network keeps its last step's weights.");
}
fitClock.Stop();
AnsiConsole.WriteLine();

if (history.StopReason == StopReason.EarlyStopped)
{
    AnsiConsole.MarkupLine($"Early stopping: no improvement of the validation loss for {patience} epochs; stopped after epoch {history.Epochs.Count}, " +
                           $"restored the best epoch, {history.BestEpoch}.");
}
else if (history.BestEpoch > 0)
{
    AnsiConsole.MarkupLine($"Ran all {history.Epochs.Count} epochs; the best validation loss was at epoch {history.BestEpoch}, whose weights the network holds.");
}

// Learning curves and the history.
var plotClock = Stopwatch.StartNew();
string csvPath = Path.Combine(outDirectory, "history.csv");
history.SaveCsv(csvPath);
string pngPath = Path.Combine(outDirectory, "learning-curves.png");
LearningCurves.Save(history, pngPath, $"{d.TypeName.Split('.')[^1]} on MNIST: {Shape(d)}, {d.Optimizer}");
plotClock.Stop();
AnsiConsole.MarkupLine($"Learning curves: [link]{Markup.Escape(pngPath)}[/] (history: {Markup.Escape(csvPath)})");

// Save, load back, evaluate on the test set.
var saveClock = Stopwatch.StartNew();
string modelPath = Path.Combine(outDirectory, "digitnet.safetensors");
model.Save(modelPath);
Model<DigitNet> loaded = Model<DigitNet>.Load(modelPath);
saveClock.Stop();
var testClock = Stopwatch.StartNew();
EvaluationResult result = loaded.Evaluate(test, topK: 5);
EvaluationResult original = model.Evaluate(test, topK: 5);
testClock.Stop();
bool same = result.Loss == original.Loss && result.Accuracy == original.Accuracy;
AnsiConsole.MarkupLine($"Saved {new FileInfo(modelPath).Length:N0} bytes to {Markup.Escape(modelPath)} (safetensors), loaded it back: " +
                       (same ? "[green]identical results[/]." : "[red]different results![/]"));
AnsiConsole.MarkupLine($"[bold]Test set (loaded model)[/]: accuracy {result.Accuracy:P2}, top-5 {result.TopKAccuracy:P2}, loss {result.Loss:F4} on {result.Count:N0} digits.");
AnsiConsole.WriteLine("Confusion matrix (rows: true digit, columns: predicted):");
AnsiConsole.WriteLine(result.Confusion!.ToString());

// Serving: one digit per call, as an application classifying what comes in. A frozen copy of the network has its weights
// transposed once into the layout its kernels read and skips the zero pixels (81 % of MNIST's); the network's own Infer
// reads all of W for every digit. Both are timed over the 10,000 test digits, after a warm-up.
var serveClock = Stopwatch.StartNew();
DigitNet.Frozen frozen = loaded.Network.Freeze();
(double frozenMicroseconds, double frozenAccuracy) = OneAtATime(frozen.Infer);
(double inferMicroseconds, _) = OneAtATime(loaded.Network.Infer);
serveClock.Stop();
AnsiConsole.MarkupLine($"[bold]One digit per call[/] (classification included): frozen network {frozenMicroseconds:F2} µs per digit (accuracy {frozenAccuracy:P2}), " +
                       $"the network's Infer {inferMicroseconds:F2} µs ({inferMicroseconds / frozenMicroseconds:F1}× longer).");
AnsiConsole.WriteLine();

// Optimized from the start: run in tier-0 code until the JIT replaced it, this loop's own span and delegate work added
// 0.3–1 µs per digit (measured: the frozen network's 2.0–2.8 µs per digit without the attribute, 1.7–2.0 µs with it).
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
(double Microseconds, double Accuracy) OneAtATime(InferFunction infer)
{
    float[] images = testSet.Images;
    var probabilities = new float[DigitNet.OutputSize];
    for (int k = 0; k < 1000; k++) infer(images.AsSpan(k * MnistSet.ImageSize, MnistSet.ImageSize), probabilities);
    int correct = 0;
    var clock = Stopwatch.StartNew();
    for (int k = 0; k < testSet.Count; k++)
    {
        infer(images.AsSpan(k * MnistSet.ImageSize, MnistSet.ImageSize), probabilities);
        if (ClassificationMetrics.ArgMax(probabilities) == testSet.Labels[k]) correct++;
    }
    return (clock.Elapsed.TotalMicroseconds / testSet.Count, correct / (double)testSet.Count);
}

// Optionally, an ensemble: more networks of the same declaration from other seeds, probabilities averaged.
var ensembleClock = new Stopwatch();
if (members > 1)
{
    ensembleClock.Start();
    var all = new List<Model<DigitNet>> { model };
    for (int i = 1; i < members; i++)
    {
        var member = Model<DigitNet>.Create(seed + i);
        TrainingHistory h = member.Fit(train, Options(seed + i), null, cancel.Token);
        AnsiConsole.WriteLine($"Ensemble member {i + 1}/{members} (seed {seed + i}): {h.Epochs.Count} epochs, kept epoch {h.WeightsEpoch}.");
        all.Add(member);
    }
    EnsembleEvaluation e = new Ensemble<DigitNet>(all).Evaluate(test);
    ensembleClock.Stop();
    AnsiConsole.MarkupLine($"[bold]Ensemble of {members}[/] on the test set: accuracy {e.Ensemble.Accuracy:P2}, loss {e.Ensemble.Loss:F4}; members: " +
                           string.Join(", ", e.Members.Select(m => $"{m.Accuracy:P2}")));
    AnsiConsole.WriteLine();
}

// The recipe, last: first good results on the training data, then on unseen data — which is the problem?
if (history.Epochs.Count > 0)
{
    Diagnosis diagnosis = Recipe.Diagnose(history);
    AnsiConsole.MarkupLine($"[bold]Diagnosis ({diagnosis.Verdict})[/]: {Markup.Escape(diagnosis.Summary)}");
    foreach (string suggestion in diagnosis.Suggestions) AnsiConsole.MarkupLine($"  - {Markup.Escape(suggestion)}");
    AnsiConsole.WriteLine();
}


// Where the time went.
TimeSpan steps = TimeSpan.Zero, evaluation = TimeSpan.Zero, wall = TimeSpan.Zero;
long examples = 0;
foreach (EpochRecord r in history.Epochs)
{
    steps += r.StepTime;
    evaluation += r.EvaluationTime;
    wall += r.WallTime;
    examples += r.Examples;
}
TimeSpan assembling = wall - steps - evaluation;
double flops = 6.0 * DigitNet.ParameterCount * examples; // forward 2, backward 4 multiply-adds per parameter per example (dense layers)
double batches = Math.Ceiling(examples / (double)batch);
AnsiConsole.WriteLine("Where the time went:");
Row($"train steps (forward + backward + {d.Optimizer})", steps,
    $"  {flops / Math.Max(steps.TotalSeconds, 1e-9) / 1e9,5:F1} GFLOP/s, {steps.TotalMicroseconds / Math.Max(batches, 1):F1} µs per batch of {batch}");
Row("assembling shuffled batches", assembling);
Row("per-epoch evaluation (val + train acc)", evaluation);
Row($"fit, all told ({history.Epochs.Count} epochs)", fitClock.Elapsed);
Row("learning curves and CSV", plotClock.Elapsed);
Row("saving and loading the model", saveClock.Elapsed);
Row("test evaluation (loaded and original)", testClock.Elapsed);
Row("one digit per call (frozen, then Infer)", serveClock.Elapsed);
if (members > 1) Row($"ensemble: {members - 1} more fits and its evaluation", ensembleClock.Elapsed);
Row("loading MNIST", load.Elapsed);
return 0;

static void Row(string what, TimeSpan time, string extra = "") =>
    AnsiConsole.WriteLine($"  {what,-40} {time.TotalSeconds,6:F2} s{extra}");

string Line(EpochRecord r) =>
    $"{r.Epoch,5}  {r.TrainLoss,10:F4}  {r.TrainAccuracy,9:P2}  {r.ValidationLoss,8:F4}  {r.ValidationAccuracy,7:P2}  {r.LearningRate,8:G3}  {r.WallTime.TotalSeconds,4:F1} s";

static string Shape(NetworkDescription d) =>
    $"{d.Inputs}-{string.Join("-", d.Layers.Select(l => l.Units))} ({string.Join(", ", d.Layers.Select(l => l.Activation))})";

int IntOption(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    if (i < 0) return fallback;
    if (i + 1 < args.Length && int.TryParse(args[i + 1], out int value) && value >= 0) return value;
    throw new ArgumentException($"{name} needs a whole number, 0 or more, for example {name} {fallback}.");
}

double DoubleOption(string name, double fallback)
{
    int i = Array.IndexOf(args, name);
    if (i < 0) return fallback;
    if (i + 1 < args.Length && double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out double value)) return value;
    throw new ArgumentException($"{name} needs a number, for example {name} {fallback}.");
}

string StringOption(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    if (i < 0) return fallback;
    if (i + 1 < args.Length) return args[i + 1];
    throw new ArgumentException($"{name} needs a value.");
}

/// <summary>Inference on a span of inputs into a span of outputs: <c>INetwork.Infer</c> or <c>IFrozenNetwork.Infer</c>.</summary>
internal delegate void InferFunction(ReadOnlySpan<float> inputs, Span<float> outputs);

/// <summary>An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
