using System.Text.Json;
using System.Text.Json.Serialization;
using MarketSim.Model.Economics;
using MarketSim.Model.Engine;

namespace MarketSim.Cli.Output;

/// <summary>What a run identifies itself by: scenario, engine, seed, horizon.</summary>
public sealed record RunIdentity(string Scenario, string? ScenarioFile, string Engine, ulong Seed, int Ticks, int TickDays, DateOnly Start)
{
    /// <summary>SHA-256 of scenario.resolved.yaml: what a resumed sweep checks before it keeps a finished run.</summary>
    public string? ScenarioSha256 { get; init; }
    /// <summary>The run folder a fork continues, and the tick it starts at.</summary>
    public string? ForkedFrom { get; init; }
    public int? ForkedAt { get; init; }
    /// <summary>The files hold every this-many-th tick (and the last); 1: every tick.</summary>
    public int SampleEvery { get; init; } = 1;
}

/// <summary>How a run ended, as far as the summary is concerned.</summary>
public sealed record RunEnd(bool Completed, string? Fingerprint, DateTimeOffset StartedAt, TimeSpan Elapsed, string? Error = null);

/// <summary>The content of <c>summary.json</c>: the run's identity, how it ended and every figure of
/// <see cref="RunSummary"/> (money in US$, exact to the micro-dollar; prices in US$ per million tokens).</summary>
public sealed class SummaryDocument
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public required bool Completed { get; init; }
    public required int TicksDone { get; init; }
    public string? Error { get; init; }
    public required string Scenario { get; init; }
    public string? ScenarioFile { get; init; }
    public required string Engine { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>Horizon of the scenario, in ticks.</summary>
    public required int Ticks { get; init; }
    public required int TickDays { get; init; }
    /// <summary>The run's files (market.csv, ...) hold every this-many-th tick and the last; the figures here cover every tick.</summary>
    public int SampleEvery { get; init; } = 1;
    /// <summary>Date of tick 0.</summary>
    public required DateOnly StartDate { get; init; }
    /// <summary>Date of the last tick done (null when none was).</summary>
    public DateOnly? EndDate { get; init; }
    /// <summary>SHA-256 of the complete state at the end (null when the engine could not give it).</summary>
    public string? Fingerprint { get; init; }
    /// <summary>Per tier (frontier, mid, small): volume-weighted price paid at the first and the last tick.</summary>
    public required Dictionary<string, StartEnd> PriceIndex { get; init; }
    /// <summary>SHA-256 of scenario.resolved.yaml (hex).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ScenarioSha256 { get; init; }
    /// <summary>A fork: the run folder it continues.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ForkedFrom { get; init; }
    /// <summary>A fork: the tick it starts at (its files cover the ticks from there).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? At { get; init; }
    public required StartEnd Hhi { get; init; }
    /// <summary>Per capability level (its label; MarketSetup.CapabilityLevels): the price of that fixed capability at
    /// the first and the last tick, listed and bought, with the change.</summary>
    public required Dictionary<string, CapabilityEntry> CapabilityPrice { get; init; }
    public required List<ProviderEntry> Providers { get; init; }
    public required TotalsEntry Totals { get; init; }
    /// <summary>The measures of Calvano et al. (2020) when providers price with the calvano strategy (docs/MODEL.md 9.7).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CalvanoEntry? Calvano { get; init; }
    public required TimingEntry Timing { get; init; }

    public sealed class CalvanoEntry
    {
        /// <summary>Ticks at the end of the run the means cover.</summary>
        public required int WindowTicks { get; init; }
        /// <summary>Mean over the learners of the profit gain Delta (0 at the Nash profit, 1 at the monopoly profit).</summary>
        public double? ProfitGain { get; init; }
        /// <summary>Mean over the learners of their mean price in the window, US$ per million tokens.</summary>
        public double? MeanPrice { get; init; }
        /// <summary>Whether every learner converged (greedy strategy unchanged for 100,000 ticks at the end).</summary>
        public required bool Converged { get; init; }
        public required List<CalvanoLearnerEntry> Learners { get; init; }
    }

    public sealed class CalvanoLearnerEntry
    {
        public required string Provider { get; init; }
        public double? MeanPrice { get; init; }
        /// <summary>Mean profit per tick in the paper's units (unit cost 1, market size 1).</summary>
        public double? MeanProfit { get; init; }
        public double? ProfitGain { get; init; }
        public double? NashPrice { get; init; }
        public double? MonopolyPrice { get; init; }
        public required long StableTicks { get; init; }
        public required bool Converged { get; init; }
    }

    public sealed record StartEnd(double? Start, double? End);

    /// <summary>A price at the first and the last tick and its relative change (end / start - 1).</summary>
    public sealed record StartEndChange(double? Start, double? End, double? Change);

    public sealed class CapabilityEntry
    {
        /// <summary>The least quality of the level.</summary>
        public required double Quality { get; init; }
        /// <summary>The lowest list price of an offered model of at least that quality.</summary>
        public required StartEndChange Listed { get; init; }
        /// <summary>The lowest average price paid for such a model that sold.</summary>
        public required StartEndChange Bought { get; init; }
    }

    public sealed class YearEntry
    {
        /// <summary>1 for the run's first 365 days, 2 for the next, ...; the last may be shorter.</summary>
        public required int Year { get; init; }
        public required DateOnly From { get; init; }
        public required DateOnly To { get; init; }
        public required int Ticks { get; init; }
        public required long TokensWanted { get; init; }
        public required long TokensLost { get; init; }
        public required double ServedShare { get; init; }
    }

    public sealed class ProviderEntry
    {
        public required string Id { get; init; }
        public string? Name { get; init; }
        /// <summary>Share of tokens served at the last tick, 0..1.</summary>
        public required double TokenShare { get; init; }
        /// <summary>Share of revenue at the last tick, 0..1.</summary>
        public required double RevenueShare { get; init; }
        public required long TokensServed { get; init; }
        public required decimal RevenueUsd { get; init; }
        public required decimal CostUsd { get; init; }
        public required decimal ProfitUsd { get; init; }
        /// <summary>Cash at the last tick.</summary>
        public required decimal CashUsd { get; init; }
        public required int FundingRounds { get; init; }
        public required bool ActiveAtEnd { get; init; }
        public int? EnteredTick { get; init; }
        public int? ExitedTick { get; init; }
    }

    public sealed class TotalsEntry
    {
        public required long TokensServed { get; init; }
        /// <summary>Tokens customers wanted from their first choices.</summary>
        public required long TokensWanted { get; init; }
        /// <summary>Tokens wanted that no provider served.</summary>
        public required long TokensLost { get; init; }
        /// <summary>Of the served tokens, those served by a customer's next choice because its first choice was full.</summary>
        public required long SecondChoiceTokens { get; init; }
        /// <summary>Served / wanted tokens over the run.</summary>
        public double? ServedShare { get; init; }
        /// <summary>The lowest served share of the run's years.</summary>
        public double? MinYearServedShare { get; init; }
        public required List<YearEntry> Years { get; init; }
        /// <summary>What customers paid.</summary>
        public required decimal SpendUsd { get; init; }
        /// <summary>What providers received (equal to spend: money is conserved).</summary>
        public required decimal RevenueUsd { get; init; }
        public required decimal ConsumerSurplusUsd { get; init; }
        public required long Switches { get; init; }
        public required int Entries { get; init; }
        public required int Exits { get; init; }
        public required int ActiveProvidersAtEnd { get; init; }
        public required NegotiationsEntry Negotiations { get; init; }
    }

    public sealed class NegotiationsEntry
    {
        public required long Accepted { get; init; }
        public required long Agreed { get; init; }
        public required long Failed { get; init; }
        public required long RejectedCapacity { get; init; }
        public required long Total { get; init; }
        public double? MeanRounds { get; init; }
    }

    public sealed class TimingEntry
    {
        public required DateTimeOffset StartedAt { get; init; }
        public required double ElapsedSeconds { get; init; }
        public double? TicksPerSecond { get; init; }
    }

    public static SummaryDocument From(RunIdentity run, RunSummary s, RunEnd end) => new()
    {
        Completed = end.Completed,
        TicksDone = s.TicksDone,
        Error = end.Error,
        Scenario = run.Scenario,
        ScenarioFile = run.ScenarioFile,
        Engine = run.Engine,
        Seed = run.Seed,
        Ticks = run.Ticks,
        TickDays = run.TickDays,
        SampleEvery = run.SampleEvery,
        StartDate = run.Start,
        EndDate = s.LastDate,
        Fingerprint = end.Fingerprint,
        ScenarioSha256 = run.ScenarioSha256,
        ForkedFrom = run.ForkedFrom,
        At = run.ForkedAt,
        PriceIndex = Enumerable.Range(0, Tiers.Count).ToDictionary(t => Tiers.Names[t], t => new StartEnd(s.PriceIndexStart[t], s.PriceIndexEnd[t])),
        Hhi = new StartEnd(s.HhiStart, s.HhiEnd),
        CapabilityPrice = s.CapabilityLevels.ToDictionary(l => l.Label, l => new CapabilityEntry
        {
            Quality = l.Quality,
            Listed = new StartEndChange(l.ListedStart, l.ListedEnd, RunSummary.ChangeOf(l.ListedStart, l.ListedEnd)),
            Bought = new StartEndChange(l.BoughtStart, l.BoughtEnd, RunSummary.ChangeOf(l.BoughtStart, l.BoughtEnd)),
        }),
        Providers = [.. s.Providers.Select(p => new ProviderEntry
        {
            Id = p.Id, Name = p.Name, TokenShare = p.TokenShare, RevenueShare = p.RevenueShare, TokensServed = p.TokensServed,
            RevenueUsd = Units.Usd(p.RevenueMicros), CostUsd = Units.Usd(p.CostMicros), ProfitUsd = Units.Usd(p.ProfitMicros),
            CashUsd = Units.Usd(p.CashMicros), FundingRounds = p.FundingRounds, ActiveAtEnd = p.ActiveAtEnd,
            EnteredTick = p.FirstActiveTick, ExitedTick = p.ExitedTick,
        })],
        Totals = new TotalsEntry
        {
            TokensServed = s.TokensServed,
            TokensWanted = s.TokensWanted,
            TokensLost = s.TokensLost,
            SecondChoiceTokens = s.SecondChoiceTokens,
            ServedShare = s.ServedShare,
            MinYearServedShare = s.MinYearServedShare,
            Years = [.. s.Years.Select(y => new YearEntry
            {
                Year = y.Year, From = y.From, To = y.To, Ticks = y.Ticks, TokensWanted = y.TokensWanted, TokensLost = y.TokensLost,
                ServedShare = y.ServedShare,
            })],
            SpendUsd = Units.Usd(s.SpendMicros),
            RevenueUsd = Units.Usd(s.RevenueMicros),
            ConsumerSurplusUsd = Units.Usd(s.ConsumerSurplusMicros),
            Switches = s.Switches,
            Entries = s.Entries,
            Exits = s.Exits,
            ActiveProvidersAtEnd = s.ActiveProvidersEnd,
            Negotiations = new NegotiationsEntry
            {
                Accepted = s.NegotiationCount(NegotiationOutcome.Accepted),
                Agreed = s.NegotiationCount(NegotiationOutcome.Agreed),
                Failed = s.NegotiationCount(NegotiationOutcome.Failed),
                RejectedCapacity = s.NegotiationCount(NegotiationOutcome.RejectedCapacity),
                Total = s.NegotiationTotal,
                MeanRounds = s.MeanRounds,
            },
        },
        Calvano = s.Calvano is { } c ? new CalvanoEntry
        {
            WindowTicks = c.WindowTicks, ProfitGain = c.ProfitGain, MeanPrice = c.MeanPrice, Converged = c.Converged,
            Learners = [.. c.Learners.Select(l => new CalvanoLearnerEntry
            {
                Provider = s.Providers.Count > l.Provider ? s.Providers[l.Provider].Id : $"provider-{l.Provider}",
                MeanPrice = l.MeanPrice, MeanProfit = l.MeanProfit, ProfitGain = l.ProfitGain, NashPrice = l.NashPrice,
                MonopolyPrice = l.MonopolyPrice, StableTicks = l.StableTicks, Converged = l.Converged,
            })],
        } : null,
        Timing = new TimingEntry
        {
            StartedAt = end.StartedAt,
            ElapsedSeconds = Math.Round(end.Elapsed.TotalSeconds, 3),
            TicksPerSecond = end.Elapsed > TimeSpan.Zero && s.TicksDone > 0 ? Math.Round(s.TicksDone / end.Elapsed.TotalSeconds, 1) : null,
        },
    };
}
