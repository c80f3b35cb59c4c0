using StaticNet.Data;

namespace StaticNet.Tests.Data;

public sealed class CsvTests
{
    private static CsvDataset Classification(string text, string label = "species", char separator = ',') =>
        Csv.ReadClassification(new StringReader(text), label, separator, "test.csv");

    [Fact]
    public void Class_names_become_indices_in_ordinal_order_and_the_other_columns_are_features_in_file_order()
    {
        CsvDataset csv = Classification("""
            sepal_length,species,petal_length
            5.1,setosa,1.4
            7.0,versicolor,4.7

            6.3,virginica,6.0
            4.9,setosa,1.5e0
            """);
        Assert.Equal(["sepal_length", "petal_length"], csv.FeatureNames);
        Assert.Equal(["setosa", "versicolor", "virginica"], csv.ClassNames);
        Assert.Empty(csv.TargetNames);
        Assert.Equal(2, csv.Dataset.InputWidth);
        Assert.Equal(4, csv.Dataset.Count);
        Assert.Equal([5.1f, 1.4f, 7.0f, 4.7f, 6.3f, 6.0f, 4.9f, 1.5f], csv.Dataset.Features.ToArray());
        Assert.Equal([0, 1, 2, 0], csv.Dataset.Labels.ToArray());
    }

    [Fact]
    public void Whole_number_labels_are_the_classes()
    {
        CsvDataset csv = Classification("x;label\n0.5;2\n-1;0\r\n3;2\n", "label", ';');
        Assert.Equal([2, 0, 2], csv.Dataset.Labels.ToArray());
        Assert.Equal(["0", "1", "2"], csv.ClassNames);
        Assert.Equal([0.5f, -1f, 3f], csv.Dataset.Features.ToArray());
    }

    [Fact]
    public void Quoted_fields_with_separators_quotes_and_line_breaks_are_read()
    {
        CsvDataset csv = Classification("\"a,b\",species\n\"1.5\",\"Iris \"\"setosa\"\"\"\n2,\"two\nlines\"\n");
        Assert.Equal(["a,b"], csv.FeatureNames);
        Assert.Equal(["Iris \"setosa\"", "two\nlines"], csv.ClassNames);
        Assert.Equal([1.5f, 2f], csv.Dataset.Features.ToArray());
    }

    [Fact]
    public void Regression_targets_are_dense_rows_in_the_order_named()
    {
        CsvDataset csv = Csv.ReadRegression(new StringReader("a,y1,b,y2\n1,10,2,20\n3,30,4,40\n"), ["y2", "y1"]);
        Assert.Equal(["a", "b"], csv.FeatureNames);
        Assert.Equal(["y2", "y1"], csv.TargetNames);
        Assert.False(csv.Dataset.HasLabels);
        Assert.Equal(2, csv.Dataset.TargetWidth);
        Assert.Equal([1f, 2f, 3f, 4f], csv.Dataset.Features.ToArray());
        Assert.Equal([20f, 10f, 40f, 30f], csv.Dataset.Targets.ToArray());
    }

    [Fact]
    public void A_file_on_disk_loads_and_trains_a_network()
    {
        string path = Path.Combine(Path.GetTempPath(), $"staticnet-{Guid.NewGuid():N}.csv");
        try
        {
            var lines = new List<string> { "f0,f1,f2,f3,f4,f5,class" };
            var random = new Random(1);
            for (int i = 0; i < 60; i++)
            {
                int c = i % 5;
                lines.Add(string.Join(',', Enumerable.Range(0, 6).Select(j => (j == c ? 2.0 : 0.0) + 0.1 * random.NextDouble()).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + $",c{c}");
            }
            File.WriteAllLines(path, lines);
            CsvDataset csv = Csv.LoadClassification(path, "class");
            Assert.Equal(["c0", "c1", "c2", "c3", "c4"], csv.ClassNames);
            var net = new CsvClassNet(1);
            float first = net.ComputeLoss(csv.Dataset.Features.Span, csv.Dataset.Labels.Span);
            for (int step = 0; step < 200; step++) net.TrainStep(csv.Dataset.Features.Span, csv.Dataset.Labels.Span);
            Assert.True(net.ComputeLoss(csv.Dataset.Features.Span, csv.Dataset.Labels.Span) < 0.2f * first);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bad_files_name_the_line_and_column()
    {
        var e1 = Assert.Throws<InvalidDataException>(() => Classification("a,species\n1,x\nabc,y\n"));
        Assert.Equal("test.csv, line 3, column 'a': 'abc' is not a finite number.", e1.Message);
        var e2 = Assert.Throws<InvalidDataException>(() => Classification("a,species\n1,x,3\n"));
        Assert.Equal("test.csv, line 2: 3 fields; the header has 2.", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Classification("a,b\n1,2\n"));
        Assert.Equal("labelColumn", e3.ParamName);
        Assert.Contains("has no column 'species'; its columns are: a, b", e3.Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => Classification("")).Message, StringComparison.Ordinal);
        Assert.Contains("no rows", Assert.Throws<InvalidDataException>(() => Classification("a,species\n")).Message, StringComparison.Ordinal);
        Assert.Contains("not closed", Assert.Throws<InvalidDataException>(() => Classification("a,species\n1,\"x\n")).Message, StringComparison.Ordinal);
        Assert.Contains("appears twice", Assert.Throws<InvalidDataException>(() => Classification("a,a,species\n1,2,x\n")).Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Assert.Throws<InvalidDataException>(() => Classification("a,species\nNaN,x\n")).Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => Csv.LoadClassification(Path.Combine(Path.GetTempPath(), "no-such-staticnet.csv"), "x"));
    }
}

[Network(Inputs = 6, Loss = Loss.SoftmaxCrossEntropy, LearningRate = 0.5f)]
[Dense(8, Activation.Tanh)]
[Dense(5)]
public partial class CsvClassNet;
