using ScottPlot;
using StaticNet.Training;

namespace StaticNet.Samples.Mnist;

/// <summary>Draws a fit's learning curves with ScottPlot: loss on the left, accuracy on the right.</summary>
internal static class LearningCurves
{
    /// <summary>Saves a PNG of the training and validation loss and accuracy per epoch, marking the epoch whose weights the network holds.</summary>
    public static void Save(TrainingHistory history, string path, string title)
    {
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        Plot loss = multiplot.GetPlot(0);
        Add(loss, epochs, history.Epochs.Select(e => e.TrainLoss), "training (mean mini-batch loss)", Colors.C0);
        Add(loss, epochs, history.Epochs.Select(e => e.ValidationLoss ?? double.NaN), "validation", Colors.C1);
        loss.Title($"{title}: loss");
        loss.XLabel("epoch");
        loss.YLabel("cross-entropy");

        Plot accuracy = multiplot.GetPlot(1);
        Add(accuracy, epochs, history.Epochs.Select(e => (e.TrainAccuracy ?? double.NaN) * 100), "training", Colors.C0);
        Add(accuracy, epochs, history.Epochs.Select(e => (e.ValidationAccuracy ?? double.NaN) * 100), "validation", Colors.C1);
        accuracy.Title("accuracy");
        accuracy.XLabel("epoch");
        accuracy.YLabel("%");

        if (history.WeightsEpoch > 0)
        {
            foreach (Plot plot in new[] { loss, accuracy })
            {
                var line = plot.Add.VerticalLine(history.WeightsEpoch, color: Colors.Gray);
                line.LinePattern = LinePattern.Dashed;
                line.LegendText = $"kept (epoch {history.WeightsEpoch})";
            }
        }
        loss.ShowLegend(Alignment.UpperRight);
        accuracy.ShowLegend(Alignment.LowerRight);
        foreach (Plot plot in new[] { loss, accuracy })
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }
        multiplot.SavePng(path, 1200, 480);
    }

    private static void Add(Plot plot, double[] xs, IEnumerable<double> ys, string label, Color color)
    {
        double[] values = ys.ToArray();
        if (values.All(double.IsNaN)) return;
        var scatter = plot.Add.Scatter(xs, values, color);
        scatter.LegendText = label;
        scatter.MarkerSize = 6;
        scatter.LineWidth = 2;
    }
}
