using System.CommandLine;
using System.CommandLine.Parsing;
using MarketSim.Cli.Commands;
using Spectre.Console;

namespace MarketSim.Cli;

/// <summary>Where a command writes: standard output and error, and whether output is a terminal.</summary>
public sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, bool interactive)
    {
        Out = output;
        Err = error;
        Interactive = interactive;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive) Console.Profile.Width = 120;
    }

    public TextWriter Out { get; }
    public TextWriter Err { get; }
    public bool Interactive { get; }
    /// <summary>Spectre console over <see cref="Out"/>.</summary>
    public IAnsiConsole Console { get; }
}

/// <summary>The <c>marketsim</c> command line. <see cref="RunAsync"/> is the whole program; <c>Main</c> only wires
/// the process's console and Ctrl-C to it, so tests run it in-process.</summary>
public static class Cli
{
    public const string DebugVariable = "MARKETSIM_DEBUG";

    /// <summary>Parses and runs a command line and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="interactive">Output is a terminal: show a live progress bar and colours.</param>
    /// <param name="cancellationToken">Ctrl-C: a run stops at the next tick boundary, writes its files and exits 130.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive = false,
        CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error, interactive);
        var root = BuildRoot(context);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            ReportParseErrors(parsed, error);
            return ExitCodes.BadInput;
        }
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (MarketSim.Contracts.ApiKeyRefusedException.Find(e) is { } refused)
        {
            // A cluster started with --api-key-file refused the client's key (none, or another): the user's credentials.
            await error.WriteLineAsync($"{CommandPath(parsed.CommandResult)}: {refused.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is MarketSim.Contracts.RunBusyException or MarketSim.Contracts.RunMismatchException)
        {
            await error.WriteLineAsync($"{CommandPath(parsed.CommandResult)}: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (MarketSim.Contracts.RunFailedException e)
        {
            await error.WriteLineAsync($"{CommandPath(parsed.CommandResult)}: the run failed: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("marketsim: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            await ReportFailureAsync(error, e);
            return ExitCodes.Failure;
        }
    }

    /// <summary>A one-line error; the full exception only with MARKETSIM_DEBUG=1.</summary>
    public static Task ReportFailureAsync(TextWriter error, Exception e) =>
        ReportFailureAsync(error, e, Environment.GetEnvironmentVariable(DebugVariable) == "1");

    internal static async Task ReportFailureAsync(TextWriter error, Exception e, bool debug)
    {
        await error.WriteLineAsync($"marketsim: error: {OneLine(e)}");
        if (debug) await error.WriteLineAsync(e.ToString());
        else await error.WriteLineAsync($"(set {DebugVariable}=1 for the full exception)");
    }

    private static string OneLine(Exception e)
    {
        var message = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0].Message : e.Message;
        return $"{message.ReplaceLineEndings(" ")} ({e.GetType().Name})";
    }

    internal static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("MarketSim: simulate the LLM API pricing market: providers, customers, prices, shares, profits and welfare over simulated years.");
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(ValidateCommand.Create(context));
        root.Subcommands.Add(SiloCommand.Create(context));
        root.Subcommands.Add(SweepCommand.Create(context));
        root.Subcommands.Add(ExplainCommand.Create(context));
        root.Subcommands.Add(CalibrateCommand.Create(context));
        root.Subcommands.Add(ForkCommand.Create(context));
        root.Subcommands.Add(InjectCommand.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(BenchCommand.Create(context));
        root.Subcommands.Add(BenchCommand.CreateWorker(context));
        root.Subcommands.Add(ClusterCommand.Create(context));
        return root;
    }

    private static void ReportParseErrors(ParseResult parsed, TextWriter error)
    {
        var path = CommandPath(parsed.CommandResult);
        // "marketsim frob" reports both the unknown word and a missing command; the unknown word says it all.
        var unknownWord = parsed.UnmatchedTokens.Count > 0;
        foreach (var e in parsed.Errors)
        {
            var mentionsUnknown = parsed.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal));
            if (unknownWord && !mentionsUnknown && e.SymbolResult is CommandResult { Command: RootCommand }) continue;
            error.WriteLine($"{path}: {e.Message}");
        }
        error.WriteLine($"run '{path} --help' for usage");
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult c) names.Add(c.Command is RootCommand ? "marketsim" : c.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
