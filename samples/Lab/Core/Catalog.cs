using System.Reflection;

namespace StaticNet.Samples.Lab;

/// <summary>The experiments of the lab: every non-abstract <see cref="Experiment"/> in this assembly, by number.</summary>
public static class Catalog
{
    /// <summary>All experiments, ordered by <see cref="Experiment.Number"/>.</summary>
    public static IReadOnlyList<Experiment> All { get; } = typeof(Experiment).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Experiment)) && !t.IsAbstract)
        .Select(t => (Experiment)Activator.CreateInstance(t)!)
        .OrderBy(e => e.Number)
        .ToArray();

    /// <summary>
    /// The experiments named in <paramref name="only"/>, a comma-separated list of ids ("batch-size,dropout") or
    /// numbers ("3,9"), in the lab's order; all of them when null or empty.
    /// </summary>
    /// <exception cref="ArgumentException">A name matches no experiment; the message lists the names there are.</exception>
    public static IReadOnlyList<Experiment> Select(string? only)
    {
        if (string.IsNullOrWhiteSpace(only)) return All;
        var chosen = new HashSet<Experiment>();
        foreach (string raw in only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Experiment? match = All.FirstOrDefault(e => string.Equals(e.Id, raw, StringComparison.OrdinalIgnoreCase)
                                                        || (int.TryParse(raw, out int n) && e.Number == n));
            if (match is null)
            {
                throw new ArgumentException(
                    $"--only: no experiment is called '{raw}'. The experiments are: {string.Join(", ", All.Select(e => $"{e.Number} {e.Id}"))}.", nameof(only));
            }
            chosen.Add(match);
        }
        return All.Where(chosen.Contains).ToArray();
    }
}
