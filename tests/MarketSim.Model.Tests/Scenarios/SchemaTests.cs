using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using MarketSim.Model.Scenarios;

namespace MarketSim.Model.Tests.Scenarios;

/// <summary>The schema must be valid JSON Schema and mirror Scenario.cs exactly, so neither can drift.</summary>
public sealed class SchemaTests
{
    private static readonly JsonObject Schema = JsonNode.Parse(ScenarioSchema.Text)!.AsObject();
    /// <summary>Keys the loader consumes before the object model is built.</summary>
    private static readonly HashSet<string> LoaderOnly = ["scenario.extends"];

    private static readonly JsonSerializerOptions Camel = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    [Fact]
    public void Schema_is_valid_draft_2020_12()
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List };

        var result = MetaSchemas.Draft202012.Evaluate(JsonDocument.Parse(ScenarioSchema.Text).RootElement, options);

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).SelectMany(d => d.Errors ?? new Dictionary<string, string>())));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema["$schema"]!.GetValue<string>());
    }

    [Fact]
    public void Embedded_schema_is_the_file_in_config()
    {
        var file = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "config", "schema", "scenario.schema.json"));

        Assert.Equal(file, ScenarioSchema.Text);
    }

    [Fact]
    public void Every_property_of_the_object_model_is_in_the_schema_and_nothing_else()
    {
        var errors = new List<string>();

        Compare(typeof(Scenario), Schema, "scenario", errors);

        Assert.Empty(errors);
    }

    [Fact]
    public void Every_class_of_the_object_model_is_reached()
    {
        var reached = new HashSet<Type>();
        Compare(typeof(Scenario), Schema, "scenario", [], reached);
        var all = typeof(Scenario).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.IsClass && t.Namespace == typeof(Scenario).Namespace && t.GetConstructor(Type.EmptyTypes) is not null
                && t.GetProperties().All(p => p.CanWrite));

        Assert.Equal(all.Select(t => t.Name).Order(), reached.Select(t => t.Name).Order());
    }

    [Theory]
    [InlineData("/properties/ticks", 1, 3000000)]
    [InlineData("/properties/customers/$ref>/properties/count", 1, 100000000)]
    [InlineData("/properties/engine/$ref>/properties/blockSize", 64, 1000000)]
    [InlineData("/$defs/provider/properties/models", 1, 3)]
    [InlineData("/properties/providers", 1, 256)]
    public void Size_bounds_are_as_specified(string path, long min, long max)
    {
        var node = Navigate(path);
        var (minKey, maxKey) = node["type"]!.GetValue<string>() == "array" ? ("minItems", "maxItems") : ("minimum", "maximum");

        Assert.Equal((min, max), (node[minKey]!.GetValue<long>(), node[maxKey]!.GetValue<long>()));
    }

    [Theory]
    [InlineData("/$defs/provider/properties/strategy", "cost-plus,match,undercut,penetration,value-based,adaptive,calvano")]
    [InlineData("/$defs/event/properties/strategy", "cost-plus,match,undercut,penetration,value-based,adaptive,calvano")]
    [InlineData("/$defs/model/properties/tier", "frontier,mid,small")]
    [InlineData("/$defs/costCurve/properties/kind", "exponential,wright,table")]
    [InlineData("/$defs/event/properties/segment", "voice,nlp,healthcare,longtail")]
    public void Enumerations_are_as_specified(string path, string values)
    {
        var node = Navigate(path);
        var actual = node["enum"] is JsonArray e ? e : new JsonArray(node["properties"]!.AsObject().Select(p => (JsonNode?)p.Key).ToArray());

        Assert.Equal(values.Split(','), actual.Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void Event_kinds_of_the_schema_are_the_event_kind_table()
    {
        var kinds = Navigate("/$defs/event/properties/kind")["enum"]!.AsArray().Select(v => v!.GetValue<string>());

        Assert.Equal(EventKinds.Names, kinds);
        Assert.Equal(["gpu-price-shock", "gpu-generation", "compression-breakthrough", "provider-entry", "provider-exit", "price-cut",
            "strategy-change", "demand-shock", "model-release", "model-retirement"], EventKinds.Names);
    }

    [Fact]
    public void Every_field_an_event_kind_names_is_an_event_key_and_every_event_key_is_used_by_a_kind()
    {
        var keys = Navigate("/$defs/event")["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
        var named = EventKinds.All.SelectMany(k => k.Allowed).ToHashSet();

        Assert.Subset(keys, named);
        Assert.Equal(keys.Order(), named.Order());
    }

    [Fact]
    public void Engine_kind_names_round_trip_through_the_table()
    {
        foreach (var kind in Enum.GetValues<MarketSim.Model.Engine.EventKind>())
        {
            Assert.Equal(kind, MarketSim.Model.Engine.MarketEvent.ParseKind(MarketSim.Model.Engine.MarketEvent.KindName(kind)));
        }
        Assert.Equal(Enum.GetValues<MarketSim.Model.Engine.EventKind>().Length, EventKinds.All.Count);
    }

    [Fact]
    public void Segment_names_are_the_four_keys()
    {
        var segments = Navigate("/$defs/customers/properties/segments");

        Assert.Equal(["voice", "nlp", "healthcare", "longtail"], segments["properties"]!.AsObject().Select(p => p.Key));
        Assert.False(segments["additionalProperties"]!.GetValue<bool>());
    }

    /// <summary>Walks a class and its schema together: same keys, compatible types, a description on every key,
    /// schema defaults equal to the C# defaults, and no key without a default that is neither required nor nullable.</summary>
    private static void Compare(Type type, JsonObject schema, string where, List<string> errors, HashSet<Type>? reached = null)
    {
        reached?.Add(type);
        schema = Resolve(schema);
        var properties = schema["properties"]?.AsObject() ?? [];
        var required = (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToHashSet();
        if (schema["additionalProperties"]?.GetValue<bool>() != false)
        {
            errors.Add($"{where}: additionalProperties must be false");
        }
        var instance = Activator.CreateInstance(type);
        var nullability = new NullabilityInfoContext();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var at = $"{where}.{key}";
            if (properties[key] is not JsonObject propertySchema)
            {
                errors.Add($"{at}: missing from the schema");
                continue;
            }
            var nullable = nullability.Create(property).WriteState == NullabilityState.Nullable;
            CheckProperty(property, propertySchema, at, nullable, required.Contains(key), property.GetValue(instance), errors);
            Recurse(property.PropertyType, propertySchema, at, errors, reached);
        }
        var known = type.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet();
        errors.AddRange(properties.Where(p => !known.Contains(p.Key) && !LoaderOnly.Contains($"{where}.{p.Key}")).Select(p => $"{where}.{p.Key}: in the schema but not in {type.Name}"));
        errors.AddRange(required.Where(r => !known.Contains(r)).Select(r => $"{where}: required '{r}' is not a property"));
    }

    private static void CheckProperty(PropertyInfo property, JsonObject schema, string at, bool nullable, bool required, object? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(schema["description"]?.GetValue<string>()))
        {
            errors.Add($"{at}: no description");
        }
        var expected = JsonType(property.PropertyType);
        var actual = schema["type"]?.GetValue<string>() ?? (schema.ContainsKey("enum") ? "string" : Resolve(schema)["type"]?.GetValue<string>());
        if (expected != actual)
        {
            errors.Add($"{at}: schema type {actual}, C# type {property.PropertyType.Name} needs {expected}");
        }
        var underlying = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (underlying == typeof(DateOnly) && schema["format"]?.GetValue<string>() != "date")
        {
            errors.Add($"{at}: a date needs format: date");
        }
        if (nullable && required)
        {
            errors.Add($"{at}: nullable in C# but required in the schema");
        }
        var isObject = expected == "object" && !IsDictionary(property.PropertyType);
        if (schema["default"] is { } schemaDefault)
        {
            if (!SameValue(schemaDefault, JsonSerializer.SerializeToNode(value, property.PropertyType, Camel)))
            {
                errors.Add($"{at}: schema default {schemaDefault.ToJsonString()} differs from C# default {JsonSerializer.Serialize(value, property.PropertyType, Camel)}");
            }
        }
        else if (!nullable && !required && !isObject)
        {
            errors.Add($"{at}: neither nullable, required, nor given a default in the schema");
        }
    }

    private static void Recurse(Type type, JsonObject schema, string at, List<string> errors, HashSet<Type>? reached)
    {
        if (IsDictionary(type))
        {
            var valueType = type.GetGenericArguments()[1];
            foreach (var (name, entry) in Resolve(schema)["properties"]!.AsObject())
            {
                Compare(valueType, entry!.AsObject(), $"{at}.{name}", errors, reached);
            }
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var itemType = type.GetGenericArguments()[0];
            if (IsModelClass(itemType))
            {
                Compare(itemType, Resolve(schema)["items"]!.AsObject(), $"{at}[]", errors, reached);
            }
        }
        else if (IsModelClass(type))
        {
            Compare(type, schema, at, errors, reached);
        }
    }

    private static string JsonType(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t switch
        {
            _ when t == typeof(int) || t == typeof(long) || t == typeof(ulong) => "integer",
            _ when t == typeof(double) || t == typeof(decimal) => "number",
            _ when t == typeof(string) || t == typeof(DateOnly) => "string",
            _ when t == typeof(bool) => "boolean",
            _ when IsDictionary(t) => "object",
            _ when typeof(IEnumerable).IsAssignableFrom(t) => "array",
            _ => "object",
        };
    }

    private static bool IsDictionary(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>);

    private static bool IsModelClass(Type type) => type.IsClass && type.Namespace == typeof(Scenario).Namespace;

    private static bool SameValue(JsonNode a, JsonNode? b) =>
        a.GetValueKind() == JsonValueKind.Number && b?.GetValueKind() == JsonValueKind.Number
            ? a.GetValue<double>() == double.Parse(b.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : JsonNode.DeepEquals(a, b);

    private static JsonObject Resolve(JsonObject schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? Resolve(Navigate(reference.TrimStart('#')))
            : schema;

    /// <summary>Navigates the schema by a pointer; a segment ending in '>' follows the $ref it names.</summary>
    private static JsonObject Navigate(string pointer)
    {
        JsonNode node = Schema;
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = segment.EndsWith('>') ? Resolve(node.AsObject()) : node[segment]!;
        }
        return node.AsObject();
    }
}
