using System.CommandLine;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim validate SCENARIO [--set PATH=VALUE]...</c>: prints every problem, one per line, and exits
/// 2, or prints "ok" and exits 0.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var scenario = CommonOptions.Scenario();
        var set = CommonOptions.Set();
        var command = new Command("validate", "Check a scenario file (and overrides) without running it") { scenario, set };
        command.SetAction(async (parsed, _) =>
        {
            var path = parsed.GetRequiredValue(scenario);
            var (_, problems) = ScenarioInput.Check(path, parsed.GetValue(set) ?? []);
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
}
