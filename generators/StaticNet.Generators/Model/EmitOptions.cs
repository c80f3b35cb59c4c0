namespace StaticNet.Generators.Model;

/// <summary>
/// Project-wide emit settings from MSBuild properties (made visible with
/// <c>&lt;CompilerVisibleProperty Include="StaticNetSimdPath" /&gt;</c>).
/// </summary>
/// <param name="ForcedSimdPath">
/// <c>Vector512</c>, <c>Vector256</c> or <c>Vector128</c> to emit only that kernel path instead of the
/// <c>IsHardwareAccelerated</c> ladder, or null for the ladder. .NET runs a vector type the hardware
/// lacks in software, so this lets the test matrix check the AVX-512 kernels on a machine without
/// AVX-512. Never set it for a real build.
/// </param>
internal sealed record EmitOptions(string? ForcedSimdPath)
{
    public const string SimdPathProperty = "build_property.StaticNetSimdPath";
}
