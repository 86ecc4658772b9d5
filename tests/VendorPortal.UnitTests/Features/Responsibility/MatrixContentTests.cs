using VendorPortal.Features.Responsibility;

namespace VendorPortal.UnitTests.Features.Responsibility;

public sealed class MatrixContentTests
{
    private static readonly Guid VendorId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid RequestId = Guid.Parse("22222222-2222-2222-2222-222222222222");

    public static MatrixContent Sample() => new("vp-responsibility-proposal-v1",
        [
            new MatrixParty("hospital", PartyKind.HospitalDepartment, "中央総合病院"),
            new MatrixParty("v-1", PartyKind.Vendor, "電子カルテ株式会社", VendorId),
            new MatrixParty("s-1", PartyKind.Subcontractor, "保守サービス株式会社", null, RequestId),
        ],
        [
            new MatrixRow("backups", MatrixPhase.Normal, "バックアップ", "バックアップの取得", RowOrigin.Template,
                new Dictionary<string, MatrixRole> { ["hospital"] = MatrixRole.Approves, ["v-1"] = MatrixRole.Responsible }, "Backups", "システム運用編 3.3.1"),
            new MatrixRow("first-response", MatrixPhase.Emergency, "初動対応", "ネットワーク遮断", RowOrigin.Template,
                new Dictionary<string, MatrixRole> { ["v-1"] = MatrixRole.Responsible, ["s-1"] = MatrixRole.Supports }),
        ]);

