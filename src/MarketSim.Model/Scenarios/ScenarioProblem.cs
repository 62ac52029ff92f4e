namespace MarketSim.Model.Scenarios;

/// <summary>One thing wrong with a scenario, located in its file (or in a <c>--set</c> override).</summary>
/// <param name="File">The scenario file name, or <see cref="OverrideFile"/> for a problem of a command-line override.</param>
/// <param name="Line">1-based line; for an override, its 1-based position among the overrides. 0 when unknown.</param>
/// <param name="Column">1-based column; for an override, the column within its text. 0 when unknown.</param>
/// <param name="Path">Field path such as <c>providers[lab-a].models[0].tier</c>: list elements are written
/// <c>[id]</c> when they have an id and <c>[index]</c> otherwise; empty for problems of the whole file.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Hint">How to fix it.</param>
public sealed record ScenarioProblem(string File, int Line, int Column, string Path, string Message, string Hint)
{
    /// <summary>The <see cref="File"/> of problems caused by a command-line override.</summary>
    public const string OverrideFile = "--set";

    /// <summary>Formats as <c>file:line:col: path: message (fix: hint)</c>, one line: control characters and
    /// bidirectional overrides that a hostile file puts into an id or a value the message quotes are written as
    /// <c>\uXXXX</c>, so that they neither reach the terminal (escape sequences, NUL) nor break the line.</summary>
    public override string ToString()
    {
        var path = Path.Length == 0 ? "" : $"{Path}: ";
        var hint = Hint.Length == 0 ? "" : $" (fix: {Hint})";
        return Printable($"{File}:{Line}:{Column}: {path}{Message}{hint}");
    }

    /// <summary><paramref name="text"/> with every control character (newlines too) and bidirectional formatting
    /// character written as <c>\uXXXX</c>.</summary>
    public static string Printable(string text)
    {
        static bool Unsafe(char c) => char.IsControl(c) || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069' or '\u200e' or '\u200f';
        if (!text.Any(Unsafe)) return text;
        var sb = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
            if (Unsafe(c)) sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else sb.Append(c);
        return sb.ToString();
    }
}
