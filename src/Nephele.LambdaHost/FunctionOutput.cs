using System.Globalization;

namespace Nephele.LambdaHost;

/// <summary>
/// Lines the host writes to the function's log (stdout, which Nephele sends to CloudWatch Logs), in the managed .NET
/// runtime's format: timestamp, request id, level, message.
/// </summary>
internal static class FunctionOutput
{
    private static readonly Lock Gate = new();

    public static void Line(string? requestId, string level, string message)
    {
        // One call stays one log event: newlines become \r, as AWS's runtimes keep multi-line messages together.
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\t{requestId ?? "undefined"}\t{level}\t{message.Replace('\n', '\r')}");
        lock (Gate) Console.Out.WriteLine(line);
    }

    public static void Error(string? requestId, ErrorReport error) => Line(requestId, "fail", error.Describe());

    /// <summary>Tells Nephele every line of this invocation is written (it waits for this before closing the invocation's log).</summary>
    public static void Done(string requestId)
    {
        lock (Gate)
        {
            Console.Out.Write("\0nephele:done:" + requestId + "\n");
            Console.Out.Flush();
        }
    }
}
