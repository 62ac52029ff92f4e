namespace MarketSim.Cli.Tests.Experiments;

internal static class ExperimentFixtures
{
    /// <summary>An experiment over the tiny fixture: two variants, three replications, a short horizon.</summary>
    public static string TwoVariants(int ticks = 15, int replications = 3, string extra = "")
    {
        var dir = CliHarness.TempDirectory();
        File.Copy(CliHarness.Fixture("tiny.yaml"), Path.Combine(dir, "tiny.yaml"));
        var path = Path.Combine(dir, "exp.yaml");
        File.WriteAllText(path, $"""
            name: tiny-test
            question: Does undercutting pay for lab-b?
            scenario: tiny.yaml
            set: [ticks={ticks}]
            replications: {replications}
            seed: 11
            {extra}
            variants:
              - name: base
              - name: cost-plus
                set: [providers.lab-b.strategy=cost-plus]
            metrics: [total_profit_usd, profit_usd:lab-b, final_share:lab-b, total_consumer_surplus_usd, mean_price_index_mid]
            """);
        return path;
    }
}
