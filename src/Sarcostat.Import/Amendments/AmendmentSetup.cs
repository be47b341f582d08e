using Sarcostat.Cohort;
using Sarcostat.Import.Reading;

namespace Sarcostat.Import.Amendments;

/// <summary>Plans the import and loads the amendments file together, so that every setup error of both is reported at once.</summary>
internal static class AmendmentSetup
{
    public static (IReadOnlyList<FilePlan> Plans, AmendmentSet? Amendments) Plan(ImportRequest request, List<CohortProblem> problems)
    {
        var errors = new List<string>();
        IReadOnlyList<FilePlan> plans = [];
        AmendmentSet? amendments = null;
        try
        {
            plans = ImportPlanner.Plan(request);
        }
        catch (ImportSetupException e)
        {
            errors.AddRange(e.Errors);
        }

        if (request.Amendments is { } path)
        {
            try
            {
                amendments = AmendmentSet.Load(path, request.Dictionary, problems);
            }
            catch (ImportSetupException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new ImportSetupException(errors);
        }

        return (plans, amendments);
    }
}
