namespace StaticNet.Tests;

/// <summary>Finds the file-local class the generator writes a network's kernels into (<c>StaticNet.Generated.{Name}Kernels</c>).</summary>
internal static class GeneratedKernels
{
    public static Type Of(Type network)
    {
        string name = string.Join("_", NestingOf(network).Select(t => t.Name)) + "Kernels";
        // A file-local type's metadata name is prefixed with the file's identity: <File>F…__DigitNetKernels.
        return network.Assembly.GetTypes().Single(t => t.Namespace == "StaticNet.Generated" && !t.IsNested && t.Name.EndsWith("__" + name, StringComparison.Ordinal));
    }

    private static IEnumerable<Type> NestingOf(Type type)
    {
        var chain = new List<Type>();
        for (Type? t = type; t is not null; t = t.DeclaringType) chain.Insert(0, t);
        return chain;
    }
}
