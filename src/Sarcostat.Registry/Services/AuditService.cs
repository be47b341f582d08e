using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sarcostat.Files.Output;
using Sarcostat.Registry.Model;

namespace Sarcostat.Registry.Services;

/// <summary>Which audit rows to show.</summary>
/// <param name="RecordId">One patient's rows (its registry id).</param>
/// <param name="UserId">One user's rows.</param>
/// <param name="SiteId">One site's rows (a manager: always their own).</param>
/// <param name="Action">One action (<see cref="AuditActions"/>).</param>
/// <param name="From">From this time (UTC, inclusive).</param>
/// <param name="To">Before this time (UTC, exclusive).</param>
/// <param name="Take">At most this many rows (newest first), at most 100,000.</param>
public sealed record AuditFilter(string? RecordId = null, string? UserId = null, int? SiteId = null, string? Action = null, DateTime? From = null, DateTime? To = null, int Take = 1000);

/// <summary>
/// The audit trail: read (admins: everything; site data managers: their site's rows; analysts: nothing), exported as
/// CSV (itself audited), and the events the web edge records (logins, password changes).
/// </summary>
public sealed class AuditService(RegistryStore store)
{
    /// <summary>The rows the filter selects, newest first.</summary>
    /// <exception cref="RegistryForbiddenException">An analyst.</exception>
    public IReadOnlyList<AuditEntry> Query(Actor actor, AuditFilter filter)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        actor.Require("read the audit trail", Role.Admin, Role.SiteDataManager);
        using var db = store.CreateContext();
        return Select(db, actor, filter).AsEnumerable().Select(Utc).ToList();
    }

    /// <summary>
    /// The selected rows as CSV (one writer for every CSV of the project: <see cref="CsvOutput"/>, formula-guarded),
    /// oldest first; the export is itself recorded (action <c>export</c>).
    /// </summary>
    public string ExportCsv(Actor actor, AuditFilter filter)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        actor.Require("export the audit trail", Role.Admin, Role.SiteDataManager);
        using var db = store.CreateContext();
        var rows = Select(db, actor, filter).AsEnumerable().Select(Utc).ToList();
        rows.Reverse();
        var csv = CsvOutput.Table(
            ["id", "time_utc", "user_id", "site_id", "action", "record_id", "field", "old_value", "new_value", "detail"],
            rows.Select(a => new[]
            {
                a.Id.ToString(CultureInfo.InvariantCulture), a.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), a.UserId,
                a.SiteId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, a.Action, a.RecordId ?? string.Empty, a.Field ?? string.Empty,
                a.OldValue ?? string.Empty, a.NewValue ?? string.Empty, a.Detail ?? string.Empty,
            }));
        AuditLog.Add(db, store, actor, AuditActions.Export, actor.ManagedSite ?? filter.SiteId, filter.RecordId,
            detail: string.Create(CultureInfo.InvariantCulture, $"audit trail CSV, {rows.Count} rows"));
        db.SaveChanges();
        return csv;
    }

    /// <summary>
    /// Records an event of the web edge (<see cref="AuditActions.Login"/>, <see cref="AuditActions.LoginFailed"/>,
    /// <see cref="AuditActions.Logout"/>, <see cref="AuditActions.PasswordChange"/>, <see cref="AuditActions.Export"/> of a report).
    /// <paramref name="detail"/> must not hold patient data.
    /// </summary>
    public void Record(Actor actor, string action, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        using var db = store.CreateContext();
        AuditLog.Add(db, store, actor, action, actor.SiteId, detail: detail);
        db.SaveChanges();
    }

    /// <summary>A filter's time as UTC: a local time converted, an unspecified one taken as UTC (PostgreSQL refuses non-UTC times).</summary>
    internal static DateTime AsUtc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };

    /// <summary>Times are stored in UTC; SQLite gives them back without a kind.</summary>
    private static AuditEntry Utc(AuditEntry a)
    {
        a.At = DateTime.SpecifyKind(a.At, DateTimeKind.Utc);
        return a;
    }

    private static IQueryable<AuditEntry> Select(RegistryDbContext db, Actor actor, AuditFilter f)
    {
        var q = db.AuditEntries.AsNoTracking().AsQueryable();
        if ((actor.ManagedSite ?? f.SiteId) is { } site)
        {
            q = q.Where(a => a.SiteId == site);
        }

        if (f.RecordId is { } r)
        {
            q = q.Where(a => a.RecordId == r);
        }

        if (f.UserId is { } u)
        {
            q = q.Where(a => a.UserId == u);
        }

        if (f.Action is { } act)
        {
            q = q.Where(a => a.Action == act);
        }

        if (f.From is { } from)
        {
            var t = AsUtc(from);
            q = q.Where(a => a.At >= t);
        }

        if (f.To is { } to)
        {
            var t = AsUtc(to);
            q = q.Where(a => a.At < t);
        }

        return q.OrderByDescending(a => a.Id).Take(Math.Clamp(f.Take, 1, 100_000));
    }
}
