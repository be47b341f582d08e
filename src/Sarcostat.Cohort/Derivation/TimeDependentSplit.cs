namespace Sarcostat.Cohort.Derivation;

/// <summary>
/// One patient's follow-up and the time of a time-dependent event (an exposure that starts after time zero, such as a
/// repeat metastasectomy or adjuvant treatment), on one time scale from time zero (e.g. months since the first PM).
/// </summary>
/// <param name="StudyId">The patient's study id (carried to every interval).</param>
/// <param name="Time">End of follow-up: the event or censoring time, &gt; 0.</param>
/// <param name="Event">Whether follow-up ends in the endpoint's event.</param>
/// <param name="ExposureTime">When the time-dependent event happened; null if it never did (during follow-up or at all).</param>
public sealed record FollowUpRecord(string StudyId, double Time, bool Event, double? ExposureTime);

/// <summary>One (start, stop] row of counting-process data.</summary>
/// <param name="StudyId">The patient.</param>
/// <param name="Start">Interval start (exclusive).</param>
/// <param name="Stop">Interval end (inclusive).</param>
/// <param name="Event">Whether the endpoint's event happens at <paramref name="Stop"/> (only on a patient's last row).</param>
/// <param name="Exposed">Whether the time-dependent event had happened by the start of this interval (the covariate's
/// value 0/1 over the interval).</param>
public sealed record FollowUpInterval(string StudyId, double Start, double Stop, bool Event, bool Exposed);

/// <summary>A patient whose follow-up could not be split, with the reason (never dropped silently).</summary>
/// <param name="StudyId">The patient.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record UnsplitPatient(string StudyId, string Reason);

/// <summary>The (start, stop] rows of a cohort and the patients that could not be split.</summary>
/// <param name="Intervals">One or two rows per patient, in input order.</param>
/// <param name="Unsplit">Patients left out, with the reason.</param>
public sealed record TimeDependentSplitResult(IReadOnlyList<FollowUpInterval> Intervals, IReadOnlyList<UnsplitPatient> Unsplit);

/// <summary>
/// Splits follow-up at the time of a time-dependent event into (start, stop] rows, so that a Cox model
/// (<c>sarcostat cox --start start --time stop --event event --covariates exposed --cluster id</c>) credits the exposure
/// only from when it happened, avoiding immortal-time bias.
/// </summary>
/// <remarks>
/// R: <c>tmerge(d, d, id = id, event = event(time, status), exposed = tdc(exposure_time))</c> (survival's tmerge with a
/// time-dependent covariate), with the same rules: an exposure strictly inside (0, time) splits the follow-up into
/// (0, e] unexposed without the event and (e, time] exposed carrying the event; an exposure at or before time zero makes
/// the single row exposed; an exposure at or after the end of follow-up (or none) leaves a single unexposed row.
/// Pure: no I/O; O(n).
/// </remarks>
public static class TimeDependentSplit
{
    /// <summary>Splits every patient's follow-up at its exposure time.</summary>
    /// <param name="patients">The patients, study ids not null.</param>
    /// <returns>The intervals; patients whose follow-up time is not a number &gt; 0, or whose exposure time is not a
    /// finite number, are listed in <see cref="TimeDependentSplitResult.Unsplit"/> with the reason.</returns>
    /// <exception cref="ArgumentNullException">A null list or record.</exception>
    /// <exception cref="ArgumentException">A study id occurs twice (the rows of two patients could not be told apart).</exception>
    public static TimeDependentSplitResult Split(IReadOnlyList<FollowUpRecord> patients)
    {
        ArgumentNullException.ThrowIfNull(patients);
        var intervals = new List<FollowUpInterval>(patients.Count * 2);
        var unsplit = new List<UnsplitPatient>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in patients)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(patients));
            ArgumentNullException.ThrowIfNull(p.StudyId, nameof(patients));
            if (!ids.Add(p.StudyId))
            {
                throw new ArgumentException("A study id occurs twice; each patient must be listed once.", nameof(patients));
            }

            if (!(p.Time > 0) || double.IsInfinity(p.Time))
            {
                unsplit.Add(new UnsplitPatient(p.StudyId, "follow-up time is missing, zero, negative or infinite; a (start, stop] row needs stop > 0"));
                continue;
            }

            if (p.ExposureTime is { } bad && !double.IsFinite(bad))
            {
                unsplit.Add(new UnsplitPatient(p.StudyId, "the time of the time-dependent event is not a finite number (NaN or infinite); leave it null when it did not happen"));
                continue;
            }

            switch (p.ExposureTime)
            {
                case { } e when e > 0 && e < p.Time:
                    intervals.Add(new FollowUpInterval(p.StudyId, 0, e, false, false));
                    intervals.Add(new FollowUpInterval(p.StudyId, e, p.Time, p.Event, true));
                    break;
                case { } e when e <= 0:
                    intervals.Add(new FollowUpInterval(p.StudyId, 0, p.Time, p.Event, true));
                    break;
                default:
                    intervals.Add(new FollowUpInterval(p.StudyId, 0, p.Time, p.Event, false));
                    break;
            }
        }

        return new TimeDependentSplitResult(intervals, unsplit);
    }

    /// <summary>
    /// Converts a follow-up given by dates into a <see cref="FollowUpRecord"/> on the chosen time scale from
    /// <paramref name="origin"/> (e.g. the date of the first PM).
    /// </summary>
    /// <param name="studyId">The patient.</param>
    /// <param name="origin">Time zero.</param>
    /// <param name="end">Date of the event or of last follow-up.</param>
    /// <param name="event">Whether follow-up ends in the event.</param>
    /// <param name="exposure">Date of the time-dependent event, or null.</param>
    /// <param name="unit">Time scale (days / 30.4375 for months, as the derivation).</param>
    public static FollowUpRecord FromDates(string studyId, DateOnly origin, DateOnly end, bool @event, DateOnly? exposure, TimeUnit unit) =>
        new(studyId,
            TimeUnits.FromDays(end.DayNumber - origin.DayNumber, unit),
            @event,
            exposure is { } x ? TimeUnits.FromDays(x.DayNumber - origin.DayNumber, unit) : null);
}
