using System.CommandLine;
using MarketSim.Client;
using Orleans;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim cluster status --redis HOST:PORT [--cluster-id ID]</c>: the cluster's active silos, one a
/// line, read through a client (exit 0 if there is at least one, 1 if none, 2 if Redis or every gateway is unreachable).</summary>
internal static class ClusterCommand
{
    public static Command Create(CliContext context)
    {
        var options = new ClusterOptions();
        options.Redis.Required = true;
        var status = new Command("status", "List the active silos of a Redis-backed cluster");
        foreach (var option in options.All) status.Options.Add(option);
        status.SetAction(async (parsed, cancellationToken) =>
        {
            var client = await options.ConnectAsync(parsed, null, "marketsim cluster status", context.Err, cancellationToken);
            await using (client)
            {
                var hosts = await client.Cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                foreach (var (silo, state) in hosts.OrderBy(h => h.Key.Endpoint.Port))
                    await context.Out.WriteLineAsync($"{silo.Endpoint} {state}");
                await context.Out.WriteLineAsync($"{hosts.Count} active silo(s) in cluster {options.ClusterIdOf(parsed)}");
                return hosts.Count > 0 ? ExitCodes.Success : ExitCodes.Failure;
            }
        });
        return new Command("cluster", "Inspect a Redis-backed cluster") { status };
    }
}
