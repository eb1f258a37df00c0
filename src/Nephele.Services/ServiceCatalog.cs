using Microsoft.Extensions.Logging.Abstractions;
using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.State;
using Nephele.Core.Time;
using Nephele.Services.DynamoDb;
using Nephele.Services.DynamoDbStreams;
using Nephele.Services.Iam;
using Nephele.Services.Kms;
using Nephele.Services.Lambda;
using Nephele.Services.Logs;
using Nephele.Services.S3;
using Nephele.Services.SecretsManager;
using Nephele.Services.Sns;
using Nephele.Services.Sqs;
using Nephele.Services.Ssm;
using Nephele.Services.Sts;

namespace Nephele.Services;

/// <summary>Every service Nephele implements: one line each.</summary>
public static class ServiceCatalog
{
    public static IEnumerable<IAwsProvider> Create(ServiceEnvironment env) =>
    [
        new StsProvider(env),
        new SsmProvider(env),
        new SecretsManagerProvider(env),
        new SqsProvider(env),
        new KmsProvider(env),
        new S3Provider(env),
        new IamProvider(env),
        new SnsProvider(env),
        new LogsProvider(env),
        new LambdaProvider(env),
        new DynamoDbProvider(env),
        new DynamoDbStreamsProvider(env),
    ];

    /// <summary>The handlers every provider registers, without a running server (for the coverage table).</summary>
    public static ProviderRegistry Registry()
    {
        var state = SqliteStateStore.Open(null);
        return new(Create(new ServiceEnvironment
        {
            Options = new NepheleOptions { Ephemeral = true },
            Clock = new NepheleClock(state),
            State = state,
            Credentials = new CredentialStore(state),
            Logging = NullLoggerFactory.Instance,
        }));
    }
}
