using System.Text;
using Amazon.Lambda.Core;

namespace Nephele.Lambda.TestFunction;

public sealed record Order(string Id, int Quantity);

public sealed record Receipt(string OrderId, int Total, string RequestId, string FunctionName, int MemoryLimitInMB, bool TimeLeft);

/// <summary>Handlers of every shape the host supports; one instance per environment, as on AWS.</summary>
public sealed class Functions
{
    private int _invocations;

    public string Upper(string input) => input.ToUpperInvariant();

    public static Receipt Total(Order order) => new(order.Id, order.Quantity * 10, "", "", 0, false);

    public async Task<Receipt> TotalAsync(Order order, ILambdaContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await Task.Yield();
        context.Logger.LogLine($"order {order.Id} seen by {context.FunctionName}");
        Console.WriteLine("console output of invocation " + ++_invocations);
        return new Receipt(order.Id, order.Quantity * 10, context.AwsRequestId, context.FunctionName, context.MemoryLimitInMB,
            context.RemainingTime > TimeSpan.Zero);
    }

    public Stream Reverse(Stream input)
    {
        using var reader = new StreamReader(input);
        var text = reader.ReadToEnd().ToCharArray();
        Array.Reverse(text);
        return new MemoryStream(Encoding.UTF8.GetBytes(text));
    }

    public Task Nothing() => Task.CompletedTask;

    public void Reject(Order order) => throw new InvalidOperationException($"order {order.Id} rejected", new ArgumentException("quantity"));

    public async Task<string> FailLater()
    {
        await Task.Yield();
        throw new TimeoutException("backend timed out");
    }

    [LambdaSerializer(typeof(ShoutingSerializer))]
    public Receipt Serialized(Order order) => new(order.Id, order.Quantity, "", "", 0, false);

    public void Overloaded(string text) => Console.WriteLine(text);

    public void Overloaded(int number) => Console.WriteLine(number);
}

/// <summary>A handler type whose constructor fails (an init error).</summary>
public sealed class BrokenConstructor
{
    public BrokenConstructor() => throw new ArithmeticException("Sorry, 2 + 2 = 5");

    public string Run() => "never";
}

/// <summary>A custom serializer: reads JSON, writes it with upper-case property names, so tests see it was used.</summary>
public sealed class ShoutingSerializer : ILambdaSerializer
{
    public T Deserialize<T>(Stream requestStream) => System.Text.Json.JsonSerializer.Deserialize<T>(requestStream,
        new System.Text.Json.JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    public void Serialize<T>(T response, Stream responseStream) => System.Text.Json.JsonSerializer.Serialize(responseStream, response,
        new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseUpper });
}
