using System.Globalization;
using MarketSim.Cli.Commands;
using MarketSim.Model.Engine;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests;

public sealed class FailureTests
{
    /// <summary>Runs the reference engine for a few ticks, then fails the way a lost cluster would: its runs hand
    /// over ticks up to <paramref name="failAfter"/>, then every advance throws what <paramref name="failure"/> gives.</summary>
    private sealed class FailingEngine(int failAfter, Func<Exception> failure) : ISimulationEngine
    {
        public string Name => "failing";

        public int TicksPerAdvance => 10;

        public Task<IRunHandle> StartAsync(MarketSetup setup, RunCheckpoint? from, CancellationToken cancellationToken) =>
            Task.FromResult<IRunHandle>(new FailingRun(new ReferenceRun(setup, from), failAfter, failure));

        public async Task<RunOutcome> RunAsync(MarketSetup setup, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken) =>
            await RunHandles.RunToEndAsync(await StartAsync(setup, null, cancellationToken), TicksPerAdvance, onTick, cancellationToken);
    }

    private sealed class FailingRun(ReferenceRun run, int failAfter, Func<Exception> failure) : IRunHandle
    {
        public string RunId => "";
        public int NextTick => run.NextTick;
        public int Ticks => run.Ticks;
        public bool Finished => run.Finished;
        public IDisposable Subscribe(Func<TickObservation, ValueTask> onTick) => run.Subscribe(onTick);
        public Task<int> InjectAsync(MarketSim.Model.Scenarios.EventSpec e) => run.InjectAsync(e);
        public Task<RunCheckpoint> CheckpointAsync() => run.CheckpointAsync();
        public Task<string> FingerprintAsync() => run.FingerprintAsync();

        public async Task<IReadOnlyList<TickObservation>> AdvanceAsync(int ticks, CancellationToken cancellationToken = default)
        {
            var added = new List<TickObservation>();
            for (var i = 0; i < ticks && !run.Finished; i++)
            {
                if (run.NextTick >= failAfter) throw failure();
                added.AddRange(await run.AdvanceAsync(1, cancellationToken));
            }
            return added;
        }
    }

    private static (CliContext Context, StringWriter Out, StringWriter Err) Context()
    {
        var o = new StringWriter(CultureInfo.InvariantCulture);
        var e = new StringWriter(CultureInfo.InvariantCulture);
        return (new CliContext(o, e, interactive: false), o, e);
    }

    private static RunOptions Options(string dir) => new(Fixture("tiny.yaml"), [], "reference", dir, null, null, null, Quiet: true);

    [Fact]
    public async Task A_run_that_fails_part_way_keeps_its_rows_and_says_why_in_the_summary()
    {
        var dir = Path.Combine(TempDirectory(), "failed");
        var (context, _, _) = Context();
        var failure = new InvalidOperationException("silo lost");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => RunCommand.ExecuteAsync(context, Options(dir), CancellationToken.None,
            (_, _) => Task.FromResult(new EngineSession(new FailingEngine(3, () => failure)))));

        Assert.Same(failure, thrown);
        var summary = ReadJson(Path.Combine(dir, "summary.json"));
        Assert.False(summary.GetProperty("completed").GetBoolean());
        Assert.Equal(3, summary.GetProperty("ticksDone").GetInt32());
        Assert.Equal("silo lost", summary.GetProperty("error").GetString());
        Assert.Equal(3, ReadCsv(Path.Combine(dir, "market.csv")).Count);
        Assert.Equal(3 * TinyRun.OfferedTiers, ReadCsv(Path.Combine(dir, "providers.csv")).Count);
    }

    [Fact]
    public async Task An_engine_that_stops_on_cancellation_by_throwing_still_gets_a_summary_and_exit_130()
    {
        var dir = Path.Combine(TempDirectory(), "cancelled");
        var (context, _, err) = Context();
        using var interrupt = new CancellationTokenSource();

        // Ctrl-C during tick 4's call: the call throws instead of returning (as an Orleans call does when cancelled).
        var code = await RunCommand.ExecuteAsync(context, Options(dir), interrupt.Token,
            (_, _) => Task.FromResult(new EngineSession(new FailingEngine(4, () =>
            {
                interrupt.Cancel();
                return new OperationCanceledException(interrupt.Token);
            }))));

        Assert.Equal(130, code);
        Assert.Contains("interrupted after 4 of 60 ticks", err.ToString());
        var summary = ReadJson(Path.Combine(dir, "summary.json"));
        Assert.False(summary.GetProperty("completed").GetBoolean());
        Assert.Equal(4, summary.GetProperty("ticksDone").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, summary.GetProperty("fingerprint").ValueKind);
    }

    [Fact]
    public async Task Runtime_errors_are_one_line_unless_debugging()
    {
        Exception failure;
        try { throw new InvalidOperationException("grain call timed out\nafter 30 s"); }
        catch (Exception e) { failure = e; }

        var plain = new StringWriter(CultureInfo.InvariantCulture);
        await Cli.ReportFailureAsync(plain, failure, debug: false);
        var lines = plain.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal("marketsim: error: grain call timed out after 30 s (InvalidOperationException)", lines[0]);
        Assert.Equal("(set MARKETSIM_DEBUG=1 for the full exception)", lines[1]);
        Assert.Equal(2, lines.Length);

        var debug = new StringWriter(CultureInfo.InvariantCulture);
        await Cli.ReportFailureAsync(debug, failure, debug: true);
        Assert.Contains(" at ", debug.ToString());
        Assert.Contains(nameof(Runtime_errors_are_one_line_unless_debugging), debug.ToString());
    }
}
