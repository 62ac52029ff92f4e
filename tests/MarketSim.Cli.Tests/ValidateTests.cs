using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests;

/// <summary><c>marketsim validate</c> on scenarios that extend others, on experiment files, and its interruption.</summary>
public sealed class ValidateTests
{
    [Theory]
    [InlineData("config/scenarios/price-war.yaml")]
    [InlineData("config/scenarios/gpu-glut.yaml")]
    [InlineData("config/experiments/price-war.yaml")]
    public async Task Shipped_files_that_extend_or_name_a_scenario_are_ok(string file)
    {
        var result = await RunAsync("validate", Repository.File(file.Split('/')));

        Assert.Equal((0, "ok\n"), (result.ExitCode, result.Out.ReplaceLineEndings("\n")));
    }

    [Fact]
    public async Task A_missing_parent_exits_2_at_the_extends_line()
    {
        var path = Path.Combine(TempDirectory(), "child.yaml");
        File.WriteAllText(path, "name: child\nextends: nowhere.yaml\n");

        var result = await RunAsync("validate", path);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"{path}:2:10: extends: parent 'nowhere.yaml': file not found (looked for ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_characters_of_a_hostile_file_are_escaped_in_the_problems_it_quotes()
    {
        // An id with NUL, an escape sequence that would clear the terminal, a right-to-left override and a newline.
        var path = Path.Combine(TempDirectory(), "hostile.yaml");
        var yaml = File.ReadAllText(Fixture("tiny.yaml"));
        var at = yaml.IndexOf("id: lab-a", StringComparison.Ordinal);
        File.WriteAllText(path, yaml[..at] + "id: \"lab\\u0000\\u001b[2J\\u202e\\nx\"" + yaml[(at + "id: lab-a".Length)..]);

        var result = await RunAsync("validate", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(@"'lab\u0000\u001b[2J\u202e\u000ax' is not a valid id", result.Out);
        Assert.DoesNotContain(result.Out.TrimEnd('\n'), c => char.IsControl(c) && c != '\n' || c == '\u202e');
        Assert.All(result.Out.TrimEnd('\n').Split('\n'), line => Assert.Matches(@"^.+:[0-9]+:[0-9]+: ", line));

        // An experiment name with a tab, a NUL and newlines (found by scripts/fuzz.sh): one located line.
        var experiment = Experiments.ExperimentFixtures.TwoVariants();
        File.WriteAllText(experiment, File.ReadAllText(experiment).Replace("name: tiny-test", "name: \"multi\\t\\u0000\\nline\\n\"", StringComparison.Ordinal));
        var named = await RunAsync("validate", experiment);
        Assert.Equal(2, named.ExitCode);
        Assert.StartsWith($"{experiment}:1:7: name: 'multi\\u0009\\u0000\\u000aline\\u000a' does not match the pattern ", named.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(named.Out.TrimEnd('\n'), c => char.IsControl(c) && c != '\n');
    }

    [Fact]
    public async Task An_experiment_with_a_wrong_type_is_reported_from_the_schema()
    {
        var dir = TempDirectory();
        File.Copy(Fixture("tiny.yaml"), Path.Combine(dir, "tiny.yaml"));
        var path = Path.Combine(dir, "exp.yaml");
        File.WriteAllText(path, "scenario: tiny.yaml\nreplications: many\nvariants:\n  - name: base\n");

        var result = await RunAsync("validate", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{path}:2:15: replications: expected a whole number, got the string 'many' (fix: write a whole number such as 365)\n", result.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Validate_stops_when_interrupted()
    {
        using var interrupt = new CancellationTokenSource();
        await interrupt.CancelAsync();

        var result = await RunAsync(["validate", Repository.File("config", "scenarios", "baseline.yaml")], interrupt.Token);

        Assert.Equal(130, result.ExitCode);
        Assert.Contains("interrupted", result.Err, StringComparison.Ordinal);
    }
}
