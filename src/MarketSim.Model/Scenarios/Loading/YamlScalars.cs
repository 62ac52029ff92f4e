using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>Resolves YAML scalars to JSON values by the YAML 1.2 core schema: plain scalars that look like
/// numbers, booleans or null become those; quoted scalars and everything else stay strings.</summary>
internal static partial class YamlScalars
{
    private const string YamlTagPrefix = "tag:yaml.org,2002:";

    /// <summary>The JSON value of a scalar node (null for a YAML null).</summary>
    public static JsonNode? ToJson(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        return ExplicitTag(scalar) switch
        {
            "str" => JsonValue.Create(text),
            "null" => null,
            "bool" or "int" or "float" => Resolve(text, orString: true),
            _ => scalar.Style is ScalarStyle.Plain or ScalarStyle.Any ? Resolve(text, orString: true) : JsonValue.Create(text),
        };
    }

    /// <summary>True when a string written as a plain scalar would not be read back as that string.</summary>
    public static bool NeedsQuotes(string text) =>
        text.Length == 0 || text != text.Trim() || Resolve(text, orString: false) is not null || IsNull(text);

    private static string? ExplicitTag(YamlScalarNode scalar) =>
        !scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value.StartsWith(YamlTagPrefix, StringComparison.Ordinal)
            ? scalar.Tag.Value[YamlTagPrefix.Length..]
            : null;

    private static JsonNode? Resolve(string text, bool orString)
    {
        if (IsNull(text))
        {
            return null;
        }
        if (BoolPattern().IsMatch(text))
        {
            return JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase));
        }
        return Number(text) ?? (orString ? JsonValue.Create(text) : null);
    }

    private static bool IsNull(string text) => NullPattern().IsMatch(text);

    private static JsonValue? Number(string text)
    {
        if (IntPattern().IsMatch(text))
        {
            var digits = text.Replace("_", "");
            if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return JsonValue.Create(l);
            }
            if (ulong.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var u))
            {
                return JsonValue.Create(u);
            }
        }
        if (HexPattern().IsMatch(text) && long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }
        if (FloatPattern().IsMatch(text)
            && double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && double.IsFinite(d))
        {
            return JsonValue.Create(d);
        }
        return null;
    }

    [GeneratedRegex("^(~|null|Null|NULL)?$")]
    private static partial Regex NullPattern();

    [GeneratedRegex("^(true|True|TRUE|false|False|FALSE)$")]
    private static partial Regex BoolPattern();

    [GeneratedRegex("^[-+]?[0-9][0-9_]*$")]
    private static partial Regex IntPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]+$")]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
