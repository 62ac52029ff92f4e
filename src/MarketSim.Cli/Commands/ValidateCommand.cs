using System.CommandLine;
using System.Text.Json.Nodes;
using MarketSim.Cli.Experiments;
using MarketSim.Model.Scenarios.Loading;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim validate FILE [--set PATH=VALUE]...</c>: checks a scenario (with overrides) or an experiment
/// file; prints every problem, one per line, and exits 2, or prints "ok" and exits 0. Ctrl-C or SIGTERM stops it
/// (exit 130).</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var scenario = CommonOptions.Scenario();
        var set = CommonOptions.Set();
        var command = new Command("validate", "Check a scenario file (and overrides) or an experiment file without running it") { scenario, set };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var path = parsed.GetRequiredValue(scenario);
            var overrides = parsed.GetValue(set) ?? [];
            var check = Task.Run(() => IsExperiment(path) && overrides.Length == 0 ? Experiment.Load(path).Problems : ScenarioInput.Check(path, overrides).Problems, cancellationToken);
            var problems = await check.WaitAsync(cancellationToken);
            if (problems.Count == 0)
            {
                await context.Out.WriteLineAsync("ok");
                return ExitCodes.Success;
            }
            foreach (var p in problems) await context.Out.WriteLineAsync(p);
            return ExitCodes.BadInput;
        });
        return command;
    }

    /// <summary>An experiment file names a base scenario and has no providers of its own.</summary>
    internal static bool IsExperiment(string path) =>
        PositionedYaml.Load(path).Root is JsonObject root && root.ContainsKey("scenario") && !root.ContainsKey("providers") && !root.ContainsKey("extends");
}
