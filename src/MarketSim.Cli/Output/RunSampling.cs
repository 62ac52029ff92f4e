using System.Globalization;

namespace MarketSim.Cli.Output;

/// <summary>
/// Which ticks of a run reach its files (market.csv, providers.csv, segments.csv and their Parquet copies): every
/// <see cref="Every"/>-th tick from tick 0, and the run's last tick. The summary, the fingerprint and the printed
/// table cover every tick whatever the sampling. Unless asked (<c>--sample-every N</c>), a run writes every tick up to
/// <see cref="DefaultMaxRows"/> ticks and samples longer runs so that market.csv has at most that many rows.
/// </summary>
public sealed record RunSampling(int Every, int Ticks)
{
    /// <summary>Most rows of market.csv a run writes unless asked for more.</summary>
    public const int DefaultMaxRows = 10_000;

    /// <summary>The sampling of a run of <paramref name="ticks"/> ticks: every <paramref name="requested"/>-th tick, or
    /// automatic (null): every ceil(ticks / 10,000)-th.</summary>
    public static RunSampling For(int ticks, int? requested) =>
        new(requested ?? Math.Max(1, (int)((ticks + (long)DefaultMaxRows - 1) / DefaultMaxRows)), ticks);

    /// <summary>Whether the files hold <paramref name="tick"/>.</summary>
    public bool Keeps(int tick) => tick % Every == 0 || tick == Ticks - 1;

    /// <summary>The problem with a requested interval, or null.</summary>
    public static string? Problem(int every) => every < 1 ? "must be at least 1 (1 writes every tick)" : null;

    public override string ToString() => Every == 1 ? "every tick" : string.Create(CultureInfo.InvariantCulture, $"every {Every} ticks");
}
