namespace MarketSim.Contracts;

/// <summary>
/// A silo started with an API key (<c>marketsim silo --api-key-file F</c>) refused a client's call because it carried
/// no key or another one. Thrown by the silo before the grain runs and serialized to the client with its type, so that
/// a client tells this refusal (a credentials problem of its user) from any other failure without reading the message.
/// </summary>
[GenerateSerializer, Alias("MarketSim.ApiKeyRefusedException")]
public sealed class ApiKeyRefusedException : Exception
{
    public ApiKeyRefusedException(string message) : base(message) { }

    /// <summary>The refusal among <paramref name="e"/>, its inner exceptions and those of an aggregate; null if none.</summary>
    public static ApiKeyRefusedException? Find(Exception? e) => e switch
    {
        null => null,
        ApiKeyRefusedException refused => refused,
        AggregateException a => a.InnerExceptions.Select(Find).FirstOrDefault(r => r is not null),
        _ => Find(e.InnerException),
    };
}
