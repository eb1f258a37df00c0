using System.Net;
using System.Text.Json;

namespace Nephele.Services.Tests.Lambda;

/// <summary>The function API; nothing here starts a runtime process.</summary>
public sealed class LambdaFunctionTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LambdaClient _lambda = new(nephele.Http());
    private static readonly byte[] Code = LambdaClient.Zip(("index.js", "exports.handler = async () => 1;"));

    [Fact]
    public async Task Created_function_is_pending_then_active_and_a_duplicate_conflicts()
    {
        var name = LambdaClient.Unique("create");
        var created = await _lambda.Create(name, "nodejs20.x", "index.handler", Code, new { Environment = new { Variables = new { MY_VAR = "1" } }, Timeout = 10 });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("Pending", created.Json.GetProperty("State").GetString());
        Assert.Equal($"arn:aws:lambda:us-east-1:000000000000:function:{name}", created.Json.GetProperty("FunctionArn").GetString());
        Assert.Equal(Code.Length, created.Json.GetProperty("CodeSize").GetInt64());

        var got = await _lambda.Ok(HttpMethod.Get, $"/2015-03-31/functions/{name}");
        var config = got.GetProperty("Configuration");
        Assert.Equal("Active", config.GetProperty("State").GetString());
        Assert.Equal(10, config.GetProperty("Timeout").GetInt32());
        Assert.Equal("1", config.GetProperty("Environment").GetProperty("Variables").GetProperty("MY_VAR").GetString());
        Assert.Equal($"/aws/lambda/{name}", config.GetProperty("LoggingConfig").GetProperty("LogGroup").GetString());

        var duplicate = await _lambda.Create(name, "nodejs20.x", "index.handler", Code);
        Assert.Equal((HttpStatusCode.Conflict, "ResourceConflictException"), (duplicate.Status, duplicate.ErrorCode));
    }

    [Fact]
    public async Task Image_packages_S3_code_bad_zips_and_reserved_variables_are_refused_clearly()
    {
        var name = LambdaClient.Unique("refused");
        var image = await _lambda.Send(HttpMethod.Post, "/2015-03-31/functions", new
        {
            FunctionName = name,
            Role = LambdaClient.Role,
            PackageType = "Image",
            Code = new { ImageUri = "123.dkr.ecr.us-east-1.amazonaws.com/x:latest" },
        });
        Assert.Equal("InvalidParameterValueException", image.ErrorCode);
        Assert.Contains("not support", image.Json.GetProperty("message").GetString());

        var s3 = await _lambda.Send(HttpMethod.Post, "/2015-03-31/functions", new
        {
            FunctionName = name,
            Role = LambdaClient.Role,
            Runtime = "nodejs20.x",
            Handler = "index.handler",
            Code = new { S3Bucket = "b", S3Key = "k.zip" },
        });
        Assert.Equal("InvalidParameterValueException", s3.ErrorCode);
        Assert.Contains("S3", s3.Json.GetProperty("message").GetString());

        var zip = await _lambda.Create(name, "nodejs20.x", "index.handler", "not a zip"u8.ToArray());
        Assert.Equal("InvalidParameterValueException", zip.ErrorCode);

        var reserved = await _lambda.Create(name, "nodejs20.x", "index.handler", Code, new { Environment = new { Variables = new { AWS_REGION = "x" } } });
        Assert.Equal("InvalidParameterValueException", reserved.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _lambda.Send(HttpMethod.Get, $"/2015-03-31/functions/{name}")).Status);
    }

    [Fact]
    public async Task List_pages_with_markers_and_delete_removes_the_function()
    {
        var prefix = LambdaClient.Unique("list");
        foreach (var i in Enumerable.Range(0, 3)) await _lambda.CreateOk($"{prefix}-{i}", "python3.11", "app.handler", Code);
        var names = new List<string>();
        string? marker = null;
        do
        {
            var page = await _lambda.Ok(HttpMethod.Get, "/2015-03-31/functions?MaxItems=2" + (marker is null ? "" : $"&Marker={Uri.EscapeDataString(marker)}"));
            names.AddRange(page.GetProperty("Functions").EnumerateArray().Select(f => f.GetProperty("FunctionName").GetString()!));
            marker = page.TryGetProperty("NextMarker", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        } while (marker is not null);
        Assert.Equal(Enumerable.Range(0, 3).Select(i => $"{prefix}-{i}"), names.Where(n => n.StartsWith(prefix)));

        Assert.Equal(HttpStatusCode.NoContent, (await _lambda.Send(HttpMethod.Delete, $"/2015-03-31/functions/{prefix}-0")).Status);
        var missing = await _lambda.Send(HttpMethod.Get, $"/2015-03-31/functions/{prefix}-0");
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFoundException"), (missing.Status, missing.ErrorCode));
    }

    [Fact]
    public async Task Updating_configuration_changes_the_revision_and_checks_the_given_one()
    {
        var name = LambdaClient.Unique("update");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", Code);
        var before = await _lambda.Ok(HttpMethod.Get, $"/2015-03-31/functions/{name}/configuration");
        var updated = await _lambda.Ok(HttpMethod.Put, $"/2015-03-31/functions/{name}/configuration", new { MemorySize = 512, Description = "bigger" });
        Assert.Equal("InProgress", updated.GetProperty("LastUpdateStatus").GetString());
        Assert.Equal(512, updated.GetProperty("MemorySize").GetInt32());
        Assert.NotEqual(before.GetProperty("RevisionId").GetString(), updated.GetProperty("RevisionId").GetString());
        var stale = await _lambda.Send(HttpMethod.Put, $"/2015-03-31/functions/{name}/configuration",
            new { Timeout = 5, RevisionId = before.GetProperty("RevisionId").GetString() });
        Assert.Equal((HttpStatusCode.PreconditionFailed, "PreconditionFailedException"), (stale.Status, stale.ErrorCode));
        var after = await _lambda.Ok(HttpMethod.Get, $"/2015-03-31/functions/{name}/configuration");
        Assert.Equal("Successful", after.GetProperty("LastUpdateStatus").GetString());
        Assert.Equal(3, after.GetProperty("Timeout").GetInt32());
    }

    [Fact]
    public async Task Versions_are_published_once_per_change_and_aliases_validate_their_routing()
    {
        var name = LambdaClient.Unique("versions");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", Code);
        var v1 = await _lambda.Ok(HttpMethod.Post, $"/2015-03-31/functions/{name}/versions", new { });
        Assert.Equal("1", v1.GetProperty("Version").GetString());
        Assert.Equal("1", (await _lambda.Ok(HttpMethod.Post, $"/2015-03-31/functions/{name}/versions", new { })).GetProperty("Version").GetString());
        await _lambda.Ok(HttpMethod.Put, $"/2015-03-31/functions/{name}/configuration", new { Description = "v2" });
        Assert.Equal("2", (await _lambda.Ok(HttpMethod.Post, $"/2015-03-31/functions/{name}/versions", new { })).GetProperty("Version").GetString());
        var versions = await _lambda.Ok(HttpMethod.Get, $"/2015-03-31/functions/{name}/versions");
        Assert.Equal(["$LATEST", "1", "2"], versions.GetProperty("Versions").EnumerateArray().Select(v => v.GetProperty("Version").GetString()));

        var alias = await _lambda.Ok(HttpMethod.Post, $"/2015-03-31/functions/{name}/aliases", new
        {
            Name = "live",
            FunctionVersion = "1",
            RoutingConfig = new { AdditionalVersionWeights = new Dictionary<string, double> { ["2"] = 0.25 } },
        });
        Assert.Equal($"arn:aws:lambda:us-east-1:000000000000:function:{name}:live", alias.GetProperty("AliasArn").GetString());
        var bad = await _lambda.Send(HttpMethod.Post, $"/2015-03-31/functions/{name}/aliases", new { Name = "bad", FunctionVersion = "9" });
        Assert.Equal("ResourceNotFoundException", bad.ErrorCode);
        var inUse = await _lambda.Send(HttpMethod.Delete, $"/2015-03-31/functions/{name}?Qualifier=2");
        Assert.Equal((HttpStatusCode.Conflict, "ResourceConflictException"), (inUse.Status, inUse.ErrorCode));
        var updated = await _lambda.Ok(HttpMethod.Put, $"/2015-03-31/functions/{name}/aliases/live", new { FunctionVersion = "2", RoutingConfig = new { AdditionalVersionWeights = new { } } });
        Assert.False(updated.TryGetProperty("RoutingConfig", out _));
        Assert.Single((await _lambda.Ok(HttpMethod.Get, $"/2015-03-31/functions/{name}/aliases")).GetProperty("Aliases").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await _lambda.Send(HttpMethod.Delete, $"/2015-03-31/functions/{name}/aliases/live")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await _lambda.Send(HttpMethod.Delete, $"/2015-03-31/functions/{name}?Qualifier=2")).Status);
    }

    [Fact]
    public async Task Permissions_build_a_resource_policy_and_duplicates_conflict()
    {
        var name = LambdaClient.Unique("policy");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", Code);
        Assert.Equal(HttpStatusCode.NotFound, (await _lambda.Send(HttpMethod.Get, $"/2015-03-31/functions/{name}/policy")).Status);
        var added = await _lambda.Ok(HttpMethod.Post, $"/2015-03-31/functions/{name}/policy", new
        {
            StatementId = "s3",
            Action = "lambda:InvokeFunction",
            Principal = "s3.amazonaws.com",
            SourceArn = "arn:aws:s3:::bucket",
        });
        using var statement = JsonDocument.Parse(added.GetProperty("Statement").GetString()!);
        Assert.Equal("s3.amazonaws.com", statement.RootElement.GetProperty("Principal").GetProperty("Service").GetString());
        var again = await _lambda.Send(HttpMethod.Post, $"/2015-03-31/functions/{name}/policy", new { StatementId = "s3", Action = "lambda:InvokeFunction", Principal = "*" });
        Assert.Equal((HttpStatusCode.Conflict, "ResourceConflictException"), (again.Status, again.ErrorCode));
        var policy = await _lambda.Ok(HttpMethod.Get, $"/2015-03-31/functions/{name}/policy");
        using var document = JsonDocument.Parse(policy.GetProperty("Policy").GetString()!);
        Assert.Equal("s3", Assert.Single(document.RootElement.GetProperty("Statement").EnumerateArray()).GetProperty("Sid").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await _lambda.Send(HttpMethod.Delete, $"/2015-03-31/functions/{name}/policy/s3")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _lambda.Send(HttpMethod.Delete, $"/2015-03-31/functions/{name}/policy/s3")).Status);
    }

    [Fact]
    public async Task Tags_concurrency_and_account_settings_round_trip()
    {
        var name = LambdaClient.Unique("tags");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", Code, new { Tags = new { team = "a" } });
        var arn = Uri.EscapeDataString($"arn:aws:lambda:us-east-1:000000000000:function:{name}");
        await _lambda.Ok(HttpMethod.Post, $"/2017-03-31/tags/{arn}", new { Tags = new { env = "dev" } });
        await _lambda.Ok(HttpMethod.Delete, $"/2017-03-31/tags/{arn}?tagKeys=team");
        var tags = (await _lambda.Ok(HttpMethod.Get, $"/2017-03-31/tags/{arn}")).GetProperty("Tags");
        Assert.Equal("dev", Assert.Single(tags.EnumerateObject()).Value.GetString());

        await _lambda.Ok(HttpMethod.Put, $"/2017-10-31/functions/{name}/concurrency", new { ReservedConcurrentExecutions = 5 });
        Assert.Equal(5, (await _lambda.Ok(HttpMethod.Get, $"/2019-09-30/functions/{name}/concurrency")).GetProperty("ReservedConcurrentExecutions").GetInt32());
        var settings = await _lambda.Ok(HttpMethod.Get, "/2016-08-19/account-settings");
        Assert.Equal(995, settings.GetProperty("AccountLimit").GetProperty("UnreservedConcurrentExecutions").GetInt32());
        var tooMuch = await _lambda.Send(HttpMethod.Put, $"/2017-10-31/functions/{name}/concurrency", new { ReservedConcurrentExecutions = 950 });
        Assert.Equal("InvalidParameterValueException", tooMuch.ErrorCode);
        await _lambda.Ok(HttpMethod.Delete, $"/2017-10-31/functions/{name}/concurrency");
        Assert.Equal(1000, (await _lambda.Ok(HttpMethod.Get, "/2016-08-19/account-settings")).GetProperty("AccountLimit").GetProperty("UnreservedConcurrentExecutions").GetInt32());
    }

    [Fact]
    public async Task Dry_run_answers_204_zero_reserved_concurrency_throttles_and_unrunnable_runtimes_say_so()
    {
        var name = LambdaClient.Unique("dryrun");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", Code);
        var dry = await _lambda.Invoke(name, headers: new() { ["X-Amz-Invocation-Type"] = "DryRun" });
        Assert.Equal(HttpStatusCode.NoContent, dry.Status);

        await _lambda.Ok(HttpMethod.Put, $"/2017-10-31/functions/{name}/concurrency", new { ReservedConcurrentExecutions = 0 });
        var throttled = await _lambda.Invoke(name);
        Assert.Equal(((HttpStatusCode)429, "TooManyRequestsException"), (throttled.Status, throttled.ErrorCode));
        Assert.Equal("ReservedFunctionConcurrentInvocationLimitExceeded", throttled.Json.GetProperty("Reason").GetString());

        var java = LambdaClient.Unique("java");
        await _lambda.CreateOk(java, "java21", "example.Handler::handleRequest", Code);
        var unsupported = await _lambda.Invoke(java);
        Assert.Equal(((HttpStatusCode)502, "InvalidRuntimeException"), (unsupported.Status, unsupported.ErrorCode));

        var missing = await _lambda.Invoke(LambdaClient.Unique("missing"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task Health_lists_the_runtimes_this_machine_can_run()
    {
        using var http = nephele.Http();
        using var health = JsonDocument.Parse(await http.GetStringAsync("/_nephele/health"));
        var runtimes = health.RootElement.GetProperty("details").GetProperty("lambda").GetProperty("runtimes").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("nodejs20.x", runtimes);
        Assert.Contains("provided.al2023", runtimes);
        Assert.DoesNotContain("java21", runtimes);
    }
}
