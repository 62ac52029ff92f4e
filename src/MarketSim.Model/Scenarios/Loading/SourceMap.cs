namespace MarketSim.Model.Scenarios.Loading;

/// <summary>Where a node of the scenario came from.</summary>
internal readonly record struct SourceLocation(string File, int Line, int Column);

/// <summary>Maps JSON pointers of the converted document to the YAML positions of their values and keys.</summary>
internal sealed class SourceMap
{
    private readonly Dictionary<string, SourceLocation> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SourceLocation> _keys = new(StringComparer.Ordinal);

    public void AddValue(string pointer, SourceLocation location) => _values[pointer] = location;

    public void AddKey(string pointer, SourceLocation location) => _keys[pointer] = location;

    /// <summary>The position of the value at the pointer, or of its nearest ancestor that has one.</summary>
    public SourceLocation? ValueOrAncestor(string pointer)
    {
        for (var p = pointer; ; p = Pointer.Parent(p))
        {
            if (_values.TryGetValue(p, out var location))
            {
                return location;
            }
            if (p.Length == 0)
            {
                return null;
            }
        }
    }

    /// <summary>The position of the key of a mapping entry, falling back to its value.</summary>
    public SourceLocation? KeyOrValue(string pointer) =>
        _keys.TryGetValue(pointer, out var location) ? location : ValueOrAncestor(pointer);
}
