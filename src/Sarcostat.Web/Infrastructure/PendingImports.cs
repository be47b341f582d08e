using System.Collections.Concurrent;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Infrastructure;

/// <summary>
/// Uploads between their preview and their commit, in memory for 30 minutes, keyed by a random id and bound to the
/// user and site that uploaded them (another user's id is not found). Nothing reaches the disk or the store before
/// the commit.
/// </summary>
public sealed class PendingImports(TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, (string UserId, int SiteId, ImportUpload Upload, DateTimeOffset Until)> _uploads = new(StringComparer.Ordinal);

    /// <summary>Keeps an upload; returns its id.</summary>
    public string Add(Actor actor, int siteId, ImportUpload upload)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        foreach (var stale in _uploads.Where(u => u.Value.Until < now).Select(u => u.Key).ToList())
        {
            _uploads.TryRemove(stale, out _);
        }

        var id = Guid.NewGuid().ToString("N");
        _uploads[id] = (actor.UserId, siteId, upload, now + Lifetime);
        return id;
    }

    /// <summary>The upload of this user, or null.</summary>
    public (int SiteId, ImportUpload Upload)? Get(Actor actor, string? id)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return id is not null && _uploads.TryGetValue(id, out var u) && u.UserId == actor.UserId && u.Until >= clock.GetUtcNow() ? (u.SiteId, u.Upload) : null;
    }

    /// <summary>Forgets an upload (after its commit).</summary>
    public void Remove(string id) => _uploads.TryRemove(id, out _);
}
