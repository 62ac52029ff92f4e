namespace MarketSim.Integration.Tests;

/// <summary>Every query of every dashboard, run against a real Prometheus that scraped a paced run, returns data.</summary>
[Collection(PacedRunCollection.Name)]
public sealed class DashboardQueryTests(PacedRunFixture run)
{
    [Fact]
    public void There_are_dashboards_and_each_has_queries()
    {
        Assert.NotEmpty(Dashboards.Files);
        foreach (var file in Dashboards.Files)
            Assert.True(Dashboards.Queries().Any(q => q.Dashboard == Dashboards.Load(file)["title"]?.GetValue<string>()),
                $"{file} has no panel with a query");
    }

    [Fact]
    public async Task Every_panel_query_of_every_dashboard_returns_series()
    {
        var provider = TestMarket.ProviderIds[0];
        var empty = new List<string>();
        var count = 0;
        foreach (var query in Dashboards.Queries())
        {
            count++;
            var expr = Dashboards.Substitute(query.Expr, run.RunId, provider);
            Assert.DoesNotContain("$", expr);
            IReadOnlyList<PrometheusServer.Series> result;
            try { result = await run.Prometheus.QueryAsync(expr); }
            catch (InvalidOperationException e) { empty.Add($"{query} -> error {e.Message}"); continue; }
            if (result.Count == 0) empty.Add($"{query} -> no series (as run: {expr})");
        }
        Assert.True(count > 0, "the dashboards have no queries");
        Assert.True(empty.Count == 0, $"{empty.Count} of {count} dashboard queries returned nothing:\n" + string.Join("\n", empty));
    }
}
