using System.Buffers.Binary;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace StaticNet.Packaging.Tests;

/// <summary>
/// What a package page and a debugger see: license, icon, project and repository URLs, a README whose links work
/// outside the repository, the NativeAOT build logic, and a symbols package whose PDB belongs to the library and
/// points at its sources on GitHub (SourceLink).
/// </summary>
[Trait("Category", "Packaging")]
[Collection(PackedStaticNetCollection.Name)]
public sealed partial class PackageMetadataTests(PackedStaticNet package, ITestOutputHelper output)
{
    private const string Repository = "https://github.com/staticnet/StaticNet";

    [Fact]
    public void Nuspec_names_the_license_icon_readme_project_and_repository()
    {
        package.AssertPacked();
        using ZipArchive zip = ZipFile.OpenRead(package.PackagePath);
        XElement metadata = Nuspec(zip);
        string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value
            ?? throw new Xunit.Sdk.XunitException($"the nuspec has no <{name}>:{Environment.NewLine}{metadata}");

        XElement license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        Assert.Equal("icon.png", Field("icon"));
        Assert.Equal("README.md", Field("readme"));
        Assert.Equal(Repository, Field("projectUrl"));
        XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Equal(Repository, repository.Attribute("url")?.Value);
        if (package.SourceCommit is not null) Assert.Equal(package.SourceCommit, repository.Attribute("commit")?.Value);
    }

    [Fact]
    public void Package_holds_the_MIT_license_a_128_pixel_PNG_icon_the_AOT_targets_and_a_README_with_only_absolute_links()
    {
        package.AssertPacked();
        using ZipArchive zip = ZipFile.OpenRead(package.PackagePath);

        string license = Text(zip, "LICENSE");
        Assert.StartsWith("MIT License", license, StringComparison.Ordinal);
        Assert.Contains("Copyright (c) 2026 the StaticNet authors", license, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(package.RepoRoot, "LICENSE")), license);

        byte[] icon = Bytes(zip, "icon.png");
        Assert.True(icon.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "icon.png is not a PNG");
        Assert.Equal(128, BinaryPrimitives.ReadInt32BigEndian(icon.AsSpan(16, 4))); // IHDR width
        Assert.Equal(128, BinaryPrimitives.ReadInt32BigEndian(icon.AsSpan(20, 4))); // IHDR height

        Assert.Contains("StaticNetChooseInstructionSet", Text(zip, "buildTransitive/StaticNet.targets"), StringComparison.Ordinal);

        string readme = Text(zip, "README.md");
        string[] links = MarkdownLink().Matches(readme).Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(links);
        string[] relative = links.Where(l => !l.StartsWith("https://", StringComparison.Ordinal) && !l.StartsWith("http://", StringComparison.Ordinal) && !l.StartsWith('#')).ToArray();
        Assert.True(relative.Length == 0, $"relative links are dead on a package page: {string.Join(", ", relative)}");
        // The repository's README made absolute, not another text: every relative link of the source is there, absolute.
        string source = File.ReadAllText(Path.Combine(package.RepoRoot, "README.md"));
        string[] sourceRelative = MarkdownLink().Matches(source).Select(m => m.Groups[1].Value)
            .Where(l => !l.StartsWith("http", StringComparison.Ordinal) && !l.StartsWith('#') && !l.StartsWith("mailto:", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(sourceRelative);
        foreach (string link in sourceRelative) Assert.Contains($"]({Repository}/blob/main/{link})", readme, StringComparison.Ordinal);
        output.WriteLine($"{sourceRelative.Length} relative links made absolute, {links.Length} links in all");
    }

    [Fact]
    public void Symbols_package_has_the_library_PDB_with_SourceLink_to_the_repository()
    {
        package.AssertPacked();
        Assert.True(File.Exists(package.SymbolsPackagePath), $"no symbols package at {package.SymbolsPackagePath}. {package.PackResult.Describe()}");
        using ZipArchive symbols = ZipFile.OpenRead(package.SymbolsPackagePath);
        using ZipArchive zip = ZipFile.OpenRead(package.PackagePath);
        byte[] pdb = Bytes(symbols, "lib/net10.0/StaticNet.pdb");
        byte[] dll = Bytes(zip, "lib/net10.0/StaticNet.dll");

        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        MetadataReader reader = pdbProvider.GetMetadataReader();

        // The PDB is the library's: its ID is the one the DLL's CodeView entry names.
        using var pe = new PEReader(new MemoryStream(dll));
        DebugDirectoryEntry codeView = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        CodeViewDebugDirectoryData data = pe.ReadCodeViewDebugDirectoryData(codeView);
        Assert.Equal(data.Guid, new BlobContentId(reader.DebugMetadataHeader!.Id).Guid);

        var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
        string? json = null;
        foreach (CustomDebugInformationHandle handle in reader.CustomDebugInformation)
        {
            CustomDebugInformation information = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(information.Kind) == sourceLinkKind) json = Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value));
        }
        Assert.True(json is not null, "the PDB has no SourceLink information");
        output.WriteLine(json);
        if (package.SourceCommit is null) return; // no git here: the packed copy had no revision to link to
        using JsonDocument document = JsonDocument.Parse(json);
        string[] targets = document.RootElement.GetProperty("documents").EnumerateObject().Select(p => p.Value.GetString()!).ToArray();
        Assert.Contains($"https://raw.githubusercontent.com/staticnet/StaticNet/{package.SourceCommit}/*", targets);
        // Every source file of the library is under a mapped root.
        string[] roots = document.RootElement.GetProperty("documents").EnumerateObject().Select(p => p.Name.TrimEnd('*')).ToArray();
        string[] documents = reader.Documents.Select(h => reader.GetString(reader.GetDocument(h).Name)).ToArray();
        string[] unmapped = documents.Where(d => d.EndsWith(".cs", StringComparison.Ordinal) && !d.Contains("/obj/", StringComparison.Ordinal)
            && !roots.Any(r => d.StartsWith(r, StringComparison.Ordinal))).ToArray();
        Assert.True(unmapped.Length == 0, $"sources outside SourceLink's roots: {string.Join(", ", unmapped)}");
    }

    private static XElement Nuspec(ZipArchive zip)
    {
        ZipArchiveEntry entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static byte[] Bytes(ZipArchive zip, string path)
    {
        ZipArchiveEntry entry = zip.GetEntry(path)
            ?? throw new Xunit.Sdk.XunitException($"{path} is not in the package:{Environment.NewLine}{string.Join(Environment.NewLine, zip.Entries.Select(e => e.FullName))}");
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Text(ZipArchive zip, string path) => Encoding.UTF8.GetString(Bytes(zip, path)).TrimStart('\uFEFF');

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
