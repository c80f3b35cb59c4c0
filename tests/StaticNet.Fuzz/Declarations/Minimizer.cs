namespace StaticNet.Fuzz.Declarations;

/// <summary>
/// Shrinks a failing case while it keeps failing the same way (the same <see cref="Failure.Key"/>): drops types,
/// attributes and arguments, and replaces names, kinds, numbers and the kernel path by plain ones, one change at a time,
/// until no single change keeps the failure or the budget of generator runs is spent. Mid-edit text loses lines.
/// </summary>
public static class Minimizer
{
    public static FuzzCase Minimize(FuzzCase fuzzCase, string key, int budget = 80)
    {
        int runs = 0;
        bool Fails(FuzzCase candidate)
        {
            runs++;
            try
            {
                return DeclarationHarness.RunAlone(candidate).Failures.Any(f => f.Key == key);
            }
#pragma warning disable CA1031 // a candidate the harness cannot even build is simply not smaller
            catch (Exception)
#pragma warning restore CA1031
            {
                return false;
            }
        }

        FuzzCase current = fuzzCase;
        bool changed = true;
        while (changed && runs < budget)
        {
            changed = false;
            foreach (FuzzCase candidate in Candidates(current))
            {
                if (runs >= budget) break;
                if (Size(candidate) >= Size(current)) continue;
                if (Fails(candidate))
                {
                    current = candidate;
                    changed = true;
                    break;
                }
            }
        }
        return current;
    }

    /// <summary>A measure that every accepted step lowers: the text's length, then a penalty for a forced kernel path of all three.</summary>
    private static int Size(FuzzCase c) => c.Text().Length * 4 + (c.SimdPath is null ? 3 : c.SimdPath == "Vector256" ? 0 : 1);

    private static IEnumerable<FuzzCase> Candidates(FuzzCase c)
    {
        if (c.RawFiles is not null)
        {
            string[] lines = string.Join("\n", c.RawFiles).Split('\n');
            for (int chunk = Math.Max(1, lines.Length / 2); chunk >= 1; chunk /= 2)
            {
                for (int start = 0; start + chunk <= lines.Length; start += chunk)
                {
                    yield return c with { RawFiles = [string.Join("\n", lines.Take(start).Concat(lines.Skip(start + chunk)))] };
                }
            }
            if (c.SimdPath != "Vector256") yield return c with { SimdPath = "Vector256" };
            yield break;
        }

        if (c.SimdPath != "Vector256") yield return c with { SimdPath = "Vector256" };
        for (int t = 0; t < c.Types.Count && c.Types.Count > 1; t++)
        {
            yield return c with { Types = c.Types.Where((_, k) => k != t).ToList() };
        }
        for (int t = 0; t < c.Types.Count; t++)
        {
            TypeSpec type = c.Types[t];
            FuzzCase With(TypeSpec replacement) => c with { Types = c.Types.Select((x, k) => k == t ? replacement : x).ToList() };

            for (int a = 0; a < type.Attributes.Count; a++)
            {
                yield return With(type with { Attributes = type.Attributes.Where((_, k) => k != a).ToList() });
            }
            for (int a = 0; a < type.Attributes.Count; a++)
            {
                AttributeSpec attribute = type.Attributes[a];
                TypeSpec WithAttribute(AttributeSpec replacement) => type with { Attributes = type.Attributes.Select((x, k) => k == a ? replacement : x).ToList() };
                for (int n = 0; n < attribute.Named.Count; n++)
                {
                    yield return With(WithAttribute(attribute.WithoutNamed(n)));
                }
                for (int p = attribute.Positional.Count - 1; p >= 1; p--)
                {
                    yield return With(WithAttribute(attribute.WithoutPositional(p)));
                }
                for (int p = 0; p < attribute.Positional.Count; p++)
                {
                    if (attribute.Positional[p] != "4" && !attribute.Positional[p].StartsWith("Activation", StringComparison.Ordinal))
                    {
                        yield return With(WithAttribute(attribute with { Positional = attribute.Positional.Select((x, k) => k == p ? "4" : x).ToList() }));
                    }
                }
                for (int n = 0; n < attribute.Named.Count; n++)
                {
                    if (attribute.Named[n].Key == "Inputs" && attribute.Named[n].Value != "4")
                    {
                        yield return With(WithAttribute(attribute with { Named = attribute.Named.Select((x, k) => k == n ? new KeyValuePair<string, string>(x.Key, "4") : x).ToList() }));
                    }
                }
            }
            if (type.Body is not null) yield return With(type with { Body = null });
            if (type.Modifiers != "") yield return With(type with { Modifiers = "" });
            if (type.Kind != TypeKind.Class) yield return With(type with { Kind = TypeKind.Class });
            if (type.Name != "N") yield return With(type with { Name = "N" });
            if (type.Namespace is string ns && ns.Contains('.', StringComparison.Ordinal)) yield return With(type with { Namespace = ns[..ns.LastIndexOf('.')] });
            if (type.Namespace is not null && type.Namespace != "N") yield return With(type with { Namespace = "N" });
            if (type.Namespace is not null) yield return With(type with { Namespace = null });
        }
    }
}
