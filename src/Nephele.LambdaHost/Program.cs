using Nephele.LambdaHost;

// Nephele's host for .NET class-library Lambda handlers: loads Assembly::Namespace.Type::Method from the task root,
// then serves invocations from the Runtime API until Nephele stops the environment.
var api = new RuntimeApiClient(Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")
    ?? throw new InvalidOperationException("AWS_LAMBDA_RUNTIME_API is not set"));
var taskRoot = Environment.GetEnvironmentVariable("LAMBDA_TASK_ROOT") ?? Environment.CurrentDirectory;

Handler handler;
try
{
    handler = HandlerLoader.Load(Environment.GetEnvironmentVariable("_HANDLER") ?? "", taskRoot);
}
catch (Exception e)
{
    var report = ErrorReport.ForInit(e);
    FunctionOutput.Error(null, report);
    await api.InitErrorAsync(report);
    return 129;
}

while (true)
{
    NextInvocation next;
    try
    {
        next = await api.NextAsync();
    }
    catch (HttpRequestException)
    {
        // Nephele is gone: the environment ends with it.
        return 1;
    }
    var context = new InvocationContext(next);
    byte[]? response = null;
    ErrorReport? error = null;
    try
    {
        response = await handler.InvokeAsync(next.Payload, context);
    }
    catch (Exception e)
    {
        error = ErrorReport.ForInvoke(e);
        FunctionOutput.Error(next.RequestId, error);
    }
    FunctionOutput.Done(next.RequestId);
    if (error is null) await api.ResponseAsync(next.RequestId, response ?? []);
    else await api.ErrorAsync(next.RequestId, error);
}
