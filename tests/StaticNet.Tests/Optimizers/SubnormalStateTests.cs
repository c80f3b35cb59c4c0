namespace StaticNet.Tests.Optimizers;

/// <summary>
/// Decaying optimizer state (momentum's velocity, RMSProp's mean square, Adam's moments) is flushed to 0
/// once it falls below the smallest normal float, 2⁻¹²⁶ ≈ 1.1755e-38: with a zero gradient it would
/// otherwise decay into subnormals, on which x86 arithmetic is many times slower. Normal values are kept.
/// Every element is checked, so the vector loops and their tails are both covered.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class SubnormalStateTests
{
    private const float SmallestNormal = 1.17549435E-38f;

    public static TheoryData<string> Decaying() => [nameof(OddMomentum), nameof(OddNesterov), nameof(OddRMSProp), nameof(OddAdam), nameof(OddAdamW)];

    private static INetwork Create(string name) => name switch
    {
        nameof(OddMomentum) => new OddMomentum(1),
        nameof(OddNesterov) => new OddNesterov(1),
        nameof(OddRMSProp) => new OddRMSProp(1),
        nameof(OddAdam) => new OddAdam(1),
        nameof(OddAdamW) => new OddAdamW(1),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Decaying))]
    public void State_that_would_turn_subnormal_becomes_zero_and_normal_state_decays_as_usual(string name)
    {
        INetwork net = Create(name);
        int n = net.Parameters.Length;
        net.Gradients.Clear();
        Span<float> state = net.OptimizerState;
        Assert.True(state.Length >= n);
        // Even elements sit just above the smallest normal (one decay step by 0.9 or 0.999 takes them below it),
        // odd elements well above it (they stay normal and must decay, not vanish).
        for (int k = 0; k < state.Length; k++) state[k] = k % 2 == 0 ? 1.1760e-38f : 1e-30f;

        net.Step();

        state = net.OptimizerState;
        for (int k = 0; k < state.Length; k++)
        {
            float s = state[k];
            Assert.False(float.IsSubnormal(s), $"state[{k}] = {s:E3} is subnormal");
            if (k % 2 == 0) Assert.Equal(0f, s);
            else Assert.True(s > SmallestNormal && s < 1e-30f, $"state[{k}] = {s:E3} should have decayed below 1e-30 and stayed normal");
        }
    }
}
