using System.Globalization;
using MarketSim.Model.Economics;
using MarketSim.Model.Engine;
using Spectre.Console;

namespace MarketSim.Cli.Output;

/// <summary>Renders a <see cref="RunSummary"/> as the tables printed at the end of a run.</summary>
public static class SummaryTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Render(IAnsiConsole console, RunIdentity run, RunSummary s, RunEnd end)
    {
        var status = end.Completed ? "completed" : $"stopped after {s.TicksDone} of {run.Ticks} ticks";
        console.MarkupLine($"[bold]{Markup.Escape(run.Scenario)}[/]  engine {run.Engine}, seed {run.Seed}, {status}");
        if (s.FirstDate is { } first && s.LastDate is { } last)
            console.MarkupLine($"{first:yyyy-MM-dd} .. {last:yyyy-MM-dd}, {s.TicksDone} ticks of {run.TickDays} day(s)");
        console.WriteLine();

        var prices = new Table().Title("Price index, US$ per million tokens")
            .AddColumn("tier").AddColumn(new TableColumn("start").RightAligned()).AddColumn(new TableColumn("end").RightAligned())
            .AddColumn(new TableColumn("change").RightAligned());
        for (var t = 0; t < Tiers.Count; t++)
            prices.AddRow(Tiers.Names[t], Price(s.PriceIndexStart[t]), Price(s.PriceIndexEnd[t]), Change(s.PriceIndexStart[t], s.PriceIndexEnd[t]));
        console.Write(prices);

        if (s.CapabilityLevels.Count > 0)
        {
            var capability = new Table().Title("Price of a fixed capability, US$ per million tokens: cheapest listed and bought")
                .AddColumn("level").AddColumn(new TableColumn("quality").RightAligned())
                .AddColumn(new TableColumn("listed start").RightAligned()).AddColumn(new TableColumn("end").RightAligned())
                .AddColumn(new TableColumn("change").RightAligned())
                .AddColumn(new TableColumn("bought start").RightAligned()).AddColumn(new TableColumn("end").RightAligned())
                .AddColumn(new TableColumn("change").RightAligned());
            foreach (var l in s.CapabilityLevels)
                capability.AddRow(Markup.Escape(l.Label), l.Quality.ToString("0.###", Invariant),
                    Price(l.ListedStart), Price(l.ListedEnd), Change(l.ListedStart, l.ListedEnd),
                    Price(l.BoughtStart), Price(l.BoughtEnd), Change(l.BoughtStart, l.BoughtEnd));
            console.Write(capability);
        }

        var providers = new Table().Title("Providers: shares at the last tick, money over the run")
            .AddColumn("provider").AddColumn(new TableColumn("token share").RightAligned())
            .AddColumn(new TableColumn("revenue share").RightAligned()).AddColumn(new TableColumn("revenue").RightAligned())
            .AddColumn(new TableColumn("profit").RightAligned()).AddColumn(new TableColumn("cash at end").RightAligned())
            .AddColumn("exited");
        foreach (var p in s.Providers)
            providers.AddRow(Markup.Escape(p.Id), Share(p.TokenShare), Share(p.RevenueShare), Usd(p.RevenueMicros),
                Usd(p.ProfitMicros), Usd(p.CashMicros), p.ExitedTick is { } x ? $"tick {x}" : p.FirstActiveTick is null ? "never entered" : "-");
        console.Write(providers);

        var totals = new Table().Title("Market over the run").HideHeaders()
            .AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        totals.AddRow("consumer surplus", Usd(s.ConsumerSurplusMicros));
        totals.AddRow("customer spend", Usd(s.SpendMicros));
        totals.AddRow("tokens served", Tokens(s.TokensServed));
        totals.AddRow("tokens wanted / lost", $"{Tokens(s.TokensWanted)} / {Tokens(s.TokensLost)}");
        totals.AddRow("served share (lowest year)", $"{Number(s.ServedShare, "0.0%")} ({Number(s.MinYearServedShare, "0.0%")})");
        totals.AddRow("served by a next choice", Tokens(s.SecondChoiceTokens));
        totals.AddRow("HHI start / end", $"{Number(s.HhiStart, "0")} / {Number(s.HhiEnd, "0")}");
        totals.AddRow("entries / exits", $"{s.Entries} / {s.Exits}");
        totals.AddRow("switches", s.Switches.ToString("N0", Invariant));
        totals.AddRow("negotiations accepted / agreed / failed / no capacity",
            string.Join(" / ", new[] { NegotiationOutcome.Accepted, NegotiationOutcome.Agreed, NegotiationOutcome.Failed, NegotiationOutcome.RejectedCapacity }
                .Select(o => s.NegotiationCount(o).ToString("N0", Invariant))));
        totals.AddRow("mean rounds", Number(s.MeanRounds, "0.00"));
        if (s.Calvano is { } c)
            totals.AddRow($"calvano: profit gain / mean price / converged (last {c.WindowTicks.ToString("N0", Invariant)} ticks)",
                $"{Number(c.ProfitGain, "0.000")} / {Number(c.MeanPrice, "0.0000")} / {c.Learners.Count(l => l.Converged)} of {c.Learners.Count}");
        console.Write(totals);

        if (end.Fingerprint is { } fp) console.MarkupLine($"fingerprint {fp}");
    }

    public static string Price(double? usdPerMillion) => usdPerMillion switch
    {
        null => "-",
        >= 100 => usdPerMillion.Value.ToString("$0.0", Invariant),
        >= 1 => usdPerMillion.Value.ToString("$0.00", Invariant),
        _ => usdPerMillion.Value.ToString("$0.0000", Invariant),
    };

    public static string Change(double? from, double? to) =>
        RunSummary.ChangeOf(from, to) is { } c ? c.ToString("+0.0%;-0.0%;0.0%", Invariant) : "-";

    public static string Share(double share) => share.ToString("0.0%", Invariant);

    /// <summary>US$ with a scale suffix (k, M, bn).</summary>
    public static string Usd(long micros)
    {
        var usd = micros / (double)Money.MicrosPerDollar;
        var sign = usd < 0 ? "-" : "";
        var a = Math.Abs(usd);
        return sign + (a switch
        {
            >= 1e9 => (a / 1e9).ToString("$0.00", Invariant) + " bn",
            >= 1e6 => (a / 1e6).ToString("$0.00", Invariant) + " M",
            >= 1e3 => (a / 1e3).ToString("$0.00", Invariant) + " k",
            _ => a.ToString("$0.00", Invariant),
        });
    }

    public static string Tokens(long tokens) => tokens switch
    {
        >= 1_000_000_000_000 => (tokens / 1e12).ToString("0.00", Invariant) + " T",
        >= 1_000_000_000 => (tokens / 1e9).ToString("0.00", Invariant) + " B",
        >= 1_000_000 => (tokens / 1e6).ToString("0.00", Invariant) + " M",
        _ => tokens.ToString("N0", Invariant),
    };

    private static string Number(double? x, string format) => x is { } v ? v.ToString(format, Invariant) : "-";
}
