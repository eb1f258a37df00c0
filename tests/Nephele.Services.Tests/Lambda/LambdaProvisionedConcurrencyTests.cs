using System.Net;
using System.Text;
using System.Text.Json;

namespace Nephele.Services.Tests.Lambda;

/// <summary>Provisioned concurrency: configs on versions and aliases, pre-initialized environments that serve without an init phase.</summary>
public sealed class LambdaProvisionedConcurrencyTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const string Handler = "let n = 0; exports.handler = async () => ({ type: process.env.AWS_LAMBDA_INITIALIZATION_TYPE, n: ++n });";
    private readonly LambdaClient _lambda = new(nephele.Http());

    private static string Path(string name, string? qualifier) =>
        $"/2019-09-30/functions/{name}/provisioned-concurrency" + (qualifier is null ? "" : $"?Qualifier={Uri.EscapeDataString(qualifier)}");

    private async Task<string> PublishedFunction()
    {
        var name = LambdaClient.Unique("provisioned");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", LambdaClient.Zip(("index.js", Handler)), new { Publish = true });
        return name;
    }

    private async Task<JsonElement> WaitUntilReady(string name, string qualifier)
    {
        for (var i = 0; i < 200; i++)
        {
            var config = await _lambda.Ok(HttpMethod.Get, Path(name, qualifier));
            if (config.GetProperty("Status").GetString() != "IN_PROGRESS") return config;
            await Task.Delay(50);
        }
        throw new TimeoutException("provisioned concurrency never became ready");
    }

    [Fact]
    public async Task A_version_gets_pre_initialized_environments_that_serve_without_an_init_phase()
    {
        var name = await PublishedFunction();
        var put = await _lambda.Send(HttpMethod.Put, Path(name, "1"), new { ProvisionedConcurrentExecutions = 2 });
        Assert.Equal(HttpStatusCode.Accepted, put.Status);
        Assert.Equal(2, put.Json.GetProperty("RequestedProvisionedConcurrentExecutions").GetInt32());
        Assert.Contains(put.Json.GetProperty("Status").GetString(), new[] { "IN_PROGRESS", "READY" });

        var ready = await WaitUntilReady(name, "1");
        Assert.Equal("READY", ready.GetProperty("Status").GetString());
        Assert.Equal(2, ready.GetProperty("AllocatedProvisionedConcurrentExecutions").GetInt32());
        Assert.Equal(2, ready.GetProperty("AvailableProvisionedConcurrentExecutions").GetInt32());

        var provisioned = await _lambda.Invoke(name, qualifier: "1", headers: new() { ["X-Amz-Log-Type"] = "Tail" });
        Assert.Equal("provisioned-concurrency", provisioned.Json.GetProperty("type").GetString());
        Assert.DoesNotContain("Init Duration", Encoding.UTF8.GetString(Convert.FromBase64String(provisioned.Header("X-Amz-Log-Result")!)));

        var onDemand = await _lambda.Invoke(name, headers: new() { ["X-Amz-Log-Type"] = "Tail" });
        Assert.Equal("on-demand", onDemand.Json.GetProperty("type").GetString());
        Assert.Contains("Init Duration", Encoding.UTF8.GetString(Convert.FromBase64String(onDemand.Header("X-Amz-Log-Result")!)));

        var list = await _lambda.Ok(HttpMethod.Get, Path(name, null) + "?List=ALL");
        var item = Assert.Single(list.GetProperty("ProvisionedConcurrencyConfigs").EnumerateArray());
        Assert.EndsWith($":function:{name}:1", item.GetProperty("FunctionArn").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _lambda.Send(HttpMethod.Delete, Path(name, "1"))).Status);
        var gone = await _lambda.Send(HttpMethod.Get, Path(name, "1"));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal("ProvisionedConcurrencyConfigNotFoundException", gone.ErrorCode);
        Assert.Equal("on-demand", (await _lambda.Invoke(name, qualifier: "1")).Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_alias_can_be_provisioned_and_its_invocations_use_the_environments()
    {
        var name = await PublishedFunction();
        await _lambda.Ok(HttpMethod.Post, $"/2015-03-31/functions/{name}/aliases", new { Name = "live", FunctionVersion = "1" });
        await _lambda.Ok(HttpMethod.Put, Path(name, "live"), new { ProvisionedConcurrentExecutions = 1 });
        Assert.Equal("READY", (await WaitUntilReady(name, "live")).GetProperty("Status").GetString());
        Assert.Equal("provisioned-concurrency", (await _lambda.Invoke(name, qualifier: "live")).Json.GetProperty("type").GetString());
        Assert.Equal(2, (await _lambda.Invoke(name, qualifier: "live")).Json.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Latest_missing_versions_and_limits_are_refused_as_aws_does()
    {
        var name = await PublishedFunction();
        var latest = await _lambda.Send(HttpMethod.Put, Path(name, "$LATEST"), new { ProvisionedConcurrentExecutions = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, latest.Status);
        Assert.Equal("InvalidParameterValueException", latest.ErrorCode);
        Assert.Equal("Provisioned Concurrency Configs cannot be applied to unpublished function versions.", latest.Json.GetProperty("message").GetString());

        var missing = await _lambda.Send(HttpMethod.Put, Path(name, "7"), new { ProvisionedConcurrentExecutions = 1 });
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("ResourceNotFoundException", missing.ErrorCode);

        Assert.Equal("ProvisionedConcurrencyConfigNotFoundException", (await _lambda.Send(HttpMethod.Get, Path(name, "1"))).ErrorCode);

        await _lambda.Ok(HttpMethod.Put, $"/2017-10-31/functions/{name}/concurrency", new { ReservedConcurrentExecutions = 1 });
        var tooMany = await _lambda.Send(HttpMethod.Put, Path(name, "1"), new { ProvisionedConcurrentExecutions = 2 });
        Assert.Equal("InvalidParameterValueException", tooMany.ErrorCode);

        var account = await _lambda.Send(HttpMethod.Put, Path(await PublishedFunction(), "1"), new { ProvisionedConcurrentExecutions = 950 });
        Assert.Equal("InvalidParameterValueException", account.ErrorCode);
        Assert.Contains("below its minimum value of [100]", account.Json.GetProperty("message").GetString());
    }
}
