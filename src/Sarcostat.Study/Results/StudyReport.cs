namespace Sarcostat.Study.Results;

/// <summary>
/// Everything a publication report shows, as data: tables, figures (as plot data, not pictures), the Methods
/// paragraph, the Results sentences, provenance and warnings. Renderers (HTML, Word, CSV, SVG) read only this.
/// </summary>
/// <param name="Title">Report title (the protocol's).</param>
/// <param name="Provenance">Software, protocol and data fingerprints, date, convention and named methods.</param>
/// <param name="Sections">The report's sections in order.</param>
/// <param name="Warnings">Statistical and data warnings of the run, each naming what it concerns.</param>
public sealed record StudyReport(
    string Title,
    ReportProvenance Provenance,
    IReadOnlyList<ReportSection> Sections,
    IReadOnlyList<ReportWarning> Warnings)
{
    /// <summary>Every table, in report order.</summary>
    public IEnumerable<TableItem> Tables => Sections.SelectMany(s => s.Items).OfType<TableItem>();

    /// <summary>Every figure, in report order.</summary>
    public IEnumerable<FigureItem> Figures => Sections.SelectMany(s => s.Items).OfType<FigureItem>();

    /// <summary>The analysed cohort, one row per patient, for re-analysis (cohort.csv); null when not built (a report made in code).</summary>
    public CohortExport? Cohort { get; init; }
}

/// <summary>Where a report came from, so that it can be reproduced and cited.</summary>
/// <param name="SoftwareVersion">Sarcostat version.</param>
/// <param name="ProtocolName">Protocol name (e.g. nakayama2022) or file name.</param>
/// <param name="ProtocolSha256">SHA-256 of the protocol text.</param>
/// <param name="DataSha256">SHA-256 of each input file, by file name (sorted by name).</param>
/// <param name="GeneratedOn">Date of the run (passed in explicitly; never read from a hidden clock inside the study layer).</param>
/// <param name="Convention">"R" or "SPSS": the set of defaults in force.</param>
/// <param name="Methods">Named methods in force, e.g. ("Ties", "Efron"), ("Median CI", "R: where the CI limits cross 0.5").</param>
public sealed record ReportProvenance(
    string SoftwareVersion,
    string ProtocolName,
    string ProtocolSha256,
    IReadOnlyList<KeyValuePair<string, string>> DataSha256,
    DateOnly GeneratedOn,
    string Convention,
    IReadOnlyList<KeyValuePair<string, string>> Methods);

/// <summary>A warning shown beside the results.</summary>
/// <param name="Code">Stable code (e.g. "events-per-variable", "monotone-likelihood", "endpoint-not-derivable").</param>
/// <param name="Message">A sentence naming the model, term, endpoint or patients concerned (study ids only).</param>
/// <param name="ItemId">The table or figure it belongs to, or null for the whole report.</param>
public sealed record ReportWarning(string Code, string Message, string? ItemId = null);

/// <summary>A section (e.g. "Patient characteristics", "Survival").</summary>
/// <param name="Id">Stable id, used in anchors.</param>
/// <param name="Title">Heading.</param>
/// <param name="Items">Tables, figures and paragraphs in order.</param>
public sealed record ReportSection(string Id, string Title, IReadOnlyList<ReportItem> Items);

/// <summary>One item of a section.</summary>
/// <param name="Id">Stable id, also the base of output file names (<c>table-2</c> -> table-2.csv, <c>figure-1</c> -> figure-1.svg).</param>
/// <param name="Title">Caption title, e.g. "Table 2. Univariate analyses of factors associated with disease-specific survival".</param>
public abstract record ReportItem(string Id, string Title);

/// <summary>A paragraph of text (Methods, Results summary).</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Heading (may be empty).</param>
/// <param name="Paragraphs">The text, one entry per paragraph.</param>
public sealed record TextItem(string Id, string Title, IReadOnlyList<string> Paragraphs) : ReportItem(Id, Title);

