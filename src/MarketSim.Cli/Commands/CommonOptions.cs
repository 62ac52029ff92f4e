using System.CommandLine;
using System.Globalization;

namespace MarketSim.Cli.Commands;

/// <summary>Arguments and options shared by the commands that read a scenario.</summary>
internal static class CommonOptions
{
    public static Argument<string> Scenario() => new("SCENARIO")
    {
        Description = "Scenario file (YAML), e.g. config/scenarios/baseline.yaml",
    };

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a scenario value, e.g. --set providers.lab-a.strategy=undercut; repeatable, applied in order",
        HelpName = "PATH=VALUE",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<int?> Port(string name, string description)
    {
        var option = new Option<int?>(name) { Description = description, HelpName = "N" };
        option.Validators.Add(r =>
        {
            // Only values that parsed; System.CommandLine reports the others.
            if (r.Tokens is [var token] && int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p)
                && p is < 1 or > 65535)
                r.AddError($"{name} must be a TCP port between 1 and 65535, not {token.Value}");
        });
        return option;
    }
}
