using System.Globalization;
using System.Reflection;

namespace Nephele.LambdaHost;

/// <summary>
/// What the function sees of one invocation. The function's ILambdaContext and ILambdaLogger interfaces come from its
/// own Amazon.Lambda.Core, which the host cannot reference, so they are implemented by DispatchProxy at run time.
/// </summary>
internal sealed class InvocationContext(NextInvocation next)
{
    public NextInvocation Next { get; } = next;

    public object Proxy(Type contextInterface)
    {
        var proxy = (ContextProxy)DispatchProxy.Create(contextInterface, typeof(ContextProxy));
        proxy.Context = this;
        return proxy;
    }

    public object? Property(MethodInfo getter) => getter.Name switch
    {
        "get_AwsRequestId" => Next.RequestId,
        "get_FunctionName" => Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME"),
        "get_FunctionVersion" => Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION"),
        "get_InvokedFunctionArn" => Next.InvokedFunctionArn,
        "get_MemoryLimitInMB" => int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out var mb) ? mb : 128,
        "get_RemainingTime" => TimeSpan.FromMilliseconds(Math.Max(0, Next.DeadlineMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())),
        "get_LogGroupName" => Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_GROUP_NAME"),
        "get_LogStreamName" => Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_STREAM_NAME"),
        "get_TraceId" => Next.TraceId,
        "get_Logger" => LoggerProxy.For(getter.ReturnType, Next.RequestId),
        // ClientContext, Identity, TenantId and members of newer Amazon.Lambda.Core versions: not given.
        _ => getter.ReturnType.IsValueType && getter.ReturnType != typeof(void) ? Activator.CreateInstance(getter.ReturnType) : null,
    };
}

/// <summary>The ILambdaContext implementation handed to handlers.</summary>
public class ContextProxy : DispatchProxy
{
    internal InvocationContext? Context { get; set; }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        targetMethod is null || Context is null ? null : Context.Property(targetMethod);
}

/// <summary>The ILambdaLogger implementation: every call writes one line to the invocation's log.</summary>
public class LoggerProxy : DispatchProxy
{
    private string _requestId = "";

    internal static object For(Type loggerInterface, string requestId)
    {
        var proxy = (LoggerProxy)Create(loggerInterface, typeof(LoggerProxy));
        proxy._requestId = requestId;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is null) return null;
        args ??= [];
        var strings = args.OfType<string>().ToList();
        var (level, message) = targetMethod.Name switch
        {
            // Log(level, message, ...) of newer Amazon.Lambda.Core versions, level a string or an enum.
            "Log" when args.Length >= 2 => (Level(args[0]?.ToString()), args[1]?.ToString() ?? ""),
            "LogTrace" => ("trce", strings.FirstOrDefault() ?? ""),
            "LogDebug" => ("dbug", strings.FirstOrDefault() ?? ""),
            "LogInformation" => ("info", strings.FirstOrDefault() ?? ""),
            "LogWarning" => ("warn", strings.FirstOrDefault() ?? ""),
            "LogError" => ("fail", strings.FirstOrDefault() ?? ""),
            "LogCritical" => ("crit", strings.FirstOrDefault() ?? ""),
            _ => ("info", strings.FirstOrDefault() ?? ""),
        };
        FunctionOutput.Line(_requestId, level, message.TrimEnd('\n', '\r'));
        return targetMethod.ReturnType.IsValueType && targetMethod.ReturnType != typeof(void) ? Activator.CreateInstance(targetMethod.ReturnType) : null;
    }

    private static string Level(string? name) => name?.ToUpperInvariant() switch
    {
        "TRACE" => "trce",
        "DEBUG" => "dbug",
        "WARNING" or "WARN" => "warn",
        "ERROR" => "fail",
        "CRITICAL" => "crit",
        _ => "info",
    };
}
