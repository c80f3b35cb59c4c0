using System.Reflection;
using Xunit.Abstractions;

namespace StaticNet.Tests.Performance;

/// <summary>
/// The JIT stops optimizing very large methods (it falls back to minimal optimization above
/// about 60 KB of IL, and large unrolled bodies optimize poorly long before that: measured on
/// .NET 10, a fully unrolled 1,536-FMA method ran 4× slower than a loop around an 8-wide body).
/// Every generated method must stay within a budget well below that.
/// </summary>
public sealed class MethodSizeTests(ITestOutputHelper output)
{
    /// <summary>IL bytes per generated method. The largest today are the register-blocked kernels of DigitNet.</summary>
    private const int Budget = 16 * 1024;

    public static TheoryData<Type> Networks() => [typeof(DigitNet), typeof(OddSoftmaxNet), typeof(OddRegressionNet), typeof(LinearNet), typeof(SmoothNet), typeof(WideNet), typeof(PanelNet)];

    /// <summary>The generated methods of <paramref name="network"/>: its own members and those of its file-local kernels class.</summary>
    private static IEnumerable<MethodInfo> GeneratedMethods(Type network)
        => new[] { network, GeneratedKernels.Of(network) }.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly));

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_generated_method_stays_within_the_IL_budget(Type network)
    {
        var sizes = GeneratedMethods(network)
            .Select(m => (m.Name, Size: m.GetMethodBody()?.GetILAsByteArray()?.Length ?? 0))
            .OrderByDescending(m => m.Size)
            .ToList();

        output.WriteLine(string.Join(Environment.NewLine, sizes.Take(5).Select(m => $"{network.Name}.{m.Name}: {m.Size} bytes of IL")));
        Assert.Contains(sizes, m => m.Name.EndsWith("Forward", StringComparison.Ordinal) && m.Size > 0);
        Assert.All(sizes, m => Assert.True(m.Size <= Budget, $"{network.Name}.{m.Name} has {m.Size} bytes of IL; the budget is {Budget}"));
    }

    [Fact]
    public void Kernels_are_marked_for_full_optimization_from_the_first_call()
    {
        MethodInfo[] kernels = GeneratedKernels.Of(typeof(DigitNet))
            .GetMethods(BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.Name.StartsWith("Dense", StringComparison.Ordinal) || m.Name.StartsWith("ReLU", StringComparison.Ordinal) || m.Name is "OptimizerUpdate" or "LossWithLabels")
            .ToArray();
        Assert.True(kernels.Length >= 8, $"found {kernels.Length} kernels");
        Assert.All(kernels, m => Assert.True(m.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization), m.Name));
    }
}
