using Nephele.Core.State;

namespace Nephele.Core.Tests.State;

/// <summary>A fresh data directory under the system temp directory, deleted with everything in it on dispose.</summary>
public sealed class TempDataDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nephele-test-" + Guid.NewGuid().ToString("N"));

    public SqliteStateStore Open() => SqliteStateStore.Open(Path);

    /// <summary>A store in this directory, or an ephemeral one, so table behaviour is checked on both.</summary>
    public SqliteStateStore Open(bool ephemeral) => SqliteStateStore.Open(ephemeral ? null : Path);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
