using Microsoft.AspNetCore.Mvc;
using Sarcostat.Cohort;
using Sarcostat.Registry.Services;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Pages.Patients;

/// <summary>
/// One patient: read (analysts: pseudonymised, read-only), create, edit. Problems are the services' (the CLI's
/// rules), shown beside the form; a stale save shows both versions (the conflict page) and writes nothing.
/// </summary>
public sealed class EditModel(PatientService patients, AdminService admin, AmendmentService amendments) : RegistryPage
{
    /// <summary>Blank procedure rows offered below the stored ones.</summary>
    public const int BlankProcedureRows = 2;

    /// <summary>The record (null: a new one).</summary>
    public PatientDetails? Current { get; private set; }

    /// <summary>The form's field values.</summary>
    public Dictionary<string, string?> Fields { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>The form's procedure rows.</summary>
    public List<Dictionary<string, string?>> ProcedureRows { get; private set; } = [];

    /// <summary>Identifying: name.</summary>
    public string? Name { get; private set; }

    /// <summary>Identifying: record number.</summary>
    public string? RecordNumber { get; private set; }

    /// <summary>The problems to show.</summary>
    public IReadOnlyList<CohortProblem> Problems { get; private set; } = [];

    /// <summary>A conflict: the stored record and what this user tried to save.</summary>
    public PatientConflict? Conflict { get; private set; }

    /// <summary>The sites a new record may go to.</summary>
    public IReadOnlyList<SiteInfo> Sites { get; private set; } = [];

    /// <summary>The record's amendments.</summary>
    public IReadOnlyList<AmendmentView> Amendments { get; private set; } = [];

    /// <summary>A message after a save.</summary>
    public string? Message { get; private set; }

    /// <summary>The caller may edit (admins, managers).</summary>
    public bool CanEdit => Actor.Role != Role.Analyst;

    /// <summary>Shows a record or an empty form.</summary>
    public IActionResult OnGet(long? id, bool saved = false)
    {
        if (id is { } i)
        {
            if (patients.Get(Actor, i) is not { } d)
            {
                return NotFound();
            }

            Show(d);
            Message = saved ? "Saved." : null;
            return Page();
        }

        if (!CanEdit)
        {
            return Forbid();
        }

        Sites = EditableSites();
        ProcedureRows = Enumerable.Range(0, BlankProcedureRows).Select(_ => new Dictionary<string, string?>(StringComparer.Ordinal)).ToList();
        return Page();
    }

    /// <summary>Creates or updates.</summary>
    public IActionResult OnPost(long? id, int? version, int? siteId)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        var form = Request.Form;
        var fields = PatientForm.PatientFields.ToDictionary(f => f.Name, f => (string?)form["f_" + f.Name].ToString(), StringComparer.Ordinal);
        var rows = int.TryParse(form["rows"], out var n) ? Math.Clamp(n, 0, 200) : 0;
        var procedures = Enumerable.Range(0, rows)
            .Select(i => PatientForm.ProcedureFields.ToDictionary(f => f.Name, f => (string?)form[$"p{i}_{f.Name}"].ToString(), StringComparer.Ordinal)).ToList();
        var (input, problems) = PatientForm.Parse(fields, procedures.Cast<IReadOnlyDictionary<string, string?>>().ToList(), form["name"], form["record_number"]);
        if (id is { } existing && patients.Get(Actor, existing) is null)
        {
            return NotFound();
        }

        SaveResult result;
        if (input is null)
        {
            result = new PatientInvalid(problems);
        }
        else if (id is { } i)
        {
            result = patients.Update(Actor, i, version ?? 0, input);
        }
        else
        {
            var site = Actor.Role == Role.SiteDataManager ? Actor.SiteId!.Value : siteId ?? 0;
            result = patients.Create(Actor, site, input);
        }

        switch (result)
        {
            case PatientSaved s:
                return Redirect($"/Patients/Edit?id={s.Patient.Id}&saved=true");
            case PatientNotFound:
                return NotFound();
            case PatientConflict c:
                // Both versions on the page; the form below holds the stored record (with its version) to re-apply the change to.
                Conflict = c;
                Show(c.Current);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case PatientInvalid invalid:
                if (id is { } again)
                {
                    Current = patients.Get(Actor, again);
                    Amendments = amendments.List(Actor, again);
                }

                Sites = EditableSites();
                Fields = fields;
                ProcedureRows = procedures.Concat(Enumerable.Range(0, 1).Select(_ => new Dictionary<string, string?>(StringComparer.Ordinal))).ToList();
                Name = form["name"];
                RecordNumber = form["record_number"];
                Problems = invalid.Problems;
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
            default:
                return BadRequest();
        }
    }

    private List<SiteInfo> EditableSites() =>
        admin.Sites(Actor).Where(s => Actor.Role == Role.Admin || s.Id == Actor.SiteId).ToList();

    private void Show(PatientDetails d)
    {
        Current = d;
        Fields = PatientForm.Fields(d.Data.Patient);
        ProcedureRows = PatientForm.Procedures(d.Data.Patient)
            .Concat(Enumerable.Range(0, BlankProcedureRows).Select(_ => new Dictionary<string, string?>(StringComparer.Ordinal))).ToList();
        Name = d.Data.Name;
        RecordNumber = d.Data.RecordNumber;
        Problems = d.Problems;
        Amendments = amendments.List(Actor, d.Id);
    }
}
