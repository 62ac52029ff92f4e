namespace MarketSim.Cli;

/// <summary>Bad input from the user (a missing file, a malformed scenario, a bad override, an unreachable
/// gateway): reported without a stack trace, exit code 2. The message says what, where and how to fix it; it may
/// span several lines (one per problem).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The exit codes of <c>marketsim</c>.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Failure at run time.</summary>
    public const int Failure = 1;
    /// <summary>Bad input: unknown option or command, missing file, malformed scenario, bad override, unreachable gateway,
    /// a cluster that refuses the client's API key.</summary>
    public const int BadInput = 2;
    /// <summary>Interrupted by Ctrl-C (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
