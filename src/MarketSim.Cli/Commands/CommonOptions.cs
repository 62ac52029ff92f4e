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

    /// <summary>--gateway HOST:PORT of a running cluster, checked by <see cref="MarketSim.Client.HostPort"/>.</summary>
    public static Option<string> Gateway(string description, bool required = false)
    {
        var option = new Option<string>("--gateway") { Description = description, HelpName = "HOST:PORT", Required = required };
        CheckHostPort(option, "localhost:30000");
        return option;
    }

    /// <summary>Refuses a value of <paramref name="option"/> that is not HOST:PORT (<see cref="MarketSim.Client.HostPort"/>),
    /// e.g. "--gateway must be HOST:PORT, e.g. localhost:30000, not 'nohost'", with the problem when a port was given.</summary>
    /// <param name="accept">Values taken as they are (e.g. a full Redis configuration string).</param>
    public static void CheckHostPort(Option<string> option, string example, Func<string, bool>? accept = null)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not { } value || accept?.Invoke(value) == true
                || MarketSim.Client.HostPort.Problem(value) is not { } problem) return;
            r.AddError($"{option.Name} must be HOST:PORT, e.g. {example}, not '{value}'" + (value.Contains(':') ? $" ({problem})" : ""));
        });
    }

    /// <summary>--force: empty a non-empty output folder before the run (it is refused otherwise).</summary>
    public static Option<bool> Force() => new("--force")
    {
        Description = "Empty the output folder first if it is not empty (without it, a run refuses a folder holding other files)",
    };

    public static Option<int?> Port(string name, string description) =>
        Number<int>(name, description, "N", "a TCP port", MarketSim.Client.HostPort.PortProblem);

    /// <summary>An optional IP address option ("0.0.0.0" listens on every interface).</summary>
    public static Option<System.Net.IPAddress?> Address(string name, string description)
    {
        var option = new Option<System.Net.IPAddress?>(name) { Description = description, HelpName = "IP" };
        option.CustomParser = result =>
        {
            if (result.Tokens is not [var token]) return null;
            if (System.Net.IPAddress.TryParse(token.Value, out var address)) return address;
            result.AddError($"{name} must be an IP address such as 127.0.0.1 or 0.0.0.0, not '{token.Value}'");
            return null;
        };
        return option;
    }

    /// <summary>An optional number with messages that name the option and the value, e.g.
    /// "--pace must be a number, not 'fast'".</summary>
    /// <param name="check">A problem with a parsed value ("must be positive"), or null when it is fine.</param>
    public static Option<T?> Number<T>(string name, string description, string helpName, string kind, Func<T, string?>? check = null)
        where T : struct, IParsable<T>
    {
        var option = new Option<T?>(name) { Description = description, HelpName = helpName };
        option.CustomParser = result =>
        {
            if (result.Tokens is not [var token]) return null;   // missing value: System.CommandLine says so
            if (!T.TryParse(token.Value, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"{name} must be {kind}, not '{token.Value}'");
                return null;
            }
            if (check?.Invoke(value) is { } problem)
            {
                result.AddError($"{name} {problem}, not {token.Value}");
                return null;
            }
            return value;
        };
        return option;
    }

    /// <summary>An option whose value is one of a few words, with a message that names the option.</summary>
    public static Option<string> OneOf(string name, string description, string defaultValue, params string[] values)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', values),
            DefaultValueFactory = _ => defaultValue,
        };
        option.CompletionSources.Add(values);
        option.Validators.Add(r =>
        {
            if (r.Tokens is [var token] && !values.Contains(token.Value, StringComparer.Ordinal))
                r.AddError($"{name} must be {string.Join(" or ", values)}, not '{token.Value}'");
        });
        return option;
    }
}
