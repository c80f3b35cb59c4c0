namespace StaticNet;

/// <summary>
/// A training call met a loss or a gradient that is NaN or infinite and changed nothing: the parameters, the optimizer
/// state and step, the running statistics and the training noise's step are as they were before the call. The message
/// says what was not finite and, where it can tell, which input row holds a non-finite value.
/// </summary>
public sealed class NonFiniteException : ArithmeticException
{
    /// <summary>Creates the exception with its message.</summary>
    public NonFiniteException(string message) : base(message) { }

    /// <summary>The loss of the batch: NaN or infinite, or finite when a gradient was not.</summary>
    public float Loss { get; init; } = float.NaN;

    /// <summary>The first input row (of the batch passed to the call) holding a NaN or an infinity, or −1 when every input is finite.</summary>
    public int Row { get; init; } = -1;
}
