using MarketSim.Contracts;
using System.CommandLine;
using MarketSim.Silo;
using MarketSim.Client;
using Microsoft.Extensions.Hosting;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim silo</c>: hosts a silo of the Orleans engine until stopped (Ctrl-C or SIGTERM).</summary>
internal static class SiloCommand
{
    public static Command Create(CliContext context)
    {
        var siloPort = CommonOptions.Port("--silo-port", "Port for silo-to-silo traffic (default 11111)");
        var gatewayPort = CommonOptions.Port("--gateway-port", "Port clients connect to (marketsim run --gateway HOST:PORT; default 30000)");
        var metricsPort = CommonOptions.Port("--metrics-port", "Port of the Prometheus metrics endpoint");
        var primaryPort = CommonOptions.Port("--primary-silo-port", "Without Redis: silo port of the cluster's first silo on this machine (omit on the first silo)");
        var address = CommonOptions.Address("--address", "Address to listen on and advertise (default 127.0.0.1; 0.0.0.0 listens everywhere and advertises this host's address)");
        var metricsAddress = CommonOptions.Address("--metrics-address", "Address of the metrics endpoint (default: --address)");
        var dashboardPort = CommonOptions.Port("--dashboard-port", "Serve the Orleans Dashboard on this port");
        var dashboardAddress = CommonOptions.Address("--dashboard-address", "Address of the Orleans Dashboard (default: --address)");
        var metricsAuth = new Option<string>("--metrics-auth-file")
        {
            Description = "File holding USER:PASSWORD: the metrics endpoint and the Orleans Dashboard then require HTTP basic auth with them",
            HelpName = "FILE",
        };
        var cluster = new ClusterOptions();
        var command = new Command("silo", "Host a silo of the Orleans engine")
        {
            siloPort, gatewayPort, address, metricsPort, metricsAddress, dashboardPort, dashboardAddress, primaryPort, metricsAuth,
        };
        foreach (var option in cluster.All) command.Options.Add(option);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var listen = parsed.GetValue(address) ?? System.Net.IPAddress.Loopback;
            var options = new SiloOptions
            {
                SiloPort = parsed.GetValue(siloPort) ?? 11111,
                GatewayPort = parsed.GetValue(gatewayPort) ?? 30000,
                Address = listen,
                MetricsPort = parsed.GetValue(metricsPort),
                MetricsAddress = parsed.GetValue(metricsAddress) ?? listen,
                DashboardPort = parsed.GetValue(dashboardPort),
                DashboardAddress = parsed.GetValue(dashboardAddress) ?? listen,
                PrimarySiloPort = parsed.GetValue(primaryPort),
                ClusterId = cluster.ClusterIdOf(parsed),
            };
            var redis = parsed.GetValue(cluster.Redis);
            ClusterTls? tls;
            string? redisPassword;
            try
            {
                tls = cluster.TlsOf(parsed);
                tls?.Load();
                options = options with { ApiKey = cluster.ApiKeyOf(parsed), MetricsCredentials = BasicAuth.ReadCredentials(parsed.GetValue(metricsAuth)) };
                redisPassword = cluster.RedisPasswordOf(parsed);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"marketsim silo: {e.Message}");
            }
            if (redis is not null)
            {
                try
                {
                    await RedisConnection.WaitForAsync(redis, cluster.TimeoutOf(parsed),
                        m => context.Err.WriteLine($"marketsim silo: {m}"), cancellationToken, redisPassword);
                }
                catch (RedisUnreachableException e)
                {
                    await context.Err.WriteLineAsync($"marketsim silo: {e.Message}");
                    return ExitCodes.Failure;
                }
            }
            using var host = SiloHost.Build(options, silo =>
            {
                if (redis is not null) silo.UseMarketSimRedis(redis, redisPassword);
                else silo.UseMarketSimDevelopmentClustering(options);
                if (tls is not null) silo.UseMarketSimTls(tls);
            }, Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(Environment.GetEnvironmentVariable("MARKETSIM_SILO_LOG"), true, out var level)
                ? level : Microsoft.Extensions.Logging.LogLevel.Error);
            try
            {
                await host.StartAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await context.Err.WriteLineAsync($"marketsim silo: cannot start the silo on {options.Address} (silo port {options.SiloPort}, gateway port {options.GatewayPort}): {RedisConnection.Redact(e.Message.Split('\n')[0])}");
                await context.Err.WriteLineAsync(redis is not null
                    ? $"fix: check that Redis at {RedisConnection.Redact(redis)} is up, that the ports are free (--silo-port, --gateway-port), and with TLS the certificates"
                    : "fix: choose free ports with --silo-port and --gateway-port, or stop what uses them");
                return ExitCodes.Failure;
            }
            await context.Out.WriteLineAsync($"silo ready: gateway {options.Address}:{options.GatewayPort}, silo port {options.SiloPort}" +
                (redis is not null ? $", cluster {options.ClusterId} in Redis {RedisConnection.Redact(redis)}" : "") + (tls is not null ? ", TLS" : "") +
                (options.ApiKey is not null ? ", API key required" : "") +
                (options.MetricsPort is { } mp ? $", metrics http://{options.MetricsAddress}:{mp}/metrics" : "") +
                (options.MetricsCredentials is not null ? " (basic auth)" : "") +
                (options.DashboardPort is { } dp ? $", dashboard http://{options.DashboardAddress}:{dp}/" : "") + " (Ctrl-C stops it)");
            try { await Task.Delay(Timeout.Infinite, cancellationToken); }
            catch (OperationCanceledException) { }
            await context.Out.WriteLineAsync("stopping the silo");
            await host.StopAsync(ClusterDefaults.SiloStopTimeout);
            return ExitCodes.Success;
        });
        return command;
    }
}
