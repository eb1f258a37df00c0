using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Nephele.Services.Tests.Gateway;

public sealed class ClockAndResetTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Advancing_the_clock_moves_nephele_time_forward()
    {
        using var http = nephele.Http();
        using var before = JsonDocument.Parse(await http.GetStringAsync("/_nephele/clock"));
        using var response = await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = "PT1H" }));
        response.EnsureSuccessStatusCode();
        using var after = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var moved = after.RootElement.GetProperty("now").GetDateTimeOffset() - before.RootElement.GetProperty("now").GetDateTimeOffset();
        Assert.True(moved >= TimeSpan.FromHours(1), $"moved {moved}");
        Assert.True(after.RootElement.GetProperty("offsetSeconds").GetDouble() >= 3600);
    }

    [Theory]
    [InlineData("{\"advance\": \"an hour\"}")]
    [InlineData("{\"advance\": \"-PT1H\"}")]
    [InlineData("{}")]
    public async Task A_malformed_or_backward_advance_is_refused(string body)
    {
        using var http = nephele.Http();
        using var response = await http.PostAsync("/_nephele/clock", new StringContent(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Reset_of_an_unknown_service_is_refused()
    {
        using var http = nephele.Http();
        using var response = await http.PostAsync("/_nephele/reset?service=nosuch", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Reset_answers_what_it_cleared()
    {
        using var http = nephele.Http();
        using var response = await http.PostAsync("/_nephele/reset", JsonContent.Create(new Dictionary<string, string> { ["service"] = "sts" }));
        response.EnsureSuccessStatusCode();
        Assert.Contains("sts", await response.Content.ReadAsStringAsync());
    }
}
