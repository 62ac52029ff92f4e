using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MarketSim.Client;
using MarketSim.Contracts;
using MarketSim.Model.Engine;
using MarketSim.Model.Scenarios.Loading;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim inject --gateway HOST:PORT RUN EVENT [--provider ID] [--fraction X] [--factor X] [--gpu ID]
/// [--segment NAME] [--strategy NAME] [--days N] [--model ID] [--entrant FILE]</c>: applies an event to a live run at
/// its next tick. The event is checked as the scenario checks its events, against the run's own scenario.</summary>
public static class InjectCommand
{
    /// <summary>Event fields the command's options can give.</summary>
    public static readonly string[] Fields = ["provider", "model", "gpu", "segment", "strategy", "fraction", "factor", "days", "entrant"];

    /// <summary>The kinds of the event table whose required fields the options can give.</summary>
    public static readonly string[] Kinds =
        [.. EventKinds.All.Where(k => k.Required.All(Fields.Contains)).Select(k => k.Name)];

    internal static Command Create(CliContext context)
    {
        var gateway = CommonOptions.Gateway("Gateway of the cluster the run is on (or --redis HOST:PORT)");
        var cluster = new ClusterOptions();
        var run = new Argument<string>("RUN") { Description = "Run id (marketsim run prints it: 'run id: ...')" };
        var kind = new Argument<string>("EVENT") { Description = $"Event kind: {string.Join(", ", Kinds)}" };
        kind.Validators.Add(r =>
        {
            if (r.Tokens is [var t] && !Kinds.Contains(t.Value, StringComparer.Ordinal))
                r.AddError($"unknown event kind '{t.Value}' (fix: use one of {string.Join(", ", Kinds)})");
        });
        var provider = new Option<string>("--provider") { Description = "Provider id", HelpName = "ID" };
        var model = new Option<string>("--model") { Description = "Model id (default: all the provider's models)", HelpName = "ID" };
        var gpu = new Option<string>("--gpu") { Description = "GPU id (gpu-price-shock)", HelpName = "ID" };
        var segment = new Option<string>("--segment") { Description = "Customer segment (demand-shock; default all)", HelpName = "NAME" };
        var strategy = new Option<string>("--strategy") { Description = "New strategy (strategy-change)", HelpName = "NAME" };
        var fraction = CommonOptions.Number<double>("--fraction", "Fraction (price cut; quality loss of a compression breakthrough)", "X", "a number");
        var factor = CommonOptions.Number<double>("--factor", "Multiplier (price shock, demand shock, compression gain)", "X", "a number");
        var days = CommonOptions.Number<int>("--days", "Duration in days (default: the rest of the run)", "N", "a whole number");
        var entrant = new Option<string>("--entrant") { Description = "Provider spec YAML of the entrant (provider-entry)", HelpName = "FILE" };
        var command = new Command("inject", "Apply an event to a run on a live cluster at its next tick")
        {
            gateway, run, kind, provider, model, gpu, segment, strategy, fraction, factor, days, entrant,
        };
        foreach (var option in cluster.All) command.Options.Add(option);
        command.SetAction((parsed, cancellationToken) =>
        {
            var e = new EventSpec
            {
                Kind = parsed.GetRequiredValue(kind), Provider = parsed.GetValue(provider), Model = parsed.GetValue(model), Gpu = parsed.GetValue(gpu),
                Segment = parsed.GetValue(segment), Strategy = parsed.GetValue(strategy), Fraction = parsed.GetValue(fraction),
                Factor = parsed.GetValue(factor), Days = parsed.GetValue(days),
            };
            var where = parsed.GetValue(gateway) ?? parsed.GetValue(cluster.Redis) ?? "";
            return ExecuteAsync(context, ct => cluster.ConnectAsync(parsed, parsed.GetValue(gateway), "marketsim inject", context.Err, ct), where,
                parsed.GetRequiredValue(run), e, parsed.GetValue(entrant), cancellationToken);
        });
        return command;
    }

    public static async Task<int> ExecuteAsync(CliContext context, Func<CancellationToken, Task<MarketSimClient>> connect, string where, string runId,
        EventSpec e, string? entrantFile, CancellationToken cancellationToken)
    {
        if (entrantFile is not null) e.Entrant = ReadEntrant(entrantFile);
        var client = await connect(cancellationToken);
        await using (client)
        {
            var coordinator = client.Cluster.GetGrain<IRunCoordinatorGrain>(runId);
            var status = await coordinator.Status();   // a cluster that refuses the key throws ApiKeyRefusedException: exit 2 (Cli)
            if (!status.Started)
                throw new UsageException($"{runId}: no such run on {MarketSim.Client.RedisConnection.Redact(where)} (fix: use the id 'marketsim run --gateway' printed as 'run id: ...')");
            if (status.NextTick >= status.Ticks)
                throw new UsageException($"{runId}: the run has finished ({status.Ticks} ticks); nothing to inject into");
            int tick;
            try
            {
                // The cluster checks the event against the run as it stands and refuses it without changing the run.
                tick = await coordinator.Inject(JsonSerializer.Serialize(e, ScenarioJson.Options));
            }
            catch (ArgumentException x)
            {
                throw new UsageException($"{x.Message}\nnothing was injected");
            }
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"injected {e.Kind} into {runId}: applies at tick {tick}"));
            return ExitCodes.Success;
        }
    }

    private static ProviderSpec ReadEntrant(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"{path}: entrant file not found (fix: give a provider spec YAML, as one entry of a scenario's providers)");
        var doc = PositionedYaml.Parse(ScenarioInput.ReadBounded(path), path);
        if (doc.Problems.Count > 0 || doc.Root is null) throw new UsageException(string.Join('\n', doc.Problems));
        try
        {
            return doc.Root.Deserialize<ProviderSpec>(ScenarioJson.Options) ?? throw new UsageException($"{path}: empty provider spec");
        }
        catch (JsonException x)
        {
            throw new UsageException($"{path}: not a provider spec: {x.Message} (fix: write it as one entry of a scenario's providers: id, name, strategy, fleet, models...)");
        }
    }
}
