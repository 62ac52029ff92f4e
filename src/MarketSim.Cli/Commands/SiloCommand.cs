using System.CommandLine;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim silo</c>: hosts a silo of the Orleans engine. A stub until the silo host is wired in.</summary>
internal static class SiloCommand
{
    public static Command Create(CliContext context)
    {
        var siloPort = CommonOptions.Port("--silo-port", "Port for silo-to-silo traffic");
        var gatewayPort = CommonOptions.Port("--gateway-port", "Port clients connect to (marketsim run --gateway HOST:PORT)");
        var metricsPort = CommonOptions.Port("--metrics-port", "Port of the Prometheus metrics endpoint");
        var command = new Command("silo", "Host a silo of the Orleans engine (not yet available)") { siloPort, gatewayPort, metricsPort };
        command.SetAction(async (_, _) =>
        {
            // TODO(merge with main): start the silo host of src/MarketSim.Silo with these ports.
            await context.Err.WriteLineAsync("marketsim silo: not yet available in this build");
            return ExitCodes.Failure;
        });
        return command;
    }
}
