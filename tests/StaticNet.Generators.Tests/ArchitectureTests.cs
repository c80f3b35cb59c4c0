using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using StaticNet.Generators.Tests.Infrastructure;

namespace StaticNet.Generators.Tests;

/// <summary>
/// What the generator's architecture promises the user: the generated code stays out of the user's way (names are
/// <c>global::</c>-qualified or live in the generator's own namespace, the user's class gets its public API and one field),
/// the declaration enums are the runtime's own, and a declaration with errors shows its SNET error and nothing else.
/// </summary>
public class ArchitectureTests
{
    /// <summary>The private members the generator used to add to the user's class (before the kernels moved out).</summary>
    private static readonly string[] FormerHelpers =
    [
        "Buffer", "CheckBatch", "EnsureCapacity", "Forward", "ForwardTraining", "ForwardInference", "Backward", "LossWithLabels",
        "LossWithTargets", "Predict", "OptimizerUpdate", "ParameterBase", "GradientBase", "StateBase", "StatisticBase",
        "Layer0Forward", "Layer0ForwardPanels", "Layer0WeightGradient", "Layer1InputGradient", "Layer0Activation", "Layer0ActivationBackward",
        "Layer1Forward", "Layer1WeightGradient", "RowMax", "RowExp", "RowSum", "RowDot", "RowScale", "RowScaleSubtract", "Atan", "Log1p",
        "_capacity", "_lastRows", "_lastTraining", "_pack", "_parameterArray", "_parameterStart", "_gradientArray", "_gradientStart",
        "_stateArray", "_stateStart", "_statisticArray", "_statisticStart", "_z0", "_a0", "_d0", "_z1", "_d1", "NoScratch",
        "Layer0WeightOffset", "Layer0BiasOffset", "Layer1WeightOffset", "Layer1BiasOffset",
    ];

    [Fact]
    public void A_network_among_user_types_named_like_framework_types_and_user_members_named_like_former_helpers_compiles_and_trains()
    {
        string members = string.Join("\n", FormerHelpers.Select(n => n.StartsWith('_') ? $"    public int {n};" : $"    public static int {n}() => 0;"));
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            namespace N.Math
            {
                internal static class Unsafe { }
                internal sealed class Span { }
                internal sealed class Random { }
                internal sealed class Vector256 { }
                internal sealed class Vector128 { }
                internal static class MathF { }
                internal static class Buffer { }
                internal static class GC { }
                internal static class Array { }
                internal static class MemoryMarshal { }
                internal static class NetworkRuntime { }
                internal sealed class Hyperparameters { }

                [Network(Inputs = 5, Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.05f, InputDropout = 0.1f)]
                [Dense(9, Activation.Tanh, BatchNorm = true, Dropout = 0.2f)]
                [Dense(3)]
                public partial class Net
                {
            {{members}}
                }
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.True(run.OutputWarningsAndErrors.IsEmpty, run.Describe());
        using var loaded = new LoadedAssembly(run.OutputCompilation);
        var net = (INetwork)Activator.CreateInstance(loaded.Type("N.Math.Net"), 7)!;
        float[] x = Enumerable.Range(0, 8 * 5).Select(i => (float)Math.Sin(i)).ToArray();
        int[] y = Enumerable.Range(0, 8).Select(i => i % 3).ToArray();
        float first = net.TrainStep(x, y), last = first;
        for (int step = 0; step < 30; step++) last = net.TrainStep(x, y);
        Assert.True(float.IsFinite(first) && last < first, $"the loss went from {first} to {last}");
    }

    [Fact]
    public void The_users_class_gets_its_public_api_and_one_field()
    {
        GeneratorRun run = GeneratorHarness.Run(TestNetworks.Mnist);
        INamedTypeSymbol type = run.OutputCompilation.GetTypeByMetadataName("Samples.Mnist.DigitNet")!;
        var generated = type.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m is not IMethodSymbol { AssociatedSymbol: not null })
            .Where(m => m.Locations.Any(l => l.SourceTree?.FilePath.Contains("NetworkGenerator", StringComparison.Ordinal) == true))
            .ToList();
        var nonPublic = generated.Where(m => m.DeclaredAccessibility != Accessibility.Public && m is not IMethodSymbol { MethodKind: MethodKind.ExplicitInterfaceImplementation }).Select(m => m.Name).ToList();

        // One field, the private constructor a replica is made with; the rest is the documented API.
        Assert.Equal(["_staticNetState", ".ctor"], nonPublic);
        Assert.Contains(generated, m => m.Name == "Frozen" && m is INamedTypeSymbol);
        Assert.All(generated.Where(m => m is not INamedTypeSymbol && m.Name != ".ctor" || m is IMethodSymbol { MethodKind: MethodKind.Constructor }),
            m => Assert.Contains(m.GetAttributes(), a => a.AttributeClass?.Name == "GeneratedCodeAttribute"));
        Assert.DoesNotContain(type.GetAttributes(), a => a.AttributeClass?.Name == "GeneratedCodeAttribute");
    }

