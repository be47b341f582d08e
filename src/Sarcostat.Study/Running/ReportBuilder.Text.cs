using System.Globalization;
using System.Text;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Protocols;
using Sarcostat.Survival;
using Sarcostat.Survival.Curves;

namespace Sarcostat.Study.Running;

/// <summary>The Methods paragraph and the Results sentences, written from the protocol and the run.</summary>
internal sealed partial class ReportBuilder
{
    private List<string> MethodsParagraphs()
    {
        var paragraphs = new List<string> { PatientsParagraph(), EndpointsParagraph(), StatisticsParagraph(), MissingDataParagraph() };
        return paragraphs.Where(p => p.Length > 0).ToList();
    }

    private string PatientsParagraph()
    {
        var flow = _selection.Flow;
        if (flow.Steps.Count == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Of(flow.Final, "patient")} {Were(flow.Final)} analysed; the protocol applies no selection criteria.");
        }

        var steps = flow.Steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{Lower(s.Label)} (n = {s.Excluded})"));
        if (flow.TotalExcluded == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(flow.Start == 1 ? "The 1 patient identified was" : $"All {flow.Start} patients identified were")} analysed; no patient was excluded by the selection steps ({string.Join("; ", flow.Steps.Select(s => Lower(s.Label)))}).");
        }

        return string.Create(CultureInfo.InvariantCulture, $"Of {Of(flow.Start, "patient")} identified, {flow.TotalExcluded} {Were(flow.TotalExcluded)} excluded, in this order: {string.Join("; ", steps)}. {Of(flow.Final, "patient")} {Were(flow.Final)} analysed.");
    }

    private string EndpointsParagraph()
    {
        var sb = new StringBuilder();
        var primary = _p.PrimaryEndpoint;
        sb.Append(CultureInfo.InvariantCulture, $"The primary endpoint was {Lower(primary.DisplayLabel)} ({primary.DisplayAbbreviation})");
        var others = _p.Endpoints.Where(e => e != primary).ToList();
        if (others.Count > 0)
        {
            sb.Append(others.Count == 1 ? "; the secondary endpoint was " : "; secondary endpoints were ")
                .Append(Words(others.Select(e => $"{Lower(e.DisplayLabel)} ({e.DisplayAbbreviation})").ToList()));
        }

        sb.Append(". ");
        foreach (var e in _p.Endpoints)
        {
            var definition = Endpoints.Definition(e.Endpoint, _cohort.Options);
            int colon = definition.IndexOf(": ", StringComparison.Ordinal);
            var body = colon >= 0 ? definition[(colon + 2)..] : definition;
            sb.Append(CultureInfo.InvariantCulture, $"{e.DisplayLabel} ({e.DisplayAbbreviation}) was the {body} ");
            if (e.Endpoint == Endpoint.DiseaseSpecificSurvival)
            {
                sb.Append(UnknownCauseSentence(e)).Append(' ');
            }

            if (e.Note is { } note)
            {
                sb.Append(note.TrimEnd()).Append(note.TrimEnd().EndsWith('.') ? " " : ". ");
            }
        }

        sb.Append("The time origin of every endpoint was the date of the first pulmonary metastasectomy");
        sb.Append(_p.TimeUnit switch
        {
            TimeUnit.Months => "; times are given in months (days / 30.4375).",
            TimeUnit.Years => "; times are given in years (days / 365.25).",
            _ => "; times are given in days.",
        });
        return sb.ToString();
    }

    /// <summary>
    /// The DSS convention for deaths of unknown cause, in the past tense and with their count among the analysed
    /// patients, because the literature uses both conventions and a reader must know which one this is.
    /// </summary>
    private string UnknownCauseSentence(EndpointSpec e)
    {
        if (_cohort.Options.DssDefinition == DssDefinition.AnyCause)
        {
            // The paper's definition, not the usual one: say how it differs and how many deaths that concerns.
            int notSarcoma = _cohort.Patients.Count(p => p.Patient.VitalStatus == Cohort.Codes.VitalStatus.Dead
                && p.Patient.CauseOfDeath != Cohort.Codes.CauseOfDeath.Sarcoma);
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{e.DisplayAbbreviation} was analysed as defined by the source paper, with deaths from any cause as events; it therefore equals overall survival and differs from the usual definition (death from sarcoma, other deaths censored) by the {notSarcoma} deaths not attributed to sarcoma, which were counted as events.");
        }

        int unknown = _cohort.Patients.Count(p => p.Patient.VitalStatus == Cohort.Codes.VitalStatus.Dead
            && p.Patient.CauseOfDeath == Cohort.Codes.CauseOfDeath.Unknown);
        var n = string.Create(CultureInfo.InvariantCulture, $"(n = {unknown})");
        return _cohort.Options.UnknownCause switch
        {
            UnknownCauseOfDeath.Event => $"Deaths of unknown cause {n} were counted as deaths from sarcoma.",
            UnknownCauseOfDeath.NotDerivable => $"Patients who died of an unknown cause {n} were left out of the {e.DisplayAbbreviation} analyses.",
            _ => $"Deaths of unknown cause {n} were censored at death, as deaths from other causes.",
        };
    }

    private string StatisticsParagraph()
    {
        var sb = new StringBuilder();
        string level = JournalFormat.Number(100 * _m.ConfidenceLevel, 0) + "%";
        var items = _p.Items.ToList();
        if (items.OfType<DescriptiveTableSpec>().Any())
        {
            sb.Append("Numerical variables are given as mean ± standard deviation or median (range) as stated, and categorical variables as counts (percentages). ");
        }

        sb.Append(CultureInfo.InvariantCulture, $"Survival was estimated with the Kaplan-Meier method and Greenwood's variance; pointwise {level} confidence intervals (CI) used the {CiTypeSentence(_m.ConfidenceType)}. ");
        sb.Append(CultureInfo.InvariantCulture, $"The {level} CI of the median survival time was {MedianSentence(_m.MedianInterval)}. ");
        if (_p.FollowUp)
        {
            sb.Append("Median follow-up was estimated with the reverse Kaplan-Meier method. ");
        }

        foreach (var tau in items.OfType<SurvivalTableSpec>().Select(s => s.RestrictedMeanTime).OfType<double>().Distinct())
        {
            sb.Append(CultureInfo.InvariantCulture, $"The restricted mean survival time up to {JournalFormat.Number(tau, Decimals(tau))} {Unit} was estimated as the area under the Kaplan-Meier curve, with a {level} normal CI (R's survfit rmean). ");
        }

        var landmarked = items.Where(i => i.LandmarkTime is not null).ToList();
        if (landmarked.Count > 0)
        {
            var which = string.Join(", ", landmarked.Select(i => $"{NameOf(i.Id)} at {JournalFormat.Number(i.LandmarkTime!.Value, Decimals(i.LandmarkTime.Value))} {Unit}"));
            sb.Append(CultureInfo.InvariantCulture, $"Landmark analyses ({which}) included only the patients still at risk at the landmark, with time measured from it, so that what happened after the first metastasectomy is not credited with the survival needed to reach it (immortal-time bias). ");
        }

        if (items.OfType<CumulativeIncidenceFigureSpec>().Any() || items.OfType<SurvivalTableSpec>().Any(s => s.CumulativeIncidence))
        {
            sb.Append("The cumulative incidence of death from sarcoma was estimated with deaths from other causes as competing events (Aalen-Johansen estimator, variance as in R's cmprsk::cuminc)");
            sb.Append(items.OfType<CumulativeIncidenceFigureSpec>().Any(c => c.By is not null && c.ShowP) ? ", and compared between groups with Gray's test; " : "; ");
            sb.Append("disease-specific survival by the Kaplan-Meier method censors deaths from other causes instead. ");
        }

        bool logRank = items.OfType<UnivariateTableSpec>().Any(u => u.Test == UnivariateTest.LogRank || u.EffectiveColumns.Any(c => c.Kind == ColumnKind.LogRankP)) || items.OfType<KaplanMeierFigureSpec>().Any(k => k.By is not null && k.ShowP);
        bool cox = items.OfType<UnivariateTableSpec>().Any(u => u.Test == UnivariateTest.Cox
            || u.EffectiveColumns.Any(c => c.Kind is ColumnKind.HazardRatio or ColumnKind.HazardRatioCi or ColumnKind.WaldP or ColumnKind.LikelihoodRatioP)) || items.OfType<MultivariateTableSpec>().Any();
        if (logRank)
        {
            sb.Append("Survival of groups was compared with the log-rank test. ");
        }

        if (cox)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Hazard ratios (HR) with {level} Wald CIs were estimated with Cox proportional hazards models, with {(_m.Ties switch { TieMethod.Breslow => "Breslow's method", TieMethod.Exact => "the exact partial likelihood (R ties = \"exact\")", _ => "Efron's method" })} for tied event times");
            sb.Append(". A factor with more than two levels was tested as a whole with the likelihood-ratio test (in a multivariate model, against the model without it on the same patients). ");
        }

        foreach (var m in items.OfType<MultivariateTableSpec>())
        {
            var result = Multivariate(m);
            var names = result.Selected.Count == 0 ? "none qualified, and no model was fitted" : Words(result.Selected.Select(v => Lower(v.Label)).ToList());
            if (m.SelectFrom is { } from)
            {
                double threshold = m.Threshold ?? _p.Alpha;
                var which = m.SelectBy switch
                {
                    SelectionTest.LogRank => "a log-rank p",
                    SelectionTest.Wald => "a Wald p of the univariate Cox model",
                    SelectionTest.LikelihoodRatio => "a likelihood-ratio p of the univariate Cox model",
                    _ => "p",
                };
                sb.Append(CultureInfo.InvariantCulture, $"Factors with {which} < {JournalFormat.Number(threshold, Math.Max(2, Decimals(threshold)))} in the univariate analysis ({NameOf(from)}) were entered together into a multivariate Cox model of {result.Endpoint.DisplayAbbreviation} ({NameOf(m.Id)}): {names}. ");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"The multivariate Cox model of {result.Endpoint.DisplayAbbreviation} ({NameOf(m.Id)}) included the prespecified factors {names}. ");
            }

            if (m.TimeDependent.Count > 0 && result.Selected.Count > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"It also included {Words(m.TimeDependent.Select(e => Lower(e.DisplayLabel)).ToList())} as time-dependent covariates (each patient's follow-up split at the event's date, counting-process Cox model, as R's tmerge and coxph), so that events after the first metastasectomy are not credited with the survival before them (immortal-time bias). ");
            }
        }

        var fitted = items.OfType<MultivariateTableSpec>().Where(m => Multivariate(m).Model?.Fit is not null).ToList();
        if (fitted.Count > 0)
        {
            sb.Append("The proportional-hazards assumption of each multivariate model was checked with score tests of the scaled Schoenfeld residuals against the Kaplan-Meier transform of time, per covariate and globally (as R's cox.zph), and its discrimination is given by Harrell's concordance index with its standard error. ");
            var firth = fitted.Where(m => _following.TryGetValue(m.Id, out var more) && more.Any(i => i.Id == m.Id + "-firth")).Select(m => NameOf(m.Id)).ToList();
            if (firth.Count > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"The model of {Words(firth)} was also fitted with Firth's penalised Cox regression (Heinze and Schemper 2001), which gives finite estimates when the likelihood is monotone (a factor level with few or no events), with profile penalised-likelihood CIs and penalised likelihood-ratio tests. ");
            }
        }

        var comparisons = items.OfType<ComparisonTableSpec>().ToList();
        if (comparisons.Count > 0)
        {
            var groups = string.Join(" and ", comparisons.Select(c => Lower(Var(c.By).Label)).Distinct(StringComparer.Ordinal));
            sb.Append(CultureInfo.InvariantCulture, $"Characteristics were compared between groups of {groups} with Fisher's exact test for categorical variables and Student's t-test for numerical variables. ");
        }

        sb.Append(CultureInfo.InvariantCulture, $"All p values are two-sided; p < {JournalFormat.Number(_m.Alpha, Math.Max(2, Decimals(_m.Alpha)))} was considered statistically significant.");
        return sb.ToString();
    }

    private string MissingDataParagraph()
    {
        var sb = new StringBuilder();
        sb.Append("Each analysis used the patients with complete data for its variables (complete-case analysis); the number of patients and events of each model is given with its table, and descriptive tables count missing values in a separate row. ");
        foreach (var e in _p.Endpoints)
        {
            var left = _cohort.UnderivableFor(e.Endpoint).Count;
            if (left > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{e.DisplayAbbreviation} could not be derived for {Of(left, "patient")}, who {Were(left)} left out of the {e.DisplayAbbreviation} analyses. ");
            }
        }

        bool overridden = _p.Ties is not null || _p.ConfidenceType is not null || _p.MedianInterval is not null;
        var software = _context.SoftwareCommit is { } commit
            ? $"Sarcostat {_context.SoftwareVersion} (commit {commit})"
            : $"Sarcostat {_context.SoftwareVersion}";
        if (_m.Convention == Convention.Spss)
        {
            // Say which of SPSS's rules were followed and who computed, so that no one cites SPSS by mistake.
            sb.Append(CultureInfo.InvariantCulture, $"Analyses were performed with {software}, following SPSS's conventions: {Words(SpssRules())}{(overridden ? ", with the methods named above where the protocol overrides them" : string.Empty)}. ");
            sb.Append("Every number was computed by Sarcostat (with statistics computed as in R's survival package), not by SPSS; only the conventions are SPSS's.");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"Analyses were performed with {software}, with the defaults of R's survival package (Efron ties, log-transformed survival CIs, R's median CI){(overridden ? ", with the methods named above where the protocol overrides them" : string.Empty)}.");
        }

        return sb.ToString();
    }

    /// <summary>The SPSS rules in force (a protocol may override some under the SPSS convention).</summary>
    private List<string> SpssRules()
    {
        var rules = new List<string>();
        if (_m.Ties == TieMethod.Breslow)
        {
            rules.Add("Breslow's method for tied event times in Cox models");
        }

        if (_m.ConfidenceType == ConfidenceIntervalType.Plain)
        {
            rules.Add("plain (linear) survival CIs, S ± z·SE");
        }

        if (_m.MedianInterval == MedianInterval.Spss)
        {
            rules.Add("SPSS's symmetric CI of the median survival time, median ± z·SE");
        }

        if (rules.Count == 0)
        {
            rules.Add("none of its methods, as the protocol overrides them all");
        }

        return rules;
    }

    /// <summary>"a", "a and b", "a, b and c".</summary>
    private static string Words(List<string> items) =>
        items.Count <= 1 ? string.Join(string.Empty, items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    private static string CiTypeSentence(ConfidenceIntervalType type) => type switch
    {
        ConfidenceIntervalType.Plain => "plain (linear) method, S ± 1.96 SE, as SPSS",
        ConfidenceIntervalType.LogLog => "log-log transformation",
        _ => "log transformation (R's default)",
    };

    private static string MedianSentence(MedianInterval rule) => rule == MedianInterval.Spss
        ? "the median ± 1.96 standard errors, with Collett's standard error (SPSS)"
        : "the range of times at which the pointwise confidence limits of the survival curve cross 0.5 (R)";

    // ------------------------------------------------------------------ results

    private List<string> ResultsSentences()
    {
        var sentences = new List<string>();
        var endpoints = new List<EndpointSpec> { _p.PrimaryEndpoint };
        endpoints.AddRange(_p.Endpoints.Where(e => e != _p.PrimaryEndpoint));
        var parts = new List<string>();
        if (_p.FollowUp && FollowUpSentence() is { } followUp)
        {
            parts.Add(followUp);
        }

        foreach (var e in endpoints)
        {
            parts.Add(ResultSentence(e));
        }

        sentences.AddRange(parts);
        return sentences;
    }

    /// <summary>"The 5-year overall survival was 62.9% (95% CI 52.1-75.9%; 41 events in 110 patients); median OS was not reached."</summary>
    private string ResultSentence(EndpointSpec e)
    {
        var data = Data(e.Endpoint);
        var km = Km(e.Endpoint);
        var name = Lower(e.DisplayLabel);
        if (km is null)
        {
            return $"{e.DisplayAbbreviation} could not be estimated: no analysed patient has a derivable {e.DisplayAbbreviation}.";
        }

        string level = JournalFormat.Number(100 * _m.ConfidenceLevel, 0) + "%";
        var counts = string.Create(CultureInfo.InvariantCulture, $"{Of(data.Events, "event")} in {Of(data.Count, "patient")}");
        var point = km.At(_p.Landmark);
        string first;
        if (point.BeyondLastObservation && point.Survival > 0)
        {
            first = string.Create(CultureInfo.InvariantCulture, $"The {LandmarkLabel} {name} could not be estimated: no patient was followed for {JournalFormat.Number(_p.Landmark, 0)} {Unit} ({counts})");
        }
        else
        {
            var ci = point.Lower is { } lo && point.Upper is { } hi
                ? $"{level} CI {JournalFormat.Percent(100 * lo)}{Fmt.Format.DashText}{JournalFormat.Percent(100 * hi)}%; "
                : string.Empty;
            first = $"The {LandmarkLabel} {name} was {JournalFormat.Percent(100 * point.Survival)}% ({ci}{counts})";
        }

        var median = km.Median;
        string second;
        if (median.Estimate is not { } m)
        {
            second = $"median {e.DisplayAbbreviation} was not reached";
        }
        else
        {
            var lo = median.Lower is { } l ? Fmt.Time(l) : "not estimable";
            var hi = median.Upper is { } u ? Fmt.Time(u) : "not reached";
            var sep = median.Lower is not null && median.Upper is not null ? Fmt.Format.DashText : " to ";
            second = $"median {e.DisplayAbbreviation} was {Fmt.Time(m)} {Unit} ({level} CI {lo}{sep}{hi})";
        }

        return $"{first}; {second}.";
    }

    /// <summary>
    /// "The median follow-up (reverse Kaplan-Meier) was 30.2 months (95% CI ...); the median observed time was 28.0
    /// (range 1.0-211.0) months." Both, because papers report either (the second is paper 001's "median follow-up 28
    /// (range 1-211) months") and they differ when many patients die early.
    /// </summary>
    private string? FollowUpSentence()
    {
        if (_study.FollowUp() is not { } summary)
        {
            return null;
        }

        string level = JournalFormat.Number(100 * _m.ConfidenceLevel, 0) + "%";
        var range = $"the median observed time was {Fmt.Time(summary.ObservedMedian)} (range {Fmt.Interval(summary.Minimum, summary.Maximum, 1)}) {Unit}";
        if (summary.Median.Estimate is not { } m)
        {
            return $"The median follow-up (reverse Kaplan-Meier) was not reached; {range}.";
        }

        var ci = summary.Median.Lower is { } lo && summary.Median.Upper is { } hi ? $" ({level} CI {Fmt.Interval(lo, hi, 1)})" : string.Empty;
        return $"The median follow-up (reverse Kaplan-Meier) was {Fmt.Time(m)} {Unit}{ci}; {range}.";
    }
}
