namespace MarketSim.Model.Engine;

/// <summary>Quality tiers; price indexes and comparisons are per tier.</summary>
public static class Tiers
{
    public const int Count = 3;
    public static readonly string[] Names = ["frontier", "mid", "small"];

    public static int IndexOf(string name) => Array.IndexOf(Names, name) is var i and >= 0
        ? i : throw new ArgumentException($"unknown tier '{name}'");
}

/// <summary>Customer segments of MODEL.md, in a fixed order.</summary>
public static class Segments
{
    public static readonly string[] Names = ["voice", "nlp", "healthcare", "longtail"];
    public static int Count => Names.Length;
    public static int IndexOf(string name) => Array.IndexOf(Names, name);
}
