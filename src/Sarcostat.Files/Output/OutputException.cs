namespace Sarcostat.Files.Output;

/// <summary>
/// An output could not be written, or was refused so as not to destroy something: one line naming the path and what
/// to do. Nothing was written. Derives from <see cref="IOException"/> so that callers catching I/O failures see it.
/// </summary>
public sealed class OutputException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line: the path, what is wrong, what to do; ends with "Nothing was written." where that holds.</param>
    /// <param name="refused">True when the path was refused before anything was written (a usage error: the
    /// command line names an output that cannot or must not be written); false when writing failed.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public OutputException(string message, bool refused, Exception? inner = null)
        : base(message, inner)
    {
        Refused = refused;
    }

    /// <summary>Creates a refusal.</summary>
    public OutputException(string message)
        : this(message, refused: true)
    {
    }

    /// <summary>Creates a refusal (for serialisers).</summary>
    public OutputException()
        : this("The output was refused.", refused: true)
    {
    }

    /// <summary>Creates a write failure wrapping <paramref name="inner"/>.</summary>
    public OutputException(string message, Exception inner)
        : this(message, refused: false, inner)
    {
    }

    /// <summary>
    /// True when the output path was refused before anything was written (a usage error: exit code 2 in the CLI);
    /// false when writing it failed (exit code 1).
    /// </summary>
    public bool Refused { get; }
}
