using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/MarketSim.Benchmarks -- --filter '*' --job short --inProcess
// (--inProcess: no generated project to build, which on a slow shared machine exceeds BenchmarkDotNet's 2-minute build timeout)
BenchmarkSwitcher.FromAssembly(typeof(MarketSim.Benchmarks.HotPathBenchmarks).Assembly).Run(args);
