using System.Net.Http.Json;
using System.Text.Json;
using Nephele.Services.Tests.Lambda;

namespace Nephele.Services.Tests.SecretsManager;

/// <summary>Rotation with a real rotation function (Python, boto3) run by Nephele's Lambda, calling back into Secrets
/// Manager through AWS_ENDPOINT_URL. Moves the clock of its own server.</summary>
public sealed class SecretsManagerRotationTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const string Account = "000000000000";

    /// <summary>AWS's rotation function template, reduced to a secret whose new value records the token it was made for.</summary>
    private const string RotationFunction = """
        import json

        sm = None


        def handler(event, context):
            # boto3 is imported on first use: on a loaded machine its import can outlast Lambda's 10-second init limit.
            global sm
            if sm is None:
                import boto3
                sm = boto3.client("secretsmanager")
            put_takes_rotation_token = "RotationToken" in sm.meta.service_model.operation_model("PutSecretValue").input_shape.members
            arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
            assert "RotationToken" in event
            if "early" in arn:
                raise RuntimeError("the rotation function could not reach the database")
            versions = sm.describe_secret(SecretId=arn)["VersionIdsToStages"]
            if token not in versions:
                raise ValueError("Secret version %s has no stage for rotation of secret %s." % (token, arn))
            if "AWSCURRENT" in versions[token]:
                return
            if "AWSPENDING" not in versions[token]:
                raise ValueError("Secret version %s not set as AWSPENDING for rotation of secret %s." % (token, arn))
            if step == "createSecret":
                current = sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"]
                try:
                    sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
                except sm.exceptions.ResourceNotFoundException:
                    extra = {"RotationToken": event["RotationToken"]} if put_takes_rotation_token else {}
                    value = json.dumps({"previous": current, "token": token})
                    sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=value, VersionStages=["AWSPENDING"], **extra)
            elif step == "setSecret":
                if "fail" in arn:
                    raise RuntimeError("the database refused the new password")
            elif step == "testSecret":
                pending = sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")["SecretString"]
                assert json.loads(pending)["token"] == token
            elif step == "finishSecret":
                current = next(v for v, stages in versions.items() if "AWSCURRENT" in stages)
                sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current)
            else:
                raise ValueError("Invalid step parameter %s" % step)
        """;

    private readonly SecretsManagerClient _sm = new(nephele.Http());
    private readonly LambdaClient _lambda = new(nephele.Http());

    private static string Unique(string prefix = "rotating") => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private async Task<string> RotationFunctionArn()
    {
        var name = Unique("rotator");
        await _lambda.CreateOk(name, "python3.11", "rotate.handler", LambdaClient.Zip(("rotate.py", RotationFunction)), new { Timeout = 60 });
        return $"arn:aws:lambda:us-east-1:{Account}:function:{name}";
    }

    private async Task<JsonElement> Describe(string id) => await _sm.Call("DescribeSecret", new { SecretId = id });

    private static Dictionary<string, string[]> Stages(JsonElement described) =>
        described.GetProperty("VersionIdsToStages").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(s => s.GetString()!).ToArray());

    [Fact]
    public async Task RotateSecret_runs_the_four_steps_and_the_new_version_becomes_current()
    {
        var function = await RotationFunctionArn();
        var name = Unique();
        var first = (await _sm.Call("CreateSecret", new { Name = name, SecretString = "hunter2" })).GetProperty("VersionId").GetString()!;

        var token = Guid.NewGuid().ToString();
        var rotated = await _sm.Call("RotateSecret", new
        {
            SecretId = name,
            ClientRequestToken = token,
            RotationLambdaARN = function,
            RotationRules = new { AutomaticallyAfterDays = 30 },
        });
        Assert.Equal(token, rotated.GetProperty("VersionId").GetString());

        var value = await _sm.Call("GetSecretValue", new { SecretId = name });
        Assert.Equal(token, value.GetProperty("VersionId").GetString());
        var secret = JsonDocument.Parse(value.GetProperty("SecretString").GetString()!).RootElement;
        Assert.Equal("hunter2", secret.GetProperty("previous").GetString());
        Assert.Equal(token, secret.GetProperty("token").GetString());

        var described = await Describe(name);
        Assert.True(described.GetProperty("RotationEnabled").GetBoolean());
        Assert.Equal(function, described.GetProperty("RotationLambdaARN").GetString());
        Assert.Equal(30, described.GetProperty("RotationRules").GetProperty("AutomaticallyAfterDays").GetInt32());
        var last = DateTimeOffset.FromUnixTimeMilliseconds((long)(described.GetProperty("LastRotatedDate").GetDouble() * 1000));
        var next = DateTimeOffset.FromUnixTimeMilliseconds((long)(described.GetProperty("NextRotationDate").GetDouble() * 1000));
        Assert.Equal(last.UtcDateTime.Date.AddDays(30), next.UtcDateTime);
        // Secrets Manager takes AWSPENDING off the new version once the rotation completed.
        var stages = Stages(described);
        Assert.Equal(["AWSCURRENT"], stages[token]);
        Assert.Equal(["AWSPREVIOUS"], stages[first]);
    }

    [Fact]
    public async Task Rotation_runs_again_when_the_clock_passes_the_next_rotation_date()
    {
        var function = await RotationFunctionArn();
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "v1" });
        var firstRotation = (await _sm.Call("RotateSecret", new
        {
            SecretId = name,
            RotationLambdaARN = function,
            RotationRules = new { ScheduleExpression = "rate(10 days)" },
        })).GetProperty("VersionId").GetString();

        using (var http = nephele.Http())
            (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = "P11D" }))).EnsureSuccessStatusCode();

        // The scheduled rotation runs the function in the background: wait for it (a few seconds at most).
        string? current = firstRotation;
        for (var i = 0; i < 300 && current == firstRotation; i++)
        {
            await Task.Delay(100);
            current = (await _sm.Call("GetSecretValue", new { SecretId = name })).GetProperty("VersionId").GetString();
        }
        Assert.NotEqual(firstRotation, current);
        var value = JsonDocument.Parse((await _sm.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString()!).RootElement;
        Assert.Equal(current, value.GetProperty("token").GetString());
        Assert.Equal(["AWSPREVIOUS"], Stages(await Describe(name))[firstRotation!]);
    }

    [Fact]
    public async Task A_failing_step_leaves_the_rotation_pending_and_the_next_RotateSecret_is_refused()
    {
        var function = await RotationFunctionArn();
        var name = Unique("fail");
        var first = (await _sm.Call("CreateSecret", new { Name = name, SecretString = "old" })).GetProperty("VersionId").GetString()!;
        var pending = (await _sm.Call("RotateSecret", new { SecretId = name, RotationLambdaARN = function })).GetProperty("VersionId").GetString()!;

        // createSecret put the value; setSecret failed, so AWSCURRENT did not move.
        Assert.Equal("old", (await _sm.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());
        var stages = Stages(await Describe(name));
        Assert.Equal(["AWSPENDING"], stages[pending]);
        Assert.Equal(["AWSCURRENT"], stages[first]);
        var refused = await _sm.Fail("RotateSecret", new { SecretId = name });
        Assert.Equal("InvalidRequestException", refused.Code);
        Assert.Equal("A previous rotation isn't complete. That rotation will be reattempted.", refused.Message);

        var cancelled = await _sm.Call("CancelRotateSecret", new { SecretId = name });
        Assert.Equal(pending, cancelled.GetProperty("VersionId").GetString());
        var described = await Describe(name);
        Assert.False(described.GetProperty("RotationEnabled").GetBoolean());
        Assert.Equal(function, described.GetProperty("RotationLambdaARN").GetString());
    }

    [Fact]
    public async Task A_rotation_that_fails_before_createSecret_leaves_an_empty_pending_version()
    {
        var function = await RotationFunctionArn();
        var name = Unique("early");
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "old" });
        var pending = (await _sm.Call("RotateSecret", new { SecretId = name, RotationLambdaARN = function })).GetProperty("VersionId").GetString()!;
        Assert.Equal(["AWSPENDING"], Stages(await Describe(name))[pending]);
        var empty = await _sm.Fail("GetSecretValue", new { SecretId = name, VersionStage = "AWSPENDING" });
        var byId = await _sm.Fail("GetSecretValue", new { SecretId = name, VersionId = pending });
        var versions = await _sm.Call("ListSecretVersionIds", new { SecretId = name, IncludeDeprecated = true });
        Assert.True(empty.Code == "ResourceNotFoundException", $"{empty.Code} {empty.Message} | by id {byId.Code} {byId.Message} | {versions}");
        Assert.Equal("old", (await _sm.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());
    }

    [Fact]
    public async Task RotateSecret_refuses_a_function_that_does_not_exist_and_changes_nothing()
    {
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "x" });
        var missing = await _sm.Fail("RotateSecret", new
        {
            SecretId = name,
            RotationLambdaARN = $"arn:aws:lambda:us-east-1:{Account}:function:no-such-rotator",
            RotationRules = new { AutomaticallyAfterDays = 7 },
        });
        Assert.Equal("AccessDeniedException", missing.Code);
        var described = await Describe(name);
        Assert.False(described.GetProperty("RotationEnabled").GetBoolean());
        Assert.False(described.TryGetProperty("RotationLambdaARN", out _));
        Assert.Single(Stages(described));
    }

    [Fact]
    public async Task RotateSecret_without_a_configured_function_is_an_invalid_request()
    {
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "x" });
        var error = await _sm.Fail("RotateSecret", new { SecretId = name });
        Assert.Equal("InvalidRequestException", error.Code);
        Assert.Equal("InvalidRequestException", (await _sm.Fail("CancelRotateSecret", new { SecretId = name })).Code);
    }

    [Theory]
    [InlineData("rate(2 hours)")]
    [InlineData("rate(1001 days)")]
    [InlineData("cron(0/30 * * * ? *)")]
    [InlineData("every day")]
    public async Task Schedule_expressions_AWS_refuses_are_invalid_parameters(string expression)
    {
        var function = await RotationFunctionArn();
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "x" });
        var error = await _sm.Fail("RotateSecret", new { SecretId = name, RotationLambdaARN = function, RotationRules = new { ScheduleExpression = expression } });
        Assert.Equal("InvalidParameterException", error.Code);
    }

    [Fact]
    public async Task A_cron_schedule_without_immediate_rotation_only_sets_the_next_rotation_date()
    {
        var function = await RotationFunctionArn();
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "x" });
        var answer = await _sm.Call("RotateSecret", new
        {
            SecretId = name,
            RotationLambdaARN = function,
            RotateImmediately = false,
            RotationRules = new { ScheduleExpression = "cron(0 16 ? * SAT *)", Duration = "2h" },
        });
        Assert.False(answer.TryGetProperty("VersionId", out _));
        var described = await Describe(name);
        var next = DateTimeOffset.FromUnixTimeMilliseconds((long)(described.GetProperty("NextRotationDate").GetDouble() * 1000)).UtcDateTime;
        Assert.Equal(DayOfWeek.Saturday, next.DayOfWeek);
        Assert.Equal(16, next.Hour);
        Assert.Equal("2h", described.GetProperty("RotationRules").GetProperty("Duration").GetString());
        Assert.False(described.TryGetProperty("LastRotatedDate", out _));
        Assert.Equal("x", (await _sm.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());
    }
}
