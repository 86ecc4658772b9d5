using VendorPortal.Features.Forms;
using VendorPortal.Features.Gaps;

namespace VendorPortal.Features.Inspection.Readiness;

/// <summary>
/// A submitted checklist (医療機関確認用 or 事業者確認用) without a dated 1回目: the 立入検査 checks that the first round is
/// dated and answered. Submission refuses it, so this finds imported or older data only.
/// </summary>
public sealed class ChecklistFirstRoundUndatedRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        foreach (var f in s.Forms)
        {
            if (f.Latest is null || f.Kind is not (FormKind.HospitalChecklist or FormKind.VendorChecklist)
                || f.Latest.Rounds.Any(r => r.Number == 1 && r.CheckedOn is not null))
            {
                continue;
            }
            var hospital = f.Kind == FormKind.HospitalChecklist;
            yield return new ComplianceGap("ChecklistFirstRoundUndated", GapSeverity.High, hospital ? GapActor.Hospital : GapActor.Vendor,
                hospital ? null : f.RespondentId, hospital ? null : f.RespondentName, f.SystemId, f.SystemName, f.Id, null, f.LastChange);
        }
    }
}