/// <summary>A table, with cells already formatted as the journal shows them (and the raw value kept beside).</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption.</param>
/// <param name="Columns">Column headings.</param>
/// <param name="Rows">Rows in order.</param>
/// <param name="Footnotes">Footnotes (abbreviations, methods, missing-data notes).</param>
public sealed record TableItem(string Id, string Title, IReadOnlyList<string> Columns, IReadOnlyList<TableRow> Rows, IReadOnlyList<string> Footnotes)
    : ReportItem(Id, Title)
{
    /// <summary>
    /// Superscript marks tying a footnote to the cells it explains (a column heading, a row's label, a cell). A marked
    /// footnote gets a letter (a, b, c, ... in footnote order) printed before it and after each cell it is tied to;
    /// unmarked footnotes are general notes on the whole table, as journals print them.
    /// </summary>
    public IReadOnlyList<FootnoteMark> Marks { get; init; } = [];

    /// <summary>The letter of footnote <paramref name="footnote"/> (index into <see cref="Footnotes"/>), or null when no cell is tied to it.</summary>
    public string? MarkerOf(int footnote)
    {
        var marked = Marks.Select(m => m.Footnote).Distinct().Order().ToList();
        var k = marked.IndexOf(footnote);
        return k < 0 ? null : Letter(k);
    }

    /// <summary>The letters to print after the cell at <paramref name="row"/> (-1 for the column headings) and <paramref name="column"/>, in footnote order.</summary>
    public IReadOnlyList<string> MarkersAt(int row, int column) =>
        Marks.Where(m => m.Row == row && m.Column == column).Select(m => m.Footnote).Distinct().Order().Select(f => MarkerOf(f)!).ToList();

    private static string Letter(int k) => k < 26 ? ((char)('a' + k)).ToString() : Letter((k / 26) - 1) + (char)('a' + (k % 26));
}

/// <summary>Ties footnote <paramref name="Footnote"/> to a cell of the table.</summary>
/// <param name="Footnote">Index into <see cref="TableItem.Footnotes"/>.</param>
/// <param name="Row">Row index, or -1 for the column headings.</param>
/// <param name="Column">Column index (0 is the label column).</param>
public sealed record FootnoteMark(int Footnote, int Row, int Column);

/// <summary>A table row.</summary>
/// <param name="Cells">One cell per column.</param>
/// <param name="Indent">Indent level of the first cell (0 for a variable, 1 for its levels).</param>
/// <param name="IsHeading">A variable heading row (e.g. "Primary histology" above its levels).</param>
public sealed record TableRow(IReadOnlyList<TableCell> Cells, int Indent = 0, bool IsHeading = false);

/// <summary>A table cell: the text shown, and the numbers behind it when there are any (for tests and the CSV and Excel exports).</summary>
/// <param name="Text">Formatted text, e.g. "0.54 (0.31-0.94)".</param>
/// <param name="Value">The main number at full precision (the estimate), or null.</param>
public sealed record TableCell(string Text, double? Value = null)
{
    /// <summary>The lower confidence limit of an estimate with an interval (HR, median, survival), at full precision, or null.</summary>
    public double? Lower { get; init; }

    /// <summary>The upper confidence limit, or null.</summary>
    public double? Upper { get; init; }

    /// <summary>
    /// The test statistic behind a p value, at full precision, or null: the log-rank chi-square of a univariate row
    /// (with <see cref="DegreesOfFreedom"/>). Not printed in the tables; exported in results.json.
    /// </summary>
    public double? Statistic { get; init; }

    /// <summary>Degrees of freedom of <see cref="Statistic"/>, or null.</summary>
    public int? DegreesOfFreedom { get; init; }

    /// <summary>A text cell.</summary>
    public static implicit operator TableCell(string text) => new(text);

    /// <summary>A text cell (named alternative to the implicit conversion).</summary>
    public static TableCell FromString(string text) => new(text);
}

/// <summary>A figure, as the data it plots.</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption title.</param>
/// <param name="Caption">Caption text under the title (methods, abbreviations).</param>
public abstract record FigureItem(string Id, string Title, string Caption) : ReportItem(Id, Title);

