using StaticNet.Samples.Lab;

namespace StaticNet.Lab.Tests;

/// <summary>Every experiment runs in its tiny configuration and produces a well-formed result, plots and report section.</summary>
[Collection(LabCollection.Name)]
public sealed class ExperimentRunTests(LabFixture fixture)
{
    public static TheoryData<string> Ids()
    {
        var ids = new TheoryData<string>();
        foreach (Experiment e in Catalog.All) ids.Add(e.Id);
        return ids;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Tiny_run_is_well_formed(string id)
    {
        Experiment experiment = Catalog.Select(id).Single();
        var reports = new List<(double Fraction, string Status)>();
        LabContext context = fixture.Tiny(id) is var c ? new LabContext
        {
            Data = c.Data, OutputDirectory = c.OutputDirectory, Tiny = true, Seeds = c.Seeds, Progress = new Recorder(reports),
        } : throw new InvalidOperationException();

        ExperimentResult result = experiment.Run(context);

        Assert.False(string.IsNullOrWhiteSpace(result.Headline));
        Assert.False(string.IsNullOrWhiteSpace(result.Verdict.Because));
        Assert.Contains(result.Verdict.Outcome, Enum.GetValues<Outcome>());
        Assert.True(result.Setup.Count >= 2, "the setup names at least the network and the training");
        Assert.Contains(result.Setup, line => line.Contains("[Network(", StringComparison.Ordinal));
        Assert.Contains(result.Setup, line => line.Contains("eed", StringComparison.Ordinal)); // "seed(s)" / "Seeds"
        Assert.NotEmpty(result.Tables);
        foreach (Table table in result.Tables)
        {
            Assert.NotEmpty(table.Rows);
            Assert.All(table.Rows, row => Assert.Equal(table.Headers.Count, row.Length));
            Assert.All(table.Rows, row => Assert.All(row, cell => Assert.NotNull(cell)));
        }
        Assert.NotEmpty(result.Plots);
        foreach (PlotFile plot in result.Plots)
        {
            string path = Path.Combine(context.OutputDirectory, plot.FileName);
            Assert.True(File.Exists(path), $"{plot.FileName} was written");
            byte[] head = File.ReadAllBytes(path)[..8];
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, head);
            Assert.True(new FileInfo(path).Length > 5_000, $"{plot.FileName} has content");
            Assert.StartsWith($"e{experiment.Number:00}-", plot.FileName, StringComparison.Ordinal);
        }

        // Progress moved from the start towards the end and never went backwards or out of [0, 1].
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.InRange(r.Fraction, 0, 1));
        for (int i = 1; i < reports.Count; i++) Assert.True(reports[i].Fraction >= reports[i - 1].Fraction - 1e-12, $"progress went back at report {i}: {reports[i - 1]} → {reports[i]}");

        string section = Report.Section(new ExperimentRun(experiment, result, TimeSpan.FromSeconds(1)));
        Assert.Contains(experiment.Claim, section, StringComparison.Ordinal);
        Assert.Contains(experiment.Rule, section, StringComparison.Ordinal);
        Assert.Contains($"**Verdict: {result.Verdict.Label}**", section, StringComparison.Ordinal);
        foreach (PlotFile plot in result.Plots) Assert.Contains($"]({plot.FileName})", section, StringComparison.Ordinal);
    }

    private sealed class Recorder(List<(double, string)> reports) : ILabProgress
    {
        public void Report(double fraction, string status) => reports.Add((fraction, status));
    }
}
