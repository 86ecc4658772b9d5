using VendorPortal.Features.Subcontracting;

namespace VendorPortal.UnitTests.Features.Subcontracting;

public sealed class SubcontractValidationTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);

    private static SubcontractorInput Valid(string name = "東京データ株式会社", string country = "JP", params SubcontractorInput[] children) => new(
        name, country == "JP" ? "7000012050002" : null, "東京都千代田区霞が関3-1-1", country, country, "日本法", "バックアップの保管",
        HandlesPersonalInformation: true, HandlesMedicalInformation: true, "診療録のバックアップ", Today, Today.AddYears(2), "守秘義務ほか",
        [new CertificationInput(CertificationKind.Isms, "IS 123456", Today.AddYears(1))], children);

    private static IEnumerable<string> Codes(SubcontractorInput input) => SubcontractValidation.ValidateNode(input, Today).Select(p => $"{p.Field}:{p.Code}");

    [Fact]
    public void A_complete_subcontractor_is_accepted()
    {
        Assert.Empty(Codes(Valid()));
        Assert.Empty(SubcontractValidation.ValidateTree(Valid("A社", "JP", Valid("B社", "SG")), Today));
    }

    [Fact]
    public void Every_missing_field_is_named()
    {
        var empty = new SubcontractorInput(null, null, " ", null, null, null, null, false, false, null, null, null, "", []);
        Assert.Equal(
            ["name:Required", "address:Required", "governingLaw:Required", "work:Required", "securityDuties:Required", "country:Required", "periodFrom:Required", "periodTo:Required"],
            Codes(empty));
    }

    [Fact]
    public void Handling_personal_or_medical_information_needs_which_and_where_it_is_stored()
    {
        var input = Valid() with { DataStorageCountry = null, InformationDescription = null, HandlesMedicalInformation = false };
        Assert.Equal(["dataStorageCountry:StorageCountryRequired", "informationDescription:InformationDescriptionRequired"], Codes(input));
        Assert.Empty(Codes(input with { HandlesPersonalInformation = false }));
    }

    [Theory]
    [InlineData("7000012050002", "JP", null)]
    [InlineData("７０００−０１２０−５０００２", "JP", null)]
    [InlineData("8000012050002", "JP", "CorporateNumberInvalid")]
    [InlineData("700001205000", "JP", "CorporateNumberInvalid")]
    [InlineData("70000120500ab", "JP", "CorporateNumberInvalid")]
    [InlineData(null, "JP", "CorporateNumberRequired")]
    [InlineData(null, "SG", null)]
    [InlineData("1234567890123", "SG", "CorporateNumberInvalid")]
    public void A_corporate_number_is_required_in_Japan_and_always_checked(string? number, string country, string? code)
    {
        var problems = Codes(Valid() with { CorporateNumber = number, Country = country }).ToList();
        if (code is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Equal([$"corporateNumber:{code}"], problems);
        }
    }

    [Fact]
    public void Countries_come_from_the_list()
        => Assert.Equal(["country:CountryUnknown", "dataStorageCountry:CountryUnknown"], Codes(Valid() with { Country = "XX", DataStorageCountry = "ZZ", CorporateNumber = null }));

    [Fact]
    public void Dates_in_the_wrong_order_and_a_period_that_has_ended_are_refused()
    {
        Assert.Equal(["periodTo:PeriodOutOfOrder"], Codes(Valid() with { PeriodFrom = Today.AddDays(10), PeriodTo = Today.AddDays(5) }));
        Assert.Equal(["periodTo:PeriodEnded"], Codes(Valid() with { PeriodFrom = Today.AddYears(-2), PeriodTo = Today.AddDays(-1) }));
        Assert.Empty(Codes(Valid() with { PeriodFrom = Today.AddYears(-1), PeriodTo = Today }));
    }

    [Fact]
    public void Certificates_need_number_and_expiry_are_not_expired_and_not_listed_twice()
    {
        var input = Valid() with
        {
            Certifications =
            [
                new CertificationInput(CertificationKind.PrivacyMark, "第1号", Today.AddDays(-1)),
                new CertificationInput(CertificationKind.Isms, " ", null),
                new CertificationInput(CertificationKind.Isms, "IS 1", Today.AddYears(1)),
                new CertificationInput(CertificationKind.Ismap, "C-1", Today),
            ],
        };
        Assert.Equal(
            ["certifications[0].expiresOn:CertificationExpired", "certifications[1].number:CertificationNumberRequired", "certifications[1].expiresOn:CertificationExpiryRequired", "certifications[2].kind:CertificationDuplicate"],
            Codes(input));
    }

    [Fact]
    public void Overlong_text_is_refused()
        => Assert.Equal(["name:TooLong"], Codes(Valid() with { Name = new string('a', SubcontractValidation.MaxNameLength + 1) }));

    [Fact]
    public void A_sub_subcontractor_works_within_its_parents_period_and_problems_carry_its_path()
    {
        var child = Valid("B社") with { PeriodTo = Today.AddYears(3) };
        var problems = SubcontractValidation.ValidateTree(Valid("A社", "JP", Valid("C社"), child), Today);
        var p = Assert.Single(problems);
        Assert.Equal(("subcontractor.subcontractors[1].periodFrom", "PeriodOutsideParent"), (p.Field, p.Code));
        Assert.Equal(["B社", "A社"], p.Args);

        var bad = SubcontractValidation.ValidateTree(Valid("A社", "JP", Valid("B社") with { Name = null }), Today);
        Assert.Equal("subcontractor.subcontractors[0].name", Assert.Single(bad).Field);
    }

    [Fact]
    public void A_chain_has_one_direct_subcontractor_a_bounded_depth_and_size_and_no_cycle()
    {
        ChainNode Node(Guid id, Guid? parent) => new(id, parent, id.ToString()[..4], Today, Today.AddYears(1));
        var ids = Enumerable.Range(0, 7).Select(_ => Guid.NewGuid()).ToArray();

        Assert.Equal("OneDirectSubcontractor", Assert.Single(SubcontractValidation.ValidateChain([Node(ids[0], null), Node(ids[1], null)])).Code);

        var line = ids.Select((id, i) => Node(id, i == 0 ? null : ids[i - 1])).ToList();
        var deep = SubcontractValidation.ValidateChain(line);
        Assert.Equal([ids[5].ToString(), ids[6].ToString()], deep.Where(p => p.Code == "ChainTooDeep").Select(p => p.Field));

        var many = Enumerable.Range(0, SubcontractValidation.MaxNodes).Select(_ => Node(Guid.NewGuid(), ids[0])).Prepend(Node(ids[0], null)).ToList();
        Assert.Contains(SubcontractValidation.ValidateChain(many), p => p.Code == "TooManySubcontractors");

        var cycle = new List<ChainNode> { Node(ids[0], null), Node(ids[1], ids[2]), Node(ids[2], ids[1]) };
        Assert.Contains(SubcontractValidation.ValidateChain(cycle), p => p.Code == "ChainBroken");
    }

    [Fact]
    public void The_page_form_reports_a_date_it_cannot_read_and_keeps_certifications_by_kind()
    {
        var form = new SubcontractorForm { Name = "A社", PeriodFrom = "2026/13/01", PeriodTo = "2027-03-31" };
        form.Certifications[(int)CertificationKind.Ismap].Number = "C-1";
        form.Certifications[(int)CertificationKind.Ismap].ExpiresOn = "someday";
        var (input, problems) = form.ToInput();
        Assert.Equal(["cert.Ismap.expiresOn:DateInvalid", "periodFrom:DateInvalid"], problems.Select(p => $"{p.Field}:{p.Code}").Order(StringComparer.Ordinal));
        var cert = Assert.Single(input.Certifications);
        Assert.Equal(CertificationKind.Ismap, cert.Kind);

        var mapped = SubcontractorForm.ForForm([new SubcontractProblem("subcontractor.certifications[0].number", "CertificationNumberRequired")], input, "subcontractor.");
        Assert.Equal("cert.Ismap.number", Assert.Single(mapped).Field);
    }
}
