using VendorPortal.Features.Gaps;
using VendorPortal.Features.Subcontracting;

namespace VendorPortal.Features.Inspection.Readiness;

/// <summary>The seven things a 立入検査 asks for, in the order the page shows them.</summary>
public enum ReadinessItemKind
{
    /// <summary>医療機関確認用 checklist for the year, 1回目 dated.</summary>
    HospitalChecklist,
    /// <summary>事業者確認用 checklists from every engaged vendor, 1回目 dated.</summary>
    VendorChecklists,
    /// <summary>Every いいえ (both checklists) has a 目標日.</summary>
    TargetDates,
    /// <summary>連絡体制図 complete and confirmed.</summary>
    ContactChart,
    /// <summary>BCP on file, dated, not older than the review period.</summary>
    Bcp,
    /// <summary>MDS/SDS from every engaged vendor.</summary>
    Disclosures,
    /// <summary>No unapproved 再委託.</summary>
    Subcontracting,
}

/// <summary>A 再委託 request waiting for the hospital's decision (not a gap until it waits two weeks, but not approved either).</summary>
public sealed record ReadinessPendingSubcontract(Guid RequestId, Guid VendorId, string VendorName, string? SubcontractorName, SubcontractState State);

/// <summary>
/// One concrete missing thing. <see cref="Gap"/> when it comes from a compliance gap (the page words it with the gap's
/// message); otherwise <see cref="Kind"/> names the resource ReadinessFinding_{Kind} formatted with <see cref="Subject"/>
/// and <see cref="Detail"/>.
/// </summary>
public sealed record ReadinessFinding(string Kind, string? Subject, string? Detail, string Link, ComplianceGap? Gap = null);

/// <summary>One item of the page: ready or not, what is missing, and where it is fixed.</summary>
public sealed record ReadinessItem(ReadinessItemKind Kind, IReadOnlyList<ReadinessFinding> Findings, string FixLink)
{
    public bool Ready => Findings.Count == 0;
}

public sealed record ReadinessReport(IReadOnlyList<ReadinessItem> Items)
{
    public int ReadyCount => Items.Count(i => i.Ready);
    public bool AllReady => ReadyCount == Items.Count;
}

/// <summary>
/// Pure mapping from the compliance gaps of a hospital and 年度 (<see cref="GapQuery.ForHospitalAsync"/>) to the
/// inspection readiness items. Which gap kind makes which item 要対応 is <see cref="ItemOf"/>; the one thing gaps do not
/// cover — a 再委託 request still waiting for the hospital's decision — comes in as <paramref name="pending"/>.
/// Findings are sorted (by subject, then link) so the page reads the same on every request.
/// </summary>
public static class ReadinessRules
{
    /// <summary>The gap kinds each item is made of; a kind not listed here does not affect readiness.</summary>
    public static ReadinessItemKind? ItemOf(string gapKind) => gapKind switch
    {
        "MissingHospitalChecklist" => ReadinessItemKind.HospitalChecklist,
        "MissingVendorChecklist" => ReadinessItemKind.VendorChecklists,
        "NoWithoutTargetDate" => ReadinessItemKind.TargetDates,
        "VendorContactMissing" or "VendorContact24hMissing" or "VendorContactStale" or "ContactChartIncomplete" => ReadinessItemKind.ContactChart,
        "BcpMissing" or "BcpOutdated" => ReadinessItemKind.Bcp,
        "MissingDisclosure" or "DisclosureAwaitingReview" or "DisclosureReturned" => ReadinessItemKind.Disclosures,
        "SubcontractStepOverdue" or "SubcontractApprovalEnded" or "SubcontractCertificateExpired" => ReadinessItemKind.Subcontracting,
        _ => null,
    };

    public static string ChecklistsLink(Guid hospitalId) => $"/Hospitals/{hospitalId}/Checklists";
    public static string ContactsLink(Guid hospitalId) => Contacts.ContactLinks.Hospital(hospitalId);
    public static string DisclosuresLink(Guid hospitalId) => $"/Hospitals/{hospitalId}/Disclosures";
    public static string RegisterLink(Guid hospitalId) => $"/Hospitals/{hospitalId}/Subcontractors";

