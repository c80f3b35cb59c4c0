using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Xunit.Abstractions;

namespace StaticNet.Packaging.Tests;

/// <summary>
/// Runs only where a NativeAOT publish can: Linux x64 with a C compiler for the native link (clang, or gcc,
/// which the SDK's NativeAOT targets take when clang is missing). Elsewhere the test is skipped, and the
/// reason says what is missing.
/// </summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        string? reason = NativeAotTests.WhyNotRunnable();
        if (reason is not null) Skip = reason;
    }
}

/// <summary>
/// What a user gets from <c>dotnet publish -p:PublishAot=true</c> of an app that uses the StaticNet package, with no
/// instruction set of its own: the package's build targets choose x86-64-v3 and say so in the build output, and the
/// binary's kernels take the Vector256 path (not the portable Vector128 one that .NET's default instruction set
/// would give) and compute what the same program computes under the JIT on the same path, bit for bit.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(PackedStaticNetCollection.Name)]
public sealed class NativeAotTests(PackedStaticNet package, ITestOutputHelper output)
{
    // Odd widths so that every vector tail runs; training with Adam, then inference. Each number is printed as the hex
    // of its bits, so the JIT and NativeAOT runs can be compared exactly.
    private const string Program = """
        using System;
        using System.Globalization;
        using StaticNet;

        const int Rows = 23;
        var inputs = new float[Rows * AotNet.InputSize];
        var labels = new int[Rows];
        for (int r = 0; r < Rows; r++)
        {
            labels[r] = r % AotNet.OutputSize;
            for (int i = 0; i < AotNet.InputSize; i++) inputs[r * AotNet.InputSize + i] = MathF.Sin(0.37f * r + 0.91f * i + 0.5f * labels[r]);
        }

        Console.WriteLine($"kernel-path {AotNet.KernelPath}");
        Console.WriteLine($"simd-active {Simd.Active}");
        Console.WriteLine($"native-aot {Simd.IsNativeAot}");
        Console.WriteLine($"simd-processor {Simd.Processor}");
        Console.WriteLine(Simd.Describe());
        var net = AotNet.Create(seed: 7);
        for (int step = 0; step < 40; step++)
        {
            float loss = net.TrainStep(inputs, labels);
            Console.WriteLine($"loss {step} {Bits(loss)} {loss.ToString("R", CultureInfo.InvariantCulture)}");
        }
        var outputs = new float[Rows * AotNet.OutputSize];
        net.Infer(inputs, outputs);
        for (int k = 0; k < outputs.Length; k++) Console.WriteLine($"output {k} {Bits(outputs[k])} {outputs[k].ToString("R", CultureInfo.InvariantCulture)}");
        Console.WriteLine("STATICNET-AOT-OK");

        static string Bits(float value) => BitConverter.SingleToInt32Bits(value).ToString("x8", CultureInfo.InvariantCulture);

        [Network(Inputs = 37, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f)]
        [Dense(29, Activation.Tanh)]
        [Dense(19, Activation.GELU, BatchNorm = true)]
        [Dense(5)]
        public partial class AotNet;
        """;

    private const string CpuRefusal = "The required instruction sets are not supported by the current CPU.";

