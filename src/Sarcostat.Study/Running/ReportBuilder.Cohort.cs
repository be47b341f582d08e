using System.Globalization;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Running;

/// <summary>The analysed cohort export (cohort.csv and its data dictionary).</summary>
internal sealed partial class ReportBuilder
{
    /// <summary>The column of the pseudonymised study id.</summary>
    internal const string StudyIdColumn = "study_id";

    /// <summary>
    /// The analysed cohort: study id, each endpoint's time and event (empty when not derivable for the patient), then
    /// the variables the report used (after <see cref="Build"/>), the protocol's declared ones in declaration order first,
    /// then the others by name. Date-valued variables are left out (a date is not a factor and may identify).
    /// </summary>
    internal CohortExport CohortExport()
    {
        var options = _cohort.Options;
        var unit = TimeUnits.Name(options.TimeUnit);
        var columns = new List<CohortColumn> { new(StudyIdColumn, "Pseudonymised study id, as the import produced it.", string.Empty, string.Empty) };
        foreach (var e in Endpoints.All)
        {
            var definition = Endpoints.Definition(e, options);
            columns.Add(new(DerivedNames.TimeOf(e), definition.EndsWith('.') ? definition : definition + ".", unit, string.Empty));
            columns.Add(new(DerivedNames.EventOf(e), $"{Endpoints.Abbreviation(e)} event: 1 event, 0 censored (empty: the endpoint cannot be derived for the patient).", "0/1", string.Empty));
        }

        var taken = new HashSet<string>(columns.Select(c => c.Name), StringComparer.Ordinal);
        var declared = _p.Variables.Select((v, i) => (v.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var variables = _study.Resolved
            .Where(v => !taken.Contains(v.Name) && _catalog.Info(v.Name)?.Kind != ValueKind.Date)
            .OrderBy(v => declared.TryGetValue(v.Name, out var i) ? i : int.MaxValue)
            .ThenBy(v => v.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var v in variables)
        {
            columns.Add(v.IsCategorical
                ? new(v.Name, v.Label + ".", string.Empty, string.Join("; ", v.Levels(_cohort.Patients).Select(l => $"{l} = {v.LabelOf(l)}")))
                : new(v.Name, v.Label + ".", v.Spec?.Unit ?? DerivedUnit(v.Name, unit), string.Empty));
        }

        var rows = new List<IReadOnlyList<string>>();
        foreach (var patient in _cohort.Patients.OrderBy(p => p.StudyId, StringComparer.Ordinal))
        {
            var row = new List<string> { patient.StudyId };
            foreach (var e in Endpoints.All)
            {
                var outcome = patient.Outcome(e);
                row.Add(outcome is null ? string.Empty : Number(outcome.Time));
                row.Add(outcome is null ? string.Empty : outcome.Event.ToString(CultureInfo.InvariantCulture));
            }

            foreach (var v in variables)
            {
                row.Add(v.IsCategorical ? v.Level(patient) ?? string.Empty : v.Number(patient) is var x && double.IsNaN(x) ? string.Empty : Number(x));
            }

            rows.Add(row);
        }

        return new CohortExport(columns, rows);
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string DerivedUnit(string name, string timeUnit) => name switch
    {
        DerivedNames.AgeAtPm => "years",
        DerivedNames.DfiMonths => "months",
        DerivedNames.FollowUp => timeUnit,
        _ => string.Empty,
    };
}
