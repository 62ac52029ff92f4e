using MarketSim.Model.Engine;

namespace MarketSim.Cli;

/// <summary>Loads a scenario file with overrides for a command, turning every problem into a
/// <see cref="UsageException"/> that lists them all.</summary>
public static class ScenarioInput
{
    /// <summary>Loads and validates; returns every problem (empty when the scenario is good).</summary>
    public static (Scenario? Scenario, IReadOnlyList<string> Problems) Check(string path, IReadOnlyList<string> overrides)
    {
        var result = ScenarioLoader.Load(path, overrides);
        if (!result.Ok || result.Scenario is null)
        {
            // The problems of a file that is no scenario at all would quote its content (any file the user can
            // name, e.g. /etc/passwd): report only that it is not one.
            // Only a file the loader read and parsed can quote its content (refusals before reading are at 0:0).
            if (result.Problems.Any(p => p.Line > 0) && !LooksLikeScenario(ReadForCheck(path)))
                return (null, [$"{path}:0:0: not a scenario file (its top level is not a mapping with scenario keys such as name, providers, customers) " +
                    "(fix: name a scenario YAML file, e.g. config/scenarios/small.yaml; marketsim validate FILE checks one)"]);
            IReadOnlyList<string> problems = [.. result.Problems.Select(p => p.ToString())];
            return (null, problems.Count > 0 ? problems : [$"{path}: the scenario could not be loaded"]);
        }
        try
        {
            // Compiling the scenario resolves its references (providers, models and GPUs named by events).
            _ = new MarketSetup(result.Scenario);
        }
        catch (ArgumentException e)
        {
            return (null, [new ScenarioProblem(path, 0, 0, "", e.Message, "check the events' references").ToString()]);
        }
        return (result.Scenario, []);
    }

    /// <summary>The file's text for <see cref="LooksLikeScenario"/>, empty when it cannot be read.</summary>
    private static string ReadForCheck(string path)
    {
        try
        {
            return File.Exists(path) ? ReadBounded(path) : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Scenario files are read up to this many characters (the shipped ones are below 50 kB).</summary>
    public const int MaxScenarioChars = 16_000_000;

    /// <summary>The file's text, reading at most one character more than <see cref="MaxScenarioChars"/> (a device
    /// such as /dev/zero never ends).</summary>
    public static string ReadBounded(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[MaxScenarioChars + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = reader.Read(buffer, read, buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        return new string(buffer, 0, read);
    }

    private static readonly Lazy<HashSet<string>> TopLevelKeys = new(() =>
        [.. System.Text.Json.Nodes.JsonNode.Parse(ScenarioSchema.Text)!["properties"]!.AsObject().Select(p => p.Key)]);

    /// <summary>Whether a text is YAML whose top level is a mapping with at least one key of the scenario schema. Text
    /// that is not YAML at all counts as a scenario with a syntax error (those problems name positions, not content).</summary>
    private static bool LooksLikeScenario(string text)
    {
        // YamlDotNet's event parser, read iteratively: a tree model would recurse once per level of nesting, and a
        // hostile file nests deep enough to overflow the stack.
        try
        {
            var parser = new YamlDotNet.Core.Parser(new StringReader(text));
            var depth = 0;
            var expectKey = false;
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case YamlDotNet.Core.Events.MappingStart when depth == 0:
                        depth = 1;
                        expectKey = true;
                        break;
                    case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart when depth >= 1:
                        depth++;
                        break;
                    case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                        if (--depth <= 0) return false;
                        if (depth == 1) expectKey = true;
                        break;
                    case YamlDotNet.Core.Events.Scalar scalar when depth == 1:
                        if (expectKey && TopLevelKeys.Value.Contains(scalar.Value)) return true;
                        expectKey = !expectKey;
                        break;
                    case YamlDotNet.Core.Events.AnchorAlias when depth == 1:
                        expectKey = !expectKey;
                        break;
                    case YamlDotNet.Core.Events.NodeEvent when depth == 0:
                        return false;   // the top level is a scalar or a list
                }
            }
            return false;
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            // Not even YAML (YamlDotNet's scanner throws either): the loader's own problems say where.
            return true;
        }
    }

    /// <summary>Loads and validates, or throws a <see cref="UsageException"/> listing every problem.</summary>
    public static Scenario Load(string path, IReadOnlyList<string> overrides)
    {
        var (scenario, problems) = Check(path, overrides);
        if (scenario is not null) return scenario;
        var hint = problems.Count == 1 ? "" : $"\n{problems.Count} problems; nothing was run";
        throw new UsageException(string.Join('\n', problems) + hint);
    }
}
