using Sarcostat.Cohort;

namespace Sarcostat.Import.Tests;

/// <summary>Small canonical files shared by the tests (every required field present, dates in chain order).</summary>
internal static class Cohorts
{
    public const string PatientsHeader = "study_id,sex,birth_date,histology,primary_site,primary_surgery_date,lung_met_date,synchronous,nodules,laterality,largest_nodule_mm,ecog,tissue,last_contact_date,vital_status,death_date,cause_of_death";

    /// <summary>A clean patient row (row values in <see cref="PatientsHeader"/> order).</summary>
    public static string Patient(string id, string sex = "male", string death = "", string vital = "alive", string cause = "") =>
        $"{id},{sex},1960-01-01,leiomyosarcoma,extremity,2015-03-01,2016-06-01,no,2,unilateral,14,0,soft_tissue,2021-01-01,{vital},{death},{cause}";

    /// <summary>A clean row of S-patient <paramref name="id"/> with some cells replaced (field, text).</summary>
    public static string Row(string id, params (string Field, string Value)[] cells)
    {
        var header = PatientsHeader.Split(',');
        var values = Patient(id).Split(',');
        foreach (var (field, value) in cells)
        {
            values[Array.IndexOf(header, field)] = value;
        }

        return string.Join(",", values);
    }

    public const string ProceduresHeader = "study_id,pm_date,approach,margin";

    public static ImportResult Import(params string[] inputs) => CohortImporter.Import(new ImportRequest { Inputs = inputs });

    public static IEnumerable<string> Lines(this ImportResult result) => result.Problems.Select(p => p.ToString());

    public static IEnumerable<CohortProblem> Errors(this ImportResult result) => result.Problems.Where(p => p.Severity == Severity.Error);
}
