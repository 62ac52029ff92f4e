using YamlDotNet.Core;
using YamlDotNet.Core.Events;
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
        var parser = new Parser(new StringReader(text));
        try
        {
            if (Prescan(parser, file) is { } bound)
            {
                problems.Add(bound);
                return null;
            }
            parser = new Parser(new StringReader(text));
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            problems.Add(SyntaxProblem(e.Start, Describe(e), file));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some malformed flow collections; report where parsing stopped.
            problems.Add(SyntaxProblem(parser.Current?.End ?? Mark.Empty, "YAML syntax error: unexpected text (an unclosed '[' or '{'?)", file));
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

    /// <summary>Walks the parser's events (no tree is built) and refuses, before the tree is built, a document nested
    /// deeper than <see cref="ScenarioLimits.MaxDepth"/> (building recurses once per level), with more than
    /// <see cref="ScenarioLimits.MaxNodes"/> nodes, or with a key that is not a plain scalar (the tree hashes its
    /// keys, and a key that is an alias of a large collection would be hashed in full).</summary>
    private static ScenarioProblem? Prescan(Parser parser, string file)
    {
        var mappings = new Stack<bool>(); // per open collection: is it a mapping whose next node is a key?
        var isMapping = new Stack<bool>();
        var nodes = 0;
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            if (current is NodeEvent node)
            {
                if (++nodes > ScenarioLimits.MaxNodes)
                {
                    return Problem(file, current, $"more than {ScenarioLimits.MaxNodes:N0} values in the file", "a scenario has a few thousand values: check that this is the right file");
                }
                if (isMapping.Count > 0 && isMapping.Peek())
                {
                    var atKey = mappings.Pop();
                    mappings.Push(!atKey);
                    if (atKey && node is not Scalar)
                    {
                        return Problem(file, current, "a key must be a plain name, not a list, mapping or alias", "write keys as simple names such as 'markup:'");
                    }
                }
                if (node is MappingStart or SequenceStart)
                {
                    if (isMapping.Count >= ScenarioLimits.MaxDepth)
                    {
                        return Problem(file, current, $"nesting deeper than {ScenarioLimits.MaxDepth} levels", "a scenario is about 7 levels deep: check the brackets and the indentation");
                    }
                    isMapping.Push(node is MappingStart);
                    mappings.Push(true);
                }
            }
            else if (current is MappingEnd or SequenceEnd)
            {
                isMapping.Pop();
                mappings.Pop();
            }
        }
        return null;
    }

    private static ScenarioProblem Problem(string file, ParsingEvent at, string message, string hint) =>
        new(file, (int)at.Start.Line, (int)at.Start.Column, "", message, hint);

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
        catch (InvalidOperationException)
        {
            error = "YAML syntax error: unexpected text (an unclosed '[' or '{'?)";
            return null;
        }
        return stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
    }

    private static bool IsEmpty(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };

    private static ScenarioProblem SyntaxProblem(Mark start, string message, string file)
    {
        var hint = message.StartsWith("duplicate key", StringComparison.Ordinal)
            ? "each key may appear once in a mapping: remove or merge one of them"
            : "check the indentation, colons and quotes on this line and the line before";
        return new ScenarioProblem(file, (int)start.Line, (int)start.Column, "", message, hint);
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
