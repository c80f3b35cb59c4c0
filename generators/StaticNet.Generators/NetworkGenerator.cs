using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticNet.Generators.Emit;
using StaticNet.Generators.Model;
using StaticNet.Generators.Parsing;

namespace StaticNet.Generators;

/// <summary>
/// Compiles each <c>[Network]</c> class into fixed-shape forward, backward and optimizer code.
/// The pipeline has three stages: parse (symbols → <see cref="ParseResult"/>), the equatable
/// model, and emit (model → source text). Diagnostics travel on their own output.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, used by the incrementality tests.</summary>
    public static class TrackingNames
    {
        /// <summary>The parse step: one <c>ParseResult</c> per [Network] class.</summary>
        public const string Parse = nameof(Parse);
        /// <summary>The valid models.</summary>
        public const string Model = nameof(Model);
        /// <summary>The diagnostics.</summary>
        public const string Diagnostics = nameof(Diagnostics);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: NetworkParser.Parse)
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .Where(static d => d.Count > 0)
            .WithTrackingName(TrackingNames.Diagnostics);

        IncrementalValuesProvider<NetworkModel> models = parsed
            .Select(static (result, _) => result.Model!)
            .Where(static m => m is not null)
            .WithTrackingName(TrackingNames.Model);

        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (DiagnosticInfo info in list) spc.ReportDiagnostic(info.ToDiagnostic());
        });

        IncrementalValueProvider<EmitOptions> options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => new EmitOptions(
                provider.GlobalOptions.TryGetValue(EmitOptions.SimdPathProperty, out string? path) && !string.IsNullOrWhiteSpace(path) ? path.Trim() : null));

        context.RegisterSourceOutput(options, static (spc, o) =>
        {
            if (o.ForcedSimdPath is not null && Simd.Named(o.ForcedSimdPath) is null)
            {
                spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.DiagnosticDescriptors.UnknownSimdPath, Location.None, o.ForcedSimdPath));
            }
        });

        context.RegisterSourceOutput(models.Combine(options), static (spc, input) =>
            spc.AddSource(input.Left.HintName, NetworkEmitter.Emit(input.Left, input.Right)));
    }
}
