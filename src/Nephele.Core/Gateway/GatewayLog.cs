using Microsoft.Extensions.Logging;

namespace Nephele.Core.Gateway;

internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Service} {Operation} account={Account} region={Region} {Status} {Milliseconds:0.0}ms")]
    public static partial void Request(ILogger logger, string service, string operation, string account, string region, int status, double milliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Service} {Operation} failed unexpectedly")]
    public static partial void Unhandled(ILogger logger, Exception exception, string service, string operation);
}
