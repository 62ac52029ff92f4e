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

    private static Dictionary<string, string?> Passwords(string? grafana = "integration-test", string? redis = "integration-redis-pw") =>
        new() { ["GRAFANA_ADMIN_PASSWORD"] = grafana, ["MARKETSIM_REDIS_PASSWORD"] = redis };

    [Fact]
    public void Docker_compose_accepts_the_compose_file_when_the_grafana_and_redis_passwords_are_set()
    {
        var (code, output) = Run(DockerCompose, ["-f", "docker-compose.yml", "config", "-q"], Passwords());
        Assert.True(code == 0, $"docker-compose config -q failed ({code}):\n{output}");
    }

    [Theory]
    [InlineData("GRAFANA_ADMIN_PASSWORD")]
    [InlineData("MARKETSIM_REDIS_PASSWORD")]
    public void Docker_compose_refuses_to_start_without_a_password(string missing)
    {
        var environment = Passwords();
        environment[missing] = null;
        var (code, output) = Run(DockerCompose, ["-f", "docker-compose.yml", "config", "-q"], environment);
        Assert.NotEqual(0, code);
        Assert.Contains(missing, output);
    }

    [Fact]
    public void Compose_redis_requires_the_password_keeps_an_append_only_file_in_a_volume_and_no_command_line_holds_the_password()
    {
        var (code, output) = Run(DockerCompose, ["-f", "docker-compose.yml", "config"], Passwords());
        Assert.True(code == 0, output);
        var services = output[output.IndexOf("services:", StringComparison.Ordinal)..];
        var redis = services[services.IndexOf("\n  redis:\n", StringComparison.Ordinal)..services.IndexOf("\n  silo1:\n", StringComparison.Ordinal)];
        Assert.Contains("requirepass", redis);
        Assert.Contains("appendonly yes", redis);
        Assert.Contains("redis-data:/data", redis);
        Assert.Contains("@sha256:", redis);
        // The password is in the environment of redis and the silos, and on no command line.
        var commands = new List<string>();
        var commandIndent = -1;
        foreach (var line in output.Split('\n'))
        {
            var indent = line.Length - line.TrimStart().Length;
            // A block list may sit at its key's indentation: "command:" then "- sh".
            if (commandIndent >= 0 && (indent > commandIndent || indent == commandIndent && line.TrimStart().StartsWith("- ", StringComparison.Ordinal)))
                commands.Add(line);
            else commandIndent = line.Trim() == "command:" ? indent : -1;
        }
        Assert.Contains(commands, l => l.Contains("requirepass", StringComparison.Ordinal));
        Assert.DoesNotContain(commands, l => l.Contains("integration-redis-pw", StringComparison.Ordinal));
        Assert.Equal(4, output.Split("integration-redis-pw").Length - 1);   // redis and three silos, as environment values
    }

    [Fact]
    public void Every_external_image_of_the_dockerfile_and_the_compose_file_is_pinned_by_digest()
    {
        var digest = new System.Text.RegularExpressions.Regex(@"^[^\s@]+:[^\s@]+@sha256:[0-9a-f]{64}$");
        // FROM [--platform=...] IMAGE [AS NAME]: an IMAGE that names an earlier stage is not external.
        var stages = new List<string>();
        var froms = 0;
        foreach (var line in File.ReadLines(Repository.PathOf("Dockerfile")).Select(l => l.Trim()))
        {
            if (!line.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)) continue;
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).SkipWhile(w => w.StartsWith("--", StringComparison.Ordinal)).ToList();
            var image = words[0];
            if (!stages.Contains(image, StringComparer.OrdinalIgnoreCase))
            {
                froms++;
                Assert.True(digest.IsMatch(image), $"Dockerfile: '{line}' is not pinned as IMAGE:TAG@sha256:<64 hex>");
            }
            if (words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase)) stages.Add(words[2]);
        }
        Assert.Equal(2, froms);   // the SDK of the build stage and the ASP.NET Core runtime

        // Every image: of the compose file but the silo image it builds from the Dockerfile.
        var images = File.ReadLines(Repository.PathOf("docker-compose.yml")).Select(l => l.Trim())
            .Where(l => l.StartsWith("image:", StringComparison.Ordinal)).Select(l => l["image:".Length..].Trim()).ToList();
        Assert.Contains("marketsim:local", images);
        var external = images.Where(i => i != "marketsim:local").ToList();
        Assert.Equal(3, external.Count);   // redis, prometheus, grafana
        foreach (var image in external) Assert.True(digest.IsMatch(image), $"docker-compose.yml: image '{image}' is not pinned as IMAGE:TAG@sha256:<64 hex>");
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
