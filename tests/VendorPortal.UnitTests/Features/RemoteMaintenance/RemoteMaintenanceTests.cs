using VendorPortal.Features.Forms;
using VendorPortal.Features.Gaps;
using VendorPortal.Features.RemoteMaintenance;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.RemoteMaintenance;

/// <summary>The remote-maintenance template, its rules, and the risk flags computed from submitted answers.</summary>
public sealed class RemoteMaintenanceTests
{
    private static readonly FiscalYear Fy2026 = FiscalYear.Of(new DateOnly(2027, 3, 31));
    private static readonly FiscalYear Fy2027 = FiscalYear.Of(new DateOnly(2027, 4, 1));

    public static FormTemplate Template()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "seed-data", "forms", "remote-maintenance-proposal-v1.json");
            if (File.Exists(file))
            {
                return FormTemplate.Parse(File.ReadAllText(file), Path.GetFileName(file));
            }
        }
        throw new InvalidOperationException("seed-data/forms not found");
    }

    /// <summary>A complete answer set without any risk: remote maintenance used the way the guideline asks.</summary>
    public static Dictionary<string, ItemAnswer> Good()
    {
        var answers = new Dictionary<string, ItemAnswer>();
        foreach (var item in Template().Items)
        {
            answers[item.Id] = new ItemAnswer(item.AnswerType switch
            {
                AnswerType.YesNo or AnswerType.YesNoNa => "Yes",
                AnswerType.Choice => item.Choices![0],
                _ => "記入例",
            });
        }
        answers["rm-connection"] = new ItemAnswer("医療機関が都度開放");
        answers["rm-vpn-firmware"] = new ItemAnswer("R3.4.1");
        answers.Remove("rm-method-other");
        return answers;
    }

    private static FormAnswers Answers(Dictionary<string, ItemAnswer> a) => new([new CheckRound(1, null, a)]);

    private static IReadOnlyList<RemoteMaintenanceFlag> Flags(Action<Dictionary<string, ItemAnswer>> change, FiscalYear? year = null)
    {
        var a = Good();
        change(a);
        return RemoteMaintenanceFlags.Compute(Answers(a), year ?? Fy2026);
    }

    private static FormContext Context => new(null, true, new DateOnly(2026, 11, 20));

    [Fact]
    public void The_template_loads_as_a_sample_remote_maintenance_form_without_rounds()
    {
        var t = Template();
        Assert.Equal(FormKind.RemoteMaintenance, t.Kind);
        Assert.Equal(TemplateStatus.Sample, t.Status);
        Assert.Contains("公式様式ではありません", t.Notice);
        Assert.Equal(0, t.Rounds);
        Assert.False(t.IsChecklist);
        Assert.True(t.IsHospitalDisclosure);
        foreach (var id in new[] { RemoteMaintenanceFlags.Uses, RemoteMaintenanceFlags.Method, RemoteMaintenanceFlags.Connection, RemoteMaintenanceFlags.Firmware,
                     RemoteMaintenanceFlags.Source, RemoteMaintenanceFlags.TwoFactor, RemoteMaintenanceFlags.Accounts, RemoteMaintenanceFlags.LogDelivered })
        {
            Assert.Contains(t.Items, i => i.Id == id);
        }
        var method = t.Items.Single(i => i.Id == RemoteMaintenanceFlags.Method);
        Assert.Equal(["専用線", "IP-VPN", "IPsec-VPN（IKE）", "TLS1.2以上＋クライアント証明書", "その他"], method.Choices);
        Assert.Contains(RemoteMaintenanceFlags.SharedAccountsChoice, t.Items.Single(i => i.Id == RemoteMaintenanceFlags.Accounts).Choices!);
        Assert.Contains(RemoteMaintenanceFlags.AlwaysOnChoice, t.Items.Single(i => i.Id == RemoteMaintenanceFlags.Connection).Choices!);
        Assert.All(t.Items, i => Assert.NotEmpty(i.References!));
    }

    [Fact]
    public void A_complete_good_answer_set_passes_and_raises_no_flag()
    {
        Assert.Empty(FormRules.Validate(Template(), Answers(Good()), Context));
        Assert.Empty(RemoteMaintenanceFlags.Compute(Answers(Good()), Fy2027));
    }

    [Fact]
    public void No_remote_maintenance_makes_every_following_item_unnecessary_and_flags_nothing()
    {
        var a = new Dictionary<string, ItemAnswer> { ["rm-uses"] = new("No") };
        Assert.Empty(FormRules.Validate(Template(), Answers(a), Context));
        Assert.Empty(RemoteMaintenanceFlags.Compute(Answers(a), Fy2027));
    }

    [Fact]
    public void The_description_is_required_only_for_another_method()
    {
        var other = Good();
        other["rm-method"] = new ItemAnswer("その他");
        var problem = Assert.Single(FormRules.Validate(Template(), Answers(other), Context));
        Assert.Equal(("rm-method-other", "AnswerMissing"), (problem.ItemId, problem.Code));
        other["rm-method-other"] = new ItemAnswer("クラウド型リモート接続ツール");
        Assert.Empty(FormRules.Validate(Template(), Answers(other), Context));
    }

    [Fact]
    public void How_two_factor_works_is_asked_only_when_it_is_used()
    {
        var a = Good();
        a["rm-2fa"] = new ItemAnswer("No");
        a.Remove("rm-2fa-how");
        Assert.Empty(FormRules.Validate(Template(), Answers(a), Context));
        a["rm-2fa"] = new ItemAnswer("Yes");
        Assert.Equal("rm-2fa-how", Assert.Single(FormRules.Validate(Template(), Answers(a), Context)).ItemId);
    }

    [Theory]
    [InlineData("rm-2fa", "No", RemoteMaintenanceFlagKind.NoTwoFactor)]
    [InlineData("rm-source", "No", RemoteMaintenanceFlagKind.NoSourceRestriction)]
    [InlineData("rm-accounts", "共用アカウント", RemoteMaintenanceFlagKind.SharedAccounts)]
    [InlineData("rm-log-delivered", "いいえ", RemoteMaintenanceFlagKind.NoLogDelivery)]
    [InlineData("rm-connection", "常時接続", RemoteMaintenanceFlagKind.AlwaysOn)]
    [InlineData("rm-method", "その他", RemoteMaintenanceFlagKind.NonStandardMethod)]
    [InlineData("rm-vpn-firmware", "不明", RemoteMaintenanceFlagKind.FirmwareUnknown)]
    [InlineData("rm-vpn-firmware", " unknown ", RemoteMaintenanceFlagKind.FirmwareUnknown)]
    [InlineData("rm-vpn-firmware", "", RemoteMaintenanceFlagKind.FirmwareUnknown)]
    public void Each_risky_answer_raises_its_flag_on_its_item(string item, string value, RemoteMaintenanceFlagKind kind)
    {
        var flag = Assert.Single(Flags(a => a[item] = new ItemAnswer(value)));
        Assert.Equal((kind, item), (flag.Kind, flag.ItemId));
    }

    [Fact]
    public void A_missing_firmware_answer_counts_as_unknown()
        => Assert.Equal(RemoteMaintenanceFlagKind.FirmwareUnknown, Assert.Single(Flags(a => a.Remove("rm-vpn-firmware"))).Kind);

    [Fact]
    public void The_four_named_methods_and_on_request_connections_are_not_flagged()
    {
        foreach (var method in new[] { "専用線", "IP-VPN", "IPsec-VPN（IKE）", "TLS1.2以上＋クライアント証明書" })
        {
            Assert.Empty(Flags(a => a["rm-method"] = new ItemAnswer(method)));
        }
        Assert.Empty(Flags(a => a["rm-accounts"] = new ItemAnswer("保守要員ごとの専用アカウント")));
    }

    [Fact]
    public void Missing_two_factor_is_medium_until_the_end_of_fiscal_2026_and_high_from_2027_04_01()
    {
        Assert.Equal(2026, Fy2026.StartYear);
        Assert.Equal(2027, Fy2027.StartYear);
        Assert.Equal(GapSeverity.Medium, Assert.Single(Flags(a => a["rm-2fa"] = new ItemAnswer("No"), Fy2026)).Severity);
        Assert.Equal(GapSeverity.High, Assert.Single(Flags(a => a["rm-2fa"] = new ItemAnswer("No"), Fy2027)).Severity);
    }

    [Fact]
    public void The_gap_rule_reports_each_flag_for_the_vendor_and_system_since_the_submission()
    {
        var a = Good();
        a["rm-2fa"] = new ItemAnswer("No");
        a["rm-connection"] = new ItemAnswer("常時接続");
        var vendor = Guid.NewGuid();
        var system = Guid.NewGuid();
        var submitted = new DateOnly(2026, 10, 1);
        var d = new GapRemoteMaintenance(Guid.NewGuid(), vendor, "A社", system, "電子カルテ", SubmissionState.Returned, submitted, Template(), Answers(a));
        var gaps = new RemoteMaintenanceRiskRule().Evaluate(new GapSnapshot(Guid.NewGuid(), Fy2027, new DateOnly(2027, 5, 1), [], [], null, [d])).ToList();
        Assert.Equal(["RmAlwaysOn", "RmNoTwoFactor"], gaps.Select(g => g.Kind).Order(StringComparer.Ordinal));
        Assert.All(gaps, g => Assert.Equal((GapActor.Vendor, vendor, system, d.SubmissionId, submitted), (g.MustAct, g.VendorId!.Value, g.SystemId!.Value, g.SubmissionId!.Value, g.Since)));
        Assert.Equal(("3.3", GapSeverity.High), gaps.Where(g => g.Kind == "RmNoTwoFactor").Select(g => (g.ItemNumber, g.Severity)).Single());
        Assert.Contains(GapRules.All, r => r is RemoteMaintenanceRiskRule);
    }
}
