using System.Globalization;
using System.Text;
using StaticNet.Training;

namespace StaticNet.Data;

/// <summary>A dataset read from a CSV file, with the names of its columns.</summary>
/// <param name="Dataset">The rows: features in the file's column order, and a class label or target values per row.</param>
/// <param name="FeatureNames">The feature columns, in order (the dataset's input width is their count).</param>
/// <param name="ClassNames">
/// For a classification file, class index → the label as written: the labels' distinct values in ordinal order, or, when
/// every label is a whole number 0 or more, "0", "1", … up to the largest (the number is the class). Empty for targets.
/// </param>
/// <param name="TargetNames">For a regression file, the target columns in order; empty for classification.</param>
public sealed record CsvDataset(Dataset Dataset, IReadOnlyList<string> FeatureNames, IReadOnlyList<string> ClassNames, IReadOnlyList<string> TargetNames);

/// <summary>
/// Reads numeric CSV files (RFC 4180: a header line of column names, then one line per example; fields may be quoted,
/// with "" for a quote; blank lines are skipped) into a <see cref="Dataset"/>. Numbers use the invariant culture
/// (<c>1.5</c>, <c>-2e-3</c>). Every column that is not the label or a target is a feature and must be numeric.
/// </summary>
public static class Csv
{
    /// <summary>Loads a classification file: one column holds each row's class, every other column a feature.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="labelColumn">The name of the class column (from the header).</param>
    /// <param name="separator">The field separator. Default ','.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, the column is missing, or a feature is not a number; the message names the line and column.</exception>
    public static CsvDataset LoadClassification(string path, string labelColumn, char separator = ',')
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return ReadClassification(reader, labelColumn, separator, path);
    }

    /// <summary>Loads a regression file: the target columns hold each row's targets, every other column a feature.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="targetColumns">The names of the target columns, in the order of the network's outputs.</param>
    /// <exception cref="InvalidDataException">The file is malformed, a column is missing, or a value is not a number.</exception>
    public static CsvDataset LoadRegression(string path, params string[] targetColumns)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return ReadRegression(reader, targetColumns, ',', path);
    }

    /// <summary>As <see cref="LoadClassification"/>, from a reader.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="labelColumn">The name of the class column.</param>
    /// <param name="separator">The field separator.</param>
    /// <param name="source">A name for the text in messages.</param>
    public static CsvDataset ReadClassification(TextReader reader, string labelColumn, char separator = ',', string source = "CSV data")
    {
        ArgumentException.ThrowIfNullOrEmpty(labelColumn);
        (string[] header, List<(int Line, string[] Fields)> rows) = ReadAll(reader, separator, source);
        int label = Column(header, labelColumn, source, nameof(labelColumn));
        int[] featureColumns = Enumerable.Range(0, header.Length).Where(c => c != label).ToArray();
        float[] features = Features(rows, header, featureColumns, source);

        string[] raw = rows.Select(r => r.Fields[label].Trim()).ToArray();
        int[] labels = new int[raw.Length];
        string[] classNames;
        if (raw.All(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            for (int i = 0; i < raw.Length; i++) labels[i] = int.Parse(raw[i], NumberStyles.None, CultureInfo.InvariantCulture);
            classNames = Enumerable.Range(0, labels.Length == 0 ? 0 : labels.Max() + 1).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        else
        {
            classNames = raw.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = classNames.Select((name, k) => (name, k)).ToDictionary(p => p.name, p => p.k, StringComparer.Ordinal);
            for (int i = 0; i < raw.Length; i++) labels[i] = index[raw[i]];
        }
        return new CsvDataset(new Dataset(features, featureColumns.Length, labels), featureColumns.Select(c => header[c]).ToArray(), classNames, []);
    }

    /// <summary>As <see cref="LoadRegression"/>, from a reader.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="targetColumns">The names of the target columns.</param>
    /// <param name="separator">The field separator.</param>
    /// <param name="source">A name for the text in messages.</param>
    public static CsvDataset ReadRegression(TextReader reader, IReadOnlyList<string> targetColumns, char separator = ',', string source = "CSV data")
    {
        ArgumentNullException.ThrowIfNull(targetColumns);
        if (targetColumns.Count == 0) throw new ArgumentException("Name at least one target column.", nameof(targetColumns));
        (string[] header, List<(int Line, string[] Fields)> rows) = ReadAll(reader, separator, source);
        int[] targets = targetColumns.Select(t => Column(header, t, source, nameof(targetColumns))).ToArray();
        if (targets.Distinct().Count() != targets.Length) throw new ArgumentException("A target column is named twice.", nameof(targetColumns));
        int[] featureColumns = Enumerable.Range(0, header.Length).Where(c => !targets.Contains(c)).ToArray();
        float[] features = Features(rows, header, featureColumns, source);
        float[] values = Features(rows, header, targets, source);
        return new CsvDataset(new Dataset(features, featureColumns.Length, values), featureColumns.Select(c => header[c]).ToArray(), [], targets.Select(c => header[c]).ToArray());
    }

    private static int Column(string[] header, string name, string source, string parameter)
    {
        int column = Array.IndexOf(header, name);
        if (column < 0)
        {
            throw new ArgumentException($"{source} has no column '{name}'; its columns are: {string.Join(", ", header)}.", parameter);
        }
        return column;
    }

    private static float[] Features(List<(int Line, string[] Fields)> rows, string[] header, int[] columns, string source)
    {
        if (columns.Length == 0) throw new InvalidDataException($"{source}: no feature columns (every column is a label or target).");
        var values = new float[rows.Count * columns.Length];
        for (int r = 0; r < rows.Count; r++)
        {
            (int line, string[] fields) = rows[r];
            for (int k = 0; k < columns.Length; k++)
            {
                string text = fields[columns[k]].Trim();
                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                {
                    throw new InvalidDataException($"{source}, line {line}, column '{header[columns[k]]}': '{text}' is not a finite number.");
                }
                values[r * columns.Length + k] = v;
            }
        }
        return values;
    }

    private static (string[] Header, List<(int Line, string[] Fields)> Rows) ReadAll(TextReader reader, char separator, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (separator is '"' or '\r' or '\n') throw new ArgumentException($"'{separator}' cannot separate fields.", nameof(separator));
        string[]? header = null;
        var rows = new List<(int, string[])>();
        int line = 0;
        while (ReadRecord(reader, separator, source, ref line) is (int start, string[] fields))
        {
            if (fields.Length == 1 && fields[0].Length == 0) continue; // a blank line
            if (header is null)
            {
                header = fields.Select(f => f.Trim()).ToArray();
                string? duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
                if (duplicate is not null) throw new InvalidDataException($"{source}, line {start}: the column '{duplicate}' appears twice in the header.");
                continue;
            }
            if (fields.Length != header.Length)
            {
                throw new InvalidDataException($"{source}, line {start}: {fields.Length} fields; the header has {header.Length}.");
            }
            rows.Add((start, fields));
        }
        if (header is null) throw new InvalidDataException($"{source} is empty: a header line of column names is needed.");
        if (rows.Count == 0) throw new InvalidDataException($"{source} has a header but no rows.");
        return (header, rows);
    }

    /// <summary>One record (which may span lines inside quotes), or null at the end; <paramref name="line"/> counts lines read.</summary>
    private static (int Start, string[] Fields)? ReadRecord(TextReader reader, char separator, string source, ref int line)
    {
        int c = reader.Read();
        if (c < 0) return null;
        int start = ++line;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        while (true)
        {
            if (c < 0)
            {
                if (quoted) throw new InvalidDataException($"{source}, line {start}: a quoted field is not closed.");
                break;
            }
            char ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
            }
            else if (ch == '"' && field.Length == 0 && !wasQuoted) { quoted = wasQuoted = true; }
            else if (ch == separator) { fields.Add(field.ToString()); field.Clear(); wasQuoted = false; }
            else if (ch == '\n') break;
            else if (ch == '\r') { if (reader.Peek() == '\n') reader.Read(); break; }
            else if (wasQuoted && !char.IsWhiteSpace(ch)) throw new InvalidDataException($"{source}, line {line}: text after a closing quote.");
            else field.Append(ch);
            c = reader.Read();
        }
        fields.Add(field.ToString());
        return (start, fields.ToArray());
    }
}
