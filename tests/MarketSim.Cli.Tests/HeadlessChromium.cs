using System.Diagnostics;

namespace MarketSim.Cli.Tests;

/// <summary>Headless Chromium (the Debian package <c>chromium</c>; scripts/test.sh installs it) taking a screenshot
/// of a local page, with a fresh profile and no network features.</summary>
internal static class HeadlessChromium
{
    public static string Executable() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("chromium not found (fix: apt-get install -y chromium, or run bash scripts/test.sh, which installs it)");

    /// <summary>Renders <paramref name="htmlPath"/> at the given window size and writes a PNG screenshot.</summary>
    public static async Task ScreenshotAsync(string htmlPath, string pngPath, int width, int height)
    {
        var profile = CliHarness.TempDirectory();
        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profile}",
                     $"--window-size={width},{height}", $"--screenshot={pngPath}", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri,
                 })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish the screenshot of {htmlPath} in 120 s");
        }
        Assert.True(File.Exists(pngPath), $"chromium wrote no screenshot (exit {process.ExitCode}): {await stderr}");
    }
}
