using System.Text;

namespace StaticNet.Samples.Lab;

/// <summary>A table of measured figures, rendered as a markdown table with a caption.</summary>
public sealed class Table
{
    private readonly List<string[]> _rows = [];

    /// <summary>Creates an empty table.</summary>
    /// <param name="caption">What the table shows (rendered in bold above it).</param>
    /// <param name="headers">The column headers.</param>
    public Table(string caption, params string[] headers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caption);
        ArgumentOutOfRangeException.ThrowIfZero(headers.Length);
        Caption = caption;
        Headers = headers;
    }

    /// <summary>What the table shows.</summary>
    public string Caption { get; }

    /// <summary>The column headers.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The rows so far.</summary>
    public IReadOnlyList<string[]> Rows => _rows;

    /// <summary>Adds a row.</summary>
    /// <exception cref="ArgumentException">The row does not have one cell per column.</exception>
    public void Add(params string[] cells)
    {
        if (cells.Length != Headers.Count)
        {
            throw new ArgumentException($"The row has {cells.Length} cells; the table '{Caption}' has {Headers.Count} columns.", nameof(cells));
        }
        _rows.Add(cells);
    }

    /// <summary>The caption and the markdown table (pipes in cells escaped).</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("**").Append(Caption).Append("**\n\n");
        text.Append("| ").Append(string.Join(" | ", Headers.Select(Escape))).Append(" |\n");
        text.Append('|').Append(string.Concat(Headers.Select(_ => " --- |"))).Append('\n');
        foreach (string[] row in _rows) text.Append("| ").Append(string.Join(" | ", row.Select(Escape))).Append(" |\n");
        return text.ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
