using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticNet.Generators.Diagnostics;
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
        /// <summary>The classes whose declarations have errors: their public surface is emitted, members throwing.</summary>
        public const string Shell = nameof(Shell);
        /// <summary>The diagnostics.</summary>
        public const string Diagnostics = nameof(Diagnostics);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
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

        IncrementalValuesProvider<TypeModel> shells = parsed
            .Select(static (result, _) => result.Shell!)
            .Where(static s => s is not null)
            .WithTrackingName(TrackingNames.Shell);

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
                spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownSimdPath, Location.None, o.ForcedSimdPath));
            }
        });

        context.RegisterSourceOutput(models.Combine(options), static (spc, input) =>
        {
            NetworkModel model = input.Left;
            string source;
            try
            {
                source = NetworkEmitter.Emit(model, input.Right);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The generator never throws: an unexpected failure is SNET9999, and the class still gets its public surface.
                spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, model.Type.FullName, e.GetType().Name + ": " + e.Message));
                source = NetworkEmitter.EmitShell(model.Type);
            }
            spc.AddSource(model.Type.HintName, source);
        });

        context.RegisterSourceOutput(shells, static (spc, type) => spc.AddSource(type.HintName, NetworkEmitter.EmitShell(type)));
    }
}
