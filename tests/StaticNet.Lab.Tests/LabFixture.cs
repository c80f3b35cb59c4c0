using StaticNet.Samples.Lab;

namespace StaticNet.Lab.Tests;

/// <summary>The MNIST digits, loaded once for every test that runs an experiment, and a scratch output folder.</summary>
public sealed class LabFixture : IDisposable
{
    public LabFixture()
    {
        Data = LabData.Load();
        OutputDirectory = Path.Combine(Path.GetTempPath(), "staticnet-lab-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(OutputDirectory);
    }

    public LabData Data { get; }

    public string OutputDirectory { get; }

    /// <summary>A tiny-configuration context writing into its own folder.</summary>
    public LabContext Tiny(string folder, int seeds = 2)
    {
        string directory = Path.Combine(OutputDirectory, folder);
        Directory.CreateDirectory(directory);
        return new LabContext { Data = Data, OutputDirectory = directory, Tiny = true, Seeds = seeds };
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(OutputDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "lab";
}
