namespace Nephele.Services.Tests.Lambda;

/// <summary>Unpacked code is removed once no version uses it.</summary>
public sealed class LambdaCodeCleanupTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LambdaClient _lambda = new(nephele.Http());

    private static byte[] Code(string marker) =>
        LambdaClient.Zip(("index.js", $"exports.handler = async () => ({{ root: process.env.LAMBDA_TASK_ROOT, marker: '{marker}' }});"));

    [Fact]
    public async Task Deleting_versions_and_functions_removes_their_unpacked_code()
    {
        var name = LambdaClient.Unique("cleanup");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", Code(name + "-one"), new { Publish = true });
        var first = (await _lambda.Invoke(name, qualifier: "1")).Json.GetProperty("root").GetString()!;
        Assert.True(Directory.Exists(first));

        await _lambda.Ok(HttpMethod.Put, $"/2015-03-31/functions/{name}/code",
            new { ZipFile = Convert.ToBase64String(Code(name + "-two")) });
        var second = (await _lambda.Invoke(name)).Json.GetProperty("root").GetString()!;
        Assert.NotEqual(first, second);
        Assert.True(Directory.Exists(first), "version 1 still uses its code");

        await _lambda.Send(HttpMethod.Delete, $"/2015-03-31/functions/{name}?Qualifier=1");
        Assert.False(Directory.Exists(first), "the deleted version's code is removed");
        Assert.True(Directory.Exists(second));

        await _lambda.Send(HttpMethod.Delete, $"/2015-03-31/functions/{name}");
        Assert.False(Directory.Exists(second), "the deleted function's code is removed");
    }
}
