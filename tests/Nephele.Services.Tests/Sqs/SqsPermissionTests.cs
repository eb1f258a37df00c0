using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Nephele.Services.Tests.Sqs;

public sealed class SqsPermissionTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonSQSClient _sqs = nephele.Sqs();

    [Fact]
    public async Task AddPermission_writes_a_labelled_statement_into_the_queue_policy()
    {
        var url = await _sqs.NewQueue();
        var arn = (await _sqs.Attributes(url, "QueueArn"))["QueueArn"];
        await _sqs.AddPermissionAsync(new AddPermissionRequest
        {
            QueueUrl = url,
            Label = "share",
            AWSAccountIds = ["111122223333"],
            Actions = ["SendMessage", "ReceiveMessage"],
        });
        using var policy = JsonDocument.Parse((await _sqs.Attributes(url, "Policy"))["Policy"]);
        Assert.Equal(arn + "/SQSDefaultPolicy", policy.RootElement.GetProperty("Id").GetString());
        var statement = Assert.Single(policy.RootElement.GetProperty("Statement").EnumerateArray());
        Assert.Equal("share", statement.GetProperty("Sid").GetString());
        Assert.Equal("arn:aws:iam::111122223333:root", statement.GetProperty("Principal").GetProperty("AWS").GetString());
        Assert.Equal(["SQS:SendMessage", "SQS:ReceiveMessage"], statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(arn, statement.GetProperty("Resource").GetString());

        var duplicate = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => _sqs.AddPermissionAsync(new AddPermissionRequest
        {
            QueueUrl = url,
            Label = "share",
            AWSAccountIds = ["111122223333"],
            Actions = ["SendMessage"],
        }));
        Assert.Equal("InvalidParameterValue", duplicate.ErrorCode);
    }

    [Fact]
    public async Task RemovePermission_drops_the_statement_and_an_empty_policy()
    {
        var url = await _sqs.NewQueue();
        await _sqs.AddPermissionAsync(new AddPermissionRequest { QueueUrl = url, Label = "temp", AWSAccountIds = ["111122223333"], Actions = ["*"] });
        await _sqs.RemovePermissionAsync(url, "temp");
        Assert.False((await _sqs.Attributes(url, "All")).ContainsKey("Policy"));
        var missing = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => _sqs.RemovePermissionAsync(url, "temp"));
        Assert.Equal("InvalidParameterValue", missing.ErrorCode);
        Assert.Contains("can't find label", missing.Message);
    }

    [Fact]
    public async Task Only_shareable_actions_may_be_granted()
    {
        var url = await _sqs.NewQueue();
        var error = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => _sqs.AddPermissionAsync(new AddPermissionRequest
        {
            QueueUrl = url,
            Label = "bad",
            AWSAccountIds = ["111122223333"],
            Actions = ["DeleteQueue"],
        }));
        Assert.Equal("InvalidParameterValue", error.ErrorCode);
        Assert.Contains("Only the queue owner", error.Message);
    }

    [Fact]
    public async Task A_deleted_queue_name_cannot_be_reused_for_60_seconds()
    {
        var url = await _sqs.NewQueue();
        var name = url[(url.LastIndexOf('/') + 1)..];
        await _sqs.DeleteQueueAsync(url);
        var error = await Assert.ThrowsAsync<QueueDeletedRecentlyException>(() => _sqs.CreateQueueAsync(name));
        Assert.Contains("60 seconds", error.Message);
        await nephele.AdvanceClock("PT61S");
        await _sqs.CreateQueueAsync(name);
    }
}
