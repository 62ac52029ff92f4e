using System.Globalization;
using System.Text.Json.Nodes;
using Json.Schema;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>Validates the converted scenario against the JSON Schema and turns every error into a human message.
/// The library supplies where and which keyword failed; the message is written here from the schema and the value.</summary>
internal static class SchemaValidation
{
    private const string IdPattern = "^[A-Za-z0-9][A-Za-z0-9_-]*$";
    private const string KebabPattern = "^[a-z0-9]+(-[a-z0-9]+)*$";

    /// <summary>Validates a scenario against the scenario schema.</summary>
    public static IReadOnlyList<PendingProblem> Validate(JsonNode? json) => Validate(json, ScenarioSchema.File);

    /// <summary>Validates a document against <paramref name="schema"/>, every error worded from the schema.</summary>
    public static IReadOnlyList<PendingProblem> Validate(JsonNode? json, SchemaFile schema)
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List };
        var results = schema.Schema.Evaluate(ScenarioSchema.ToElement(json), options);
        var problems = new List<PendingProblem>();
        if (!results.IsValid)
        {
            foreach (var node in new[] { results }.Concat(results.Details ?? []))
            {
                problems.AddRange(Translate(json, node, schema.Document));
            }
        }
        problems.AddRange(CalendarDates(json, Pointer.Root, SchemaView.At(schema.Document, Pointer.Root)));
        return problems.Distinct().ToList();
    }

    private static IEnumerable<PendingProblem> Translate(JsonNode? json, EvaluationResults node, JsonObject schema)
    {
        var pointer = node.InstanceLocation.ToString();
        var unknownKey = node.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal)
            && pointer.Length > 0 && SchemaView.At(schema, Pointer.Parent(pointer)) is { ClosesProperties: true } parent
            && !parent.PropertyNames.Contains(Pointer.Last(pointer));
        foreach (var (keyword, libraryMessage) in node.Errors ?? new Dictionary<string, string>())
        {
            if (unknownKey)
            {
                yield return UnknownKey(schema, pointer);
            }
            else if (keyword == "required")
            {
                foreach (var missing in MissingKeys(json, pointer, schema))
                {
                    yield return missing;
                }
            }
            else if (keyword != "format" && SchemaView.At(schema, pointer) is { } view)
            {
                yield return new PendingProblem(pointer, Message(keyword, JsonText.Find(json, pointer), view, pointer, libraryMessage),
                    Hint(keyword, JsonText.Find(json, pointer), view));
            }
        }
    }

    /// <summary>A list longer than its schema's maxItems, found while converting (so a huge list is never built).</summary>
    public static PendingProblem TooManyItems(string pointer, int max, int count) =>
        new(pointer, $"must have at most {max} entries (has {count})", $"{max} is the supported maximum");

    /// <summary>The maxItems of the list at a pointer of a scenario.</summary>
    public static int? MaxItems(string pointer) => MaxItems(ScenarioSchema.File, pointer);

    /// <summary>The maxItems of the list at a pointer of a document of <paramref name="schema"/>.</summary>
    public static int? MaxItems(SchemaFile schema, string pointer) =>
        SchemaView.At(schema.Document, pointer)?["maxItems"] is JsonValue v && v.TryGetValue<int>(out var max) ? max : null;

    private static PendingProblem UnknownKey(JsonObject schema, string pointer)
    {
        var key = Pointer.Last(pointer);
        var allowed = SchemaView.At(schema, Pointer.Parent(pointer))?.PropertyNames ?? [];
        return new PendingProblem(pointer, $"unknown key '{key}'", Suggestions.Hint(key, allowed.ToList(), "allowed keys"), AtKey: true);
    }

    private static IEnumerable<PendingProblem> MissingKeys(JsonNode? json, string pointer, JsonObject schema)
    {
        if (JsonText.Find(json, pointer) is not JsonObject instance || SchemaView.At(schema, pointer) is not { } view)
        {
            yield break;
        }
        foreach (var key in view.Strings("required").Where(k => !instance.ContainsKey(k)))
        {
            var description = view.Child(key)?.Description ?? "";
            yield return new PendingProblem(Pointer.Append(pointer, key), $"missing required key '{key}'", AddKeyHint(key, description));
        }
    }

    /// <summary>"add 'id:' (unique provider id, ...)".</summary>
    public static string AddKeyHint(string key, string description)
    {
        var text = description.TrimEnd('.');
        return text.Length == 0 ? $"add '{key}:'" : $"add '{key}:' ({char.ToLowerInvariant(text[0])}{text[1..]})";
    }

    private static string Message(string keyword, JsonNode? value, SchemaView view, string pointer, string fallback) => keyword switch
    {
        "type" => $"expected {Expected(view.Type)}, got {JsonText.Describe(value)}",
        "enum" => value is JsonValue v && JsonText.String(v) is { } s
            ? $"unknown {EnumNoun(pointer)} '{s}'"
            : $"expected a {EnumNoun(pointer)} name, got {JsonText.Describe(value)}",
        "maximum" => $"must be at most {view[keyword]} (was {JsonText.Raw(value)})",
        "minimum" => $"must be at least {view[keyword]} (was {JsonText.Raw(value)})",
        "exclusiveMinimum" => $"must be greater than {view[keyword]} (was {JsonText.Raw(value)})",
        "exclusiveMaximum" => $"must be less than {view[keyword]} (was {JsonText.Raw(value)})",
        "maxItems" => $"must have at most {view[keyword]} entries (has {Count(value)})",
        "minItems" => $"must have at least {view[keyword]} {(view[keyword]?.ToString() == "1" ? "entry" : "entries")} (has {Count(value)})",
        "minProperties" => "must have at least one entry",
        "minLength" => "must not be empty",
        "maxLength" => $"must be at most {view[keyword]} characters long (is {JsonText.Raw(value).Length})",
        "pattern" when view.Has("format") => $"expected a date YYYY-MM-DD, got '{JsonText.Raw(value)}'",
        "pattern" when view["pattern"]?.ToString() == IdPattern => $"'{JsonText.Raw(value)}' is not a valid id",
        "pattern" when view["pattern"]?.ToString() == KebabPattern => $"'{JsonText.Raw(value)}' is not a kebab-case id",
        "pattern" => $"'{JsonText.Raw(value)}' does not match the pattern {view["pattern"]}",
        _ => fallback,
    };

    private static string Hint(string keyword, JsonNode? value, SchemaView view) => keyword switch
    {
        "type" => TypeHint(view.Type, value),
        "enum" => Suggestions.Hint(JsonText.Raw(value), view.Strings("enum"), "allowed values"),
        "maximum" when view.Type == "integer" => $"{view[keyword]} is the supported maximum",
        "maximum" or "minimum" or "exclusiveMinimum" or "exclusiveMaximum" => $"use a value {Bounds(view)}",
        "maxItems" => $"{view[keyword]} is the supported maximum",
        "minItems" => $"add entries: {view.Description}",
        "minProperties" => $"add one of: {string.Join(", ", view.PropertyNames)}",
        "minLength" => "give a value, or remove the key where it is optional",
        "maxLength" => "shorten it",
        "pattern" when view.Has("format") => "write dates as YYYY-MM-DD, e.g. 2024-05-01",
        "pattern" when view["pattern"]?.ToString() == IdPattern => "use letters, digits, '-' and '_' only, starting with a letter or digit",
        "pattern" when view["pattern"]?.ToString() == KebabPattern => "use lower-case letters and digits with single '-' between words, e.g. deepseek-cut",
        _ => view.Description,
    };

    private static string Expected(string? type) => type switch
    {
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "a string",
        "boolean" => "true or false",
        "object" => "a mapping of keys to values",
        "array" => "a list",
        null => "another value",
        _ when type.Contains('|') => string.Join(" or ", type.Split('|').Select(Expected)),
        _ => type,
    };

    private static string TypeHint(string? type, JsonNode? value) => (type, value) switch
    {
        (_, null) => "give a value, or remove the key where it is optional to use its default",
        ("integer" or "number", JsonValue v) when JsonText.String(v) is { } s
            && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => "remove the quotes: numbers are written without them",
        ("integer", _) => "write a whole number such as 365",
        ("number", _) => "write a number such as 0.5 or 1e9",
        ("string", JsonValue) => "put the value in quotes to make it a string",
        ("boolean", _) => "write true or false",
        ("object", _) => "write it as indented 'key: value' lines below the key",
        ("array", _) => "write it as a list: one '- item' line per entry",
        _ => "change the value's type",
    };

    private static string Bounds(SchemaView view)
    {
        var low = view["minimum"] is { } min ? $"at least {min}" : view["exclusiveMinimum"] is { } emin ? $"greater than {emin}" : null;
        var high = view["maximum"] is { } max ? $"at most {max}" : view["exclusiveMaximum"] is { } emax ? $"less than {emax}" : null;
        if (view.Has("minimum") && view.Has("maximum"))
        {
            return $"from {view["minimum"]} to {view["maximum"]}";
        }
        return string.Join(" and ", new[] { low, high }.Where(b => b is not null));
    }

    private static string EnumNoun(string pointer)
    {
        var key = Pointer.Last(pointer);
        if (key != "kind")
        {
            return key;
        }
        return Pointer.Last(Pointer.Parent(pointer)) == "curve" ? "curve kind" : "event kind";
    }

    private static int Count(JsonNode? value) => value is JsonArray array ? array.Count : 0;

    /// <summary>Strings where the schema expects a date must also be real calendar dates (the pattern admits
    /// 2023-02-30).</summary>
    private static IEnumerable<PendingProblem> CalendarDates(JsonNode? node, string pointer, SchemaView? view)
    {
        if (view is null)
        {
            return [];
        }
        return node switch
        {
            JsonObject obj => obj.SelectMany(p => CalendarDates(p.Value, Pointer.Append(pointer, p.Key), view.Child(p.Key))),
            JsonArray array => array.SelectMany((item, i) => CalendarDates(item, Pointer.Append(pointer, i), view.Child(i.ToString(CultureInfo.InvariantCulture)))),
            _ when view["format"]?.ToString() == "date" && JsonText.String(node) is { } text
                && view["pattern"] is { } pattern && System.Text.RegularExpressions.Regex.IsMatch(text, pattern.ToString())
                && JsonText.Date(node) is null =>
                [new PendingProblem(pointer, $"'{text}' is not a calendar date", "check the day of the month (e.g. February has 28 or 29 days)")],
            _ when view["format"]?.ToString() == "date" && JsonText.Date(node) is { } date
                && (date < ScenarioLimits.FirstDate || date > ScenarioLimits.LastDate) =>
                [new PendingProblem(pointer, $"date {date:yyyy-MM-dd} is outside the supported range {ScenarioLimits.FirstDate:yyyy-MM-dd} to {ScenarioLimits.LastDate:yyyy-MM-dd}",
                    "use a date of the simulated market, e.g. 2023-03-01")],
            _ => [],
        };
    }
}
