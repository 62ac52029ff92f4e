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

        // Table rows: "N  kind  fault  moment  exit  finished  fingerprint  ticks-once  secs  stall  verdict".
        var rows = suite.Out.Split('\n').Where(l => l.Length > 0 && char.IsDigit(l[0])).ToList();
        Assert.True(rows.Count == 4, suite.ToString());
        Assert.All(rows, r => Assert.Matches(@"\syes\s+yes\s+yes\s+\d+\s+(\d+\.\d|-)\s+ok$", r.TrimEnd()));
        // The coordinator's silo lost mid-run: the client learns it from membership (2-5 s to declare a silo dead) and
        // goes on long before a call would time out (45 s, ClusterDefaults.ClientCallTimeout); the stall is the
        // longest wait for a new tick after the kill.
        var coord = rows.Single(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == "coord");
        var stall = double.Parse(System.Text.RegularExpressions.Regex.Match(coord, @"(\d+\.\d)\s+ok$").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(stall < 20, coord);
        Assert.Contains("total 4: 4 finished with the reference fingerprint and every tick once, 0 failed with a message, 0 wrong", suite.Out);
    }
}
