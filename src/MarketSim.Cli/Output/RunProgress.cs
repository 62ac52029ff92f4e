using System.Diagnostics;
using System.Globalization;
using MarketSim.Model.Engine;
using Spectre.Console;

namespace MarketSim.Cli.Output;

/// <summary>Shows how far a run is: a live progress bar on a terminal, plain lines (every 5 % of the ticks) when the
/// output is redirected, nothing when quiet.</summary>
public abstract class RunProgress
{
    protected RunProgress(int totalTicks) => TotalTicks = Math.Max(1, totalTicks);

    protected int TotalTicks { get; }
    protected Stopwatch Clock { get; } = new();

    public static RunProgress Create(IAnsiConsole console, TextWriter output, bool interactive, bool quiet, int totalTicks) =>
        quiet ? new Silent(totalTicks) : interactive ? new Bar(console, totalTicks) : new Lines(output, totalTicks);

    /// <summary>Runs <paramref name="body"/>, which reports each tick to the action it is given.</summary>
    public abstract Task<T> RunAsync<T>(Func<Action<TickObservation>, Task<T>> body);

    protected string Rate(int done)
    {
        var seconds = Clock.Elapsed.TotalSeconds;
        return seconds > 0 ? (done / seconds).ToString("0.0", CultureInfo.InvariantCulture) : "-";
    }

    private sealed class Silent(int totalTicks) : RunProgress(totalTicks)
    {
        public override Task<T> RunAsync<T>(Func<Action<TickObservation>, Task<T>> body) => body(_ => { });
    }

    private sealed class Lines(TextWriter output, int totalTicks) : RunProgress(totalTicks)
    {
        private readonly int _step = Math.Max(1, (int)Math.Ceiling(totalTicks / 20.0));

        public override Task<T> RunAsync<T>(Func<Action<TickObservation>, Task<T>> body)
        {
            Clock.Start();
            return body(o =>
            {
                var done = o.Tick + 1;
                if (done % _step != 0 && done != TotalTicks) return;
                var width = TotalTicks.ToString(CultureInfo.InvariantCulture).Length;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"tick {done.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{TotalTicks} {100.0 * done / TotalTicks,4:0}%  {o.Date:yyyy-MM-dd}  {Rate(done)} ticks/s"));
                output.Flush();
            });
        }
    }

    private sealed class Bar(IAnsiConsole console, int totalTicks) : RunProgress(totalTicks)
    {
        public override Task<T> RunAsync<T>(Func<Action<TickObservation>, Task<T>> body) =>
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("starting", maxValue: TotalTicks);
                    Clock.Start();
                    var result = await body(o =>
                    {
                        var done = o.Tick + 1;
                        task.Value = done;
                        task.Description = string.Create(CultureInfo.InvariantCulture,
                            $"{o.Date:yyyy-MM-dd}  tick {done}/{TotalTicks}  {Rate(done)} ticks/s");
                    });
                    task.StopTask();
                    return result;
                });
    }
}
