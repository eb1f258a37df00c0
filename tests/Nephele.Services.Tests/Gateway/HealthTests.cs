using System.Text.Json;

namespace Nephele.Services.Tests.Gateway;

public sealed class HealthTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Health_lists_every_service_with_its_state()
    {
        using var http = nephele.Http();
        using var health = JsonDocument.Parse(await http.GetStringAsync("/_nephele/health"));
        var root = health.RootElement;
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        Assert.True(root.GetProperty("uptimeSeconds").GetDouble() >= 0);
        var services = root.GetProperty("services");
        Assert.Equal("not_implemented", services.GetProperty("ec2").GetString());
        Assert.Contains(services.GetProperty("sts").GetString(), new[] { "available", "running" });
    }

    [Fact]
    public async Task A_service_is_running_once_it_has_served_a_request()
    {
        using var http = nephele.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "GetCallerIdentity", ["Version"] = "2011-06-15" }),
        };
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
        using var health = JsonDocument.Parse(await http.GetStringAsync("/_nephele/health"));
        Assert.Equal("running", health.RootElement.GetProperty("services").GetProperty("sts").GetString());
    }

    [Fact]
    public async Task LocalStack_health_answers_in_localstacks_shape()
    {
        using var http = nephele.Http();
        using var health = JsonDocument.Parse(await http.GetStringAsync("/_localstack/health"));
        var root = health.RootElement;
        Assert.Equal(JsonValueKind.Object, root.GetProperty("services").ValueKind);
        Assert.Equal("disabled", root.GetProperty("services").GetProperty("ec2").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task Every_response_carries_a_request_id()
    {
        using var http = nephele.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "GetCallerIdentity", ["Version"] = "2011-06-15" }),
        };
        using var response = await http.SendAsync(request);
        Assert.True(Guid.TryParse(response.Headers.GetValues("x-amzn-RequestId").Single(), out _));
        Assert.Contains(response.Headers.GetValues("x-amzn-RequestId").Single(), await response.Content.ReadAsStringAsync());
    }
}
