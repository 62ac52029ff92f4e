using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>Parses scenario text into YamlDotNet's representation model, which keeps every node's position.</summary>
internal static class YamlReader
{
    private const string DuplicateKeyPrefix = "Duplicate key ";

    /// <summary>The root node of the single document in <paramref name="text"/>, or null with a problem.</summary>
    public static YamlNode? Read(string text, string file, ICollection<ScenarioProblem> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            problems.Add(SyntaxProblem(e, file));
            return null;
        }
        if (stream.Documents.Count == 0 || IsEmpty(stream.Documents[0].RootNode))
        {
            problems.Add(new ScenarioProblem(file, 1, 1, "", "the file is empty",
                "a scenario needs at least name, providers and customers"));
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            problems.Add(new ScenarioProblem(file, (int)second.Line, (int)second.Column, "",
                $"the file holds {stream.Documents.Count} YAML documents",
                "put one scenario per file: remove the '---' separators and what follows"));
        }
        return stream.Documents[0].RootNode;
    }

    /// <summary>Parses an override's value as a YAML node (a scalar, or a flow list or mapping).</summary>
    public static YamlNode? ReadValue(string text, out string? error)
    {
        error = null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            error = Describe(e);
            return null;
        }
        return stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
    }

    private static bool IsEmpty(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };

    private static ScenarioProblem SyntaxProblem(YamlException e, string file)
    {
        var message = Describe(e);
        var hint = message.StartsWith("duplicate key", StringComparison.Ordinal)
            ? "each key may appear once in a mapping: remove or merge one of them"
            : "check the indentation, colons and quotes on this line and the line before";
        return new ScenarioProblem(file, (int)e.Start.Line, (int)e.Start.Column, "", message, hint);
    }

    private static string Describe(YamlException e)
    {
        var text = (e.InnerException as YamlException)?.Message ?? e.Message;
        if (text.StartsWith(DuplicateKeyPrefix, StringComparison.Ordinal))
        {
            return $"duplicate key '{text[DuplicateKeyPrefix.Length..]}'";
        }
        var detail = text.TrimEnd('.');
        return detail.Length == 0 ? "YAML syntax error" : $"YAML syntax error: {char.ToLowerInvariant(detail[0])}{detail[1..]}";
    }
}
