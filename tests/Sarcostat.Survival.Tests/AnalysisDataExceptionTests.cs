using System.Reflection;
using FluentAssertions;
using Sarcostat.Survival.Cox;
using Xunit;

namespace Sarcostat.Survival.Tests;

/// <summary>
/// One error family (issue 11): every exception the engine throws for data that cannot support an analysis derives
/// from <see cref="AnalysisDataException"/>, has a distinct stable code, and is not an <see cref="ArgumentException"/>
/// (which would make data trouble look like a programming error).
/// </summary>
public sealed class AnalysisDataExceptionTests
{
    private static readonly Type[] Exceptions = typeof(AnalysisDataException).Assembly.GetExportedTypes()
        .Where(t => typeof(Exception).IsAssignableFrom(t) && !t.IsAbstract)
        .ToArray();

    [Fact]
    public void Every_public_engine_exception_belongs_to_the_family()
    {
        Exceptions.Should().NotBeEmpty();
        foreach (var t in Exceptions)
        {
            t.Should().BeAssignableTo<AnalysisDataException>($"{t.Name} is an engine exception");
            t.Should().NotBeAssignableTo<ArgumentException>();
            t.Should().NotBeAssignableTo<InvalidOperationException>();
        }
    }

    [Fact]
    public void Codes_are_distinct_kebab_case_words()
    {
        var codes = Exceptions
            .Select(t => ((AnalysisDataException)Activator.CreateInstance(t, BindingFlags.Public | BindingFlags.Instance, null, ["m"], null)!).Code)
            .ToList();
        codes.Should().OnlyHaveUniqueItems();
        codes.Should().AllSatisfy(c => c.Should().MatchRegex("^[a-z]+(-[a-z]+)*$"));
    }

    [Fact]
    public void A_Cox_model_without_events_is_data_trouble_with_its_code()
    {
        var ex = FluentActions.Invoking(() => CoxRegression.Fit([1, 2, 3], [false, false, false], [new NumericCovariate("x", [1, 2, 3])]))
            .Should().Throw<AnalysisDataException>().Which;
        ex.Code.Should().Be("cox-no-events");
    }
}
