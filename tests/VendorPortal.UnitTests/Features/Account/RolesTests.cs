using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;

namespace VendorPortal.UnitTests.Features.Account;

public sealed class RolesTests
{
    [Theory]
    [InlineData(Roles.TenantAdmin)]
    [InlineData(Roles.SystemOperator)]
    [InlineData(Roles.PlanningManager)]
    [InlineData(Roles.SecurityManager)]
    [InlineData(Roles.Executive)]
    [InlineData(Roles.Auditor)]
    public void Hospital_roles_are_valid_only_for_hospitals(string role)
    {
        Assert.True(Roles.IsValidFor(OrganizationKind.Hospital, role));
        Assert.False(Roles.IsValidFor(OrganizationKind.Vendor, role));
        Assert.False(Roles.IsValidFor(OrganizationKind.Platform, role));
    }

    [Theory]
    [InlineData(Roles.VendorAdmin)]
    [InlineData(Roles.VendorMember)]
    public void Vendor_roles_are_valid_only_for_vendors(string role)
    {
        Assert.True(Roles.IsValidFor(OrganizationKind.Vendor, role));
        Assert.False(Roles.IsValidFor(OrganizationKind.Hospital, role));
        Assert.False(Roles.IsValidFor(OrganizationKind.Platform, role));
    }

    [Fact]
    public void The_platform_operator_is_valid_only_for_the_platform()
    {
        Assert.True(Roles.IsValidFor(OrganizationKind.Platform, Roles.PlatformOperator));
        Assert.False(Roles.IsValidFor(OrganizationKind.Hospital, Roles.PlatformOperator));
        Assert.False(Roles.IsValidFor(OrganizationKind.Vendor, Roles.PlatformOperator));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Admin")]
    [InlineData("tenantadmin")]
    [InlineData(" TenantAdmin")]
    public void Unknown_or_misspelled_roles_are_valid_for_no_organization(string role)
    {
        foreach (var kind in Enum.GetValues<OrganizationKind>())
        {
            Assert.False(Roles.IsValidFor(kind, role));
        }
    }

    [Fact]
    public void For_lists_the_roles_of_each_kind()
    {
        Assert.Equal(
            [Roles.TenantAdmin, Roles.SystemOperator, Roles.PlanningManager, Roles.SecurityManager, Roles.Executive, Roles.Auditor],
            Roles.For(OrganizationKind.Hospital));
        Assert.Equal([Roles.VendorAdmin, Roles.VendorMember], Roles.For(OrganizationKind.Vendor));
        Assert.Equal([Roles.PlatformOperator], Roles.For(OrganizationKind.Platform));
    }

    [Fact]
    public void Every_role_belongs_to_exactly_one_kind()
    {
        foreach (var role in Roles.All)
        {
            Assert.Single(Enum.GetValues<OrganizationKind>(), kind => Roles.IsValidFor(kind, role));
        }
        Assert.Equal(Roles.All.Count(), Roles.All.Distinct().Count());
    }

    [Theory]
    [InlineData(Roles.TenantAdmin, true)]
    [InlineData(Roles.VendorAdmin, true)]
    [InlineData(Roles.PlatformOperator, true)]
    [InlineData(Roles.SystemOperator, false)]
    [InlineData(Roles.PlanningManager, false)]
    [InlineData(Roles.SecurityManager, false)]
    [InlineData(Roles.Executive, false)]
    [InlineData(Roles.Auditor, false)]
    [InlineData(Roles.VendorMember, false)]
    [InlineData("", false)]
    public void Only_the_admin_roles_administer_users(string role, bool expected)
    {
        Assert.Equal(expected, Roles.IsAdmin(role));
    }

    [Fact]
    public void Each_kind_has_exactly_one_admin_role()
    {
        foreach (var kind in Enum.GetValues<OrganizationKind>())
        {
            Assert.Single(Roles.For(kind), Roles.IsAdmin);
        }
    }
}
