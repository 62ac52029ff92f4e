using MarketSim.Client;
using Orleans.Runtime;

namespace MarketSim.Silo;

/// <summary>
/// With an API key (<see cref="SiloOptions.ApiKey"/>): every call from a client to a MarketSim grain (the run
/// coordinator, providers, customer blocks: the interfaces of MarketSim.Contracts) must carry the key in its
/// RequestContext (<see cref="ApiKey.RequestContextKey"/>), else it is refused with
/// <see cref="MarketSim.Contracts.ApiKeyRefusedException"/> before the grain runs. Calls between grains (the coordinator driving its
/// agents) pass. Orleans' own system grains (membership, management) are not covered: the silo itself calls them
/// through its hosted client, whose id a remote client could imitate; mutual TLS is what keeps strangers off the
/// gateway altogether.
/// </summary>
public sealed class ApiKeyCallFilter(string key) : IIncomingGrainCallFilter
{
    private static readonly System.Reflection.Assembly Contracts = typeof(MarketSim.Contracts.IRunCoordinatorGrain).Assembly;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var fromClient = context.SourceId is not { } source || GrainTypePrefix.IsClient(source);
        if (fromClient && context.InterfaceMethod?.DeclaringType?.Assembly == Contracts && !ApiKey.Matches(RequestContext.Get(ApiKey.RequestContextKey) as string, key))
            throw new MarketSim.Contracts.ApiKeyRefusedException(
                $"call to {context.InterfaceName}.{context.MethodName} refused: this cluster requires an API key and the call carried none or another " +
                "(fix: give the client the cluster's key with --api-key-file F)");
        return context.Invoke();
    }
}
