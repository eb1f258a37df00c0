using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Nephele.Services.Tests.Lambda;
using Nephele.Services.Tests.S3;

namespace Nephele.Services.Tests.Iam;

/// <summary>
/// The least-privilege policy of each scenario allows exactly that scenario: every request it needs succeeds, and one
/// action more is denied with the service's own AccessDenied error and AWS's message.
/// </summary>
public sealed class IamEnforcementMatrixTests(EnforcingNepheleFixture nephele) : IClassFixture<EnforcingNepheleFixture>
{
    private const string Account = "210987654321";

    private readonly IamClient _root = new(nephele.Http(), Account);

    private async Task<(string Id, string Secret)> UserWithPolicy(string name, string policy)
    {
        await _root.Call("CreateUser", ("UserName", name));
        await _root.Call("PutUserPolicy", ("UserName", name), ("PolicyName", "scenario"), ("PolicyDocument", policy));
        var key = (await _root.Call("CreateAccessKey", ("UserName", name))).Element(IamClient.Ns + "AccessKey")!;
        return (key.Text("AccessKeyId"), key.Text("SecretAccessKey"));
    }

    private static string Denial(string user, string action, string resource) =>
        $"User: arn:aws:iam::{Account}:user/{user} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action";

    [Fact]
    public async Task S3_read_only_app_reads_and_lists_its_bucket_and_nothing_more()
    {
        var root = S3TestClient.Create(nephele, Account);
        var bucket = await root.NewBucketAsync();
        var other = await root.NewBucketAsync();
        await root.PutTextAsync(bucket, "config/app.json", "{}");
        await root.PutTextAsync(other, "secret.txt", "x");
        var (id, _) = await UserWithPolicy("s3-reader", $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::{{bucket}}"},
              {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}
            """);
        var app = S3TestClient.Create(nephele, id);

        Assert.Equal("{}", await app.ReadAsync(bucket, "config/app.json"));
        await app.GetObjectMetadataAsync(bucket, "config/app.json");
        Assert.Single((await app.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects);

        var write = await Assert.ThrowsAsync<AmazonS3Exception>(() => app.PutTextAsync(bucket, "new.txt", "data"));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (write.StatusCode, write.ErrorCode));
        Assert.Equal(Denial("s3-reader", "s3:PutObject", $"\"arn:aws:s3:::{bucket}/new.txt\""), write.Message);
        var elsewhere = await Assert.ThrowsAsync<AmazonS3Exception>(() => app.ReadAsync(other, "secret.txt"));
        Assert.Equal(Denial("s3-reader", "s3:GetObject", $"\"arn:aws:s3:::{other}/secret.txt\""), elsewhere.Message);
        var buckets = await Assert.ThrowsAsync<AmazonS3Exception>(() => app.ListBucketsAsync());
        Assert.Equal(Denial("s3-reader", "s3:ListAllMyBuckets", "\"*\""), buckets.Message);
        var versions = await Assert.ThrowsAsync<AmazonS3Exception>(() => app.ListVersionsAsync(bucket));
        Assert.Contains("s3:ListBucketVersions", versions.Message);
        // DeleteObjects needs s3:DeleteObject on every key, and a denied request changes nothing.
        var delete = await Assert.ThrowsAsync<AmazonS3Exception>(() => app.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [new KeyVersion { Key = "config/app.json" }],
        }));
        Assert.Contains("s3:DeleteObject on resource", delete.Message);
        Assert.Equal("{}", await root.ReadAsync(bucket, "config/app.json"));
    }

    [Fact]
    public async Task S3_listing_can_be_confined_to_the_users_home_prefix()
    {
        var root = S3TestClient.Create(nephele, Account);
        var bucket = await root.NewBucketAsync();
        var (id, _) = await UserWithPolicy("alice", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::{{bucket}}",
              "Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"} } }]}
            """);
        var alice = S3TestClient.Create(nephele, id);
        await alice.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "home/alice/" });
        await Assert.ThrowsAsync<AmazonS3Exception>(() => alice.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "home/bob/" }));
        await Assert.ThrowsAsync<AmazonS3Exception>(() => alice.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }));
    }

    [Fact]
    public async Task Object_tags_decide_access_through_s3_ExistingObjectTag()
    {
        var root = S3TestClient.Create(nephele, Account);
        var bucket = await root.NewBucketAsync();
        await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "public.txt", ContentBody = "p", TagSet = [new Amazon.S3.Model.Tag { Key = "classification", Value = "public" }] });
        await root.PutTextAsync(bucket, "private.txt", "q");
        var (id, _) = await UserWithPolicy("tag-reader", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*",
              "Condition":{"StringEquals":{"s3:ExistingObjectTag/classification":"public"} } }]}
            """);
        var reader = S3TestClient.Create(nephele, id);
        Assert.Equal("p", await reader.ReadAsync(bucket, "public.txt"));
        await Assert.ThrowsAsync<AmazonS3Exception>(() => reader.ReadAsync(bucket, "private.txt"));
    }

    [Fact]
    public async Task A_public_bucket_policy_lets_anonymous_callers_read_and_nothing_else()
    {
        var root = S3TestClient.Create(nephele, Account);
        var bucket = await root.NewBucketAsync();
        var closed = await root.NewBucketAsync();
        await root.PutTextAsync(bucket, "index.html", "hello");
        await root.PutTextAsync(closed, "index.html", "hidden");
        // New buckets block public policies, as in AWS since April 2023.
        await root.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await root.PutBucketPolicyAsync(bucket, $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}
            """);
        var anonymous = new EnforcementClient(nephele.Http(), "", "s3");

        var read = await anonymous.Send(HttpMethod.Get, $"/{bucket}/index.html", null, []);
        Assert.Equal((HttpStatusCode.OK, "hello"), (read.Status, read.Body));
        var write = await anonymous.Send(HttpMethod.Put, $"/{bucket}/evil.html", "x", [], "text/html");
        Assert.Equal(HttpStatusCode.Forbidden, write.Status);
        Assert.Contains("<Code>AccessDenied</Code>", write.Body);
        var hidden = await anonymous.Send(HttpMethod.Get, $"/{closed}/index.html", null, []);
        Assert.Equal(HttpStatusCode.Forbidden, hidden.Status);
    }

    [Fact]
    public async Task Across_accounts_a_bucket_policy_and_the_callers_identity_policy_must_both_allow()
    {
        const string partner = "123456789012";
        var root = S3TestClient.Create(nephele, Account);
        var bucket = await root.NewBucketAsync();
        await root.PutTextAsync(bucket, "report.csv", "a,b");
        var partnerIam = new IamClient(nephele.Http(), partner);
        await partnerIam.Call("CreateUser", ("UserName", "importer"));
        var key = (await partnerIam.Call("CreateAccessKey", ("UserName", "importer"))).Element(IamClient.Ns + "AccessKey")!;
        var importer = S3TestClient.Create(nephele, key.Text("AccessKeyId"));

        await root.PutBucketPolicyAsync(bucket, $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{partner}}:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}
            """);
        // The bucket policy alone does not do: the partner account must also allow its user.
        await Assert.ThrowsAsync<AmazonS3Exception>(() => importer.ReadAsync(bucket, "report.csv"));
        await partnerIam.Call("PutUserPolicy", ("UserName", "importer"), ("PolicyName", "read"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"""));
        Assert.Equal("a,b", await importer.ReadAsync(bucket, "report.csv"));
        // The identity policy alone does not do either.
        await root.DeleteBucketPolicyAsync(bucket);
        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => importer.ReadAsync(bucket, "report.csv"));
        Assert.Contains("because no resource-based policy allows the s3:GetObject action", denied.Message);
    }

    [Fact]
    public async Task SQS_consumer_receives_and_deletes_but_cannot_send()
    {
        AmazonSQSClient Sqs(string key) => nephele.Client((c, cfg) => new AmazonSQSClient(c, (AmazonSQSConfig)cfg), new AmazonSQSConfig(), key);
        var root = Sqs(Account);
        var url = (await root.CreateQueueAsync("orders-matrix")).QueueUrl;
        await root.SendMessageAsync(url, "order");
        var arn = $"arn:aws:sqs:us-east-1:{Account}:orders-matrix";
        var (id, _) = await UserWithPolicy("consumer", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes","sqs:ChangeMessageVisibility"],"Resource":"{{arn}}"}]}
            """);
        var consumer = Sqs(id);
        var message = Assert.Single((await consumer.ReceiveMessageAsync(url)).Messages);
        await consumer.DeleteMessageAsync(url, message.ReceiptHandle);
        await consumer.GetQueueAttributesAsync(url, ["All"]);
        var send = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => consumer.SendMessageAsync(url, "forged"));
        Assert.Equal("AccessDeniedException", send.ErrorCode);
        Assert.Equal(Denial("consumer", "sqs:SendMessage", arn), send.Message);
    }

    [Fact]
    public async Task DynamoDB_table_owner_works_its_table_and_index_but_cannot_drop_it()
    {
        AmazonDynamoDBClient Ddb(string key) => nephele.Client((c, cfg) => new AmazonDynamoDBClient(c, (AmazonDynamoDBConfig)cfg), new AmazonDynamoDBConfig(), key);
        var root = Ddb(Account);
        await root.CreateTableAsync(new CreateTableRequest
        {
            TableName = "orders",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("status", ScalarAttributeType.S)],
            KeySchema = [new("pk", KeyType.HASH)],
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "by-status", KeySchema = [new("status", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL } }],
        });
        var table = $"arn:aws:dynamodb:us-east-1:{Account}:table/orders";
        var (id, _) = await UserWithPolicy("table-owner", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:UpdateItem","dynamodb:DeleteItem","dynamodb:Query","dynamodb:BatchWriteItem"],
              "Resource":["{{table}}","{{table}}/index/*"]}]}
            """);
        var owner = Ddb(id);
        await owner.PutItemAsync("orders", new() { ["pk"] = new("o1"), ["status"] = new("open") });
        await owner.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { ["orders"] = [new WriteRequest(new PutRequest(new() { ["pk"] = new("o2"), ["status"] = new("open") }))] } });
        Assert.True((await owner.GetItemAsync("orders", new() { ["pk"] = new("o1") })).IsItemSet);
        var open = await owner.QueryAsync(new QueryRequest
        {
            TableName = "orders",
            IndexName = "by-status",
            KeyConditionExpression = "#s = :s",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":s"] = new("open") },
        });
        Assert.Equal(2, open.Count);
        await owner.DeleteItemAsync("orders", new() { ["pk"] = new("o2") });

        var drop = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => owner.DeleteTableAsync("orders"));
        Assert.Equal(("AccessDeniedException", HttpStatusCode.BadRequest), (drop.ErrorCode, drop.StatusCode));
        Assert.Equal(Denial("table-owner", "dynamodb:DeleteTable", table), drop.Message);
        var scan = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => owner.ScanAsync(new ScanRequest { TableName = "orders" }));
        Assert.Contains("dynamodb:Scan", scan.Message);
        await root.DescribeTableAsync("orders");
    }

    [Fact]
    public async Task DynamoDB_leading_keys_confine_a_user_to_its_own_items()
    {
        AmazonDynamoDBClient Ddb(string key) => nephele.Client((c, cfg) => new AmazonDynamoDBClient(c, (AmazonDynamoDBConfig)cfg), new AmazonDynamoDBConfig(), key);
        await Ddb(Account).CreateTableAsync(new CreateTableRequest
        {
            TableName = "profiles",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("user", ScalarAttributeType.S)],
            KeySchema = [new("user", KeyType.HASH)],
        });
        var (id, _) = await UserWithPolicy("carol", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem"],"Resource":"arn:aws:dynamodb:us-east-1:{{Account}}:table/profiles",
              "Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${aws:username}"],"dynamodb:Attributes":["user","theme"]} } }]}
            """);
        var carol = Ddb(id);
        await carol.PutItemAsync("profiles", new() { ["user"] = new("carol"), ["theme"] = new("dark") });
        await Assert.ThrowsAsync<AmazonDynamoDBException>(() => carol.PutItemAsync("profiles", new() { ["user"] = new("dave"), ["theme"] = new("dark") }));
        await Assert.ThrowsAsync<AmazonDynamoDBException>(() => carol.PutItemAsync("profiles", new() { ["user"] = new("carol"), ["admin"] = new("yes") }));
    }

    [Fact]
    public async Task Lambda_invoker_invokes_its_function_and_may_not_read_its_code()
    {
        var root = new LambdaClient(nephele.Http());
        var name = LambdaClient.Unique("invoked");
        var zip = LambdaClient.Zip(("app.py", "def handler(event, context):\n    return {\"ok\": True}\n"));
        var create = await new EnforcementClient(nephele.Http(), Account, "lambda").Send(HttpMethod.Post, "/2015-03-31/functions", System.Text.Json.JsonSerializer.Serialize(new
        {
            FunctionName = name,
            Runtime = "python3.11",
            Handler = "app.handler",
            Role = $"arn:aws:iam::{Account}:role/lambda-role",
            Code = new { ZipFile = Convert.ToBase64String(zip) },
        }), []);
        Assert.Equal(HttpStatusCode.Created, create.Status);
        var arn = $"arn:aws:lambda:us-east-1:{Account}:function:{name}";
        var (id, _) = await UserWithPolicy("invoker", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["{{arn}}","{{arn}}:*"]}]}
            """);
        var invoker = new EnforcementClient(nephele.Http(), id, "lambda");
        var invoked = await invoker.Send(HttpMethod.Post, $"/2015-03-31/functions/{name}/invocations", "{}", []);
        Assert.Equal(HttpStatusCode.OK, invoked.Status);

        var read = await invoker.Send(HttpMethod.Get, $"/2015-03-31/functions/{name}", null, []);
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDeniedException"), (read.Status, read.ErrorType));
        Assert.Equal(Denial("invoker", "lambda:GetFunction", arn), read.Message);
        _ = root;
    }

    [Fact]
    public async Task A_Lambda_resource_policy_lets_another_account_invoke()
    {
        const string partner = "123456789013";
        var name = LambdaClient.Unique("shared");
        var owner = new EnforcementClient(nephele.Http(), Account, "lambda");
        var zip = LambdaClient.Zip(("app.py", "def handler(event, context):\n    return 1\n"));
        Assert.Equal(HttpStatusCode.Created, (await owner.Send(HttpMethod.Post, "/2015-03-31/functions", System.Text.Json.JsonSerializer.Serialize(new
        {
            FunctionName = name,
            Runtime = "python3.11",
            Handler = "app.handler",
            Role = $"arn:aws:iam::{Account}:role/lambda-role",
            Code = new { ZipFile = Convert.ToBase64String(zip) },
        }), [])).Status);
        var partnerIam = new IamClient(nephele.Http(), partner);
        await partnerIam.Call("CreateUser", ("UserName", "caller"));
        await partnerIam.Call("PutUserPolicy", ("UserName", "caller"), ("PolicyName", "invoke"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*"}]}"""));
        var key = (await partnerIam.Call("CreateAccessKey", ("UserName", "caller"))).Element(IamClient.Ns + "AccessKey")!;
        var caller = new EnforcementClient(nephele.Http(), key.Text("AccessKeyId"), "lambda");
        var arn = $"arn:aws:lambda:us-east-1:{Account}:function:{name}";

        var before = await caller.Send(HttpMethod.Post, $"/2015-03-31/functions/{arn}/invocations", "{}", []);
        Assert.Equal(HttpStatusCode.Forbidden, before.Status);
        var permission = await owner.Send(HttpMethod.Post, $"/2015-03-31/functions/{name}/policy",
            $$"""{"StatementId":"partner","Action":"lambda:InvokeFunction","Principal":"{{partner}}"}""", []);
        Assert.Equal(HttpStatusCode.Created, permission.Status);
        var after = await caller.Send(HttpMethod.Post, $"/2015-03-31/functions/{arn}/invocations", "{}", []);
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Fact]
    public async Task Secrets_reader_reads_its_secrets_but_cannot_change_them()
    {
        var root = new EnforcementClient(nephele.Http(), Account, "secretsmanager");
        var created = await root.Json("secretsmanager.CreateSecret", new { Name = "app/db", SecretString = "pw" });
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var arn = created.Json.GetProperty("ARN").GetString()!;
        await root.Json("secretsmanager.CreateSecret", new { Name = "payroll/db", SecretString = "pw2" });
        var (id, _) = await UserWithPolicy("secrets-reader", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],
              "Resource":"arn:aws:secretsmanager:us-east-1:{{Account}}:secret:app/*"}]}
            """);
        var reader = new EnforcementClient(nephele.Http(), id, "secretsmanager");
        var value = await reader.Json("secretsmanager.GetSecretValue", new { SecretId = "app/db" });
        Assert.Equal("pw", value.Json.GetProperty("SecretString").GetString());
        Assert.Equal(HttpStatusCode.OK, (await reader.Json("secretsmanager.DescribeSecret", new { SecretId = arn })).Status);

        var write = await reader.Json("secretsmanager.PutSecretValue", new { SecretId = "app/db", SecretString = "hacked" });
        Assert.Equal((HttpStatusCode.BadRequest, "AccessDeniedException"), (write.Status, write.ErrorType));
        Assert.Equal(Denial("secrets-reader", "secretsmanager:PutSecretValue", arn), write.Message);
        var payroll = await reader.Json("secretsmanager.GetSecretValue", new { SecretId = "payroll/db" });
        Assert.Equal("AccessDeniedException", payroll.ErrorType);
        Assert.Equal("pw", (await root.Json("secretsmanager.GetSecretValue", new { SecretId = "app/db" })).Json.GetProperty("SecretString").GetString());
    }

    [Fact]
    public async Task A_secret_resource_policy_naming_a_user_grants_it_without_identity_policies()
    {
        var root = new EnforcementClient(nephele.Http(), Account, "secretsmanager");
        Assert.Equal(HttpStatusCode.OK, (await root.Json("secretsmanager.CreateSecret", new { Name = "shared/api-key", SecretString = "k" })).Status);
        await _root.Call("CreateUser", ("UserName", "integrator"));
        var key = (await _root.Call("CreateAccessKey", ("UserName", "integrator"))).Element(IamClient.Ns + "AccessKey")!;
        var integrator = new EnforcementClient(nephele.Http(), key.Text("AccessKeyId"), "secretsmanager");
        Assert.Equal("AccessDeniedException", (await integrator.Json("secretsmanager.GetSecretValue", new { SecretId = "shared/api-key" })).ErrorType);
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/integrator"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";
        Assert.Equal(HttpStatusCode.OK, (await root.Json("secretsmanager.PutResourcePolicy", new { SecretId = "shared/api-key", ResourcePolicy = policy })).Status);
        Assert.Equal(HttpStatusCode.OK, (await integrator.Json("secretsmanager.GetSecretValue", new { SecretId = "shared/api-key" })).Status);
    }

    [Fact]
    public async Task An_SNS_topic_policy_grants_publishing_and_its_absence_denies_with_AccessDenied()
    {
        var root = new EnforcementClient(nephele.Http(), Account, "sns");
        Assert.Equal(HttpStatusCode.OK, (await root.Query("CreateTopic", ("Name", "alerts"))).Status);
        var topic = $"arn:aws:sns:us-east-1:{Account}:alerts";
        await _root.Call("CreateUser", ("UserName", "publisher"));
        var key = (await _root.Call("CreateAccessKey", ("UserName", "publisher"))).Element(IamClient.Ns + "AccessKey")!;
        var publisher = new EnforcementClient(nephele.Http(), key.Text("AccessKeyId"), "sns");

        var denied = await publisher.Query("Publish", ("TopicArn", topic), ("Message", "hi"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Contains("<Code>AccessDenied</Code>", denied.Body);
        Assert.Contains(WebUtility.HtmlEncode(Denial("publisher", "sns:Publish", topic)), denied.Body);
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/publisher"},"Action":"sns:Publish","Resource":"{{topic}}"}]}""";
        Assert.Equal(HttpStatusCode.OK, (await root.Query("SetTopicAttributes", ("TopicArn", topic), ("AttributeName", "Policy"), ("AttributeValue", policy))).Status);
        Assert.Equal(HttpStatusCode.OK, (await publisher.Query("Publish", ("TopicArn", topic), ("Message", "hi"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await publisher.Query("DeleteTopic", ("TopicArn", topic))).Status);
    }

    [Fact]
    public async Task SSM_parameters_are_authorized_by_their_parameter_ARN()
    {
        var root = nephele.Client((c, cfg) => new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient(c, (Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig)cfg),
            new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig(), Account);
        await root.PutParameterAsync(new() { Name = "/app/url", Value = "https://x", Type = "String" });
        await root.PutParameterAsync(new() { Name = "/ops/token", Value = "t", Type = "String" });
        var (id, _) = await UserWithPolicy("config-reader", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParameters"],"Resource":"arn:aws:ssm:us-east-1:{{Account}}:parameter/app/*"}]}
            """);
        var reader = nephele.Client((c, cfg) => new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient(c, (Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig)cfg),
            new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig(), id);
        Assert.Equal("https://x", (await reader.GetParameterAsync(new() { Name = "/app/url" })).Parameter.Value);
        var denied = await Assert.ThrowsAnyAsync<Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementException>(() => reader.GetParameterAsync(new() { Name = "/ops/token" }));
        Assert.Equal(Denial("config-reader", "ssm:GetParameter", $"arn:aws:ssm:us-east-1:{Account}:parameter/ops/token"), denied.Message);
        await Assert.ThrowsAnyAsync<Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementException>(() =>
            reader.GetParametersAsync(new() { Names = ["/app/url", "/ops/token"] }));
    }
}
