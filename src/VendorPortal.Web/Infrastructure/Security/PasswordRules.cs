using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Infrastructure.Security;

/// <summary>
/// The MHLW checklist's password rule: 13 characters or more, or — with two-factor authentication,
/// which this portal requires of everyone — 8 or more mixing at least three of upper case, lower case,
/// digits and symbols. Pure, so it is unit-tested alone.
/// </summary>
public static class PasswordRules
{
    public const int MinimumLength = 8;
    public const int LengthWithoutMixing = 13;

    public static int CharacterClasses(string password)
    {
        var classes = 0;
        if (password.Any(char.IsUpper)) classes++;
        if (password.Any(char.IsLower)) classes++;
        if (password.Any(char.IsDigit)) classes++;
        if (password.Any(c => !char.IsLetterOrDigit(c))) classes++;
        return classes;
    }

    public static bool IsStrongEnough(string password)
        => password.Length >= LengthWithoutMixing
           || (password.Length >= MinimumLength && CharacterClasses(password) >= 3);
}

/// <summary>A small bundled list of breached and common passwords (lower-cased).</summary>
public sealed class CommonPasswordList
{
    private readonly HashSet<string> _passwords;

    public CommonPasswordList()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("common-passwords.txt", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        _passwords = reader.ReadToEnd()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
    }

    public int Count => _passwords.Count;

    public bool Contains(string password)
    {
        var lower = password.ToLowerInvariant();
        // "Password123!" is as weak as "password": also try with trailing digits and symbols removed.
        var core = lower.TrimEnd('!', '?', '#', '@', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
        return _passwords.Contains(lower) || (core.Length >= 4 && _passwords.Contains(core));
    }
}

public sealed class PortalPasswordValidator<TUser>(CommonPasswordList common, IStringLocalizer<SharedResource> l) : IPasswordValidator<TUser>
    where TUser : class
{
    public Task<IdentityResult> ValidateAsync(UserManager<TUser> manager, TUser user, string? password)
    {
        password ??= "";
        var errors = new List<IdentityError>();
        if (!PasswordRules.IsStrongEnough(password))
        {
            errors.Add(new IdentityError { Code = "PasswordPolicy", Description = l["PasswordPolicy"] });
        }
        if (common.Contains(password))
        {
            errors.Add(new IdentityError { Code = "PasswordCommon", Description = l["PasswordCommon"] });
        }
        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }
}
