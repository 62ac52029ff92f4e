using System.Globalization;

namespace MarketSim.Client.Calibration;

/// <summary>A scenario parameter to fit: its path (as <c>--set</c> writes it), the bounds it is searched within and
/// where the search starts (the scenario's own value, or the middle of the bounds).</summary>
public sealed record FitParameter(string Path, double Low, double High, double Start)
{
    /// <summary>At most this many parameters: simulated method of moments with a simplex search gets slow and
    /// poorly identified beyond it.</summary>
    public const int MaxParameters = 6;

    /// <summary>Reads <c>PATH</c> or <c>PATH=LOW..HIGH</c> against <paramref name="scenario"/>: the path must name a
    /// real number of the scenario schema; without bounds the search runs from half to twice the scenario's value.
    /// Returns the parameter or the problem and its fix.</summary>
    public static (FitParameter? Parameter, string? Problem, string? Fix) Parse(string text, Scenario scenario)
    {
        const string example = "--fit providers.frontier-b.appeal=0..4";
        var eq = text.IndexOf('=');
        var path = (eq < 0 ? text : text[..eq]).Trim();
        if (path.Length == 0) return (null, $"'{text}' names no path", $"write PATH or PATH=LOW..HIGH, e.g. {example}");
        var (shape, problem) = ScenarioPaths.Shape(path);
        if (shape is null) return (null, $"'{path}' is not a field of the scenario: {problem}", "write a path as --set takes it, e.g. " + example);
        if (shape.Segments.Zip(shape.PicksListElement).Any(x => x.Second && x.First.All(char.IsAsciiDigit)))
            return (null, "a list element is picked by position",
                "name it by its id, e.g. providers.frontier-b.appeal, so that the calibrated scenario can extend the file");
        if (shape.Type != "number")
            return (null, $"'{path}' is {Describe(shape.Type)}, not a real number", "fit a field that holds a real number (docs/MODEL.md lists the parameters), e.g. " + example);
        var current = ScenarioPaths.NumberAt(scenario, path);
        double low, high;
        if (eq < 0)
        {
            if (current is not { } v || v <= 0)
                return (null, $"'{path}' has {(current is null ? "no value in the scenario" : $"the value {current.Value.ToString(CultureInfo.InvariantCulture)}")}, so no default bounds",
                    $"give bounds: {path}=LOW..HIGH");
            (low, high) = (v / 2, v * 2);
        }
        else
        {
            var range = text[(eq + 1)..].Split("..");
            if (range.Length != 2
                || !double.TryParse(range[0], NumberStyles.Float, CultureInfo.InvariantCulture, out low)
                || !double.TryParse(range[1], NumberStyles.Float, CultureInfo.InvariantCulture, out high)
                || !double.IsFinite(low) || !double.IsFinite(high))
                return (null, $"'{text[(eq + 1)..]}' is not a range LOW..HIGH", $"write {path}=LOW..HIGH with two numbers, e.g. {path}=0.5..2");
            if (low >= high) return (null, $"the range {low.ToString(CultureInfo.InvariantCulture)}..{high.ToString(CultureInfo.InvariantCulture)} of '{path}' is empty", "give LOW below HIGH");
        }
        var start = current is { } c && c > low && c < high ? c : (low + high) / 2;
        return (new FitParameter(path, low, high, start), null, null);
    }

    private static string Describe(string? type) => type switch
    {
        "integer" => "a whole number (calibrate fits real numbers only)",
        "object" => "a group of fields",
        "array" => "a list",
        "string" => "a text",
        "boolean" => "true or false",
        null => "a choice of names",
        _ => $"of type {type}",
    };

    /// <summary>The <c>--set</c> text that gives this parameter <paramref name="value"/>.</summary>
    public string Override(double value) => $"{Path}={value.ToString("R", CultureInfo.InvariantCulture)}";

    /// <summary>The unbounded search coordinate of a value: logit of its place between the bounds.</summary>
    public double ToSearch(double value)
    {
        var u = Math.Clamp((value - Low) / (High - Low), 1e-6, 1 - 1e-6);
        return Math.Log(u / (1 - u));
    }

    /// <summary>The value of a search coordinate: always strictly inside the bounds.</summary>
    public double FromSearch(double z) => Low + (High - Low) / (1 + Math.Exp(-z));
}
