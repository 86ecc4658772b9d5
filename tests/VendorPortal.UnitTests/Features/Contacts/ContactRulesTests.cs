using VendorPortal.Features.Contacts;

namespace VendorPortal.UnitTests.Features.Contacts;

public sealed class ContactRulesTests
{
    private static VendorContactInput Row(string? phone = "03-1234-5678", string? other = "FAX 03-1234-5679", string? email = null, string? label = "障害受付窓口")
        => new(label, "サポートセンター", phone, other, email, "24時間365日");

    [Theory]
    [InlineData("03-6812-7837", true)]
    [InlineData("+81 (3) 6812-7837", true)]
    [InlineData("0120-123-456", true)]
    [InlineData("03-6812-783a", false)]
    [InlineData("12-34", false)]
    [InlineData("03+6812-7837", false)]
    [InlineData("0312345678901234567890123456789", false)]
    [InlineData("", false)]
    public void Phone_numbers_are_digits_hyphens_parentheses_and_a_leading_plus(string text, bool valid)
        => Assert.Equal(valid, ContactRules.IsPhone(text));

    [Fact]
    public void Blank_rows_are_dropped_and_a_valid_list_passes()
    {
        var (rows, errors) = ContactRules.ValidateVendor([Row(), new VendorContactInput(" ", null, null, "", null, null), Row(phone: null, email: "sec@vendor.example", label: "セキュリティ責任者")]);
        Assert.Empty(errors);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public void At_least_one_contact_needs_a_24_hour_line()
    {
        var (_, errors) = ContactRules.ValidateVendor([Row(phone: null)]);
        Assert.Equal(("contacts", "ContactsNeed24h"), (Assert.Single(errors).Field, errors[0].Key));
        Assert.Contains(ContactRules.ValidateVendor([]).Errors, e => e.Key == "ContactsNeed24h");
    }

    [Fact]
    public void Each_contact_needs_a_role_a_name_and_a_non_email_channel_and_well_formed_values()
    {
        var (_, errors) = ContactRules.ValidateVendor([Row(), Row(phone: "abc", other: "sec@vendor.example", email: "not-mail", label: null)]);
        Assert.All(errors, e => Assert.Equal(1, e.Index));
        Assert.Equal(["ContactsEmailInvalid", "ContactsOtherChannelInvalid", "ContactsPhoneInvalid", "ContactsRoleLabelInvalid"], errors.Select(e => e.Key).Order().ToArray());
    }

    [Fact]
    public void More_than_ten_contacts_are_refused()
        => Assert.Contains(ContactRules.ValidateVendor(Enumerable.Repeat(Row(), 11)).Errors, e => e.Key == "ContactsTooMany");

    [Fact]
    public void Hospital_roles_are_unique_and_phones_checked()
    {
        var (_, errors) = ContactRules.ValidateHospital([
            new(HospitalContactRole.SafetyManager, "山田", "03-1111-2222", "090-1111-2222", null, null),
            new(HospitalContactRole.SafetyManager, "佐藤", null, "内線 123", null, null),
        ]);
        Assert.Equal(["ContactsPhoneInvalid", "ContactsRoleInvalid"], errors.Select(e => e.Key).Order().ToArray());
        Assert.Empty(ContactRules.ValidateHospital([new(HospitalContactRole.AuthorityPolice, "", null, null, null, null)]).Errors);
    }

    [Fact]
    public void The_chart_is_complete_with_a_named_security_manager_an_out_of_hours_number_and_local_authorities()
    {
        GapHospitalContact[] complete =
        [
            new(HospitalContactRole.SafetyManager, true, true, false),
            new(HospitalContactRole.Operations, true, true, true),
            new(HospitalContactRole.AuthorityPolice, true, true, false),
            new(HospitalContactRole.AuthorityHealthCenter, true, true, false),
        ];
        Assert.True(ContactRules.ChartComplete(complete));
        Assert.False(ContactRules.ChartComplete(complete[1..]));
        Assert.False(ContactRules.ChartComplete([complete[0], complete[1] with { HasPhoneOutOfHours = false }, complete[2], complete[3]]));
        Assert.False(ContactRules.ChartComplete([.. complete[..3], complete[3] with { HasPhone = false }]));
        // An authority's out-of-hours number does not count for the hospital's own roles.
        Assert.False(ContactRules.ChartComplete([complete[0], complete[1] with { HasPhoneOutOfHours = false }, complete[2] with { HasPhoneOutOfHours = true }, complete[3]]));
    }

    [Fact]
    public void The_shipped_authority_list_parses_and_uses_only_the_numbers_of_the_sources()
    {
        var list = AuthorityList.Load(AppContext.BaseDirectory);
        Assert.Equal(1, list.Version);
        Assert.Equal("03-6812-7837", list.Authorities.Single(a => a.Role == HospitalContactRole.AuthorityMhlw).Phone);
        Assert.Equal("03-5978-7509", list.Authorities.Single(a => a.Role == HospitalContactRole.AuthorityIpa).Phone);
        Assert.Null(list.Authorities.Single(a => a.Role == HospitalContactRole.AuthorityPpc).Phone);
        Assert.All(list.Authorities.Where(a => a.Local), a => Assert.Null(a.Phone));
        Assert.Equal(ContactRules.LocalAuthorities.Order(), list.Authorities.Where(a => a.Local).Select(a => a.Role).Order());
    }
}
