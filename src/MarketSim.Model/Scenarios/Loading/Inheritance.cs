using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>Resolves <c>extends: parent.yaml</c>: the scenario is the parent's tree with the file's own values
/// deep-merged over it. Mappings merge key by key; a list whose elements (in the file) all have an <c>id</c> merges
/// element by element by id (same id: merged, new id: appended); any other list replaces the parent's. Every node
/// keeps the file and position it came from, so problems point into the file that holds the offending value.</summary>
internal sealed class Inheritance
{
    public const string Key = "extends";

    private readonly Dictionary<YamlNode, SourceLocation> _origins;
    private readonly ICollection<ScenarioProblem> _problems;
    private int _merged;

    private Inheritance(Dictionary<YamlNode, SourceLocation> origins, ICollection<ScenarioProblem> problems)
    {
        _origins = origins;
        _problems = problems;
    }

    /// <summary>The merged tree of <paramref name="root"/> (read from <paramref name="file"/>) and its ancestors, or
    /// null when a parent cannot be used; records in <paramref name="origins"/> where every node came from.</summary>
    public static YamlNode? Resolve(YamlNode root, string file, Dictionary<YamlNode, SourceLocation> origins, ICollection<ScenarioProblem> problems)
    {
        var inheritance = new Inheritance(origins, problems);
        inheritance.Register(root, file);
        return inheritance.Resolve(root, file, [FullPath(file)]);
    }

    private YamlNode? Resolve(YamlNode root, string file, List<string> chain)
    {
        if (root is not YamlMappingNode mapping || Find(mapping, Key) is not { } keyNode) return root;
        var value = mapping.Children[keyNode];
        mapping.Children.Remove(keyNode);
        if (value is not YamlScalarNode { Value: { Length: > 0 } name } || name.Contains('\0'))
        {
            Fail(value, "expected the file name of the parent scenario", "write e.g. extends: baseline.yaml (relative to this file)");
            return null;
        }
        var parentFile = Path.Combine(Path.GetDirectoryName(file) ?? "", name);
        var parentFull = FullPath(parentFile);
        if (chain.Contains(parentFull, StringComparer.Ordinal))
        {
            var cycle = string.Join(" -> ", chain.Append(parentFull).Select(Path.GetFileName));
            Fail(value, $"'{name}' extends itself through the chain {cycle}", "remove 'extends:' from one of the files to break the cycle");
            return null;
        }
        if (chain.Count >= ScenarioLimits.MaxExtendsDepth)
        {
            Fail(value, $"more than {ScenarioLimits.MaxExtendsDepth} files in the chain of 'extends:'", "extend a scenario closer to the base");
            return null;
        }
        var text = BoundedFile.Read(parentFile, out var refusal);
        if (text is null)
        {
            Fail(value, $"parent '{name}': {refusal!.Message} (looked for {parentFull})", refusal.Hint);
            return null;
        }
        var parentRoot = YamlReader.Read(text, parentFile, _problems);
        if (parentRoot is null) return null;
        Register(parentRoot, parentFile);
        var parent = Resolve(parentRoot, parentFile, [.. chain, parentFull]);
        if (parent is null) return null;
        if (parent is not YamlMappingNode)
        {
            Fail(parent, "a parent scenario must be a mapping of keys to values", "start the parent with 'name:', 'providers:'...");
            return null;
        }
        return Merge(parent, root);
    }

    private YamlNode Merge(YamlNode parent, YamlNode child)
    {
        if (++_merged > ScenarioLimits.MaxNodes) return child;
        return (parent, child) switch
        {
            (YamlMappingNode p, YamlMappingNode c) => MergeMappings(p, c),
            (YamlSequenceNode p, YamlSequenceNode c) when Ids(c) is { } ids => MergeById(p, c, ids),
            _ => child,
        };
    }

    private YamlMappingNode MergeMappings(YamlMappingNode parent, YamlMappingNode child)
    {
        var merged = Derived(new YamlMappingNode(), child);
        foreach (var (key, value) in parent.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            var own = name is null ? null : Find(child, name);
            merged.Children[own ?? key] = own is null ? value : Merge(value, child.Children[own]);
        }
        foreach (var (key, value) in child.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } || Find(parent, name) is null) merged.Children[key] = value;
        }
        return merged;
    }

    private YamlSequenceNode MergeById(YamlSequenceNode parent, YamlSequenceNode child, List<string> ids)
    {
        var merged = Derived(new YamlSequenceNode(), child);
        var used = new HashSet<int>();
        foreach (var element in parent.Children)
        {
            var index = IdOf(element) is { } id ? ids.IndexOf(id) : -1;
            merged.Children.Add(index < 0 ? element : Merge(element, child.Children[index]));
            if (index >= 0) used.Add(index);
        }
        for (var i = 0; i < child.Children.Count; i++)
        {
            if (!used.Contains(i)) merged.Children.Add(child.Children[i]);
        }
        return merged;
    }

    /// <summary>The ids of a list's elements when every element is a mapping with a distinct id, else null.</summary>
    private static List<string>? Ids(YamlSequenceNode sequence)
    {
        var ids = sequence.Children.Select(IdOf).OfType<string>().ToList();
        return ids.Count > 0 && ids.Count == sequence.Children.Count && ids.Distinct(StringComparer.Ordinal).Count() == ids.Count ? ids : null;
    }

    private static string? IdOf(YamlNode node) =>
        node is YamlMappingNode m && Find(m, "id") is { } key && m.Children[key] is YamlScalarNode { Value: { Length: > 0 } id } ? id : null;

    private static YamlNode? Find(YamlMappingNode mapping, string key) =>
        mapping.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: var v } && v == key);

    /// <summary>A node made by merging sits where the file's own node is.</summary>
    private T Derived<T>(T node, YamlNode from) where T : YamlNode
    {
        _origins[node] = _origins[from];
        return node;
    }

    /// <summary>Records the file and position of every node of a file's tree, each shared (aliased) node once.</summary>
    private void Register(YamlNode root, string file)
    {
        var pending = new Stack<YamlNode>([root]);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!_origins.TryAdd(node, new SourceLocation(file, (int)node.Start.Line, (int)node.Start.Column))) continue;
            var children = node switch
            {
                YamlMappingNode m => m.Children.SelectMany(p => new[] { p.Key, p.Value }),
                YamlSequenceNode s => s.Children,
                _ => [],
            };
            foreach (var child in children) pending.Push(child);
        }
    }

    private void Fail(YamlNode at, string message, string hint)
    {
        var location = _origins[at];
        _problems.Add(new ScenarioProblem(location.File, location.Line, location.Column, Key, message, hint));
    }

    private static string FullPath(string file)
    {
        try
        {
            return Path.GetFullPath(file);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return file;
        }
    }
}
