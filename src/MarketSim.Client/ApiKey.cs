using System.Security.Cryptography;
using System.Text;

namespace MarketSim.Client;

/// <summary>
/// The optional API key of a cluster's control calls. A silo started with a key (<c>marketsim silo --api-key-file F</c>)
/// refuses every call that comes from a client without it; a client sends it with each call in the Orleans
/// RequestContext (an outgoing call filter). Calls between grains of the cluster are not checked.
/// </summary>
public static class ApiKey
{
    /// <summary>The RequestContext entry that carries the key.</summary>
    public const string RequestContextKey = "marketsim-api-key";

    /// <summary>Reads a key file: its content without surrounding white space; at least 16 characters.</summary>
    /// <exception cref="ArgumentException">The file is missing, unreadable or holds too short a key (the message names the file and the fix).</exception>
    public static string Read(string path)
    {
        string key;
        try
        {
            key = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{path}: cannot read the API key file: {e.Message} (fix: give --api-key-file a file holding the key, e.g. made with: openssl rand -hex 32 > api.key)");
        }
        if (key.Length < 16 || key.Any(char.IsControl))
            throw new ArgumentException($"{path}: the API key file must hold one key of at least 16 printable characters (fix: openssl rand -hex 32 > {path})");
        return key;
    }

    /// <summary>Whether <paramref name="sent"/> is <paramref name="expected"/>, in time that does not depend on where they differ.</summary>
    public static bool Matches(string? sent, string expected) =>
        sent is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>The client side: puts the key into the RequestContext of every call.</summary>
    public sealed class OutgoingFilter(string key) : IOutgoingGrainCallFilter
    {
        public Task Invoke(IOutgoingGrainCallContext context)
        {
            RequestContext.Set(RequestContextKey, key);
            return context.Invoke();
        }
    }
}
