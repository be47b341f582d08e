namespace Sarcostat.Cohort.Derivation;

/// <summary>A time-to-event endpoint. Every endpoint's time origin is the date of the FIRST pulmonary metastasectomy.</summary>
public enum Endpoint
{
    /// <summary>OS: death from any cause; patients alive are censored at last contact.</summary>
    OverallSurvival = 0,

    /// <summary>
    /// DSS: death from sarcoma; deaths from another cause are censored at death (and, by default, deaths of unknown
    /// cause too; or they are events, or left out: see <see cref="UnknownCauseOfDeath"/>); patients alive are censored
    /// at last contact.
    /// </summary>
    DiseaseSpecificSurvival = 1,

    /// <summary>DFS: recurrence after metastasectomy or death, whichever comes first; otherwise censored at last contact.</summary>
    DiseaseFreeSurvival = 2,

    /// <summary>PFS: progression or death, whichever comes first; otherwise censored at last contact.</summary>
    ProgressionFreeSurvival = 3,
}

/// <summary>Short names, parsing and one-sentence definitions of the endpoints (the wording every report should carry).</summary>
public static class Endpoints
{
    /// <summary>The four endpoints in their usual order: OS, DSS, DFS, PFS.</summary>
    public static IReadOnlyList<Endpoint> All { get; } =
        [Endpoint.OverallSurvival, Endpoint.DiseaseSpecificSurvival, Endpoint.DiseaseFreeSurvival, Endpoint.ProgressionFreeSurvival];

    /// <summary>The abbreviation: "OS", "DSS", "DFS", "PFS".</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined endpoint.</exception>
    public static string Abbreviation(Endpoint endpoint) => endpoint switch
    {
        Endpoint.OverallSurvival => "OS",
        Endpoint.DiseaseSpecificSurvival => "DSS",
        Endpoint.DiseaseFreeSurvival => "DFS",
        Endpoint.ProgressionFreeSurvival => "PFS",
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "Unknown endpoint."),
    };

    /// <summary>
    /// The lower-case prefix of the endpoint's value names (<c>os</c> gives <c>os_time</c>, <c>os_event</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined endpoint.</exception>
    public static string Prefix(Endpoint endpoint) => Abbreviation(endpoint).ToLowerInvariant();

    /// <summary>
    /// Parses an abbreviation ("OS", "dss"), a full name ("OverallSurvival") or "CSS" (cancer-specific survival, an
    /// alias of DSS); case-insensitive.
    /// </summary>
    public static bool TryParse(string? text, out Endpoint endpoint)
    {
        endpoint = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim();
        foreach (var e in All)
        {
            if (string.Equals(t, Abbreviation(e), StringComparison.OrdinalIgnoreCase)
                || string.Equals(t, e.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                endpoint = e;
                return true;
            }
        }

        if (string.Equals(t, "CSS", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = Endpoint.DiseaseSpecificSurvival;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The endpoint's definition under <paramref name="options"/>, as one sentence for a report, e.g.
    /// <c>DSS: time from the first pulmonary metastasectomy to death from sarcoma; deaths from other causes are censored at death ...</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined endpoint.</exception>
    public static string Definition(Endpoint endpoint, DerivationOptions? options = null)
    {
        options ??= new DerivationOptions();
        var unit = TimeUnits.Name(options.TimeUnit);
        var cut = options.AnalysisDate is { } d
            ? $"; follow-up is cut at the analysis date {d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}"
            : string.Empty;
        var origin = $"time in {unit} from the first pulmonary metastasectomy to";
        var body = endpoint switch
        {
            Endpoint.OverallSurvival => $"OS: {origin} death from any cause; patients alive are censored at last contact",
            Endpoint.DiseaseSpecificSurvival when options.DssDefinition == DssDefinition.AnyCause =>
                $"DSS: {origin} death from any cause, as defined by the source paper (not death from sarcoma only: every death is an event, so this DSS equals overall survival); patients alive are censored at last contact",
            Endpoint.DiseaseSpecificSurvival => $"DSS: {origin} death from sarcoma; deaths from other causes are censored at death"
                + options.UnknownCause switch
                {
                    UnknownCauseOfDeath.CensorAtDeath => ", and so are deaths of unknown cause",
                    UnknownCauseOfDeath.Event => "; deaths of unknown cause are counted as deaths from sarcoma",
                    _ => "; patients dead of unknown cause are left out",
                }
                + "; patients alive are censored at last contact",
            Endpoint.DiseaseFreeSurvival => $"DFS: {origin} recurrence or death, whichever comes first; others are censored at last contact",
            Endpoint.ProgressionFreeSurvival => $"PFS: {origin} progression or death, whichever comes first; others are censored at last contact",
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "Unknown endpoint."),
        };
        return body + cut + ".";
    }
}
