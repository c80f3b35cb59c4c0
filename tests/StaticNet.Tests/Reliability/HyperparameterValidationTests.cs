using StaticNet.Tests.Training;

namespace StaticNet.Tests.Reliability;

/// <summary>
/// Issue 16, failure 3: run-time hyperparameters were not checked (learning rate −1 or NaN, ε = 0, β₂ = 1 silently gave
/// NaN or divergence). Each setter now applies the attribute's rule and names the property.
/// </summary>
public sealed class HyperparameterValidationTests
{
    public static TheoryData<string, float> Refused => new()
    {
        { "LearningRate", 0f }, { "LearningRate", -1f }, { "LearningRate", float.NaN }, { "LearningRate", float.PositiveInfinity }, { "LearningRate", -0f },
        { "Epsilon", 0f }, { "Epsilon", -1e-8f }, { "Epsilon", float.NaN }, { "Epsilon", float.PositiveInfinity },
        { "Momentum", 1f }, { "Momentum", -0.1f }, { "Momentum", float.NaN }, { "Momentum", 1.5f },
        { "Beta1", 1f }, { "Beta1", -1e-3f }, { "Beta1", float.NaN },
        { "Beta2", 1f }, { "Beta2", float.NaN }, { "Beta2", float.NegativeInfinity },
        { "Alpha", 1f }, { "Alpha", -0.5f }, { "Alpha", float.NaN },
        { "L1", -1e-6f }, { "L1", float.NaN }, { "L1", float.PositiveInfinity },
        { "L2", -0.01f }, { "L2", float.NaN }, { "L2", float.PositiveInfinity },
        { "ClipNorm", -1f }, { "ClipNorm", float.NaN }, { "ClipNorm", float.PositiveInfinity },
    };

    public static TheoryData<string, float> Accepted => new()
    {
        { "LearningRate", float.Epsilon }, { "LearningRate", float.MaxValue }, { "Epsilon", 1e-30f },
        { "Momentum", 0f }, { "Momentum", 0.99999994f }, { "Beta1", 0f }, { "Beta2", 0.99999994f }, { "Alpha", 0f },
        { "L1", 0f }, { "L2", 1e6f }, { "ClipNorm", 0f }, { "ClipNorm", 5f },
    };

    private static void Set(Hyperparameters h, string name, float value) => typeof(Hyperparameters).GetProperty(name)!.SetValue(h, value);

    private static float Get(Hyperparameters h, string name) => (float)typeof(Hyperparameters).GetProperty(name)!.GetValue(h)!;

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_value_the_attribute_refuses_is_refused_at_run_time_and_the_old_value_kept(string name, float value)
    {
        var net = new TinyAdamNet(1);
        Hyperparameters h = net.Hyperparameters;
        float old = Get(h, name);
        var e = Assert.Throws<System.Reflection.TargetInvocationException>(() => Set(h, name, value));
        var inner = Assert.IsType<ArgumentOutOfRangeException>(e.InnerException);
        Assert.Equal(name, inner.ParamName);
        Assert.Equal(old, Get(h, name));
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void A_value_the_attribute_accepts_is_accepted(string name, float value)
    {
        var h = new TinyAdamNet(1).Hyperparameters;
        Set(h, name, value);
        Assert.Equal(value, Get(h, name));
    }

    [Fact]
    public void The_network_learning_rate_property_is_checked_too()
    {
        var net = new TinyFitNet(1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => net.LearningRate = -1f);
        Assert.Equal("LearningRate", e.ParamName);
        Assert.Equal(0.5f, net.LearningRate);
    }

    [Fact]
    public void A_refused_value_never_reaches_a_step()
    {
        // Before: ε = 0 with a zero gradient and β₂ = 1 were accepted and the next Adam step wrote NaN into the parameters.
        var net = new TinyAdamNet(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Hyperparameters.Epsilon = 0f);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Hyperparameters.Beta2 = 1f);
        Training3 data = SyntheticData.Blobs(12, 1);
        net.TrainStep(data.X, data.Y);
        Assert.All(net.Parameters.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_new_instance_and_a_clone_hold_valid_values()
    {
        var fresh = new Hyperparameters();
        Assert.True(fresh.LearningRate > 0 && fresh.Epsilon > 0 && fresh.Beta2 < 1);
        Hyperparameters copy = new TinyAdamNet(1).Hyperparameters.Clone();
        Assert.Equal(0.01f, copy.LearningRate); // TinyAdamNet declares 0.01
        Assert.Throws<ArgumentOutOfRangeException>(() => copy.Beta1 = 1f);
    }
}