    public static string FixLinkOf(ReadinessItemKind kind, Guid hospitalId) => kind switch
    {
        ReadinessItemKind.HospitalChecklist or ReadinessItemKind.VendorChecklists or ReadinessItemKind.TargetDates => ChecklistsLink(hospitalId),
        ReadinessItemKind.ContactChart => ContactsLink(hospitalId),
        ReadinessItemKind.Bcp => Bcp.BcpLinks.Page(hospitalId),
        ReadinessItemKind.Disclosures => DisclosuresLink(hospitalId),
        _ => RegisterLink(hospitalId),
    };

    public static ReadinessReport Build(Guid hospitalId, IEnumerable<ComplianceGap> gaps, IEnumerable<ReadinessPendingSubcontract> pending)
    {
        var findings = Enum.GetValues<ReadinessItemKind>().ToDictionary(k => k, _ => new List<ReadinessFinding>());
        var noTarget = new List<ComplianceGap>();
        foreach (var g in gaps)
        {
            if (g.Kind == "ChecklistFirstRoundUndated")
            {
                // 1回目 without a date: the hospital's own form or a vendor's.
                var item = g.VendorId is null ? ReadinessItemKind.HospitalChecklist : ReadinessItemKind.VendorChecklists;
                findings[item].Add(new ReadinessFinding(g.Kind, g.VendorName, g.SystemName, GapView.LinkOf(g) ?? ChecklistsLink(hospitalId), g));
                continue;
            }
            if (ItemOf(g.Kind) is not { } kind)
            {
                continue;
            }
            if (kind == ReadinessItemKind.TargetDates)
            {
                noTarget.Add(g);
                continue;
            }
            findings[kind].Add(new ReadinessFinding(g.Kind, g.VendorName, g.SystemName, GapView.LinkOf(g) ?? FixLinkOf(kind, hospitalId), g));
        }
        // いいえ without 目標日: one finding per form, listing its item numbers.
        foreach (var form in noTarget.GroupBy(g => g.SubmissionId))
        {
            var first = form.First();
            var numbers = form.Select(g => g.ItemNumber ?? "").Distinct().OrderBy(n => n, ItemNumberComparer.Instance);
            findings[ReadinessItemKind.TargetDates].Add(new ReadinessFinding(
                first.VendorId is null ? "NoTargetDatesHospital" : "NoTargetDatesVendor", first.VendorName, string.Join("、", numbers),
                GapView.LinkOf(first) ?? ChecklistsLink(hospitalId)));
        }
        // A request still waiting for a hospital step that is not already a gap (overdue).
        var reported = findings[ReadinessItemKind.Subcontracting].Select(f => f.Link).ToHashSet(StringComparer.Ordinal);
        foreach (var p in pending)
        {
            var link = $"/Subcontracts/{p.RequestId}";
            if (reported.Add(link))
            {
                findings[ReadinessItemKind.Subcontracting].Add(new ReadinessFinding("SubcontractPending", p.VendorName, p.SubcontractorName, link));
            }
        }
        return new ReadinessReport([.. Enum.GetValues<ReadinessItemKind>().Select(k => new ReadinessItem(k,
            [.. findings[k].OrderBy(f => f.Subject ?? "", StringComparer.Ordinal).ThenBy(f => f.Kind, StringComparer.Ordinal).ThenBy(f => f.Link, StringComparer.Ordinal)],
            FixLinkOf(k, hospitalId)))]);
    }

    /// <summary>Item numbers like 1-2, 1-10, 2-③ in reading order: number parts numerically, the rest as text.</summary>
    private sealed class ItemNumberComparer : IComparer<string>
    {
        public static readonly ItemNumberComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = (x ?? "").Split('-', '.', '－');
            var b = (y ?? "").Split('-', '.', '－');
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var c = int.TryParse(a[i], out var m) && int.TryParse(b[i], out var n) ? m.CompareTo(n) : string.CompareOrdinal(a[i], b[i]);
                if (c != 0)
                {
                    return c;
                }
            }
            return a.Length.CompareTo(b.Length);
        }
    }
}
