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
    public static readonly string[] Kinds =
        ["price-cut", "gpu-price-shock", "compression-breakthrough", "provider-entry", "provider-exit", "strategy-change", "demand-shock"];

    internal static Command Create(CliContext context)
    {
        var gateway = new Option<string>("--gateway") { Description = "Gateway of the cluster the run is on", HelpName = "HOST:PORT", Required = true };
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
        command.SetAction((parsed, cancellationToken) =>
        {
            var e = new EventSpec
            {
                Kind = parsed.GetRequiredValue(kind), Provider = parsed.GetValue(provider), Model = parsed.GetValue(model), Gpu = parsed.GetValue(gpu),
                Segment = parsed.GetValue(segment), Strategy = parsed.GetValue(strategy), Fraction = parsed.GetValue(fraction),
                Factor = parsed.GetValue(factor), Days = parsed.GetValue(days),
            };
            return ExecuteAsync(context, parsed.GetRequiredValue(gateway), parsed.GetRequiredValue(run), e, parsed.GetValue(entrant), cancellationToken);
        });
        return command;
    }

    public static async Task<int> ExecuteAsync(CliContext context, string gateway, string runId, EventSpec e, string? entrantFile, CancellationToken cancellationToken)
    {
        if (entrantFile is not null) e.Entrant = ReadEntrant(entrantFile);
        MarketSimClient client;
        try
        {
            client = await MarketSimClient.ConnectAsync(gateway, cancellationToken);
        }
        catch (ClusterUnreachableException x)
        {
            throw new UsageException(x.Message);
        }
        catch (ArgumentException x)
        {
            throw new UsageException($"--gateway: {x.Message}");
        }
        await using (client)
        {
            var coordinator = client.Cluster.GetGrain<IRunCoordinatorGrain>(runId);
            var status = await coordinator.Status();
            if (!status.Started)
                throw new UsageException($"{runId}: no such run on {gateway} (fix: use the id 'marketsim run --gateway' printed as 'run id: ...')");
            if (status.NextTick >= status.Ticks)
                throw new UsageException($"{runId}: the run has finished ({status.Ticks} ticks); nothing to inject into");
            var checkpoint = MarketSim.Model.Codec.FromBytes(await coordinator.ExportCheckpoint(), RunCheckpoint.Read);
            var problems = Check(checkpoint.ScenarioJson, e, status.NextTick);
            if (problems.Count > 0) throw new UsageException(string.Join('\n', problems) + "\nnothing was injected");
            e.Tick = null;
            var tick = await coordinator.Inject(JsonSerializer.Serialize(e, ScenarioJson.Options));
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"injected {e.Kind} into {runId}: applies at tick {tick}"));
            return ExitCodes.Success;
        }
    }

    /// <summary>The problems of an event against a run's scenario: the scenario with the event added at
    /// <paramref name="tick"/> goes through the scenario loader's checks (kinds, references, ranges).</summary>
    public static IReadOnlyList<string> Check(string scenarioJson, EventSpec e, int tick)
    {
        var scenario = ScenarioJson.Deserialize(scenarioJson);
        e.Tick = tick;
        e.At = null;
        scenario.Events.Add(e);
        var result = ScenarioLoader.LoadFromText(ScenarioWriter.ToYaml(scenario), "event");
        var problems = result.Problems.Select(p => $"{e.Kind}: {(p.Path.Length > 0 ? p.Path.Replace($"events[{scenario.Events.Count - 1}].", "") + ": " : "")}{p.Message}{(p.Hint.Length > 0 ? $" (fix: {p.Hint})" : "")}").ToList();
        if (problems.Count == 0)
        {
            try { _ = new MarketSetup(result.Scenario!); }
            catch (ArgumentException x) { problems.Add($"{e.Kind}: {x.Message}"); }
        }
        return problems;
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
