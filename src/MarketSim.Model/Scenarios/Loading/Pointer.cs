namespace MarketSim.Model.Scenarios.Loading;

/// <summary>JSON pointers (RFC 6901) as strings: "" is the root, "/providers/0/id" a field.</summary>
internal static class Pointer
{
    public const string Root = "";

    public static string Append(string pointer, string segment) =>
        $"{pointer}/{segment.Replace("~", "~0").Replace("/", "~1")}";

    public static string Append(string pointer, int index) => $"{pointer}/{index}";

    public static IReadOnlyList<string> Segments(string pointer) =>
        pointer.Length == 0
            ? []
            : pointer[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();

    public static string Parent(string pointer) =>
        pointer.Length == 0 ? pointer : pointer[..pointer.LastIndexOf('/')];

    public static string Last(string pointer) => Segments(pointer) is { Count: > 0 } s ? s[^1] : "";
}
