using System.Text.Json;

namespace Nephele.Services.Tests.Sns;

public sealed class SnsPlatformTests(NepheleFixture nephele) : SnsTestBase(nephele)
{
    [Fact]
    public async Task Platform_applications_and_endpoints_are_stored_and_receive_recorded_messages()
    {
        var app = SnsClient.Value(await Sns.Call("CreatePlatformApplication", [("Name", NewName("app")), ("Platform", "GCM"),
            .. SnsClient.MapParameters("Attributes", new Dictionary<string, string> { ["PlatformCredential"] = "secret", ["SuccessFeedbackSampleRate"] = "100" })]), "PlatformApplicationArn")!;
        Assert.Contains(":app/GCM/", app);
        var attributes = SnsClient.Map(await Sns.Call("GetPlatformApplicationAttributes", ("PlatformApplicationArn", app)));
        Assert.Equal("100", attributes["SuccessFeedbackSampleRate"]);
        Assert.DoesNotContain("PlatformCredential", attributes.Keys);

        var endpoint = SnsClient.Value(await Sns.Call("CreatePlatformEndpoint", ("PlatformApplicationArn", app), ("Token", "device-1"), ("CustomUserData", "u")), "EndpointArn")!;
        Assert.Equal(endpoint, SnsClient.Value(await Sns.Call("CreatePlatformEndpoint", ("PlatformApplicationArn", app), ("Token", "device-1"), ("CustomUserData", "u")), "EndpointArn"));
        var endpointAttributes = SnsClient.Map(await Sns.Call("GetEndpointAttributes", ("EndpointArn", endpoint)));
        Assert.Equal("true", endpointAttributes["Enabled"]);
        Assert.Equal("device-1", endpointAttributes["Token"]);
        Assert.Equal([endpoint], SnsClient.Values(await Sns.Call("ListEndpointsByPlatformApplication", ("PlatformApplicationArn", app)), "EndpointArn"));

        await Sns.Call("Publish", ("TargetArn", endpoint), ("Message", "push!"));
        using var http = Nephele.Http();
        var recorded = JsonDocument.Parse(await http.GetStringAsync($"/_aws/sns/platform-endpoint-messages?endpointArn={Uri.EscapeDataString(endpoint)}")).RootElement;
        Assert.Equal("push!", recorded.GetProperty("platform_endpoint_messages").GetProperty(endpoint)[0].GetProperty("Message").GetString());

        await Sns.Call("SetEndpointAttributes", [("EndpointArn", endpoint), .. SnsClient.MapParameters("Attributes", new Dictionary<string, string> { ["Enabled"] = "false" })]);
        Assert.Equal(("EndpointDisabled", "Endpoint is disabled"), await Code(("TargetArn", endpoint), ("Message", "m")));

        await Sns.Call("DeletePlatformApplication", ("PlatformApplicationArn", app));
        Assert.Equal("NotFound", (await Sns.Fail("GetEndpointAttributes", ("EndpointArn", endpoint))).Code);
    }

    private async Task<(string, string)> Code(params (string, string)[] publish)
    {
        var (_, code, message) = await Sns.Fail("Publish", publish);
        return (code, message);
    }
}
