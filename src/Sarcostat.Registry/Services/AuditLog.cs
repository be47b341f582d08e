using Sarcostat.Registry.Model;

namespace Sarcostat.Registry.Services;

/// <summary>Adds audit rows to the caller's unit of work, so they commit (or roll back) with the change they record.</summary>
internal static class AuditLog
{
    public static void Add(RegistryDbContext db, RegistryStore store, Actor actor, string action, int? siteId, string? recordId = null, string? field = null, string? oldValue = null, string? newValue = null, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = store.Now,
            UserId = actor.UserId,
            SiteId = siteId,
            Action = action,
            RecordId = recordId,
            Field = field,
            OldValue = oldValue,
            NewValue = newValue,
            Detail = detail,
        });
}
