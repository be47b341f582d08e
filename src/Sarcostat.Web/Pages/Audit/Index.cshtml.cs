using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Sarcostat.Registry.Model;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Pages.Audit;

/// <summary>The audit trail: filters, per patient (record), CSV export (itself audited). Admins: all; managers: their site's rows.</summary>
public sealed class IndexModel(AuditService audit) : RegistryPage
{
    /// <summary>Registry id.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Record { get; set; }

    /// <summary>User id.</summary>
    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    /// <summary>Action.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    /// <summary>Site id.</summary>
    [BindProperty(SupportsGet = true)]
    public int? Site { get; set; }

    /// <summary>From (UTC date).</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    /// <summary>To (UTC date, inclusive).</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    /// <summary>The rows.</summary>
    public IReadOnlyList<AuditEntry> Rows { get; private set; } = [];

    /// <summary>Lists.</summary>
    public void OnGet() => Rows = audit.Query(Actor, Filter());

    /// <summary>The selected rows as CSV.</summary>
    public IActionResult OnGetCsv() =>
        File(Encoding.UTF8.GetBytes(audit.ExportCsv(Actor, Filter())), "text/csv; charset=utf-8", "audit-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + ".csv");

    private AuditFilter Filter() => new(
        Empty(Record), Empty(UserId), Site, Empty(Action),
        From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        1000);

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
