namespace Sarcostat.Web.Infrastructure;

/// <summary>The stylesheet, embedded in the assembly (no static-files folder to find at run time).</summary>
public static class SiteCss
{
    /// <summary>Its text.</summary>
    public static string Text { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(SiteCss).Assembly.GetManifestResourceStream("Sarcostat.Web.site.css")
            ?? throw new InvalidOperationException("The embedded stylesheet is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
