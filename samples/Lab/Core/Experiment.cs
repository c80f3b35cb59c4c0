namespace StaticNet.Samples.Lab;

/// <summary>How a claim fared against its rule.</summary>
public enum Outcome
{
    /// <summary>Every part of the rule held.</summary>
    Reproduced = 0,

    /// <summary>Some parts held, others did not.</summary>
    Partly = 1,

    /// <summary>No part of the rule held (or its main part failed).</summary>
    NotReproduced = 2,
}

/// <summary>An experiment's verdict: the outcome and the measured reason, in one line.</summary>
/// <param name="Outcome">Reproduced, partly or not.</param>
/// <param name="Because">Why, with the figures the rule looked at.</param>
public sealed record ClaimVerdict(Outcome Outcome, string Because)
{
    /// <summary>"reproduced", "partly reproduced" or "not reproduced".</summary>
    public string Label => Outcome switch
    {
        Outcome.Reproduced => "reproduced",
        Outcome.Partly => "partly reproduced",
        _ => "not reproduced",
    };

    /// <summary>The verdict line, "reproduced, because …".</summary>
    public override string ToString() => $"{Label}, because {Because}";

    /// <summary>
    /// The usual rule over named parts: every part held → reproduced, none → not reproduced, otherwise partly.
    /// The reason lists each part with ✓ or ✗ and its figures.
    /// </summary>
    public static ClaimVerdict FromParts(params Part[] parts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Length);
        int held = parts.Count(p => p.Held);
        Outcome outcome = held == parts.Length ? Outcome.Reproduced : held == 0 ? Outcome.NotReproduced : Outcome.Partly;
        return new ClaimVerdict(outcome, string.Join("; ", parts.Select(p => p.ToString())));
    }
}

/// <summary>One condition of a verdict rule, evaluated on the measured figures.</summary>
/// <param name="Name">The condition, short ("sigmoid's gradient vanishes").</param>
/// <param name="Held">Whether it held.</param>
/// <param name="Figures">The figures it rests on.</param>
public sealed record Part(string Name, bool Held, string Figures)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Held ? "✓" : "✗")} {Name} ({Figures})";
}

/// <summary>
/// One experiment of the lab: a claim of the lecture notes, a setup that tests it on MNIST, and a
/// verdict rule fixed in code before anything runs. Every experiment is its own class in
/// <c>Experiments/</c>; the lab finds them by reflection, so adding one is adding a file.
/// </summary>
public abstract class Experiment
{
    /// <summary>The position in the report, from 1.</summary>
    public abstract int Number { get; }

    /// <summary>The name used by <c>--only</c>, lower-case with hyphens ("batch-size").</summary>
    public abstract string Id { get; }

    /// <summary>The section title.</summary>
    public abstract string Title { get; }

    /// <summary>The notes' claim in one line, in our words.</summary>
    public abstract string Claim { get; }

    /// <summary>The verdict rule in words, exactly what <c>Judge</c> computes (printed in the report).</summary>
    public abstract string Rule { get; }

    /// <summary>Runs the experiment: trains, measures, plots into <see cref="LabContext.OutputDirectory"/>, judges.</summary>
    public abstract ExperimentResult Run(LabContext context);
}

/// <summary>What one experiment measured and concluded.</summary>
public sealed class ExperimentResult
{
    /// <summary>Creates a result with its verdict and headline.</summary>
    public ExperimentResult(ClaimVerdict verdict, string headline)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentException.ThrowIfNullOrWhiteSpace(headline);
        Verdict = verdict;
        Headline = headline;
    }

    /// <summary>The verdict the rule gave.</summary>
    public ClaimVerdict Verdict { get; }

    /// <summary>The one figure to quote (for the summary table and the README).</summary>
    public string Headline { get; }

    /// <summary>The setup: declarations, optimizer, data, epochs, seeds (markdown lines, one bullet each).</summary>
    public List<string> Setup { get; } = [];

    /// <summary>The tables of measured figures.</summary>
    public List<Table> Tables { get; } = [];

    /// <summary>The plots written next to the report.</summary>
    public List<PlotFile> Plots { get; } = [];

    /// <summary>Remarks: caveats, what the library lacks, self-checks.</summary>
    public List<string> Notes { get; } = [];
}

/// <summary>A PNG in the output folder and what it shows.</summary>
/// <param name="FileName">The file name, relative to the report.</param>
/// <param name="Caption">What it shows.</param>
public sealed record PlotFile(string FileName, string Caption);
