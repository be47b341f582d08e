using System.Security.Cryptography;
using System.Text;

namespace Sarcostat.Import;

/// <summary>
/// Salted pseudonyms for identifying values: "P" + the first 10 upper-case hex characters of
/// HMAC-SHA256(key = UTF-8 of the salt, message = UTF-8 of the trimmed value). The same salt gives the same pseudonym
/// for the same value in every source, so records of one patient still match; without the salt the value cannot be
/// recovered or confirmed by guessing.
/// </summary>
public static class Pseudonym
{
    /// <summary>The environment variable the command line reads the salt from when <c>--salt</c> is not given.</summary>
    public const string SaltVariable = "SARCOSTAT_SALT";

    /// <summary>
    /// The shortest salt an import accepts (16 characters): record numbers are few and guessable, so the salt is the
    /// only secret; a short one could be found by trying, and every pseudonym reversed with it.
    /// </summary>
    public const int MinSaltLength = 16;

    /// <summary>The pseudonym of <paramref name="value"/> under <paramref name="salt"/>.</summary>
    /// <param name="salt">The study's secret salt (non-empty).</param>
    /// <param name="value">The identifying value; surrounding whitespace is ignored.</param>
    /// <returns>"P" followed by 10 hex digits, e.g. <c>P3FA9C21B07</c>.</returns>
    /// <exception cref="ArgumentException">The salt is empty.</exception>
    public static string Of(string salt, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(salt);
        ArgumentNullException.ThrowIfNull(value);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(salt), Encoding.UTF8.GetBytes(value.Trim()));
        return "P" + Convert.ToHexString(mac, 0, 5);
    }
}
