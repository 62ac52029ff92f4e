using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace MarketSim.Grains;

/// <summary>
/// Places agent group g of a run on the g-th silo (mod the number of silos) in address order, so that a run's groups
/// spread one per silo and each silo's cores work on its own group. When a silo is lost its groups are reactivated on
/// the g-th of the silos left. Keys that are not "runId/group/g" are placed at random.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("MarketSim.GroupPlacement")]
public sealed class GroupPlacement : PlacementStrategy
{
    public static readonly GroupPlacement Instance = new();
}

/// <summary>Places a grain class by <see cref="GroupPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GroupPlacementAttribute() : PlacementAttribute(GroupPlacement.Instance);

/// <summary>The director of <see cref="GroupPlacement"/>.</summary>
public sealed class GroupPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        var key = target.GrainIdentity.Key.ToString();
        var slash = key.LastIndexOf('/');
        var index = slash >= 0 && int.TryParse(key.AsSpan(slash + 1), out var g) && g >= 0 ? g : Random.Shared.Next();
        return Task.FromResult(silos[index % silos.Length]);
    }
}
