using MarketSim.Model.Hardware;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>Applies command-line overrides <c>path=value</c> to the YAML tree before validation.</summary>
/// <remarks>Path segments are separated by dots. A segment that addresses a list picks the element whose <c>id</c>
/// equals it, else the element at that numeric index. Missing keys on mappings are created (validation then
/// reports names that do not exist). The value is parsed as YAML, so <c>ticks=90</c> sets a number and
/// <c>name="90"</c> a string.</remarks>
internal sealed class OverrideApplier
{
    private const string GpusKey = "gpus";
    private const string Usage = "write path=value, e.g. providers.lab-a.strategy=undercut or ticks=90";

    private readonly Dictionary<YamlNode, SourceLocation> _origins;
    private readonly ICollection<ScenarioProblem> _problems;

    private OverrideApplier(ICollection<ScenarioProblem> problems, Dictionary<YamlNode, SourceLocation> origins)
    {
        _problems = problems;
        _origins = origins;
    }

    /// <summary>Applies the overrides in order; records in <paramref name="origins"/> where the nodes they
    /// introduced came from.</summary>
    public static void Apply(
        YamlNode root, IReadOnlyList<string> overrides, ICollection<ScenarioProblem> problems, Dictionary<YamlNode, SourceLocation> origins)
    {
        var applier = new OverrideApplier(problems, origins);
        for (var i = 0; i < overrides.Count; i++)
        {
            applier.ApplyOne(root, new Override(overrides[i], i + 1));
        }
    }

    private void ApplyOne(YamlNode root, Override ov)
    {
        if (ov.Segments is null)
        {
            Fail(ov, 0, ov.Text.Contains('=') ? "the path has an empty segment" : "no '=' between path and value", Usage);
            return;
        }
        var value = YamlReader.ReadValue(ov.Value, out var error);
        if (value is null)
        {
            Fail(ov, ov.Segments.Count, $"the value is not valid YAML ({error})", "quote the value if it contains special characters");
            return;
        }
        Register(value, ov);
        var container = root;
        for (var i = 0; i < ov.Segments.Count - 1 && container is not null; i++)
        {
            container = Step(container, ov, i);
        }
        if (container is not null)
        {
            Set(container, ov, value);
        }
    }

    private YamlNode? Step(YamlNode container, Override ov, int index)
    {
        var segment = ov.Segments![index];
        switch (container)
        {
            case YamlMappingNode mapping:
                return Find(mapping, segment) is { } child && !IsNull(child) ? child
                    : index == 0 && segment == GpusKey ? CreateList(mapping, ov, index) : Create(mapping, ov, index);
            case YamlSequenceNode sequence:
                var element = Element(sequence, ov, index);
                return element is null ? null : sequence.Children[element.Value];
            default:
                Fail(ov, index, $"'{Previous(ov, index)}' is a single value, not a mapping or list, so it has no '{segment}'",
                    "shorten the path: a value has no fields");
                return null;
        }
    }

    private void Set(YamlNode container, Override ov, YamlNode value)
    {
        var last = ov.Segments!.Count - 1;
        var segment = ov.Segments[last];
        switch (container)
        {
            case YamlMappingNode mapping:
                SetChild(mapping, ov, last, value);
                break;
            case YamlSequenceNode sequence:
                if (Element(sequence, ov, last) is { } index)
                {
                    sequence.Children[index] = value;
                }
                break;
            default:
                Fail(ov, last, $"'{Previous(ov, last)}' is a single value, not a mapping or list, so it has no '{segment}'",
                    "shorten the path: a value has no fields");
                break;
        }
    }

    private int? Element(YamlSequenceNode sequence, Override ov, int index)
    {
        var segment = ov.Segments![index];
        ov.MarkListElement(index);
        var ids = sequence.Children.Select(IdOf).ToList();
        var byId = ids.IndexOf(segment);
        if (byId >= 0)
        {
            return byId;
        }
        if (int.TryParse(segment, out var position) && position >= 0 && position < sequence.Children.Count)
        {
            return position;
        }
        if (index == 1 && ov.Segments[0] == GpusKey && GpuCatalogue.BuiltIn.FirstOrDefault(g => g.Id == segment) is { } builtIn)
        {
            // A built-in GPU the scenario does not list: its catalogue entry becomes part of the scenario, then changes.
            var entry = ScenarioWriter.ToYamlNode(builtIn);
            Register(entry, ov.Location(ov.Column(index)));
            sequence.Children.Add(entry);
            return sequence.Children.Count - 1;
        }
        var known = ids.Where(id => id is not null).ToList();
        if (index == 1 && ov.Segments[0] == GpusKey && !int.TryParse(segment, out _))
        {
            var gpus = known.OfType<string>().Concat(GpuCatalogue.BuiltIn.Select(g => g.Id)).Distinct().Order(StringComparer.Ordinal).ToList();
            Fail(ov, index, $"no GPU '{segment}' in gpus or the built-in catalogue", Suggestions.Hint(segment, gpus, "known GPUs"));
            return null;
        }
        var range = sequence.Children.Count == 0 ? "the list is empty" : $"an index from 0 to {sequence.Children.Count - 1}";
        var hint = known.Count > 0 ? $"known ids: {string.Join(", ", known)}; or {range}" : $"use {range}";
        var what = int.TryParse(segment, out _) ? $"index {segment} is out of range" : $"no element with id '{segment}'";
        Fail(ov, index, $"{what} in '{Previous(ov, index)}'", hint);
        return null;
    }

