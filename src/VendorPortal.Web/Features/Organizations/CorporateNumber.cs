namespace VendorPortal.Features.Organizations;

/// <summary>
/// 法人番号: 13 digits, the first being a check digit over the other twelve (国税庁「法人番号の構成」).
/// With P(n) the n-th digit of the 12-digit base counted from the right and Q(n) = 1 for odd n, 2 for even n,
/// the check digit is 9 − (Σ P(n)·Q(n) mod 9). 国税庁's own number 7000012050002 checks.
/// </summary>
public static class CorporateNumber
{
    public const int Length = 13;

    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != Length || !value.All(char.IsAsciiDigit))
        {
            return false;
        }
        return value[0] - '0' == CheckDigit(value[1..]);
    }

    /// <summary>The check digit of a 12-digit base number.</summary>
    public static int CheckDigit(string baseNumber)
    {
        if (baseNumber.Length != Length - 1 || !baseNumber.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The base of a corporate number is 12 digits.", nameof(baseNumber));
        }
        var sum = 0;
        for (var n = 1; n <= 12; n++)
        {
            var digit = baseNumber[^n] - '0';
            sum += digit * (n % 2 == 1 ? 1 : 2);
        }
        return 9 - sum % 9;
    }

    /// <summary>Digits only: full-width digits, spaces and hyphens as people type them are accepted and normalised.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var chars = value.Trim()
            .Where(c => !char.IsWhiteSpace(c) && c is not ('-' or 'ー' or '－' or '−' or '‐' or '‑' or '–' or '—' or '―'))
            .Select(c => c is >= '０' and <= '９' ? (char)('0' + (c - '０')) : c);
        return new string([.. chars]);
    }
}
