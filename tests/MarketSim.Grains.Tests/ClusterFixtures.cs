using MarketSim.Client;
using MarketSim.Silo;
using Orleans.TestingHost;

namespace MarketSim.Grains.Tests;

public sealed class MarketSimSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) => siloBuilder.ConfigureMarketSim().AddInMemoryCheckpoints();
}

/// <summary>An in-process Orleans test cluster of N silos.</summary>
public abstract class ClusterFixture(short silos) : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(silos);
        builder.AddSiloBuilderConfigurator<MarketSimSiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public OrleansSimulation Engine(string? runId = null) => new(Cluster.Client, runId);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public sealed class OneSiloCluster() : ClusterFixture(1);

public sealed class ThreeSiloCluster() : ClusterFixture(3);
