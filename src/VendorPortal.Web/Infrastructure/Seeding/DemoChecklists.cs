using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Disclosures;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Infrastructure.Seeding;

/// <summary>
/// Checklists of the current 年度 for 中央総合病院, so the readiness page and the inspection bundle have something to
/// show: the hospital's own 医療機関確認用 (recorded, two いいえ with target dates), メディカルカルテ株式会社's 事業者確認用
/// (submitted and accepted, one いいえ with a target date) and ネットワーク保守サービス株式会社's (submitted, awaiting review).
/// Every answer set is checked with the form's own rules before it is stored.
/// </summary>
public static class DemoChecklists
{
    private const string HospitalTemplate = "hospital-checklist-r7";
    private const string VendorTemplate = "vendor-checklist-sample-r7";

    public static async Task SeedAsync(AppDbContext db, AuditLog audit, DateTimeOffset now, DateOnly today, CancellationToken ct)
    {
        var year = FiscalYear.Of(today);
        // The first round is dated two months into the year (or today, early in the year).
        var checkedOn = year.FirstDay.AddDays(60) < today ? year.FirstDay.AddDays(60) : today;
        var target = year.LastDay.AddDays(-31);
        var hospital = DemoDataSeeder.IdFor("chuo-hospital");
        var security = DemoDataSeeder.IdFor("user:security@chuo-hospital.example");

        await AddAsync(db, audit, HospitalTemplate, FormKind.HospitalChecklist, "chuo-hospital", hospital, year, checkedOn, target,
            ["2-⑨", "3-③"], SubmissionState.Recorded, (security, "security@chuo-hospital.example"), null, now, ct);
        await AddAsync(db, audit, VendorTemplate, FormKind.VendorChecklist, "emr-vendor", hospital, year, checkedOn, target,
            ["2-④"], SubmissionState.Accepted, (DemoDataSeeder.IdFor("user:admin@emr-vendor.example"), "admin@emr-vendor.example"),
            (security, "安全 三郎"), now, ct);
        await AddAsync(db, audit, VendorTemplate, FormKind.VendorChecklist, "net-vendor", hospital, year, checkedOn, target,
            [], SubmissionState.Submitted, (DemoDataSeeder.IdFor("user:admin@net-vendor.example"), "admin@net-vendor.example"), null, now, ct);
        await db.SaveChangesAsync(ct);
    }

    private static async Task AddAsync(AppDbContext db, AuditLog audit, string templateKey, FormKind kind, string respondentKey, Guid hospitalId,
        FiscalYear year, DateOnly checkedOn, DateOnly target, string[] noNumbers, SubmissionState state,
        (Guid Id, string Name) submitter, (Guid Id, string Name)? reviewer, DateTimeOffset now, CancellationToken ct)
    {
        var version = await db.FormTemplateVersions.AsNoTracking().SingleOrDefaultAsync(t => t.Key == templateKey, ct)
            ?? throw new InvalidOperationException($"Demo checklist: form template {templateKey} is not published (run migrate first).");
        var template = version.Parse();
        var no = template.Items.Where(i => noNumbers.Contains(i.Number) && i.Has(RuleKind.TargetDateWhenNo)).Select(i => i.Id).ToHashSet();
        var given = DemoDataSeeder.DemoAnswers(template, []).Rounds[0].Answers
            .ToDictionary(a => a.Key, a => no.Contains(a.Key)
                ? new ItemAnswer("No", target, "対応を計画中（デモデータ）")
                : a.Value.Value == "2026-04-01" ? a.Value with { Value = checkedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) } : a.Value);
        var answers = new FormAnswers([new CheckRound(1, checkedOn, given)]);
        var problems = FormRules.Validate(template, answers, new FormContext(year, true, checkedOn));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Demo checklist {templateKey}/{respondentKey}: {string.Join(", ", problems.Select(p => $"{p.ItemId} {p.Code}"))}");
        }
        var respondent = DemoDataSeeder.IdFor(respondentKey);
        var canonical = AnswerJson.Serialize(answers);
        var key = $"checklist:{respondentKey}:{year.StartYear}";
        var submittedAt = new DateTimeOffset(checkedOn.ToDateTime(new TimeOnly(10, 0)), JapanTime.Offset).ToUniversalTime();
        if (submittedAt > now)
        {
            submittedAt = now;
        }
        var submission = new FormSubmission
        {
            Id = DemoDataSeeder.IdFor(key), TemplateKey = template.Key, Kind = kind, RespondentOrganizationId = respondent, HospitalId = hospitalId,
            FiscalYear = year.StartYear, State = state, DraftAnswers = canonical, LatestVersion = 1, CreatedAt = submittedAt, UpdatedAt = now,
            UpdatedByUserId = submitter.Id,
        };
        db.FormSubmissions.Add(submission);
        var hash = SubmissionSnapshot.ContentHash(canonical, []);
        db.FormSubmissionVersions.Add(new FormSubmissionVersion
        {
            Id = DemoDataSeeder.IdFor(key + ":v1"), SubmissionId = submission.Id, Number = 1, Answers = canonical, Attachments = SubmissionSnapshot.SerializeManifest([]),
            ContentHash = hash, TemplateHash = version.ContentHash, SubmittedAt = submittedAt, SubmittedByUserId = submitter.Id, SubmittedByName = submitter.Name,
        });
        if (kind == FormKind.VendorChecklist)
        {
            db.FormReviewEvents.Add(new FormReviewEvent
            {
                Id = DemoDataSeeder.IdFor(key + ":submitted"), SubmissionId = submission.Id, VersionNumber = 1, Action = ReviewAction.Submitted,
                ActorUserId = submitter.Id, ActorName = submitter.Name, ActorOrganizationId = respondent, At = submittedAt,
            });
        }
        if (reviewer is { } r)
        {
            db.FormReviewEvents.Add(new FormReviewEvent
            {
                Id = DemoDataSeeder.IdFor(key + ":accepted"), SubmissionId = submission.Id, VersionNumber = 1, Action = ReviewAction.Accepted,
                ActorUserId = r.Id, ActorName = r.Name, ActorOrganizationId = hospitalId, At = submittedAt.AddDays(7) < now ? submittedAt.AddDays(7) : now,
            });
        }
        audit.Record(AuditActions.FormSubmitted, "form_submissions", submission.Id.ToString(), new { version = 1, contentHash = hash, demo = true }, respondent);
    }
}