/// <summary>A Kaplan-Meier plot: one or more step curves, censor marks, optional CI band, and a number-at-risk table at the x ticks.</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption title.</param>
/// <param name="Caption">Caption text.</param>
/// <param name="XLabel">x-axis label with unit, e.g. "Months after first metastasectomy".</param>
/// <param name="YLabel">y-axis label, e.g. "Overall survival".</param>
/// <param name="Ticks">x-axis ticks; the number-at-risk table uses the same ticks.</param>
/// <param name="Curves">The curves (one per group).</param>
/// <param name="ShowConfidenceBand">Draw the pointwise CI as a shaded band.</param>
/// <param name="Annotation">Text placed on the plot, e.g. "Log-rank p = 0.012", or null.</param>
public sealed record KaplanMeierFigure(
    string Id,
    string Title,
    string Caption,
    string XLabel,
    string YLabel,
    IReadOnlyList<double> Ticks,
    IReadOnlyList<KaplanMeierCurve> Curves,
    bool ShowConfidenceBand,
    string? Annotation) : FigureItem(Id, Title, Caption)
{
    /// <summary>Label the survival axis in percent (0-100) instead of as a proportion (0-1).</summary>
    public bool PercentAxis { get; init; }
}

/// <summary>One Kaplan-Meier curve.</summary>
/// <param name="Label">Legend label (group level), e.g. "DFI &lt; 12 months (n = 30)".</param>
/// <param name="Points">The step function: (time, survival, lower, upper) at time 0 and at every time where it changes.</param>
/// <param name="CensorTimes">Times of censored observations (marks on the curve).</param>
/// <param name="AtRisk">Number at risk at each of the figure's ticks.</param>
public sealed record KaplanMeierCurve(string Label, IReadOnlyList<CurvePoint> Points, IReadOnlyList<double> CensorTimes, IReadOnlyList<int> AtRisk)
{
    /// <summary>Reading marks drawn on the curve: survival at landmark times, the median.</summary>
    public IReadOnlyList<CurveMark> Marks { get; init; } = [];
}

/// <summary>What a reading mark on a Kaplan-Meier curve shows.</summary>
public enum CurveMarkKind
{
    /// <summary>S(t) at a landmark time: a dotted line up from the time axis to the curve and across to the survival axis.</summary>
    Landmark = 0,

    /// <summary>The median: a dotted line across from S = 0.5 to the curve and down to the time axis.</summary>
    Median = 1,
}

/// <summary>A reading mark: where on the curve, and the label printed beside it ("62.9%", "median 48.0").</summary>
/// <param name="Kind">Landmark or median.</param>
/// <param name="Time">The time read.</param>
/// <param name="Survival">S(t) there (0.5 for the median).</param>
/// <param name="Label">The text printed at the mark.</param>
public sealed record CurveMark(CurveMarkKind Kind, double Time, double Survival, string Label);

/// <summary>A point of a step curve.</summary>
/// <param name="Time">Time.</param>
/// <param name="Survival">S(t) from this time on.</param>
/// <param name="Lower">Lower pointwise confidence limit, or null.</param>
/// <param name="Upper">Upper pointwise confidence limit, or null.</param>
public sealed record CurvePoint(double Time, double Survival, double? Lower, double? Upper);

/// <summary>A forest plot of hazard ratios (log scale).</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption title.</param>
/// <param name="Caption">Caption text.</param>
/// <param name="Rows">One row per term (reference levels shown as "1 (reference)").</param>
/// <param name="EstimateLabel">Axis label, e.g. "Hazard ratio (95% CI)".</param>
public sealed record ForestFigure(string Id, string Title, string Caption, IReadOnlyList<ForestRow> Rows, string EstimateLabel) : FigureItem(Id, Title, Caption)
{
    /// <summary>
    /// Headings of the text columns right of the plot (e.g. n, HR, 95% CI, p), each row giving one text per heading in
    /// <see cref="ForestRow.Cells"/>; empty: one unheaded column of <see cref="ForestRow.Text"/>.
    /// </summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>Label under the left half of the axis (HR below 1), e.g. "Lower hazard"; null: none.</summary>
    public string? FavoursLower { get; init; }

    /// <summary>Label under the right half of the axis (HR above 1), e.g. "Higher hazard"; null: none.</summary>
    public string? FavoursHigher { get; init; }
}

