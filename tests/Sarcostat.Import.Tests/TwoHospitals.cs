namespace Sarcostat.Import.Tests;

/// <summary>
/// Two source databases like paper 000's: hospital A in canonical column names with dd/MM/yyyy dates, hospital B with
/// its own column names, codes (M/F, LMS, Y/N, A/D), sizes in cm and dd.MM.yyyy dates (ISO for the operation date).
/// </summary>
internal static class TwoHospitals
{
    public const string AMapping = """
        source: hospital_a
        date_format: dd/MM/yyyy
        files:
          patients: a_patients.csv
          procedures: a_procedures.csv
        """;

    public const string AHeader = "study_id,sex,birth_date,histology,primary_site,primary_surgery_date,lung_met_date,synchronous,nodules,laterality,largest_nodule_mm,ecog,tissue,last_contact_date,vital_status,death_date,cause_of_death";

    public const string BMapping = """
        source: hospital_b
        date_format: dd.MM.yyyy
        files:
          patients: b_patients.csv
          procedures: b_procedures.csv
        columns:
          Chart ID: study_id
          Gender: sex
          Born: birth_date
          Histo: histology
          Site: primary_site
          Primary op: primary_surgery_date
          Lung met: lung_met_date
          Sync: synchronous
          Nodules: nodules
          Lat: laterality
          Largest nodule (cm): {field: largest_nodule_mm, unit: cm}
          ECOG: ecog
          Tissue: tissue
          Last seen: last_contact_date
          Status: vital_status
          Died: death_date
          Cause: cause_of_death
          Operation date: {field: pm_date, date_format: yyyy-MM-dd}
          Approach: approach
          Margin: margin
        codes:
          sex: {M: male, F: female}
          histology: {LMS: leiomyosarcoma, UPS: ups}
          synchronous: {Y: yes, N: no}
          vital_status: {A: alive, D: dead}
        """;

    public const string BHeader = "Chart ID,Gender,Born,Histo,Site,Primary op,Lung met,Sync,Nodules,Lat,Largest nodule (cm),ECOG,Tissue,Last seen,Status,Died,Cause";

    /// <summary>Hospital A's clean row for a patient (the same patient as <see cref="B"/> gives).</summary>
    public static string A(string id, string sex = "male") =>
        $"{id},{sex},01/01/1960,leiomyosarcoma,extremity,01/03/2015,01/06/2016,no,2,unilateral,14,0,soft_tissue,01/01/2021,alive,,";

    /// <summary>Hospital B's row for the same patient: 1.4 cm = 14 mm, M = male, LMS = leiomyosarcoma, N = no, A = alive.</summary>
    public static string B(string id, string gender = "M", string histo = "LMS", string size = "1.4") =>
        $"{id},{gender},01.01.1960,{histo},extremity,01.03.2015,01.06.2016,N,2,unilateral,{size},0,soft_tissue,01.01.2021,A,,";

    public const string AProceduresHeader = "study_id,pm_date,approach,margin";

    public const string BProceduresHeader = "Chart ID,Operation date,Approach,Margin";

    /// <summary>Writes both mappings and their four files into <paramref name="dir"/>.</summary>
    public static void Write(TempDir dir, string[] aPatients, string[] aProcedures, string[] bPatients, string[] bProcedures)
    {
        dir.Write("hospital_a.yaml", AMapping);
        dir.Write("hospital_b.yaml", BMapping);
        dir.Write("a_patients.csv", string.Join("\n", [AHeader, .. aPatients]) + "\n");
        dir.Write("a_procedures.csv", string.Join("\n", [AProceduresHeader, .. aProcedures]) + "\n");
        dir.Write("b_patients.csv", string.Join("\n", [BHeader, .. bPatients]) + "\n");
        dir.Write("b_procedures.csv", string.Join("\n", [BProceduresHeader, .. bProcedures]) + "\n");
    }
}
