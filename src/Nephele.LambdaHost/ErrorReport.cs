using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Nephele.LambdaHost;

/// <summary>
/// An error as the managed .NET runtime reports it: errorType (the exception's type name), errorMessage, stackTrace
/// (one frame per entry) and the inner exception as a nested cause.
/// </summary>
internal sealed class ErrorReport
{
    private ErrorReport(string errorType, string errorMessage, IReadOnlyList<string> stackTrace, ErrorReport? cause)
    {
        ErrorType = errorType;
        ErrorMessage = errorMessage;
        StackTrace = stackTrace;
        Cause = cause;
    }

    public string ErrorType { get; }
    public string ErrorMessage { get; }
    public IReadOnlyList<string> StackTrace { get; }
    public ErrorReport? Cause { get; }

    /// <summary>A handler exception; reflection's wrapper is not part of the user's error.</summary>
    public static ErrorReport ForInvoke(Exception e) => From(Unwrap(e));

    /// <summary>An init failure: validation problems are LambdaValidationException, a constructor's exception is its cause.</summary>
    public static ErrorReport ForInit(Exception e) => From(e is TargetInvocationException { InnerException: { } inner } ? inner : e);

    private static Exception Unwrap(Exception e) => e is TargetInvocationException { InnerException: { } inner } ? Unwrap(inner) : e;

    private static ErrorReport From(Exception e) =>
        new(e.GetType().Name, e.Message, Frames(e.StackTrace), e.InnerException is { } inner ? From(inner) : null);

    private static List<string> Frames(string? trace) =>
        trace is null ? [] : [.. trace.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    /// <summary>The log line's text: type, message and stack as the runtime prints an unhandled exception.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        for (var e = this; e is not null; e = e.Cause)
        {
            if (e != this) text.Append(" ---> ");
            text.Append(e.ErrorType).Append(": ").Append(e.ErrorMessage);
            foreach (var frame in e.StackTrace) text.Append("\n   ").Append(frame);
        }
        return text.ToString();
    }

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer);
        return buffer.ToArray();
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("errorType", ErrorType);
        writer.WriteString("errorMessage", ErrorMessage);
        writer.WriteStartArray("stackTrace");
        foreach (var frame in StackTrace) writer.WriteStringValue(frame);
        writer.WriteEndArray();
        if (Cause is not null)
        {
            writer.WritePropertyName("cause");
            Cause.Write(writer);
        }
        writer.WriteEndObject();
    }
}

/// <summary>A handler that cannot be loaded as written (AWS's managed runtime reports these as LambdaValidationException).</summary>
internal sealed class LambdaValidationException(string message, Exception? inner = null) : Exception(message, inner);