/// <summary>A forest-plot row.</summary>
/// <param name="Label">Term label, e.g. "DFI &lt; 12 months".</param>
/// <param name="Estimate">Hazard ratio, or null for a reference row or an inestimable term.</param>
/// <param name="Lower">Lower limit, or null.</param>
/// <param name="Upper">Upper limit, or null (or infinite when the CI is unbounded).</param>
/// <param name="Text">The right-hand text, e.g. "2.41 (1.12-5.18), p = 0.024".</param>
/// <param name="IsReference">A reference-level row.</param>
public sealed record ForestRow(string Label, double? Estimate, double? Lower, double? Upper, string Text, bool IsReference = false)
{
    /// <summary>One text per <see cref="ForestFigure.Columns"/> heading (missing ones are empty).</summary>
    public IReadOnlyList<string> Cells { get; init; } = [];
}

/// <summary>The patient-selection flow diagram (CONSORT-like): a column of boxes with exclusions to the side.</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption title.</param>
/// <param name="Caption">Caption text.</param>
/// <param name="Boxes">Main boxes top to bottom ("Patients identified (n = 95)", ..., "Analysed (n = 66)").</param>
public sealed record FlowFigure(string Id, string Title, string Caption, IReadOnlyList<FlowBox> Boxes) : FigureItem(Id, Title, Caption)
{
    /// <summary>
    /// The source databases drawn side by side above the first box, each joined to it (paper 000 Figure 1: two
    /// hospitals' databases merged); empty: the flow starts at the first box.
    /// </summary>
    public IReadOnlyList<FlowSource> Sources { get; init; } = [];
}

/// <summary>A source database box of the flow diagram.</summary>
/// <param name="Text">E.g. "hospital_a database".</param>
/// <param name="Count">Patients it delivered (that reached the merge).</param>
public sealed record FlowSource(string Text, int Count);

/// <summary>A box of the flow diagram, with the exclusions that lead from it to the next box.</summary>
/// <param name="Text">Box text, e.g. "Curative-intent PM for STS".</param>
/// <param name="Count">Patients in the box.</param>
/// <param name="Excluded">Side box: exclusions applied after this box (label, count), with sub-items (e.g. by primary site).</param>
public sealed record FlowBox(string Text, int Count, FlowExclusion? Excluded);

/// <summary>An exclusion side box.</summary>
/// <param name="Label">E.g. "Excluded: primary site".</param>
/// <param name="Count">Patients excluded.</param>
/// <param name="Breakdown">Sub-counts, e.g. ("Parenchymal organs", 13).</param>
public sealed record FlowExclusion(string Label, int Count, IReadOnlyList<KeyValuePair<string, int>> Breakdown);

/// <summary>
/// A scatter plot with a smooth and, optionally, a band around it (used for scaled Schoenfeld residuals against time,
/// as R's <c>plot(cox.zph(fit))</c>: the spline smooth and its ±2 SE band).
/// </summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption title.</param>
/// <param name="Caption">Caption text.</param>
/// <param name="XLabel">x label.</param>
/// <param name="YLabel">y label.</param>
/// <param name="X">x values.</param>
/// <param name="Y">y values.</param>
/// <param name="SmoothX">x of the smooth line (may be empty).</param>
/// <param name="SmoothY">y of the smooth line.</param>
/// <param name="Annotation">Text on the plot (e.g. "p = 0.41"), or null.</param>
/// <param name="BandLower">Lower band line at <paramref name="SmoothX"/>, or null for no band (then also <paramref name="BandUpper"/>).</param>
/// <param name="BandUpper">Upper band line at <paramref name="SmoothX"/>, or null for no band (then also <paramref name="BandLower"/>).</param>
public sealed record ScatterFigure(
    string Id,
    string Title,
    string Caption,
    string XLabel,
    string YLabel,
    IReadOnlyList<double> X,
    IReadOnlyList<double> Y,
    IReadOnlyList<double> SmoothX,
    IReadOnlyList<double> SmoothY,
    string? Annotation,
    IReadOnlyList<double>? BandLower = null,
    IReadOnlyList<double>? BandUpper = null) : FigureItem(Id, Title, Caption);
