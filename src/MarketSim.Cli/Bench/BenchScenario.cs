using System.Globalization;

namespace MarketSim.Cli.Bench;

/// <summary>
/// The synthetic bench scenario: the baseline scenario's mix scaled to a number of customers and providers.
/// Customers: <c>customers.count</c> becomes N; the segments (shares, demand, prices) are unchanged.
/// Providers: provider i is a clone of baseline provider <c>i mod B</c> (B = the baseline's providers, 8, those that
/// enter later included, with their entry dates), renamed <c>id</c> for the first copy (so the baseline's events
/// still find it) and <c>id-cK</c> for copy K. Every fleet, the clones' and the event entrants', is multiplied by
/// <c>(N / baseline customers) x (copies of that archetype)⁻¹</c>, rounded, at least 1 GPU, so the market's total
/// capacity per customer, and so its utilisation, stays the baseline's. With fewer providers than B the first N
/// archetypes are kept.
/// </summary>
public static class BenchScenario
{
    public static Scenario Scale(Scenario baseline, int customers, int providers, int ticks)
    {
        // A deep copy through the scenario's own JSON form.
        var scenario = ScenarioJson.Deserialize(ScenarioJson.Serialize(baseline));
        var demandScale = customers / (double)baseline.Customers.Count;
        var incumbents = scenario.Providers.ToList();
        var archetypes = incumbents.Count;
        var cloned = new List<ProviderSpec>(providers);
        for (var i = 0; i < providers; i++)
        {
            var source = incumbents[i % archetypes];
            var copy = i / archetypes;
            var copies = providers / archetypes + (i % archetypes < providers % archetypes ? 1 : 0);
            var clone = ScenarioJson.Deserialize(ScenarioJson.Serialize(new Scenario { Providers = [source] })).Providers[0];
            if (copy > 0)
            {
                clone.Id = string.Create(CultureInfo.InvariantCulture, $"{source.Id}-c{copy}");
                clone.Name = string.Create(CultureInfo.InvariantCulture, $"{source.Name ?? source.Id} ({copy})");
                foreach (var m in clone.Models) m.Id = string.Create(CultureInfo.InvariantCulture, $"{m.Id}-c{copy}");
            }
            ScaleFleet(clone, demandScale / copies);
            cloned.Add(clone);
        }
        scenario.Providers = cloned;
        // Events that name a provider that is not kept (fewer providers than the baseline) are dropped.
        var ids = scenario.Providers.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        scenario.Events = [.. scenario.Events.Where(e => e.Provider is null || ids.Contains(e.Provider))];
        foreach (var e in scenario.Events)
            if (e.Entrant is { } entrant) ScaleFleet(entrant, demandScale);
        scenario.Customers.Count = customers;
        scenario.Ticks = ticks;
        // The bench measures what the machine holds: the run budget's estimate (1 KiB a customer) must not refuse a
        // size that fits in the machine's memory (10M customers need about 10 GB by the estimate, 3 to 6 GB measured).
        var machineGb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (double)(1L << 30);
        scenario.Engine.MaxMemoryGb = Math.Max(scenario.Engine.MaxMemoryGb, Math.Floor(machineGb));
        scenario.Engine.MaxRunHours = Math.Max(scenario.Engine.MaxRunHours, 24);
        scenario.Name = string.Create(CultureInfo.InvariantCulture, $"bench-{customers}x{providers}");
        return scenario;
    }

    private static void ScaleFleet(ProviderSpec provider, double factor)
    {
        foreach (var f in provider.Fleet) f.Count = Math.Max(1, (int)Math.Round(f.Count * factor));
    }

    /// <summary>config/scenarios/baseline.yaml from the current folder or any folder above this program.</summary>
    public static string? FindBaseline() => FindInRepository("config/scenarios/baseline.yaml");

    /// <summary>A file of the repository by its path there: from the current folder, or from any folder above this
    /// program (a build in the repository).</summary>
    public static string? FindInRepository(string relative)
    {
        if (File.Exists(relative)) return Path.GetFullPath(relative);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
