using System.Globalization;
using System.Text.Json.Nodes;

namespace MarketSim.Model.Tests.Scenarios;

/// <summary>
/// docs/MODEL.md section 12 has one parameter table per scenario object (market, provider, pricing, expansion, model,
/// segment) that lists every property of that object's $defs in config/schema/scenario.schema.json, read at test
/// time, with the schema's default, and nothing else.
/// </summary>
public sealed class ParameterDocumentationTests
{
    private static readonly string[] Names = ["market", "provider", "pricing", "expansion", "model", "segment"];

    public static readonly TheoryData<string> Objects = new(Names);

    /// <summary>What a table says when the schema gives the property no default.</summary>
    private const string NoDefault = "none";

    private static readonly string Model = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "docs", "MODEL.md"));

    private static readonly JsonObject Definitions =
        JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "config", "schema", "scenario.schema.json")))!["$defs"]!.AsObject();

    [Theory]
    [MemberData(nameof(Objects))]
    public void The_table_of_an_object_lists_every_schema_property_with_its_default_and_nothing_else(string name)
    {
        var table = TableOf(name);
        var properties = Definitions[name]!["properties"]!.AsObject();

        var missing = properties.Select(p => p.Key).Where(p => !table.ContainsKey(p)).ToList();
        var extra = table.Keys.Where(p => !properties.ContainsKey(p)).ToList();
        Assert.True(missing.Count == 0, $"docs/MODEL.md, table `{name}`: missing {string.Join(", ", missing)}");
        Assert.True(extra.Count == 0, $"docs/MODEL.md, table `{name}`: not in the schema: {string.Join(", ", extra)}");

        var wrong = new List<string>();
        foreach (var (property, schema) in properties)
        {
            var documented = table[property];
            var expected = schema!.AsObject().TryGetPropertyValue("default", out var d) ? d : null;
            if (!Same(expected, documented.Default)) wrong.Add($"{property}: documented {documented.Default}, schema {expected?.ToJsonString() ?? NoDefault}");
            if (documented.Source.Length == 0 && expected is not null) wrong.Add($"{property}: no source");
        }
        Assert.True(wrong.Count == 0, $"docs/MODEL.md, table `{name}`:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Section_12_has_a_table_per_object_and_nothing_is_left_to_confirm()
    {
        foreach (var name in Names) Assert.NotEmpty(TableOf(name));
        Assert.DoesNotContain("to confirm", Model, StringComparison.OrdinalIgnoreCase);
    }

    private sealed record Row(string Default, string Source);

    /// <summary>The rows of the table under the heading "### `name`" of section 12: parameter to default and source.</summary>
    private static Dictionary<string, Row> TableOf(string name)
    {
        var lines = Section12().Split('\n');
        var heading = Array.FindIndex(lines, l => l.TrimEnd() == $"### `{name}`");
        Assert.True(heading >= 0, $"docs/MODEL.md section 12 has no heading ### `{name}`");
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        var i = heading + 1;
        while (i < lines.Length && !lines[i].StartsWith('|')) i++;
        Assert.Equal(["parameter", "default", "source"], Cells(lines[i]));
        for (i += 2; i < lines.Length && lines[i].StartsWith('|'); i++)
        {
            var cells = Cells(lines[i]);
            Assert.True(cells.Length == 3, $"table `{name}`: expected 3 cells in: {lines[i]}");
            var parameter = Unquote(cells[0]);
            Assert.True(rows.TryAdd(parameter, new Row(Unquote(cells[1]), cells[2])), $"table `{name}`: {parameter} twice");
        }
        return rows;
    }

    private static string Section12()
    {
        var start = Model.IndexOf("\n## 12 ", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/MODEL.md has no section 12");
        var end = Model.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return Model[start..(end < 0 ? Model.Length : end)].Replace("\r", "");
    }

    private static string[] Cells(string row) => [.. row.Trim().Trim('|').Split('|').Select(c => c.Trim())];

    private static string Unquote(string cell) => cell.Length >= 2 && cell[0] == '`' && cell[^1] == '`' ? cell[1..^1] : cell;

    /// <summary>Whether a documented default is the schema's: numbers by value, strings, booleans and arrays as
    /// written in JSON, and "none" for no default.</summary>
    private static bool Same(JsonNode? expected, string documented)
    {
        if (expected is null) return documented == NoDefault;
        if (expected is JsonValue v && v.TryGetValue<double>(out var number))
            return double.TryParse(documented, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x == number;
        if (expected is JsonValue s && s.TryGetValue<string>(out var text)) return documented == text;
        try { return JsonNode.DeepEquals(expected, JsonNode.Parse(documented)); }
        catch (System.Text.Json.JsonException) { return false; }
    }
}
