namespace StaticNet.Generators.Emit;

/// <summary>What every emitted kernel method shares.</summary>
internal static class Kernel
{
    /// <summary>The attribute every kernel carries, so that a short run does not stay in tier 0 (unoptimized) code.</summary>
    public const string Hot = "[MethodImpl(MethodImplOptions.AggressiveOptimization)]";
}
