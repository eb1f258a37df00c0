using System.Net;
using System.Text.Json;

namespace Nephele.Services.Tests.Lambda;

/// <summary>Layers: the API, and functions that really import modules from their layers.</summary>
public sealed class LambdaLayerTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LambdaClient _lambda = new(nephele.Http());

    private async Task<JsonElement> Publish(string layer, byte[] zip, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["Content"] = new { ZipFile = Convert.ToBase64String(zip) } };
        if (extra is not null)
            foreach (var p in JsonSerializer.SerializeToElement(extra, extra.GetType()).EnumerateObject()) body[p.Name] = p.Value;
        var reply = await _lambda.Send(HttpMethod.Post, $"/2018-10-31/layers/{layer}/versions", body);
        Assert.True(reply.Status == HttpStatusCode.Created, $"PublishLayerVersion answered {(int)reply.Status}: {reply.Body}");
        return reply.Json;
    }

    [Fact]
    public async Task Node_and_python_functions_import_modules_from_their_layers()
    {
        var layer = LambdaClient.Unique("libs");
        var zip = LambdaClient.Zip(
            ("nodejs/node_modules/greeter/index.js", "exports.greet = (n) => `hello ${n} from a layer`;"),
            ("nodejs/node20/node_modules/versioned/index.js", "exports.v = 'node20 only';"),
            ("python/greeter_py.py", "def greet(n):\n    return f'hi {n} from a layer'\n"),
            ("python/lib/python3.11/site-packages/sitepkg.py", "VALUE = 'site-packages'\n"),
            ("bin/layer-tool", "#!/bin/sh\necho tool"));
        var published = await Publish(layer, zip, new { CompatibleRuntimes = new[] { "nodejs20.x", "python3.11" } });
        var arn = published.GetProperty("LayerVersionArn").GetString()!;
        Assert.Equal($"arn:aws:lambda:us-east-1:000000000000:layer:{layer}:1", arn);

        var node = LambdaClient.Unique("nodelayer");
        await _lambda.CreateOk(node, "nodejs20.x", "index.handler", LambdaClient.Zip(("index.js", """
            exports.handler = async () => ({ greeting: require('greeter').greet('node'), versioned: require('versioned').v,
              path: process.env.PATH.split(':').some(p => p.endsWith('/bin')) });
            """)), new { Layers = new[] { arn } });
        var config = await _lambda.Ok(HttpMethod.Get, $"/2015-03-31/functions/{node}/configuration");
        Assert.Equal(arn, config.GetProperty("Layers")[0].GetProperty("Arn").GetString());
        Assert.Equal(zip.Length, config.GetProperty("Layers")[0].GetProperty("CodeSize").GetInt64());
        var nodeResult = await _lambda.Invoke(node);
        Assert.True(nodeResult.Header("X-Amz-Function-Error") is null, nodeResult.Body);
        Assert.Equal("hello node from a layer", nodeResult.Json.GetProperty("greeting").GetString());
        Assert.Equal("node20 only", nodeResult.Json.GetProperty("versioned").GetString());

        var python = LambdaClient.Unique("pylayer");
        await _lambda.CreateOk(python, "python3.11", "app.handler", LambdaClient.Zip(("app.py", """
            import greeter_py, sitepkg
            def handler(event, context):
                return {"greeting": greeter_py.greet("python"), "site": sitepkg.VALUE}
            """)), new { Layers = new[] { arn } });
        var pyResult = await _lambda.Invoke(python);
        Assert.True(pyResult.Header("X-Amz-Function-Error") is null, pyResult.Body);
        Assert.Equal("hi python from a layer", pyResult.Json.GetProperty("greeting").GetString());
        Assert.Equal("site-packages", pyResult.Json.GetProperty("site").GetString());

        // A deleted layer version keeps working for the functions that already use it.
        await _lambda.Send(HttpMethod.Delete, $"/2018-10-31/layers/{layer}/versions/1");
        await _lambda.Ok(HttpMethod.Put, $"/2015-03-31/functions/{python}/configuration", new { Timeout = 5 });
        Assert.Equal("site-packages", (await _lambda.Invoke(python)).Json.GetProperty("site").GetString());
    }

    [Fact]
    public async Task Layer_versions_list_newest_first_filter_by_runtime_page_and_delete()
    {
        var layer = LambdaClient.Unique("versions");
        var zip = LambdaClient.Zip(("python/m.py", "x = 1"));
        await Publish(layer, zip, new { CompatibleRuntimes = new[] { "python3.12" }, CompatibleArchitectures = new[] { "arm64" }, LicenseInfo = "MIT", Description = "one" });
        await Publish(layer, zip, new { CompatibleRuntimes = new[] { "nodejs20.x" } });
        var third = await Publish(layer, zip, new { CompatibleRuntimes = new[] { "python3.12" } });
        Assert.Equal(3, third.GetProperty("Version").GetInt64());
        Assert.False(string.IsNullOrEmpty(third.GetProperty("Content").GetProperty("CodeSha256").GetString()));

        var all = await _lambda.Ok(HttpMethod.Get, $"/2018-10-31/layers/{layer}/versions");
        Assert.Equal([3L, 2L, 1L], all.GetProperty("LayerVersions").EnumerateArray().Select(v => v.GetProperty("Version").GetInt64()));
        var python = await _lambda.Ok(HttpMethod.Get, $"/2018-10-31/layers/{layer}/versions?CompatibleRuntime=python3.12");
        Assert.Equal([3L, 1L], python.GetProperty("LayerVersions").EnumerateArray().Select(v => v.GetProperty("Version").GetInt64()));
        var arm = await _lambda.Ok(HttpMethod.Get, $"/2018-10-31/layers/{layer}/versions?CompatibleArchitecture=arm64");
        Assert.Equal("MIT", arm.GetProperty("LayerVersions")[0].GetProperty("LicenseInfo").GetString());

        var versions = new List<long>();
        string? marker = null;
        do
        {
            var page = await _lambda.Ok(HttpMethod.Get, $"/2018-10-31/layers/{layer}/versions?MaxItems=2" + (marker is null ? "" : $"&Marker={Uri.EscapeDataString(marker)}"));
            versions.AddRange(page.GetProperty("LayerVersions").EnumerateArray().Select(v => v.GetProperty("Version").GetInt64()));
            marker = page.TryGetProperty("NextMarker", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        } while (marker is not null);
        Assert.Equal([3L, 2L, 1L], versions);

        var layers = await _lambda.Ok(HttpMethod.Get, "/2018-10-31/layers?CompatibleRuntime=nodejs20.x");
        var mine = layers.GetProperty("Layers").EnumerateArray().Single(l => l.GetProperty("LayerName").GetString() == layer);
        Assert.Equal(2, mine.GetProperty("LatestMatchingVersion").GetProperty("Version").GetInt64());

        var byArn = await _lambda.Ok(HttpMethod.Get, $"/2018-10-31/layers?find=LayerVersion&Arn={Uri.EscapeDataString($"arn:aws:lambda:us-east-1:000000000000:layer:{layer}:1")}");
        Assert.Equal("one", byArn.GetProperty("Description").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _lambda.Send(HttpMethod.Delete, $"/2018-10-31/layers/{layer}/versions/3")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await _lambda.Send(HttpMethod.Delete, $"/2018-10-31/layers/{layer}/versions/3")).Status);
        var gone = await _lambda.Send(HttpMethod.Get, $"/2018-10-31/layers/{layer}/versions/3");
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFoundException"), (gone.Status, gone.ErrorCode));
        // Version numbers are never reused.
        Assert.Equal(4, (await Publish(layer, zip)).GetProperty("Version").GetInt64());
    }

    [Fact]
    public async Task Functions_refuse_missing_layers_more_than_five_and_two_versions_of_one_layer()
    {
        var layer = LambdaClient.Unique("limits");
        var zip = LambdaClient.Zip(("python/m.py", "x = 1"));
        await Publish(layer, zip);
        await Publish(layer, zip);
        var arn = $"arn:aws:lambda:us-east-1:000000000000:layer:{layer}";
        var code = LambdaClient.Zip(("index.js", "exports.handler = async () => 1;"));
        var name = LambdaClient.Unique("layered");

        var missing = await _lambda.Create(name, "nodejs20.x", "index.handler", code, new { Layers = new[] { arn + ":9" } });
        Assert.Equal(("InvalidParameterValueException", $"Layer version {arn}:9 does not exist."),
            (missing.ErrorCode, missing.Json.GetProperty("message").GetString()));
        var six = await _lambda.Create(name, "nodejs20.x", "index.handler", code, new { Layers = Enumerable.Range(1, 6).Select(i => $"{arn}-{i}:1").ToArray() });
        Assert.Equal(("InvalidParameterValueException", "Cannot reference more than 5 layers."), (six.ErrorCode, six.Json.GetProperty("message").GetString()));
        var twice = await _lambda.Create(name, "nodejs20.x", "index.handler", code, new { Layers = new[] { arn + ":1", arn + ":2" } });
        Assert.Equal("InvalidParameterValueException", twice.ErrorCode);
        var unversioned = await _lambda.Create(name, "nodejs20.x", "index.handler", code, new { Layers = new[] { arn } });
        Assert.Equal("ValidationException", unversioned.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _lambda.Send(HttpMethod.Get, $"/2015-03-31/functions/{name}")).Status);

        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", code, new { Layers = new[] { arn + ":1" } });
        var updated = await _lambda.Ok(HttpMethod.Put, $"/2015-03-31/functions/{name}/configuration", new { Layers = new[] { arn + ":2" } });
        Assert.Equal(arn + ":2", updated.GetProperty("Layers")[0].GetProperty("Arn").GetString());
        var cleared = await _lambda.Ok(HttpMethod.Put, $"/2015-03-31/functions/{name}/configuration", new { Layers = Array.Empty<string>() });
        Assert.False(cleared.TryGetProperty("Layers", out _));
    }

    [Fact]
    public async Task Layer_version_policy_grants_other_accounts()
    {
        var layer = LambdaClient.Unique("shared");
        await Publish(layer, LambdaClient.Zip(("python/m.py", "x = 1")));
        var path = $"/2018-10-31/layers/{layer}/versions/1/policy";
        var none = await _lambda.Send(HttpMethod.Get, path);
        Assert.Equal("ResourceNotFoundException", none.ErrorCode);

        var added = await _lambda.Ok(HttpMethod.Post, path, new { StatementId = "everyone", Action = "lambda:GetLayerVersion", Principal = "*" });
        Assert.Contains("\"Principal\":\"*\"", added.GetProperty("Statement").GetString());
        var account = await _lambda.Ok(HttpMethod.Post, path, new { StatementId = "one", Action = "lambda:GetLayerVersion", Principal = "111122223333" });
        Assert.Contains("arn:aws:iam::111122223333:root", account.GetProperty("Statement").GetString());
        var duplicate = await _lambda.Send(HttpMethod.Post, path, new { StatementId = "one", Action = "lambda:GetLayerVersion", Principal = "*" });
        Assert.Equal("ResourceConflictException", duplicate.ErrorCode);
        var badAction = await _lambda.Send(HttpMethod.Post, path, new { StatementId = "two", Action = "lambda:InvokeFunction", Principal = "*" });
        Assert.Equal("ValidationException", badAction.ErrorCode);

        var policy = await _lambda.Ok(HttpMethod.Get, path);
        using var doc = JsonDocument.Parse(policy.GetProperty("Policy").GetString()!);
        Assert.Equal(2, doc.RootElement.GetProperty("Statement").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await _lambda.Send(HttpMethod.Delete, path + "/everyone")).Status);
        Assert.Equal("ResourceNotFoundException", (await _lambda.Send(HttpMethod.Delete, path + "/everyone")).ErrorCode);
    }
}
