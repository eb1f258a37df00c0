using System.Net;
using System.Net.Sockets;

namespace Nephele.Services.Tests.Cli;

public sealed class CliTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Start_prints_the_service_groups_then_Ready_and_status_reads_its_health()
    {
        var port = NepheleProcess.FreePort().ToString();
        using var nephele = NepheleProcess.Start("--port", port, "--ephemeral");
        await nephele.WaitReadyAsync();
        var lines = Lines(nephele.Stdout);
        Assert.Equal("Ready.", lines[^1]);
        Assert.Contains(lines, l => l.StartsWith("Identity & security", StringComparison.Ordinal) && l.Contains("sts", StringComparison.Ordinal));

        using var status = NepheleProcess.Start("status", "--port", port);
        Assert.Equal(0, await status.WaitExitAsync());
        Assert.Contains("sts", status.Stdout);
        Assert.Contains("not_implemented", status.Stdout);
    }

    [Fact]
    public async Task An_unknown_flag_is_one_line_and_exit_code_2()
    {
        using var nephele = NepheleProcess.Start("start", "--no-such-flag");
        Assert.Equal(2, await nephele.WaitExitAsync());
        Assert.Single(Lines(nephele.Stderr));
        Assert.Contains("--no-such-flag", nephele.Stderr);
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_and_exit_code_2()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port.ToString();
        using var nephele = NepheleProcess.Start("--port", port, "--ephemeral");
        Assert.Equal(2, await nephele.WaitExitAsync());
        var error = Assert.Single(Lines(nephele.Stderr));
        Assert.Contains("already in use", error);
    }

    [Fact]
    public async Task An_unusable_data_dir_is_one_line_and_exit_code_2()
    {
        var file = Path.GetTempFileName();
        try
        {
            using var nephele = NepheleProcess.Start("--port", NepheleProcess.FreePort().ToString(), "--data-dir", Path.Combine(file, "state"));
            Assert.Equal(2, await nephele.WaitExitAsync());
            var error = Assert.Single(Lines(nephele.Stderr));
            Assert.Contains("data", error, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Status_without_a_running_nephele_says_so()
    {
        using var status = NepheleProcess.Start("status", "--port", NepheleProcess.FreePort().ToString());
        Assert.NotEqual(0, await status.WaitExitAsync());
        Assert.Contains("no Nephele answers", status.Stderr);
    }
}
