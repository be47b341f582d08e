using Microsoft.Extensions.DependencyInjection;
using Sarcostat.Registry.Services;

namespace Sarcostat.Registry;

/// <summary>Registers the registry with a host's dependency injection (the web edge).</summary>
public static class RegistryServices
{
    /// <summary>
    /// Adds <paramref name="store"/>, every service (singletons: each call opens its own context), and a scoped
    /// <see cref="RegistryDbContext"/> on the store, for ASP.NET Core Identity's EF stores
    /// (<c>AddIdentity&lt;RegistryUser, IdentityRole&gt;().AddEntityFrameworkStores&lt;RegistryDbContext&gt;()</c>).
    /// </summary>
    public static IServiceCollection AddSarcostatRegistry(this IServiceCollection services, RegistryStore store)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        services.AddSingleton(store);
        services.AddScoped(_ => store.CreateContext());
        services.AddSingleton<PatientService>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<AmendmentService>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<CohortService>();
        services.AddSingleton<AdminService>();
        return services;
    }
}
