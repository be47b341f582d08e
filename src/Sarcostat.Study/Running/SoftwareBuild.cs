using System.Reflection;

namespace Sarcostat.Study;

/// <summary>
/// Which Sarcostat made a report: the version and the commit it was built from, as embedded at build time, so that a
/// paper can cite the exact software (the Methods text names both).
/// </summary>
public static class SoftwareBuild
{
    /// <summary>The metadata key the build embeds the commit under (Sarcostat.Study.csproj).</summary>
    public const string CommitKey = "SarcostatCommit";

    /// <summary>
    /// The short commit hash this build was made from, or "unknown" when the build had no git (a source archive, or
    /// git not installed).
    /// </summary>
    public static string Commit { get; } =
        typeof(SoftwareBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == CommitKey)?.Value is { Length: > 0 } commit ? commit : "unknown";
}
