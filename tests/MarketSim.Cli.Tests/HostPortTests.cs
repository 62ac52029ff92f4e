using MarketSim.Client;

namespace MarketSim.Cli.Tests;

public class HostPortTests
{
    [Theory]
    [InlineData("localhost:30000", "localhost", 30000)]
    [InlineData("127.0.0.1:6379", "127.0.0.1", 6379)]
    [InlineData("[::1]:30000", "::1", 30000)]
    [InlineData("redis.internal:1", "redis.internal", 1)]
    [InlineData("h:65535", "h", 65535)]
    public void Parses_host_and_port(string value, string host, int port)
    {
        Assert.True(HostPort.TryParse(value, out var h, out var p));
        Assert.Equal((host, port), (h, p));
    }

    [Theory]
    [InlineData("nohost", "no ':PORT' after the host")]
    [InlineData(":30000", "no host before ':PORT'")]
    [InlineData("h:0", "the port must be a TCP port between 1 and 65535, not 0")]
    [InlineData("h:70000", "the port must be a TCP port between 1 and 65535, not 70000")]
    [InlineData("h:x", "the port 'x' is not a whole number")]
    [InlineData("h:-1", "the port '-1' is not a whole number")]
    [InlineData("::1:30000", "an IPv6 address must be in brackets, e.g. [::1]:30000")]
    [InlineData("[::1:30000", "an IPv6 address must be in brackets, e.g. [::1]:30000")]
    [InlineData("a b:1", "'a b' is not a host name or address")]
    [InlineData("", "the address is empty")]
    public void Names_the_problem(string value, string problem)
    {
        Assert.False(HostPort.IsValid(value));
        Assert.Equal(problem, HostPort.Problem(value));
    }

    [Fact]
    public void Port_falls_back_when_there_is_none() => Assert.Equal(6379, HostPort.PortOr("redis", 6379));
}
