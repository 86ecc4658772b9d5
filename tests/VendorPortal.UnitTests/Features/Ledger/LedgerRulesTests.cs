using VendorPortal.Features.Ledger;

namespace VendorPortal.UnitTests.Features.Ledger;

public sealed class LedgerRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);

    private static ComponentValues Valid() => new()
    {
        SystemId = Guid.NewGuid(), ManagementNumber = "EMR-SV-001", Kind = ComponentKind.Server, Name = "電子カルテ DBサーバ",
        IpAddress = "10.1.10.11", HostName = "EMR-DB01", RegisteredOn = new DateOnly(2021, 3, 15),
    };

    private static List<string> Codes(List<LedgerProblem> problems) => [.. problems.Select(p => $"{p.Field}:{p.Code}")];

    [Fact]
    public void A_complete_component_passes()
        => Assert.Empty(LedgerRules.ValidateComponent(Valid(), Today));

    [Fact]
    public void Management_number_system_kind_and_name_are_required()
    {
        var problems = LedgerRules.ValidateComponent(new ComponentValues { ManagementNumber = "  " }, Today);
        Assert.Equal(["ManagementNumber:Required", "SystemId:Required", "Kind:Required", "Name:Required"], Codes(problems));
    }

    [Fact]
    public void Lengths_follow_the_columns()
    {
        var v = Valid();
        v.ManagementNumber = new string('1', LedgerRules.MaxManagementNumber + 1);
        v.Maker = new string('a', LedgerRules.MaxName + 1);
        v.OsVersion = new string('1', LedgerRules.MaxVersion + 1);
        v.Notes = new string('x', LedgerRules.MaxLongText);
        var problems = LedgerRules.ValidateComponent(v, Today);
        Assert.Equal(["ManagementNumber:TooLong", "Maker:TooLong", "OsVersion:TooLong"], Codes(problems));
        Assert.Equal(LedgerRules.MaxManagementNumber, problems[0].Args[0]);
    }

    [Theory]
    [InlineData("10.1.10.11", "10.1.10.11")]
    [InlineData("10.1.10.1, 203.0.113.10", "10.1.10.1, 203.0.113.10")]
    [InlineData("10.1.10.1,fe80::1", "10.1.10.1, fe80::1")]
    [InlineData("10.1.10.1、2001:db8::10", "10.1.10.1, 2001:db8::10")]
    [InlineData("１０.１.１０.１", "10.1.10.1")]
    [InlineData("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    public void Ip_addresses_may_be_several_and_are_normalised(string input, string expected)
        => Assert.Equal(expected, LedgerRules.NormalizeIpList(input));

    [Theory]
    [InlineData("10.1.10")]
    [InlineData("256.1.1.1")]
    [InlineData("1")]
    [InlineData("10.1.10.1, example.com")]
    [InlineData("010.1.10.1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("10.1.10.1/24")]
    public void Anything_but_an_address_is_refused(string input)
    {
        Assert.Null(LedgerRules.NormalizeIpList(input));
        var v = Valid();
        v.IpAddress = input;
        Assert.Equal(["IpAddress:IpInvalid"], Codes(LedgerRules.ValidateComponent(v, Today)));
    }

    [Fact]
    public void Integrity_and_availability_are_only_A_or_B_confidentiality_also_C()
    {
        var v = Valid();
        v.Confidentiality = SecurityClass.C;
        Assert.Empty(LedgerRules.ValidateComponent(v, Today));
        v.Integrity = SecurityClass.C;
        v.Availability = SecurityClass.C;
        Assert.Equal(["Integrity:AOrBOnly", "Availability:AOrBOnly"], Codes(LedgerRules.ValidateComponent(v, Today)));
        var s = new SystemValues { Name = "PACS", Category = "部門システム", Integrity = SecurityClass.C };
        Assert.Equal(["Integrity:AOrBOnly"], Codes(LedgerRules.ValidateSystem(s, Today)));
    }

    [Fact]
    public void Retired_and_registered_dates_are_not_in_the_future_and_in_order()
    {
        var v = Valid();
        v.RetiredOn = Today;
        Assert.Empty(LedgerRules.ValidateComponent(v, Today));
        v.RetiredOn = Today.AddDays(1);
        Assert.Equal(["RetiredOn:DateInFuture"], Codes(LedgerRules.ValidateComponent(v, Today)));
        v.RetiredOn = new DateOnly(2020, 1, 1);
        Assert.Equal(["RetiredOn:RetiredBeforeRegistered"], Codes(LedgerRules.ValidateComponent(v, Today)));
        v.RetiredOn = null;
        v.RegisteredOn = Today.AddDays(1);
        Assert.Equal(["RegisteredOn:DateInFuture"], Codes(LedgerRules.ValidateComponent(v, Today)));
        Assert.Equal(["RetiredOn:DateInFuture"], Codes(LedgerRules.ValidateSystem(new SystemValues { Name = "a", Category = "b", RetiredOn = Today.AddDays(1) }, Today)));
    }

    [Theory]
    [InlineData("EMR-DB01", true)]
    [InlineData("emr_db01.chuo.local", true)]
    [InlineData("サーバ1", false)]
    [InlineData("a b", false)]
    [InlineData("-lead", false)]
    public void Host_names_are_checked(string host, bool ok)
    {
        var v = Valid();
        v.HostName = host;
        Assert.Equal(ok, LedgerRules.ValidateComponent(v, Today).Count == 0);
    }

    [Fact]
    public void A_system_needs_name_and_category()
        => Assert.Equal(["Name:Required", "Category:Required"], Codes(LedgerRules.ValidateSystem(new SystemValues(), Today)));

    [Fact]
    public void An_eos_date_needs_kind_subject_date_and_source()
    {
        Assert.Equal(["Kind:Required", "Subject:Required", "EndsOn:Required", "Source:Required"],
            Codes(LedgerRules.ValidateSupportDate(null, "", null, " ")));
        Assert.Empty(LedgerRules.ValidateSupportDate(SupportKind.Os, "Windows Server 2016", new DateOnly(2027, 1, 12), "Microsoft"));
    }

    [Theory]
    [InlineData("サーバ", ComponentKind.Server)]
    [InlineData("サーバー", ComponentKind.Server)]
    [InlineData("server", ComponentKind.Server)]
    [InlineData("VPN装置", ComponentKind.VpnDevice)]
    [InlineData("ＶＰＮ装置", ComponentKind.VpnDevice)]
    [InlineData("vpn_device", ComponentKind.VpnDevice)]
    [InlineData("端末PC", ComponentKind.ClientPc)]
    [InlineData("クラウドサービス", ComponentKind.CloudService)]
    public void Kinds_are_read_from_labels_and_names(string text, ComponentKind kind)
    {
        Assert.True(LedgerRules.TryParseKind(text, out var k));
        Assert.Equal(kind, k);
    }

    [Fact]
    public void Labels_names_and_yes_no_parse_and_unknown_values_do_not()
    {
        Assert.True(LedgerRules.TryParseSegment("診療系", out var s) && s == NetworkSegment.Clinical);
        Assert.True(LedgerRules.TryParseSegment("external", out s) && s == NetworkSegment.External);
        Assert.False(LedgerRules.TryParseSegment("院外", out _));
        Assert.True(LedgerRules.TryParseClass("ｂ", out var c) && c == SecurityClass.B);
        Assert.False(LedgerRules.TryParseClass("D", out _));
        Assert.True(LedgerRules.TryParseBool("あり", out var b) && b);
        Assert.True(LedgerRules.TryParseBool("いいえ", out b) && !b);
        Assert.False(LedgerRules.TryParseBool("たぶん", out _));
        Assert.False(LedgerRules.TryParseKind("ルータ", out _));
        Assert.True(LedgerRules.TryParseSupportKind("ファームウェア", out var sk) && sk == SupportKind.Firmware);
    }

    [Fact]
    public void The_diff_lists_changed_fields_in_display_order()
    {
        var before = Valid();
        var after = before.Copy();
        after.Firmware = "Rev.15.02.31";
        after.IpAddress = "10.1.10.11";
        after.UsesRemoteMaintenance = true;
        after.Name = "電子カルテ DBサーバ ";
        var diff = LedgerRules.Diff(before, after);
        Assert.Equal([("Firmware", null, "Rev.15.02.31"), ("UsesRemoteMaintenance", "false", "true")], diff);
        Assert.Contains(LedgerRules.Diff(null, before), d => d.Field == "Name" && d.After == "電子カルテ DBサーバ");
        Assert.DoesNotContain(LedgerRules.Diff(null, before), d => d.Field == "Maker");
    }

    [Fact]
    public void Applying_values_trims_text_and_normalises_addresses()
    {
        var v = Valid();
        v.Maker = "  Dell ";
        v.Model = " ";
        v.IpAddress = "10.1.10.1 ,203.0.113.10";
        var c = new SystemComponent { ManagementNumber = "", Name = "" };
        v.ApplyTo(c);
        Assert.Equal(("Dell", null, "10.1.10.1, 203.0.113.10"), (c.Maker, c.Model, c.IpAddress));
        Assert.Equal(LedgerRules.ComponentFields.Length, LedgerRules.ComponentFields.Distinct().Count());
    }
}
