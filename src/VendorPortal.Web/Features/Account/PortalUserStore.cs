using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Account;

/// <summary>
/// Identity's EF store, except that two-factor recovery codes are kept hashed (Identity's default keeps
/// them as plain text). Format: "v1:{salt}:{hash},{hash},…" — PBKDF2-SHA256 with one random salt per
/// user, so redeeming costs one derivation whatever the number of codes left.
/// </summary>
public sealed class PortalUserStore(AppDbContext context, IdentityErrorDescriber? describer = null)
    : UserStore<AppUser, AppRole, AppDbContext, Guid>(context, describer)
{
    private const string InternalLoginProvider = "[AspNetUserStore]";
    private const string RecoveryCodeTokenName = "RecoveryCodes";
    private const int Iterations = 20_000;

    public override async Task ReplaceCodesAsync(AppUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hashes = recoveryCodes.Select(c => Hash(c, salt));
        var value = $"v1:{Convert.ToBase64String(salt)}:{string.Join(",", hashes)}";
        await SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, value, cancellationToken);
    }

    public override async Task<bool> RedeemCodeAsync(AppUser user, string code, CancellationToken cancellationToken)
    {
        var (salt, hashes) = Parse(await GetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, cancellationToken));
        if (salt is null || hashes.Count == 0)
        {
            return false;
        }
        var candidate = Hash(code, salt);
        var match = hashes.FirstOrDefault(h => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(h), Encoding.ASCII.GetBytes(candidate)));
        if (match is null)
        {
            return false;
        }
        hashes.Remove(match);
        await SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName,
            $"v1:{Convert.ToBase64String(salt)}:{string.Join(",", hashes)}", cancellationToken);
        return true;
    }

    public override async Task<int> CountCodesAsync(AppUser user, CancellationToken cancellationToken)
        => Parse(await GetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, cancellationToken)).Hashes.Count;

    internal static string Hash(string code, byte[] salt)
        => Convert.ToBase64String(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(code.Trim().ToUpperInvariant()), salt, Iterations, HashAlgorithmName.SHA256, 32));

    private static (byte[]? Salt, List<string> Hashes) Parse(string? stored)
    {
        var parts = stored?.Split(':');
        if (parts is not { Length: 3 } || parts[0] != "v1")
        {
            return (null, []);
        }
        return (Convert.FromBase64String(parts[1]), parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries).ToList());
    }
}
