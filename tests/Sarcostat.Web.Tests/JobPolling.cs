using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Sarcostat.Web.Tests;

/// <summary>Follows a background job's progress page (or its API status) until it finishes, as a browser would.</summary>
public static partial class JobPolling
{
    [GeneratedRegex("data-state=\"([a-z]+)\"")]
    private static partial Regex StateAttribute();

    /// <summary>The job page's state: queued, running, done or failed.</summary>
    public static string StateOf(string html) => StateAttribute().Match(html).Groups[1].Value;

    /// <summary>GETs <paramref name="jobPage"/> (a /Jobs/{id} address) until the job is done or failed; returns the last page.</summary>
    public static async Task<string> UntilFinished(HttpClient client, string jobPage)
    {
        jobPage.Should().MatchRegex("^/Jobs/[0-9a-f]{32}$");
        for (var i = 0; i < 1200; i++)
        {
            var r = await client.GetAsync(jobPage);
            r.StatusCode.Should().Be(HttpStatusCode.OK, jobPage);
            var html = await r.Content.ReadAsStringAsync();
            var state = StateOf(html);
            state.Should().BeOneOf("queued", "running", "done", "failed");
            if (state is "done" or "failed")
            {
                html.Should().NotContain("http-equiv=\"refresh\"", "a finished job's page stops reloading");
                return html;
            }

            html.Should().Contain("http-equiv=\"refresh\" content=\"1\"", "a waiting or running job's page reloads itself").And.Contain("<progress");
            await Task.Delay(100);
        }

        throw new TimeoutException($"{jobPage} did not finish within 2 minutes.");
    }

    /// <summary>GETs <paramref name="location"/> (an /api/jobs/{id} address) until the job is done or failed.</summary>
    public static async Task<Sarcostat.Web.Api.JobJson> UntilFinishedApi(HttpClient client, string location)
    {
        for (var i = 0; i < 1200; i++)
        {
            var job = (await client.GetFromJsonAsync<Sarcostat.Web.Api.JobJson>(location))!;
            if (job.State is "done" or "failed")
            {
                return job;
            }

            job.State.Should().BeOneOf("queued", "running");
            await Task.Delay(100);
        }

        throw new TimeoutException($"{location} did not finish within 2 minutes.");
    }
}