    [NativeAotFact]
    public void Published_with_PublishAot_and_no_instruction_set_the_app_runs_the_Vector256_kernels_and_matches_the_JIT_bit_for_bit()
    {
        package.AssertPacked();
        string project = package.CreateConsumerProject("AotApp", Program, allowUpstreamSources: true);
        IReadOnlyDictionary<string, string> environment = package.ConsumerEnvironment;

        ProcessResult publish = Step(DotnetCli.Run(project, environment, TimeSpan.FromMinutes(6),
            "publish", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-p:PublishAot=true", "-o", Path.Combine(project, "aot"),
            "-nodeReuse:false", "-p:UseSharedCompilation=false"));
        Assert.True(publish.ExitCode == 0, $"NativeAOT publish failed. {publish.Describe()}");
        Assert.True(publish.Output.Contains("StaticNet: NativeAOT instruction set x86-64-v3", StringComparison.Ordinal),
            $"the package's targets should announce the instruction set they chose. {publish.Describe()}");
        string binary = Path.Combine(project, "aot", "AotApp");
        Assert.True(File.Exists(binary), $"no native binary at {binary}. {publish.Describe()}");
        output.WriteLine($"native binary: {new FileInfo(binary).Length:N0} bytes");

        ProcessResult aot = Step(ProcessRunner.Run(binary, project, null, TimeSpan.FromMinutes(1)));
        if (!(Avx2.IsSupported && Fma.IsSupported))
        {
            // The trade-off of the x86-64-v3 default, as documented: no AVX2, no start (and no wrong answer).
            Assert.True(aot.ExitCode != 0 && aot.Output.Contains(CpuRefusal, StringComparison.Ordinal),
                $"on a processor without AVX2 + FMA an x86-64-v3 binary must refuse to start with \"{CpuRefusal}\". {aot.Describe()}");
            return;
        }
        Assert.True(aot.ExitCode == 0 && aot.StandardOutput.Contains("STATICNET-AOT-OK", StringComparison.Ordinal), $"the NativeAOT binary failed. {aot.Describe()}");
        output.WriteLine(Line(aot, "StaticNet kernels:"));
        Assert.Equal("True", Value(aot, "native-aot"));
        Assert.Equal("Vector256", Value(aot, "kernel-path"));
        Assert.Equal("Vector256", Value(aot, "simd-active"));
        // Simd.Describe() tells the user of an AVX-512 machine how to publish for it.
        string describe = Line(aot, "StaticNet kernels:");
        if (Value(aot, "simd-processor") == "Vector512")
        {
            Assert.Contains("although this processor has Vector512 (AVX-512): this NativeAOT binary was compiled for an instruction set without it", describe, StringComparison.Ordinal);
            Assert.Contains("-p:IlcInstructionSet=x86-64-v4", describe, StringComparison.Ordinal);
        }
        else
        {
            Assert.EndsWith("the widest path this processor has.", describe, StringComparison.Ordinal);
        }

        // The same program under the JIT, on the same kernel path (DOTNET_EnableAVX512=0 where the processor has AVX-512).
        ProcessResult build = Step(package.Dotnet(project, "build", "-c", "Release", "-nodeReuse:false", "-p:UseSharedCompilation=false"));
        Assert.True(build.ExitCode == 0, $"build failed. {build.Describe()}");
        var jitEnvironment = new Dictionary<string, string> { ["DOTNET_EnableAVX512"] = "0" };
        ProcessResult jit = Step(ProcessRunner.Run(DotnetCli.DotnetPath, project, jitEnvironment, TimeSpan.FromMinutes(1),
            Path.Combine(project, "bin", "Release", "net10.0", "AotApp.dll")));
        Assert.True(jit.ExitCode == 0 && jit.StandardOutput.Contains("STATICNET-AOT-OK", StringComparison.Ordinal), $"the JIT run failed. {jit.Describe()}");
        Assert.Equal("False", Value(jit, "native-aot"));
        Assert.Equal("Vector256", Value(jit, "kernel-path"));

        string[] aotNumbers = Numbers(aot), jitNumbers = Numbers(jit);
        Assert.Equal(40 + 23 * 5, aotNumbers.Length);
        Assert.Equal(jitNumbers.Length, aotNumbers.Length);
        for (int k = 0; k < aotNumbers.Length; k++)
        {
            Assert.True(aotNumbers[k] == jitNumbers[k], $"NativeAOT and JIT differ at '{aotNumbers[k]}' (JIT: '{jitNumbers[k]}').");
        }
        // And the training did something: the loss fell.
        float first = LossAt(aot, 0), last = LossAt(aot, 39);
        Assert.True(last < 0.5f * first, $"loss went from {first} to {last} in 40 Adam steps.");
        output.WriteLine($"{aotNumbers.Length} numbers identical; loss {first} -> {last}");
    }

    /// <summary>Why the NativeAOT test cannot run here, or null.</summary>
    internal static string? WhyNotRunnable()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            return $"NativeAOT publish test runs on Linux x64 only (here: {RuntimeInformation.RuntimeIdentifier}).";
        }
        if (ProcessRunner.FindOnPath("clang") is null && ProcessRunner.FindOnPath("gcc") is null)
        {
            return "NativeAOT needs clang (or gcc) for the native link; neither is on PATH (Debian: apt-get install -y clang lld).";
        }
        return null;
    }

    private ProcessResult Step(ProcessResult result)
    {
        output.WriteLine($"{result.CommandLine}: exit {result.ExitCode}, {result.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    private static string Line(ProcessResult run, string prefix) =>
        run.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no line starting with '{prefix}'. {run.Describe()}");

    private static string Value(ProcessResult run, string key) => Line(run, key + " ")[(key.Length + 1)..];

    private static string[] Numbers(ProcessResult run) =>
        run.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("loss ", StringComparison.Ordinal) || l.StartsWith("output ", StringComparison.Ordinal)).ToArray();

    private static float LossAt(ProcessResult run, int step) =>
        float.Parse(Line(run, $"loss {step} ").Split(' ')[3], NumberStyles.Float, CultureInfo.InvariantCulture);
}
