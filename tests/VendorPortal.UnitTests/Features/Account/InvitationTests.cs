using VendorPortal.Features.Account;

namespace VendorPortal.UnitTests.Features.Account;

public sealed class InvitationTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static Invitation Invitation() => new()
    {
        Email = "new.user@example.jp",
        Role = Roles.SystemOperator,
        TokenHash = new string('a', 64),
        CreatedAt = Now.AddDays(-1),
        ExpiresAt = Now.AddDays(6),
    };

    [Fact]
    public void A_pending_unexpired_invitation_is_usable()
    {
        Assert.True(Invitation().IsUsable(Now));
    }

    [Fact]
    public void An_invitation_is_not_usable_at_the_moment_it_expires()
    {
        var invitation = Invitation();

        Assert.True(invitation.IsUsable(invitation.ExpiresAt.AddTicks(-1)));
        Assert.False(invitation.IsUsable(invitation.ExpiresAt));
        Assert.False(invitation.IsUsable(invitation.ExpiresAt.AddDays(1)));
    }

    [Fact]
    public void An_accepted_invitation_is_not_usable_again()
    {
        var invitation = Invitation();
        invitation.AcceptedAt = Now.AddMinutes(-5);

        Assert.False(invitation.IsUsable(Now));
    }

    [Fact]
    public void A_revoked_invitation_is_not_usable()
    {
        var invitation = Invitation();
        invitation.RevokedAt = Now.AddMinutes(-5);

        Assert.False(invitation.IsUsable(Now));
    }

    [Fact]
    public void Expiry_compares_instants_not_clock_times()
    {
        var invitation = Invitation();
        var sameInstantInJst = invitation.ExpiresAt.ToOffset(TimeSpan.FromHours(9));

        Assert.False(invitation.IsUsable(sameInstantInJst));
        Assert.True(invitation.IsUsable(sameInstantInJst.AddSeconds(-1)));
    }
}
