using System.Text.Json.Nodes;
using MarketSim.Cli.Experiments;
using MarketSim.Client;

namespace MarketSim.Cli.Tests.Experiments;

public sealed class ExperimentFileTests
{
    private static string RepoFile(params string[] parts) => CliHarness.RepoFile(parts);

    [Fact]
    public void The_shipped_price_war_experiment_is_valid()
    {
        var (experiment, problems) = Experiment.Load(RepoFile("config", "experiments", "price-war.yaml"));
        Assert.Empty(problems);
        Assert.Equal(["no-war", "war"], experiment!.Variants.Select(v => v.Name));
        Assert.Equal(5, experiment.Replications);
    }

    [Fact]
    public void The_schema_names_the_keys_the_loader_accepts_and_its_metric_pattern_admits_the_vocabulary()
    {
        var schema = JsonNode.Parse(File.ReadAllText(RepoFile("config", "schema", "experiment.schema.json")))!;
        var keys = schema["properties"]!.AsObject().Select(p => p.Key).Order().ToList();
        Assert.Equal(["grid", "metrics", "name", "question", "replications", "sampleEvery", "scenario", "seed", "set", "variants"], keys);
        var pattern = new System.Text.RegularExpressions.Regex(schema["properties"]!["metrics"]!["items"]!["pattern"]!.GetValue<string>());
        foreach (var m in MetricVocabulary.Market.Keys.Concat(MetricVocabulary.PerProvider.Keys.Select(k => k + ":lab-a"))
                     .Concat(MetricVocabulary.PerCapability.Keys.Select(k => k + "mid-start")))
            Assert.Matches(pattern, m);
    }

    [Fact]
    public void A_grid_makes_the_cartesian_product_of_its_values()
    {
        var (experiment, problems) = Experiment.Load(BesideTiny("grid.yaml", """
            scenario: tiny.yaml
            grid:
              providers.lab-b.strategy: [undercut, cost-plus]
              ticks: [5, 10, 15]
            """));
        Assert.Empty(problems);
        Assert.Equal(6, experiment!.Variants.Count);
        Assert.Contains(experiment.Variants, v => v.Name == "strategy=cost-plus_ticks=10" && v.Overrides.SequenceEqual(["providers.lab-b.strategy=cost-plus", "ticks=10"]));
    }

    [Fact]
    public void Capability_metrics_name_the_scenario_s_levels()
    {
        var (_, problems) = Experiment.Load(BesideTiny("levels.yaml", """
            scenario: tiny.yaml
            variants:
              - name: base
            metrics: [served_share, tokens_lost, final_capability_price_mid-start, final_capability_paid_frontier-start, final_capability_price_mid-strat]
            """));
        Assert.True(problems.Count == 1, string.Join("\n", problems));
        var problem = problems[0];
        Assert.Contains("unknown capability level 'mid-strat'", problem);
        Assert.Contains("mid-start", problem);
    }

    /// <summary>Writes an experiment file in a fresh folder beside a copy of the tiny scenario; returns its path.</summary>
    private static string BesideTiny(string name, string yaml)
    {
        var dir = CliHarness.TempDirectory();
        File.Copy(CliHarness.Fixture("tiny.yaml"), Path.Combine(dir, "tiny.yaml"));
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Replication_seeds_follow_splitmix64_of_the_root_seed()
    {
        // SplitMix64 reference values for seed 0 (Vigna's splitmix64.c): first outputs.
        Assert.Equal(0xE220A8397B1DCDAFUL, Seeds.ForReplication(0, 0));
        Assert.Equal(0x6E789E6AA1B965F4UL, Seeds.ForReplication(0, 1));
        Assert.Equal(4.302653, Estimate.TQuantile(2), 5);
    }
}
