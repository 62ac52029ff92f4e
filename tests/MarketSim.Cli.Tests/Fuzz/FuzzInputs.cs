using System.Globalization;
using System.Text;

namespace MarketSim.Cli.Tests.Fuzz;

/// <summary>Hostile variants of the shipped scenario and experiment files: deleted lines and keys, wrong types, huge
/// numbers, NaN strings, deep nesting, aliases and alias bombs, unicode and control characters, truncation. Written
/// into a copy of config/ so that extends and experiment references resolve. Deterministic for a seed.</summary>
internal sealed class FuzzInputs
{
    private static readonly string[] Values =
    [
        "abc", "NaN", ".nan", ".inf", "-.inf", "1e309", "-1e309", "99999999999999999999999", "-1", "0", "", "~", "[]", "{}", "\"\"",
        "9999-12-31", "0000-01-01", "0001-01-01", "2023-02-30", "'1'", "true", "0x7fffffffffffffff", "1_000", "-0", "1e-320",
        "\"ü€😀\u202e\"", "\"\\t\\u0000\"", "*nope", "!!binary AAAA", "!!float x", "!!int 1.5", "&anchor 3", "[1, [2, [3]]]",
        "{a: 1}", "18446744073709551616", "-9223372036854775809", "2147483648", "\"" + new string('x', 5000) + "\"",
        string.Concat(Enumerable.Repeat("[", 60)) + string.Concat(Enumerable.Repeat("]", 60)),
        "|\n  multi\n  line", ">-\n  folded",
    ];

    private readonly Random _random;
    private readonly string _root;
    private readonly string[] _scenarios;
    private readonly string _experiment;

    public FuzzInputs(string root, int seed)
    {
        _random = new Random(seed);
        _root = root;
        var config = Path.Combine(Repository.Root, "config");
        Directory.CreateDirectory(Path.Combine(root, "scenarios"));
        Directory.CreateDirectory(Path.Combine(root, "experiments"));
        foreach (var file in Directory.GetFiles(Path.Combine(config, "scenarios"), "*.yaml"))
            File.Copy(file, Path.Combine(root, "scenarios", Path.GetFileName(file)), overwrite: true);
        _scenarios = [.. new[] { "baseline.yaml", "price-war.yaml", "small.yaml", "low-cost-entrant.yaml" }.Select(f => File.ReadAllText(Path.Combine(config, "scenarios", f)))];
        _experiment = File.ReadAllText(Path.Combine(config, "experiments", "price-war.yaml"));
    }

