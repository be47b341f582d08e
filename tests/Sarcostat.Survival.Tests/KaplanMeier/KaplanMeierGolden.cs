using System.Globalization;
using System.Text.Json;
using Sarcostat.Survival.Curves;

namespace Sarcostat.Survival.Tests.KaplanMeier;

/// <summary>Reads the km_*.json golden cases (tools/reference/km.R) and compares fits with them.</summary>
internal static class KaplanMeierGolden
{
    public const double Rel = Approx.NonIterative;
    public const double Abs = 1e-13;

    public static JsonElement Case(string file, string name, string? confType = null, bool? timefix = null)
    {
        foreach (var c in Golden.Load(file).GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("name").GetString() == name
                && (confType is null || c.GetProperty("conf_type").GetString() == confType)
                && (timefix is null || c.GetProperty("timefix").GetBoolean() == timefix))
            {
                return c;
            }
        }

        throw new InvalidOperationException($"No golden case {file}/{name}/{confType}/{timefix}.");
    }

    public static IEnumerable<object[]> Keys(string file)
    {
        foreach (var c in Golden.Load(file).GetProperty("cases").EnumerateArray())
        {
            var key = new List<object> { c.GetProperty("name").GetString()! };
            if (c.TryGetProperty("conf_type", out var ct))
            {
                key.Add(ct.GetString()!);
            }

            if (c.TryGetProperty("timefix", out var tf))
            {
                key.Add(tf.GetBoolean());
            }

            yield return key.ToArray();
        }
    }

    public static ConfidenceIntervalType ConfType(JsonElement c) => c.GetProperty("conf_type").GetString() switch
    {
        "log" => ConfidenceIntervalType.Log,
        "log-log" => ConfidenceIntervalType.LogLog,
        "plain" => ConfidenceIntervalType.Plain,
        var other => throw new InvalidOperationException(other),
    };

    public static KaplanMeierOptions Options(JsonElement c, MedianInterval median = MedianInterval.R) => new()
    {
        ConfidenceType = ConfType(c),
        ConfidenceLevel = c.TryGetProperty("conf_int", out var ci) ? ci.GetDouble() : 0.95,
        TimeFix = !c.TryGetProperty("timefix", out var tf) || tf.GetBoolean() ? TimeFix.R : TimeFix.Exact,
        MedianInterval = median,
    };

    /// <summary>Times written by km.R as "%.17g" strings (exact round trip).</summary>
    public static double[] ExactTimes(JsonElement e) =>
        Golden.Strings(e).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    public static bool[] Status(JsonElement e) => Golden.Numbers(e).Select(v => v == 1).ToArray();

    public static bool IsNull(JsonElement e) => e.ValueKind == JsonValueKind.Null;

    /// <summary>Expected NA, NaN or ±Inf must be null; otherwise the value must match.</summary>
    public static void Nullable(double expected, double? actual, string what)
    {
        if (!double.IsFinite(expected))
        {
            actual.Should().BeNull($"{what}: R gives {expected.ToString(CultureInfo.InvariantCulture)}");
            return;
        }

        actual.Should().NotBeNull($"{what}: R gives {expected.ToString("R", CultureInfo.InvariantCulture)}");
        Approx.Equal(expected, actual!.Value, Rel, what, Abs);
    }

    public static void Counts(JsonElement e, IReadOnlyList<int> actual, string what)
    {
        var expected = Golden.Numbers(e);
        actual.Should().HaveCount(expected.Length, what);
        for (int i = 0; i < expected.Length; i++)
        {
            actual[i].Should().Be((int)expected[i], $"{what}[{i}]");
        }
    }

    public static void Nullables(JsonElement e, IReadOnlyList<double?> actual, string what)
    {
        var expected = Golden.Numbers(e);
        actual.Should().HaveCount(expected.Length, what);
        for (int i = 0; i < expected.Length; i++)
        {
            Nullable(expected[i], actual[i], $"{what}[{i}]");
        }
    }

    /// <summary>Compares one R stratum with one fit: counts, every step, the print() median, and the readings at times.</summary>
    public static void Stratum(JsonElement expected, KaplanMeierFit fit, IReadOnlyList<double> at, string label)
    {
        if (!IsNull(expected.GetProperty("group")))
        {
            fit.Group.Should().Be(expected.GetProperty("group").GetString(), label);
        }

        fit.N.Should().Be(expected.GetProperty("n").GetInt32(), $"{label} n");
        fit.Events.Should().Be(expected.GetProperty("events").GetInt32(), $"{label} events");
        fit.Censored.Should().Be(expected.GetProperty("censored").GetInt32(), $"{label} censored");

        var steps = expected.GetProperty("steps");
        var s = fit.Steps;
        Approx.Equal(Golden.Numbers(steps.GetProperty("time")), s.Select(x => x.Time).ToArray(), Rel, $"{label} time");
        Counts(steps.GetProperty("n_risk"), s.Select(x => x.NRisk).ToArray(), $"{label} n.risk");
        Counts(steps.GetProperty("n_event"), s.Select(x => x.NEvent).ToArray(), $"{label} n.event");
        Counts(steps.GetProperty("n_censor"), s.Select(x => x.NCensor).ToArray(), $"{label} n.censor");
        Approx.Equal(Golden.Numbers(steps.GetProperty("surv")), s.Select(x => x.Survival).ToArray(), Rel, $"{label} surv", Abs);
        Nullables(steps.GetProperty("std_err"), s.Select(x => x.StdErr).ToArray(), $"{label} std.err");
        // fit$std.err is Inf from an event that empties the risk set on; the engine gives +Inf there too.
        Approx.Equal(Golden.Numbers(steps.GetProperty("std_err_log")), s.Select(x => x.StdErrLogSurvival).ToArray(), Rel, $"{label} fit$std.err", Abs);
        Approx.Equal(Golden.Numbers(steps.GetProperty("cumhaz")), s.Select(x => x.CumulativeHazard).ToArray(), Rel, $"{label} fit$cumhaz", Abs);
        Approx.Equal(Golden.Numbers(steps.GetProperty("std_chaz")), s.Select(x => x.CumulativeHazardStdErr).ToArray(), Rel, $"{label} fit$std.chaz", Abs);
        Nullables(steps.GetProperty("lower"), s.Select(x => x.Lower).ToArray(), $"{label} lower");
        Nullables(steps.GetProperty("upper"), s.Select(x => x.Upper).ToArray(), $"{label} upper");

        var median = expected.GetProperty("median");
        fit.Median.Method.Should().Be(MedianInterval.R);
        fit.Median.StandardError.Should().BeNull();
        Nullable(Golden.Number(median.GetProperty("estimate")), fit.Median.Estimate, $"{label} median");
        Nullable(Golden.Number(median.GetProperty("lower")), fit.Median.Lower, $"{label} median LCL");
        Nullable(Golden.Number(median.GetProperty("upper")), fit.Median.Upper, $"{label} median UCL");

        var a = expected.GetProperty("at");
        var points = fit.At(at);
        Approx.Equal(Golden.Numbers(a.GetProperty("time")), points.Select(p => p.Time).ToArray(), Rel, $"{label} at.time");
        Counts(a.GetProperty("n_risk"), points.Select(p => p.NRisk).ToArray(), $"{label} at.n.risk");
        Counts(a.GetProperty("n_event"), points.Select(p => p.NEvent).ToArray(), $"{label} at.n.event");
        Counts(a.GetProperty("n_censor"), points.Select(p => p.NCensor).ToArray(), $"{label} at.n.censor");
        Approx.Equal(Golden.Numbers(a.GetProperty("surv")), points.Select(p => p.Survival).ToArray(), Rel, $"{label} at.surv", Abs);
        Nullables(a.GetProperty("std_err"), points.Select(p => p.StdErr).ToArray(), $"{label} at.std.err");
        Nullables(a.GetProperty("lower"), points.Select(p => p.Lower).ToArray(), $"{label} at.lower");
        Nullables(a.GetProperty("upper"), points.Select(p => p.Upper).ToArray(), $"{label} at.upper");
        Approx.Equal(Golden.Numbers(a.GetProperty("cumhaz")), points.Select(p => p.CumulativeHazard).ToArray(), Rel, $"{label} at.cumhaz", Abs);
        Approx.Equal(Golden.Numbers(a.GetProperty("std_chaz")), points.Select(p => p.CumulativeHazardStdErr).ToArray(), Rel, $"{label} at.std.chaz", Abs);
        double last = fit.Steps.Count == 0 ? double.NegativeInfinity : fit.Steps[^1].Time;
        points.Select(p => p.BeyondLastObservation).Should().Equal(points.Select(p => p.Time > last), $"{label} beyond");
    }

    /// <summary>Compares the hand-computed SPSS (Collett) median interval with a fit made with <see cref="MedianInterval.Spss"/>.</summary>
    public static void Spss(JsonElement expected, KaplanMeierFit fit, string label)
    {
        var spss = expected.GetProperty("spss");
        fit.Median.Method.Should().Be(MedianInterval.Spss);
        Nullable(Golden.Number(spss.GetProperty("estimate")), fit.Median.Estimate, $"{label} SPSS median");
        Nullable(Golden.Number(spss.GetProperty("se")), fit.Median.StandardError, $"{label} SPSS SE(median)");
        Nullable(Golden.Number(spss.GetProperty("lower")), fit.Median.Lower, $"{label} SPSS lower");
        Nullable(Golden.Number(spss.GetProperty("upper")), fit.Median.Upper, $"{label} SPSS upper");
    }
}
