using System.Globalization;
using StaticNet.Fuzz.Declarations;

namespace StaticNet.Fuzz;

/// <summary>
/// Run-time hyperparameters follow the attribute's rules (issue 16, part 3): for every hyperparameter and a set of edge
/// values, <see cref="Hyperparameters"/>' setter refuses a value exactly when the generator reports SNET0008 or SNET0011
/// for the same value in the declaration. The generator's own rules are the reference, so the two cannot drift apart.
/// </summary>
public sealed class HyperparameterRuleTests
{
    private static readonly (string Text, float Value)[] Values =
    [
        ("0f", 0f), ("-0f", -0f), ("-1f", -1f), ("1f", 1f), ("0.5f", 0.5f), ("2f", 2f), ("float.NaN", float.NaN),
        ("float.PositiveInfinity", float.PositiveInfinity), ("float.NegativeInfinity", float.NegativeInfinity),
        ("float.Epsilon", float.Epsilon), ("float.MaxValue", float.MaxValue), ("0.99999994f", 0.99999994f), ("1.0000001f", 1.0000001f), ("-1e-30f", -1e-30f),
    ];

    public static TheoryData<string> Keys => ["LearningRate", "Momentum", "Beta1", "Beta2", "Alpha", "Epsilon", "L1", "L2", "ClipNorm"];

    [Theory]
    [MemberData(nameof(Keys))]
    public void The_setter_refuses_exactly_what_the_attribute_refuses(string key)
    {
        var disagreements = new List<string>();
        foreach ((string text, float value) in Values)
        {
            var c = new FuzzCase(0, "rules", [new TypeSpec("FuzzRules", "Net", TypeKind.Class,
                [new AttributeSpec("Network", [], [new("Inputs", "4"), new(key, text)]), new AttributeSpec("Dense", ["2"], [])])], SimdPath: "Vector256");
            CaseResult generated = DeclarationHarness.Generate(c);
            Assert.Empty(generated.Failures);
            bool attributeRefuses = generated.GeneratorDiagnostics.Any(d => d.Id is "SNET0008" or "SNET0011");
            bool setterRefuses;
            try
            {
                typeof(Hyperparameters).GetProperty(key)!.SetValue(new Hyperparameters(), value);
                setterRefuses = false;
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is ArgumentOutOfRangeException inner && inner.ParamName == key)
            {
                setterRefuses = true;
            }
            if (attributeRefuses != setterRefuses)
            {
                disagreements.Add($"{key} = {value.ToString("R", CultureInfo.InvariantCulture)}: the attribute {(attributeRefuses ? "refuses" : "accepts")} it, the setter {(setterRefuses ? "refuses" : "accepts")} it");
            }
        }
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }
}
