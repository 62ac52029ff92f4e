using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MarketSim.Silo;

namespace MarketSim.Integration.Tests;

/// <summary>--metrics-auth-file: the metrics endpoint and the Orleans Dashboard answer only requests with the
/// credentials, on the metrics address and port.</summary>
public sealed class MetricsAuthTests
{
    [Fact]
    public async Task Metrics_and_dashboard_behind_basic_auth_refuse_requests_without_the_credentials()
    {
        var options = new SiloOptions
        {
            SiloPort = EmbeddedCluster.FreePort(), GatewayPort = EmbeddedCluster.FreePort(),
            MetricsPort = EmbeddedCluster.FreePort(), DashboardPort = EmbeddedCluster.FreePort(), MetricsCredentials = "prometheus:s3cret-pass",
        };
        using var host = SiloHost.Build(options);
        await host.StartAsync();
        try
        {
            using var http = new HttpClient();
            var metrics = $"http://127.0.0.1:{options.MetricsPort}/metrics";
            var dashboard = $"http://127.0.0.1:{options.DashboardPort}/";

            async Task<HttpResponseMessage> Get(string url, string? credentials)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (credentials is not null)
                    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
                return await http.SendAsync(request);
            }

            var anonymous = await Get(metrics, null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(metrics, "prometheus:wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(dashboard, null)).StatusCode);

            var scraped = await Get(metrics, "prometheus:s3cret-pass");
            Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
            Assert.Contains("# TYPE ", await scraped.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await Get(dashboard, "prometheus:s3cret-pass")).StatusCode);
            // The scrape path answers on the metrics port only.
            Assert.Equal(HttpStatusCode.NotFound, (await Get($"http://127.0.0.1:{options.DashboardPort}/metrics", "prometheus:s3cret-pass")).StatusCode);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Credentials_files_are_checked_without_quoting_them()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "no-colon-secret\n");
            var e = Assert.Throws<ArgumentException>(() => BasicAuth.ReadCredentials(path));
            Assert.Contains(path, e.Message);
            Assert.DoesNotContain("no-colon-secret", e.Message);
            File.WriteAllText(path, "prometheus:pw\n");
            Assert.Equal("prometheus:pw", BasicAuth.ReadCredentials(path));
            Assert.True(BasicAuth.Accepts("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("prometheus:pw")), "prometheus:pw"));
            Assert.False(BasicAuth.Accepts("Basic !!!", "prometheus:pw"));
            Assert.False(BasicAuth.Accepts(null, "prometheus:pw"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
