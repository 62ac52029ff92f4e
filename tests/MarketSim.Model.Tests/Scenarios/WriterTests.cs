using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MarketSim.Model.Scenarios;

namespace MarketSim.Model.Tests.Scenarios;

public sealed class WriterTests
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static string Canonical(Scenario scenario) => JsonSerializer.Serialize(scenario, Json);

    private static Scenario RoundTrip(Scenario scenario)
    {
        var yaml = ScenarioWriter.ToYaml(scenario);
        var result = ScenarioLoader.LoadFromText(yaml, "resolved.yaml");
        Assert.True(result.Ok, string.Join("\n", result.Problems) + "\n" + yaml);
        return result.Scenario!;
    }

    [Theory]
    [InlineData("minimal.yaml")]
    [InlineData("full.yaml")]
    public void Written_scenario_loads_back_equal(string file)
    {
        var original = ScenarioLoader.Load(Fixtures.File(file)).Scenario!;

        var copy = RoundTrip(original);

        Assert.Equal(Canonical(original), Canonical(copy));
        Assert.NotSame(original, copy);
    }

    [Fact]
    public void Strings_that_look_like_other_types_are_quoted_and_survive()
    {
        var scenario = ScenarioLoader.Load(Fixtures.File("minimal.yaml")).Scenario!;
        scenario.Name = "true";
        scenario.Description = "1e9: \"quoted\" # not a comment\nsecond line";
        scenario.Providers[0].Id = "123";
        scenario.Providers[0].Name = "null";
        scenario.Providers[0].Archetype = "";

        var copy = RoundTrip(scenario);

        Assert.Equal(Canonical(scenario), Canonical(copy));
        Assert.Equal("123", copy.Providers[0].Id);
    }

    [Fact]
    public void Output_is_camel_case_yaml_without_nulls_and_with_an_optional_schema_line()
    {
        var scenario = ScenarioLoader.Load(Fixtures.File("minimal.yaml")).Scenario!;

        var yaml = ScenarioWriter.ToYaml(scenario, "../schema/scenario.schema.json");

        var lines = yaml.Split('\n');
        Assert.Equal("# yaml-language-server: $schema=../schema/scenario.schema.json", lines[0]);
        Assert.Equal("name: minimal", lines[1]);
        Assert.Contains("  electricityPricePerKwh: 0.08", lines);
        Assert.Contains("    count: 100", lines);
        Assert.DoesNotContain("description", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("listPrice", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("null", yaml, StringComparison.Ordinal);
    }

    [Property(MaxTest = 200)]
    public bool Any_text_survives_as_a_description(NonNull<string> text)
    {
        var description = RemoveUnpairedSurrogates(text.Get);
        var scenario = ScenarioLoader.Load(Fixtures.File("minimal.yaml")).Scenario!;
        scenario.Description = description;

        return RoundTrip(scenario).Description == description;
    }

    [Property(MaxTest = 200)]
    public bool Any_number_survives(NormalFloat cash, PositiveInt ticks)
    {
        var scenario = ScenarioLoader.Load(Fixtures.File("minimal.yaml")).Scenario!;
        scenario.Providers[0].Cash = Math.Abs(cash.Get) % 1e15;
        scenario.Ticks = 1 + ticks.Get % 3650;

        var copy = RoundTrip(scenario);

        return copy.Providers[0].Cash == scenario.Providers[0].Cash && copy.Ticks == scenario.Ticks;
    }

    [Property(MaxTest = 300)]
    public bool Loading_any_text_never_throws(NonNull<string> text)
    {
        var result = ScenarioLoader.LoadFromText(text.Get, "random.yaml");
        return result.Ok || result.Problems.Count > 0;
    }

    [Fact]
    public void Loading_malformed_fragments_never_throws()
    {
        string[] fragments = ["[", "{", "]", "- [1, 2", "a: {b: [", "&a [*a]", "? [a]\n: b", "name: *missing", "\t- x", "%YAML 9.9\n---\na: 1", ":", "'", "\"\\q\""];

        Assert.All(fragments, f => Assert.False(ScenarioLoader.LoadFromText(f, "f.yaml").Ok));
    }

    private static string RemoveUnpairedSurrogates(string text)
    {
        var chars = new List<char>();
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                chars.Add(text[i]);
                chars.Add(text[++i]);
            }
            else if (!char.IsSurrogate(text[i]))
            {
                chars.Add(text[i]);
            }
        }
        return new string([.. chars]);
    }
}