    /// <summary>Writes <paramref name="count"/> mutated files; every fourth is an experiment.</summary>
    public IEnumerable<string> Write(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var experiment = i % 4 == 3;
            var source = experiment ? _experiment : _scenarios[_random.Next(_scenarios.Length)];
            var text = Mutate(source, experiment);
            var path = Path.Combine(_root, experiment ? "experiments" : "scenarios", $"m{i:D4}.yaml");
            File.WriteAllText(path, text, new UTF8Encoding(false));
            yield return path;
        }
    }

    private string Mutate(string text, bool experiment)
    {
        var lines = text.Split('\n').ToList();
        var mutations = 1 + _random.Next(3);
        for (var m = 0; m < mutations; m++)
        {
            switch (_random.Next(12))
            {
                case 0: // delete a line
                    lines.RemoveAt(_random.Next(lines.Count));
                    break;
                case 1: // delete a key and its block
                    DeleteBlock(lines);
                    break;
                case 2:
                case 3:
                case 4: // replace a value
                    ReplaceValue(lines);
                    break;
                case 5: // truncate
                    var all = string.Join('\n', lines);
                    return all[.._random.Next(all.Length)];
                case 6: // duplicate a line
                    var d = _random.Next(lines.Count);
                    lines.Insert(d, lines[d]);
                    break;
                case 7: // shift indentation
                    var s = _random.Next(lines.Count);
                    lines[s] = _random.Next(2) == 0 ? "  " + lines[s] : lines[s].TrimStart();
                    break;
                case 8: // an unknown key, or a long name
                    lines.Insert(_random.Next(lines.Count), _random.Next(2) == 0 ? "zzz: 1" : "name: " + new string('n', 5000));
                    break;
                case 9: // control characters, unicode, a tab
                    var c = _random.Next(lines.Count);
                    lines[c] = lines[c].Insert(_random.Next(lines[c].Length + 1), new[] { "\t", "\u0001", "😀", "\u202e", "\ufeff", "\r", "\"", "'", "{", "[", ":", "#", "&a ", "*a " }[_random.Next(14)]);
                    break;
                case 10: // aliases
                    lines.Add(AliasBlock(experiment));
                    break;
                default: // experiment-specific or events-specific damage
                    lines.Add(experiment ? ExperimentDamage() : ScenarioDamage());
                    break;
            }
            if (lines.Count == 0) break;
        }
        return string.Join('\n', lines);
    }

    private void DeleteBlock(List<string> lines)
    {
        var start = _random.Next(lines.Count);
        var indent = Indent(lines[start]);
        var end = start + 1;
        while (end < lines.Count && (lines[end].Trim().Length == 0 || Indent(lines[end]) > indent)) end++;
        lines.RemoveRange(start, end - start);
    }

    private void ReplaceValue(List<string> lines)
    {
        var candidates = Enumerable.Range(0, lines.Count).Where(i => lines[i].Contains(": ", StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith('#')).ToList();
        if (candidates.Count == 0) return;
        var i = candidates[_random.Next(candidates.Count)];
        var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
        lines[i] = lines[i][..(colon + 2)] + Values[_random.Next(Values.Length)];
    }

    private string AliasBlock(bool experiment)
    {
        var width = 2 + _random.Next(9);
        var depth = 2 + _random.Next(8);
        var sb = new StringBuilder(experiment ? "grid:\n" : "engine:\n");
        sb.Append("  x0: &a0 [").Append(string.Join(", ", Enumerable.Repeat("1", width))).Append("]\n");
        for (var d = 1; d < depth; d++)
            sb.Append(CultureInfo.InvariantCulture, $"  x{d}: &a{d} [").Append(string.Join(", ", Enumerable.Repeat($"*a{d - 1}", width))).Append("]\n");
        return sb.ToString();
    }

    private string ScenarioDamage() => _random.Next(6) switch
    {
        0 => "events:\n" + string.Concat(Enumerable.Range(0, 1100).Select(i => $"  - {{tick: {i % 50}, kind: demand-shock, factor: 1.1}}\n")),
        1 => "providers:\n" + string.Concat(Enumerable.Range(0, 70).Select(i => $"  - {{id: p{i}, fleet: [{{gpu: H100, count: 1}}], models: [{{id: m}}]}}\n")),
        2 => "events:\n  - {tick: 1, kind: model-release, provider: nobody, release: {id: x}}\n  - {tick: 2, kind: model-retirement, provider: frontier-a, model: ghost}\n",
        3 => "extends: " + new[] { "baseline.yaml", "missing.yaml", "/dev/zero", ".", "price-war.yaml", "m0000.yaml" }[_random.Next(6)],
        4 => "gpus:\n  - {id: G, launch: 9999-12-31, memoryGb: 1, powerWatts: 1, tokensPerSecond: 1, curve: {kind: table, points: [{date: 0001-01-01, price: 1}, {date: 2999-12-31, price: 1e308}]}}",
        _ => "start: 2999-12-31\nticks: 3650\ntickDays: 365",
    };

    private string ExperimentDamage() => _random.Next(5) switch
    {
        0 => "grid:\n  ticks: [" + string.Join(", ", Enumerable.Range(1, 1000)) + "]\n  seed: [" + string.Join(", ", Enumerable.Range(1, 1000)) + "]",
        1 => "variants:\n  - name: " + new string('v', 5000),
        2 => "replications: 100000000000",
        3 => "scenario: " + new[] { "/dev/zero", "../scenarios", "../scenarios/nope.yaml", "../scenarios/m0000.yaml" }[_random.Next(4)],
        _ => "metrics: [" + string.Join(", ", Enumerable.Repeat("profit_usd:nobody", 200)) + "]",
    };

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;
}
