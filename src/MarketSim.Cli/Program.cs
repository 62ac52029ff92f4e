using System.Runtime.InteropServices;
using System.Text;
using MarketSim.Cli;

Console.OutputEncoding = Encoding.UTF8;
using var interrupt = new CancellationTokenSource();
// First Ctrl-C (or SIGTERM): stop at the next tick boundary and write what was done. A second Ctrl-C kills.
Console.CancelKeyPress += (_, e) =>
{
    if (interrupt.IsCancellationRequested) return;
    e.Cancel = true;
    interrupt.Cancel();
};
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    interrupt.Cancel();
});
return await Cli.RunAsync(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, interrupt.Token);