    private YamlSequenceNode CreateList(YamlMappingNode mapping, Override ov, int index)
    {
        var child = new YamlSequenceNode();
        _origins[child] = ov.Location(ov.Column(index));
        SetChild(mapping, ov, index, child);
        return child;
    }

    private YamlMappingNode Create(YamlMappingNode mapping, Override ov, int index)
    {
        var child = new YamlMappingNode();
        _origins[child] = ov.Location(ov.Column(index));
        SetChild(mapping, ov, index, child);
        return child;
    }

    /// <summary>Sets a mapping entry, keeping the existing key node (and so its position) if there is one.</summary>
    private void SetChild(YamlMappingNode mapping, Override ov, int index, YamlNode value)
    {
        var segment = ov.Segments![index];
        var key = FindKey(mapping, segment);
        if (key is null)
        {
            key = new YamlScalarNode(segment);
            _origins[key] = ov.Location(ov.Column(index));
        }
        mapping.Children[key] = value;
    }

    private void Register(YamlNode value, Override ov)
    {
        foreach (var node in value.AllNodes)
        {
            _origins[node] = ov.Location(ov.ValueColumn + (int)node.Start.Column - 1);
        }
    }

    private void Register(YamlNode value, SourceLocation location)
    {
        foreach (var node in value.AllNodes)
        {
            _origins[node] = location;
        }
    }

    private void Fail(Override ov, int segmentIndex, string what, string hint) =>
        _problems.Add(new ScenarioProblem(ScenarioProblem.OverrideFile, ov.Number, ov.Column(segmentIndex), ov.DisplayPath,
            $"override '{ov.Text}': {what}", hint));

    private static string Previous(Override ov, int index) =>
        index == 0 ? "(root)" : string.Join('.', ov.Segments!.Take(index));

    private static YamlNode? FindKey(YamlMappingNode mapping, string key) =>
        mapping.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: var v } && v == key);

    private static YamlNode? Find(YamlMappingNode mapping, string key) =>
        FindKey(mapping, key) is { } k ? mapping.Children[k] : null;

    private static string? IdOf(YamlNode element) =>
        element is YamlMappingNode mapping && Find(mapping, "id") is YamlScalarNode { Value: { } id } ? id : null;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };

    /// <summary>One override, split into its parts.</summary>
    private sealed class Override
    {
        private readonly HashSet<int> _listElements = [];

        public Override(string text, int number)
        {
            Text = text;
            Number = number;
            var eq = text.IndexOf('=');
            Path = eq < 0 ? text.Trim() : text[..eq].Trim();
            Value = eq < 0 ? "" : text[(eq + 1)..];
            ValueColumn = eq + 2;
            var segments = Path.Split('.');
            Segments = eq > 0 && segments.All(s => s.Length > 0) ? segments : null;
        }

        public string Text { get; }
        public int Number { get; }
        public string Path { get; }
        public string Value { get; }
        public int ValueColumn { get; }
        public IReadOnlyList<string>? Segments { get; }

        /// <summary>The path in the format of problem paths: <c>providers[lab-a].strategy</c>.</summary>
        public string DisplayPath =>
            Segments is null
                ? Path
                : string.Concat(Segments.Select((s, i) => _listElements.Contains(i) ? $"[{s}]" : i == 0 ? s : $".{s}"));

        /// <summary>Records that the segment at <paramref name="index"/> addresses an element of a list.</summary>
        public void MarkListElement(int index) => _listElements.Add(index);

        /// <summary>1-based column of a path segment in the override text.</summary>
        public int Column(int segmentIndex) =>
            1 + Text.TakeWhile(char.IsWhiteSpace).Count() + (Segments ?? []).Take(segmentIndex).Sum(s => s.Length + 1);

        public SourceLocation Location(int column) => new(ScenarioProblem.OverrideFile, Number, column);
    }
}