    [Fact]
    public void The_generator_compiles_the_runtimes_own_declaration_enums()
    {
        // One source file (src/StaticNet/Shared/Enums.cs) is compiled into both assemblies; the generator's copy is internal.
        Assembly generator = typeof(NetworkGenerator).Assembly;
        foreach (Type runtimeEnum in new[] { typeof(Activation), typeof(Loss), typeof(Optimizer), typeof(Initializer), typeof(DropoutForm) })
        {
            Type copy = generator.GetType(runtimeEnum.FullName!) ?? throw new InvalidOperationException($"{runtimeEnum.FullName} is not in the generator");
            Assert.False(copy.IsPublic);
            Assert.Equal(Enum.GetNames(runtimeEnum), Enum.GetNames(copy));
            Assert.Equal(Enum.GetValues(runtimeEnum).Cast<object>().Select(Convert.ToInt32), Enum.GetValues(copy).Cast<object>().Select(Convert.ToInt32));
        }
        Assert.NotNull(generator.GetType("StaticNet.Defaults"));
    }

    /// <summary>Every SNET error with code that uses the network the way a program would: only the SNET error may show.</summary>
    public static TheoryData<string, string> Errors => new()
    {
        { "SNET0002", "[Network(Inputs = 0)] [Dense(3)]" },
        { "SNET0003", "[Network(Inputs = 4)] [Dense(0)]" },
        { "SNET0004", "[Network(Inputs = 4)]" },
        { "SNET0005", "[Network(Inputs = 4)] [Dense(1)]" },
        { "SNET0006", "[Network(Inputs = 4, Loss = (Loss)42)] [Dense(3)]" },
        { "SNET0008", "[Network(Inputs = 4, LearningRate = -1f)] [Dense(3)]" },
        { "SNET0009", "[Network(Inputs = 4)] [Dense(int.MaxValue)] [Dense(int.MaxValue)] [Dense(3)]" },
        { "SNET0011", "[Network(Inputs = 4, Momentum = 2f)] [Dense(3)]" },
        { "SNET0013", "[Network(Inputs = 4)] [Dense(3, Activation.ELU, Alpha = -1f)] [Dense(2)]" },
        { "SNET0014", "[Network(Inputs = 4)] [Maxout(3, 1)] [Dense(2)]" },
        { "SNET0015", "[Network(Inputs = 4)] [Dense(3, Dropout = 2f)] [Dense(2)]" },
        { "SNET0017", "[Network(Inputs = 4)] [Dense(3, Activation.Softmax)] [Dense(2)]" },
        { "SNET0018", "[Network(Inputs = 4)] [Dense(3, Dropout = 0.5f)]" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void After_an_SNET_error_the_error_list_holds_that_error_and_nothing_else(string id, string declaration)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StaticNet;
            namespace App;
            {{declaration}}
            public partial class Net;

            public static class Program
            {
                public static float Use()
                {
                    var net = new Net(seed: 1);
                    Net replica = Net.CreateReplica(net);
                    float loss = net.TrainStep(new float[Net.InputSize], new int[1]);
                    net.Infer(new float[Net.InputSize], new float[Net.OutputSize]);
                    Net.Frozen frozen = net.Freeze();
                    return loss + Train<Net>() + net.Parameter("layers.0.weight")[0] + Net.Descriptor.Inputs + frozen.Description.Outputs;
                }

                private static float Train<T>() where T : class, INetwork<T> => T.Create(1).TrainStep(new float[4], new float[2]);
            }
            """);

        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == id);
        Assert.All(run.GeneratorDiagnostics, d => Assert.StartsWith("SNET", d.Id, StringComparison.Ordinal));
        run.AssertShellOnly();
        Assert.Single(run.GeneratedSources);
    }

    /// <summary>An assembly emitted from a compilation, loaded into a collectible context of its own.</summary>
    private sealed class LoadedAssembly : IDisposable
    {
        private readonly AssemblyLoadContext _context = new("generated", isCollectible: true);
        private readonly Assembly _assembly;

        public LoadedAssembly(Compilation compilation)
        {
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
            stream.Position = 0;
            _assembly = _context.LoadFromStream(stream);
        }

        public Type Type(string name) => _assembly.GetType(name) ?? throw new InvalidOperationException(name);

        public void Dispose() => _context.Unload();
    }
}
