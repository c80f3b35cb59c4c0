using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using StaticNet.Tests.Optimizers;
using static StaticNet.Tests.Numeric.NumericHarness;

namespace StaticNet.Tests.Training;

/// <summary>
/// <c>CreateReplica</c>, the network each data-parallel worker trains: the primary's parameters,
/// optimizer state and hyperparameters in place, its own gradients and work buffers.
/// </summary>
public sealed class ReplicaTests
{
    private static int[] Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, int>(values).ToArray();

    [Fact]
    public void A_replica_reads_the_primarys_parameters_and_state_in_place()
    {
        var primary = new OddAdam(1);
        OddAdam replica = OddAdam.CreateReplica(primary);

        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(primary.Parameters), ref MemoryMarshal.GetReference(replica.Parameters)));
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(primary.OptimizerState), ref MemoryMarshal.GetReference(replica.OptimizerState)));
        Assert.Same(primary.Hyperparameters, replica.Hyperparameters);
        Assert.False(Unsafe.AreSame(ref MemoryMarshal.GetReference(primary.Gradients), ref MemoryMarshal.GetReference(replica.Gradients)));

        primary.Parameters[7] = 0.125f; // a write through the primary is what the replica reads
        Assert.Equal(0.125f, replica.Parameters[7]);
        primary.LearningRate = 0.5f;
        Assert.Equal(0.5f, replica.LearningRate);
    }

    [Fact]
    public void A_replica_computes_the_primarys_gradient_into_its_own_buffer()
    {
        var primary = new OddMomentum(3);
        Randomize(primary, seed: 4);
        OddMomentum replica = OddMomentum.CreateReplica(primary);
        var twin = new OddMomentum(3);
        Randomize(twin, seed: 4);
        float[] x = RandomInputs(6, 13, seed: 5);
        int[] y = RandomLabels(6, 5, seed: 6);

        float expected = twin.ComputeGradients(x, y);
        float[] primaryGradients = primary.Gradients.ToArray();
        float loss = replica.ComputeGradients(x, y);

        Assert.Equal(expected, loss);
        Assert.Equal(Bits(twin.Gradients), Bits(replica.Gradients));
        Assert.Equal(primaryGradients, primary.Gradients.ToArray()); // untouched
        Assert.Contains(replica.Gradients.ToArray(), g => g != 0f);
    }

    [Fact]
    public void A_replica_of_a_batch_normalized_network_copies_the_running_statistics()
    {
        var primary = new StaticNet.Tests.Training.DpBatchNormNet(1);
        primary.Statistics.Fill(0.75f);
        DpBatchNormNet replica = DpBatchNormNet.CreateReplica(primary);

        Assert.Equal(primary.Statistics.ToArray(), replica.Statistics.ToArray());
        replica.Statistics[0] = 2f;
        Assert.Equal(0.75f, primary.Statistics[0]);
    }

    [Fact]
    public void A_null_primary_is_rejected()
    {
        Assert.Equal("primary", Assert.Throws<ArgumentNullException>(() => OddSgd.CreateReplica(null!)).ParamName);
    }
}
