using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/MarketSim.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(MarketSim.Benchmarks.HotPathBenchmarks).Assembly).Run(args);