    private static MatrixTemplate Template()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, MatrixTemplate.RelativePath);
            if (File.Exists(path))
            {
                return MatrixTemplate.Parse(File.ReadAllText(path));
            }
        }
        throw new FileNotFoundException(MatrixTemplate.RelativePath);
    }

    [Fact]
    public void Serialization_is_canonical_and_round_trips_with_the_same_hash()
    {
        var json = MatrixJson.Serialize(Sample());
        var (parsed, problems) = MatrixJson.Parse(json);
        Assert.Empty(problems);
        Assert.Equal(json, MatrixJson.Serialize(parsed!));
        Assert.Equal(64, MatrixJson.Hash(json).Length);
        Assert.Equal(MatrixJson.Hash(json), MatrixJson.Hash(MatrixJson.Serialize(parsed!)));
        Assert.Contains("\"phase\":\"Emergency\"", json);
        Assert.Contains("バックアップの取得", json); // Japanese kept as is, not \u-escaped

        // Cells follow the party order whatever order they came in.
        var dto = MatrixJson.ToDto(Sample());
        dto.Rows![0].Cells = new Dictionary<string, string?> { ["v-1"] = "Responsible", ["hospital"] = "Approves" };
        Assert.Equal(json, MatrixJson.Serialize(MatrixJson.FromDto(dto).Content!));
    }

    [Fact]
    public void Validation_names_every_structural_problem()
    {
        var dto = MatrixJson.ToDto(Sample());
        dto.Parties!.Add(new MatrixJson.PartyDto { Key = "v-2", Kind = "Vendor", Name = "名前", OrganizationId = null });
        dto.Parties.Add(new MatrixJson.PartyDto { Key = "Bad Key", Kind = "Vendor", Name = "x" });
        dto.Parties.Add(new MatrixJson.PartyDto { Key = "c-1", Kind = "CloudProvider", Name = "", SubcontractRequestId = Guid.NewGuid() });
        dto.Parties.Add(new MatrixJson.PartyDto { Key = "x-1", Kind = "Martian", Name = "x" });
        dto.Rows!.Add(new MatrixJson.RowDto { Key = "backups", Phase = "Normal", Text = "重複" });
        dto.Rows.Add(new MatrixJson.RowDto { Key = "custom-1", Phase = "Someday", Text = "x" });
        dto.Rows.Add(new MatrixJson.RowDto { Key = "custom-2", Phase = "Normal", Text = " ", Cells = new() { ["nobody"] = "Responsible", ["v-1"] = "Boss" } });
        var (content, problems) = MatrixJson.FromDto(dto);
        Assert.Null(content);
        var codes = problems.Select(p => (p.Code, p.Subject)).ToHashSet();
        Assert.Contains(("PartyOrganization", "v-2"), codes);
        Assert.Contains(("PartyKey", "Bad Key"), codes);
        Assert.Contains(("PartyName", "c-1"), codes);
        Assert.Contains(("PartyRequest", "c-1"), codes);
        Assert.Contains(("PartyKind", "x-1"), codes);
        Assert.Contains(("DuplicateRowKey", "backups"), codes);
        Assert.Contains(("RowPhase", "custom-1"), codes);
        Assert.Contains(("RowText", "custom-2"), codes);
        Assert.Contains(("CellParty", "custom-2/nobody"), codes);
        Assert.Contains(("CellRole", "custom-2"), codes);
    }

    [Fact]
    public void A_matrix_needs_a_hospital_party_rows_and_distinct_vendors()
    {
        var noHospital = Sample() with { Parties = [.. Sample().Parties.Skip(1)] };
        Assert.Contains(MatrixJson.Validate(noHospital), p => p.Code == "NoHospitalParty");
        Assert.Contains(MatrixJson.Validate(Sample() with { Rows = [] }), p => p.Code == "NoRows");
        Assert.Contains(MatrixJson.Validate(Sample() with { Parties = [] }), p => p.Code == "NoParties");
        var twice = Sample() with { Parties = [.. Sample().Parties, new MatrixParty("v-2", PartyKind.Vendor, "同じ会社", VendorId)] };
        Assert.Contains(MatrixJson.Validate(twice), p => p.Code == "DuplicateVendor");
        Assert.Empty(MatrixJson.Validate(Sample()));
        Assert.Equal([new MatrixProblem("InvalidJson")], MatrixJson.Parse("{not json").Problems);
    }

    [Fact]
    public void Diff_lists_parties_rows_and_cells_that_changed()
    {
        var before = Sample();
        var rows = before.Rows.ToList();
        rows[0] = rows[0] with { Cells = new Dictionary<string, MatrixRole> { ["hospital"] = MatrixRole.Responsible, ["v-1"] = MatrixRole.Supports } };
        rows[1] = rows[1] with { Text = "ネットワーク遮断と隔離" };
        rows.Add(new MatrixRow("custom-1", MatrixPhase.Normal, "独自", "独自の作業", RowOrigin.Custom, new Dictionary<string, MatrixRole>()));
        var after = before with
        {
            Parties = [before.Parties[0] with { Name = "情報システム課" }, before.Parties[1], new MatrixParty("c-1", PartyKind.CloudProvider, "クラウド")],
            Rows = rows,
        };
        var changes = MatrixDiff.Compare(before, after);
        Assert.Contains(new MatrixChange(MatrixChangeKind.PartyAdded, null, "c-1", null, "クラウド"), changes);
        Assert.Contains(new MatrixChange(MatrixChangeKind.PartyRemoved, null, "s-1", "保守サービス株式会社", null), changes);
        Assert.Contains(new MatrixChange(MatrixChangeKind.PartyRenamed, null, "hospital", "中央総合病院", "情報システム課"), changes);
        Assert.Contains(new MatrixChange(MatrixChangeKind.RowAdded, "custom-1", null, null, "独自の作業"), changes);
        Assert.Contains(changes, c => c is { Kind: MatrixChangeKind.RowChanged, RowKey: "first-response" });
        Assert.Contains(new MatrixChange(MatrixChangeKind.CellChanged, "backups", "hospital", "Approves", "Responsible"), changes);
        Assert.Contains(new MatrixChange(MatrixChangeKind.CellChanged, "backups", "v-1", "Responsible", "Supports"), changes);
        Assert.Empty(MatrixDiff.Compare(before, before));
    }

    [Fact]
    public void The_template_has_the_required_rows_with_sources_and_a_responsible_party_by_default()
    {
        var template = Template();
        string[] required = ["ledger", "network-diagram", "patch-servers", "patch-clients", "patch-network", "patch-vpn", "anti-malware", "accounts",
            "passwords-2fa", "access-logs", "remote-maintenance", "backups", "physical-security", "detection", "first-response", "investigation",
            "recovery", "external-reports", "public-explanation", "recurrence", "training", "disposal", "contract-end"];
        Assert.Empty(required.Except(template.Rows.Select(r => r.Key)));
        Assert.All(template.Rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
        Assert.All(template.Rows, r => Assert.False(string.IsNullOrWhiteSpace(r.TextEn)));
        Assert.Contains(template.Rows, r => r.Phase == MatrixPhase.Emergency);
        Assert.Contains("公式様式ではありません", template.Notice);

        // A matrix of the hospital and one vendor: valid, each row with a 主担当.
        var content = template.Create([new MatrixParty("hospital", PartyKind.HospitalDepartment, "病院"), new MatrixParty("v-1", PartyKind.Vendor, "事業者", VendorId)]);
        Assert.Empty(MatrixJson.Validate(content));
        Assert.All(content.Rows, r => Assert.Contains(MatrixRole.Responsible, r.Cells.Values));
        // With every kind of party, still exactly one 主担当 per row: a new matrix raises no gap of its own.
        var everyone = template.Create([new MatrixParty("hospital", PartyKind.HospitalDepartment, "病院"), new MatrixParty("v-1", PartyKind.Vendor, "事業者", VendorId),
            new MatrixParty("s-1", PartyKind.Subcontractor, "再委託先", null, RequestId), new MatrixParty("c-1", PartyKind.CloudProvider, "クラウド")]);
        Assert.All(everyone.Rows, r => Assert.Single(r.Cells.Values, v => v == MatrixRole.Responsible));

        // A party added later gets the template's defaults on template rows only.
        var withCloud = template.AddParty(content with { Rows = [.. content.Rows, new MatrixRow("custom-1", MatrixPhase.Normal, "", "独自", RowOrigin.Custom, new Dictionary<string, MatrixRole>())] },
            new MatrixParty("c-1", PartyKind.CloudProvider, "クラウド"));
        Assert.Equal(MatrixRole.Supports, withCloud.Rows.Single(r => r.Key == "backups").RoleOf("c-1"));
        Assert.Null(withCloud.Rows.Single(r => r.Key == "custom-1").RoleOf("c-1"));
    }

    [Fact]
    public void The_hospital_and_each_vendor_party_confirm_subcontractors_and_clouds_do_not()
    {
        var hospital = Guid.NewGuid();
        Assert.Equal([hospital, VendorId], ResponsibilityRules.Confirmers(hospital, Sample()));
    }
}
