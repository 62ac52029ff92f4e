namespace MarketSim.Cluster.Tests;

/// <summary>scripts/chaos.sh --short: its own redis-server and 3 silos, a kill during start-up, a kill of the
/// coordinator's silo mid-run, a kill after the last tick and a client killed and resumed with --run-id; every case
/// must finish with the reference fingerprint and every tick exactly once.</summary>
public sealed class ChaosSuiteTests
{
    [Fact]
    public async Task The_short_chaos_suite_passes_with_every_case_matching_the_reference()
    {
        _ = Repo.Cli;
        using var suite = new Child("chaos.sh --short", "bash", [Repo.PathOf("scripts", "chaos.sh"), "--short"]);
        var exit = await suite.WaitAsync(TimeSpan.FromMinutes(8));
        Assert.True(exit == 0, suite.ToString());

        // Table rows: "N  kind  fault  moment  exit  finished  fingerprint  ticks-once  secs  verdict".
        var rows = suite.Out.Split('\n').Where(l => l.Length > 0 && char.IsDigit(l[0])).ToList();
        Assert.True(rows.Count == 4, suite.ToString());
        Assert.All(rows, r => Assert.Matches(@"\syes\s+yes\s+yes\s+\d+\s+ok$", r.TrimEnd()));
        Assert.Contains("total 4: 4 finished with the reference fingerprint and every tick once, 0 failed with a message, 0 wrong", suite.Out);
    }
}
