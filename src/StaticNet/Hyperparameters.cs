namespace StaticNet;

/// <summary>
/// The optimizer's hyperparameters, read by every step: change them at run time (a schedule
/// sets <see cref="LearningRate"/> every epoch or step). A network starts with the values of
/// its declaration. Which optimizer runs, and which tensors are regularized, are fixed by the
/// declaration; the strengths here are not.
/// </summary>
public sealed class Hyperparameters
{
    /// <summary>η.</summary>
    public float LearningRate { get; set; }

    /// <summary>λ of Momentum and Nesterov.</summary>
    public float Momentum { get; set; }

    /// <summary>β₁ of Adam and AdamW.</summary>
    public float Beta1 { get; set; }

    /// <summary>β₂ of Adam and AdamW.</summary>
    public float Beta2 { get; set; }

    /// <summary>α of RMSProp.</summary>
    public float Alpha { get; set; }

    /// <summary>ε of Adagrad, RMSProp, Adam and AdamW.</summary>
    public float Epsilon { get; set; }

    /// <summary>L1 strength λ₁ (on the regularized tensors).</summary>
    public float L1 { get; set; }

    /// <summary>L2 strength λ₂ (on the regularized tensors; the decoupled decay for AdamW).</summary>
    public float L2 { get; set; }

    /// <summary>Global-norm gradient clipping threshold; 0 switches clipping off.</summary>
    public float ClipNorm { get; set; }

    /// <summary>Reported losses include the L1/L2 penalty.</summary>
    public bool PenaltyInLoss { get; set; }

    /// <summary>A copy, for example to restore later.</summary>
    public Hyperparameters Clone() => (Hyperparameters)MemberwiseClone();
}
