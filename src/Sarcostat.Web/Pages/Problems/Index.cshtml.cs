using Microsoft.AspNetCore.Mvc;
using Sarcostat.Cohort;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Pages.Problems;

/// <summary>A site's stored records with warnings, each problem with the amendment form beside it (set a field, or exclude).</summary>
public sealed class IndexModel(PatientService patients, AmendmentService amendments, AdminService admin) : RegistryPage
{
    /// <summary>Records listed at most.</summary>
    public const int MaxRecords = 100;

    /// <summary>The sites the caller may amend.</summary>
    public IReadOnlyList<SiteInfo> Sites { get; private set; } = [];

    /// <summary>The chosen site.</summary>
    [BindProperty(SupportsGet = true)]
    public int? Site { get; set; }

    /// <summary>The records with problems.</summary>
    public IReadOnlyList<PatientDetails> Records { get; private set; } = [];

    /// <summary>The outcome of an amendment.</summary>
    public string? Message { get; private set; }

    /// <summary>Problems of the amendment (the new value broke a rule).</summary>
    public IReadOnlyList<CohortProblem> AmendmentProblems { get; private set; } = [];

    /// <summary>Lists.</summary>
    public void OnGet() => Load();

    /// <summary>Records an amendment.</summary>
    public IActionResult OnPost(long patientId, int version, string? kind, string? field, string? value, string? reason)
    {
        var k = kind == "exclude" ? AmendmentKind.Exclude : AmendmentKind.Set;
        try
        {
            switch (amendments.Record(Actor, patientId, version, new RecordAmendment(k, field, value, reason ?? string.Empty)))
            {
                case PatientSaved s:
                    Message = $"Amended {s.Patient.Data.Patient.StudyId}.";
                    break;
                case PatientNotFound:
                    return NotFound();
                case PatientConflict:
                    Message = "Not recorded: the record changed since this page was loaded. It is shown as it is now; decide again.";
                    Response.StatusCode = StatusCodes.Status409Conflict;
                    break;
                case PatientInvalid i:
                    Message = "Not recorded: the new value breaks a rule (below).";
                    AmendmentProblems = i.Problems;
                    Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                    break;
            }
        }
        catch (ArgumentException e)
        {
            Message = "Not recorded: " + e.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        Load();
        return Page();
    }

    private void Load()
    {
        Sites = admin.Sites(Actor).Where(s => Actor.Role == Role.Admin || s.Id == Actor.SiteId).ToList();
        Site = Actor.Role == Role.SiteDataManager ? Actor.SiteId : Site ?? (Sites.Count > 0 ? Sites[0].Id : null);
        Records = patients.List(Actor, new PatientFilter(Site, HasProblems: true, Take: MaxRecords))
            .Select(p => patients.Get(Actor, p.Id)).OfType<PatientDetails>().ToList();
    }
}
