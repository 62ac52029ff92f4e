using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("MarketSim.Cli.Tests")]
