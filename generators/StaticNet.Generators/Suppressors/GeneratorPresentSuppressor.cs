using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StaticNet.Generators.Suppressors;

/// <summary>
/// Silences SNET0100, "the generator is not running", wherever it runs. <c>StaticNet.NetworkAttribute</c> is marked
/// <c>[Obsolete(DiagnosticId = "SNET0100")]</c> with a message that says how to add the generator, so every
/// <c>[Network]</c> class of a project that references the runtime library without the generator (a plain
/// <c>ProjectReference</c> to src/StaticNet) gets that one explanation. This suppressor ships in the generator's
/// assembly, so it is loaded exactly when the generator is: then the warning is wrong, and it goes, also when
/// <c>TreatWarningsAsErrors</c> has made it an error.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GeneratorPresentSuppressor : DiagnosticSuppressor
{
    /// <summary>The ID of the warning <c>NetworkAttribute</c>'s <c>[Obsolete]</c> reports.</summary>
    public const string SuppressedId = "SNET0100";

    private static readonly SuppressionDescriptor Suppression = new(
        id: "SNETSPR0100",
        suppressedDiagnosticId: SuppressedId,
        justification: "StaticNet's source generator is running for this project, so [Network] classes get their code.");

    /// <inheritdoc />
    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } = ImmutableArray.Create(Suppression);

    /// <inheritdoc />
    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        foreach (Diagnostic diagnostic in context.ReportedDiagnostics)
        {
            if (diagnostic.Id == SuppressedId) context.ReportSuppression(Microsoft.CodeAnalysis.Diagnostics.Suppression.Create(Suppression, diagnostic));
        }
    }
}
