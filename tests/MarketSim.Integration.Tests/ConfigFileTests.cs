using System.Diagnostics;
using System.Text.Json.Nodes;

namespace MarketSim.Integration.Tests;

/// <summary>The deployment files check with their own tools, and the dashboards follow the project's conventions.</summary>
public sealed class ConfigFileTests
{
    private static (int ExitCode, string Output) Run(string file, IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>()) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) { process.Kill(true); throw new TimeoutException($"{file} did not finish within 60 s"); }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string DockerCompose
    {
        get
        {
            const string path = "/usr/bin/docker-compose";
            Assert.True(File.Exists(path), $"{path} is missing: install it with `apt-get install -y docker-compose` (Debian's package).");
            return path;
        }
    }

    [Fact]
    public void Promtool_accepts_the_prometheus_configuration()
    {
        PrometheusServer.RequireInstalled(PrometheusServer.Promtool);
        var (code, output) = Run(PrometheusServer.Promtool, ["check", "config", "config/prometheus.yml"]);
        Assert.True(code == 0, $"promtool check config config/prometheus.yml failed ({code}):\n{output}");
    }

    [Fact]
    public void Docker_compose_accepts_the_compose_file_when_the_grafana_password_is_set()
    {
        var (code, output) = Run(DockerCompose, ["-f", "docker-compose.yml", "config", "-q"],
            new Dictionary<string, string?> { ["GRAFANA_ADMIN_PASSWORD"] = "integration-test" });
        Assert.True(code == 0, $"docker-compose config -q failed ({code}):\n{output}");
    }

    [Fact]
    public void Docker_compose_refuses_to_start_grafana_without_an_admin_password()
    {
        var (code, output) = Run(DockerCompose, ["-f", "docker-compose.yml", "config", "-q"],
            new Dictionary<string, string?> { ["GRAFANA_ADMIN_PASSWORD"] = null });
        Assert.NotEqual(0, code);
        Assert.Contains("GRAFANA_ADMIN_PASSWORD", output);
    }

    [Fact]
    public void Every_dashboard_has_a_unique_uid_the_run_variable_and_the_prometheus_datasource_variable()
    {
        var uids = new HashSet<string>();
        foreach (var file in Dashboards.Files)
        {
            var d = Dashboards.Load(file);
            var name = Path.GetFileName(file);
            Assert.True(uids.Add(d["uid"]?.GetValue<string>() ?? ""), $"{name}: missing or duplicate uid");
            Assert.InRange(d["schemaVersion"]?.GetValue<int>() ?? 0, 36, 41);
            var variables = d["templating"]?["list"]?.AsArray().OfType<JsonObject>().ToDictionary(v => v["name"]!.GetValue<string>()) ?? [];
            Assert.True(variables.TryGetValue("DS_PROMETHEUS", out var ds) && ds["type"]?.GetValue<string>() == "datasource",
                $"{name}: no datasource variable DS_PROMETHEUS");
            Assert.True(variables.TryGetValue("run", out var run) && run["definition"]?.GetValue<string>() == "label_values(marketsim_engine_tick, run)",
                $"{name}: no run variable label_values(marketsim_engine_tick, run)");
            foreach (var panel in Dashboards.Panels(d["panels"]?.AsArray()).Where(p => p["type"]?.GetValue<string>() != "row"))
                Assert.True(panel["datasource"]?["uid"]?.GetValue<string>() == "${DS_PROMETHEUS}",
                    $"{name}: panel '{panel["title"]}' does not use the DS_PROMETHEUS datasource");
        }
    }

    [Fact]
    public void Grafana_provisioning_points_at_the_dashboards_and_the_prometheus_uid()
    {
        var dashboards = File.ReadAllText(Repository.PathOf("config", "grafana", "provisioning", "dashboards", "marketsim.yml"));
        Assert.Contains("path: /var/lib/grafana/dashboards", dashboards);
        var datasource = File.ReadAllText(Repository.PathOf("config", "grafana", "provisioning", "datasources", "prometheus.yml"));
        Assert.Contains("uid: prometheus", datasource);
        Assert.Contains("url: http://prometheus:9090", datasource);
        var compose = File.ReadAllText(Repository.PathOf("docker-compose.yml"));
        Assert.Contains("./dashboards:/var/lib/grafana/dashboards", compose);
        Assert.Contains("./config/grafana/provisioning:/etc/grafana/provisioning", compose);
    }
}
