using System.Net;
using MarketSim.Silo;

namespace MarketSim.Integration.Tests;

public sealed class SiloHostTests
{
    [Fact]
    public void A_silo_listening_on_any_address_advertises_a_concrete_one()
    {
        var advertised = SiloHost.AdvertisedAddress(IPAddress.Any);
        Assert.NotEqual(IPAddress.Any, advertised);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, advertised.AddressFamily);
        Assert.Equal(IPAddress.Loopback, SiloHost.AdvertisedAddress(IPAddress.Loopback));
    }

    [Theory]
    [InlineData("127.0.0.1", "http://127.0.0.1:9464/metrics/ http://localhost:9464/metrics/")]
    [InlineData("0.0.0.0", "http://+:9464/metrics/")]
    [InlineData("::", "http://+:9464/metrics/")]
    [InlineData("10.1.2.3", "http://10.1.2.3:9464/metrics/")]
    public void Metrics_prefixes_follow_the_address(string address, string prefixes) =>
        Assert.Equal(prefixes, string.Join(' ', SiloTelemetry.UriPrefixes(IPAddress.Parse(address), 9464)));
}
