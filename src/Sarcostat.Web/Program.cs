using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sarcostat.Registry;
using Sarcostat.Registry.Model;
using Sarcostat.Registry.Services;
using Sarcostat.Web.Api;
using Sarcostat.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    // Loopback only by default: a shared registry is put behind a TLS reverse proxy by its operator.
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

builder.Services.AddSingleton(sp => WebSettings.From(sp.GetRequiredService<IConfiguration>()));

// The registry's services (AddSarcostatRegistry), on the store the configuration names. The store is opened when the
// container first needs it, so that a host (and the tests) can set the configuration after this line.
builder.Services.AddSarcostatRegistry(new RegistryStore(RegistryProvider.Sqlite, "Data Source=unused"));
builder.Services.Replace(ServiceDescriptor.Singleton(sp => WebStore.Open(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<WebSettings>())));
builder.Services.Replace(ServiceDescriptor.Scoped(sp => sp.GetRequiredService<RegistryStore>().CreateContext()));
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ReportRuns>();
builder.Services.AddSingleton<PendingImports>();
builder.Services.AddSingleton<BackgroundWork>();
builder.Services.AddHostedService<BackgroundWorker>();

builder.Services.AddIdentity<RegistryUser, IdentityRole>(o =>
    {
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        o.Lockout.AllowedForNewUsers = true;
        o.Password.RequiredLength = 12;
        o.User.RequireUniqueEmail = false;
    })
    .AddEntityFrameworkStores<RegistryDbContext>();
builder.Services.ConfigureApplicationCookie(o =>
{
    o.LoginPath = "/Account/Login";
    o.LogoutPath = "/Account/Logout";
    o.AccessDeniedPath = "/Account/Denied";
    o.Cookie.Name = "sarcostat";
    o.Cookie.HttpOnly = true;
    o.Cookie.SameSite = SameSiteMode.Strict;
    o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    o.ExpireTimeSpan = TimeSpan.FromHours(8);
    o.SlidingExpiration = true;
    o.Events.OnRedirectToAccessDenied = context =>
    {
        // A role that may not use a page gets 403, not a redirect to a page that says so.
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    };
});
builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, TokenAuthentication>(TokenAuthentication.SchemeName, null);
builder.Services.AddAuthorizationBuilder()
    .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
    .AddPolicy(Policies.Read, p => p.RequireRole(nameof(Role.Admin), nameof(Role.SiteDataManager), nameof(Role.Analyst)))
    .AddPolicy(Policies.Edit, p => p.RequireRole(nameof(Role.Admin), nameof(Role.SiteDataManager)))
    .AddPolicy(Policies.Analyse, p => p.RequireRole(nameof(Role.Admin), nameof(Role.Analyst)))
    .AddPolicy(Policies.Admin, p => p.RequireRole(nameof(Role.Admin)))
    .AddPolicy(Policies.Api, p => p.AddAuthenticationSchemes(TokenAuthentication.SchemeName).RequireAuthenticatedUser().RequireRole(nameof(Role.SiteDataManager), nameof(Role.Analyst)));

// Cookie and anti-forgery keys in the registry's database (table DataProtectionKeys), so that every instance of the
// app on one database accepts the others' cookies and forms; the scoped RegistryDbContext above is the store's.
builder.Services.AddDataProtection().SetApplicationName("Sarcostat").PersistKeysToDbContext<RegistryDbContext>();

builder.Services.AddRazorPages(o =>
{
    o.Conventions.AuthorizeFolder("/", Policies.Read);
    o.Conventions.AllowAnonymousToPage("/Account/Login");
    o.Conventions.AllowAnonymousToPage("/Error");
    o.Conventions.AuthorizePage("/Account/ChangePassword");
    o.Conventions.AuthorizePage("/Account/Logout");
    o.Conventions.AuthorizePage("/Account/Denied");
    o.Conventions.AuthorizeFolder("/Import", Policies.Edit);
    o.Conventions.AuthorizeFolder("/Problems", Policies.Edit);
    o.Conventions.AuthorizeFolder("/Audit", Policies.Edit);
    o.Conventions.AuthorizeFolder("/Analyses", Policies.Analyse);
    o.Conventions.AuthorizePage("/Admin/Users", Policies.Admin);
    o.Conventions.AuthorizePage("/Admin/Sites", Policies.Admin);
    o.Conventions.AuthorizePage("/Admin/Tokens", Policies.Edit);
});
builder.Services.AddAntiforgery(o =>
{
    o.Cookie.Name = "sarcostat-af";
    o.Cookie.SameSite = SameSiteMode.Strict;
});
builder.Services.AddOpenApi();

// Upload limits: the whole request body, and each multipart body.
var maxUpload = WebSettings.From(builder.Configuration).MaxUploadBytes;
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxUpload);
builder.Services.AddOptions<FormOptions>().Configure<WebSettings>((o, settings) =>
{
    o.MultipartBodyLengthLimit = settings.MaxUploadBytes;
    o.ValueCountLimit = 2048;
});

var app = builder.Build();

// First start: open (create, migrate) the store and seed an empty one; the admin's password is printed once.
WebStore.SeedIfEmpty(app.Services.GetRequiredService<RegistryStore>(), Console.Out);
WebStore.LoadKeyRing(app.Services);

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}

app.UseSecurityHeaders();
app.UseRouting();
app.UseAuthentication();
app.UseForbiddenAs403();
app.UseForcedPasswordChange();
app.UseAuthorization();
app.UseAntiforgery();
app.MapRazorPages();
app.MapOpenApi().AllowAnonymous();
app.MapGet("/css/site.css", () => Results.Text(SiteCss.Text, "text/css; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
app.MapRegistryApi();
app.Run();

/// <summary>The web app's entry point (public for the integration tests' WebApplicationFactory).</summary>
public partial class Program;
