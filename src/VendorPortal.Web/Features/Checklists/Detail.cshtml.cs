using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Checklists;

/// <summary>
/// One checklist: the vendor fills and submits it, the hospital reviews it. Another tenant's checklist
/// is simply not found (query filters), whatever the id.
/// </summary>
// A workbook is at most 10 MB. The request may be larger (up to 3×) so that a file just over the limit
// still reaches the handler and gets a clear message on the page instead of a bare 400.
[RequestSizeLimit(3 * XlsxSafety.MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = 3 * XlsxSafety.MaxUploadBytes)]
public sealed class DetailModel(AppDbContext db, SubmissionWorkflow workflow, FormWorkbookService workbooks, ITenantContext tenant, IStringLocalizer<SharedResource> l,
    Disclosures.DisclosureService disclosures, TimeProvider time) : PageModel
{
    // ---- MDS/SDS disclosures (Features/Disclosures): product instead of 年度, recipients, attachments. ----
    /// <summary>Set when this form is a product's MDS/SDS disclosure; null for checklists.</summary>
    public Disclosures.DisclosureView? Disclosure { get; private set; }

    private async Task LoadDisclosureAsync(FormSubmission s, FormSubmissionVersion? shown)
    {
        Disclosure = await disclosures.ViewAsync(s, shown?.Number ?? (IsRespondent ? null : s.LatestVersion), editing: IsRespondent && !ShowingVersion);
        // Each hospital reviews on its own recipient row; the vendor sees every hospital's comments, named.
        CanReview = !IsRespondent && Disclosure.Own is { } own && Disclosures.RecipientRules.CanReview(own) && ChecklistAccess.CanReview(User);
        LastItemComments = Disclosure.ItemComments(History);
    }
    // ---- end of disclosures ----

    /// <summary>A remote-maintenance disclosure: the risk flags of its latest submitted version (null for other forms).</summary>
    public IReadOnlyList<RemoteMaintenance.RemoteMaintenanceFlag>? RiskFlags { get; private set; }

    public FormSubmission Submission { get; private set; } = null!;
    public FormTemplate Template { get; private set; } = null!;
    public FormAnswers Answers { get; private set; } = new([]);
    public string HospitalName { get; private set; } = "";
    public string VendorName { get; private set; } = "";
    public string? SystemName { get; private set; }
    public List<FormSubmissionVersion> Versions { get; private set; } = [];
    public List<FormReviewEvent> History { get; private set; } = [];
    public IReadOnlyDictionary<string, string> LastItemComments { get; private set; } = new Dictionary<string, string>();
    public List<FormProblem> Problems { get; } = [];
    public bool IsRespondent { get; private set; }
    public bool CanReview { get; private set; }
    public bool ShowingVersion { get; private set; }
    /// <summary>The version asked for in the URL, if any.</summary>
    public int? ShownVersion { get; private set; }

    /// <summary>Problems of an uploaded workbook, each with its cell; nothing was saved when there are any.</summary>
    public List<WorkbookProblem> ImportProblems { get; } = [];

    public string Message(FormProblem p) => l["Form_" + p.Code, p.Args].Value;
    public string Message(WorkbookProblem p) => l["Xlsx_" + p.Code, p.Args].Value;
    public IEnumerable<FormProblem> ProblemsFor(string itemId, int round) => Problems.Where(p => p.ItemId == itemId && (p.Round == round || p.Round == 0));

    public async Task<IActionResult> OnGetAsync(Guid submissionId, int? version)
        => await LoadAsync(submissionId, version) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSaveAsync(Guid submissionId) => await SaveAsync(submissionId, submit: false);

    public async Task<IActionResult> OnPostSubmitAsync(Guid submissionId) => await SaveAsync(submissionId, submit: true);

    private async Task<IActionResult> SaveAsync(Guid submissionId, bool submit)
    {
        if (!await LoadAsync(submissionId, null))
        {
            return NotFound();
        }
        if (!IsRespondent || !ChecklistAccess.CanAnswer(User, Submission.Kind))
        {
            return Forbid();
        }
        var (answers, readProblems) = ChecklistForm.Read(Request.Form, Template);
        if (readProblems.Count > 0)
        {
            // Nothing is saved while a date cannot be read: the user sees exactly what they typed refused.
            Problems.AddRange(readProblems);
            Answers = answers;
            return Page();
        }
        var saved = await workflow.SaveDraftAsync(Submission, answers);
        if (!saved.Succeeded)
        {
            Problems.AddRange(saved.Problems ?? [new FormProblem(null, 0, saved.ErrorCode!)]);
            Answers = answers;
            return Page();
        }
        Answers = answers;
        if (!submit)
        {
            TempData["Status"] = l["DraftSaved"].Value;
            return RedirectToPage(new { submissionId });
        }
        var result = await workflow.SubmitAsync(Submission, User.Identity!.Name!);
        if (!result.Succeeded)
        {
            Problems.AddRange(result.Problems ?? [new FormProblem(null, 0, result.ErrorCode!)]);
            return Page();
        }
        TempData["Status"] = string.Format(l["ChecklistSubmitted"], Submission.LatestVersion);
        return RedirectToPage(new { submissionId });
    }

    /// <summary>The checklist as .xlsx: the respondent's draft, or the version shown.</summary>
    public async Task<IActionResult> OnGetXlsxAsync(Guid submissionId, int? version)
    {
        if (await workflow.FindAsync(submissionId) is not { } s || await workbooks.ExportSubmissionAsync(s, version) is not { } file)
        {
            return NotFound();
        }
        return File(file.Bytes, WorkbookFile.ContentType, file.FileName);
    }

    /// <summary>A filled workbook into the draft: all cells valid, or nothing saved and every problem listed.</summary>
    public async Task<IActionResult> OnPostImportAsync(Guid submissionId, IFormFile? workbook)
    {
        if (!await LoadAsync(submissionId, null))
        {
            return NotFound();
        }
        if (!IsRespondent || !ChecklistAccess.CanAnswer(User, Submission.Kind))
        {
            return Forbid();
        }
        if (workbook is null || workbook.Length == 0)
        {
            ImportProblems.Add(new WorkbookProblem(null, "NoFile"));
            return Page();
        }
        if (workbook.Length > XlsxSafety.MaxUploadBytes)
        {
            ImportProblems.Add(new WorkbookProblem(null, "TooLarge", XlsxSafety.MaxUploadBytes / (1024 * 1024)));
            Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Page();
        }
        await using var stream = workbook.OpenReadStream();
        var result = await workbooks.ImportAsync(Submission, stream, workbook.FileName);
        if (!result.Succeeded)
        {
            ImportProblems.AddRange(result.Problems);
            if (result.ErrorCode is not null)
            {
                Problems.Add(new FormProblem(null, 0, result.ErrorCode));
            }
            return Page();
        }
        TempData["Status"] = l["Xlsx_Imported", result.ItemRows].Value;
        return RedirectToPage(new { submissionId });
    }

    public async Task<IActionResult> OnPostReviewAsync(Guid submissionId, string decision, string? comment)
    {
        if (!await LoadAsync(submissionId, null))
        {
            return NotFound();
        }
        if (!CanReview)
        {
            return Forbid();
        }
        var itemComments = Template.Items.ToDictionary(i => i.Id, i => Request.Form[$"c.{i.Id}"].ToString());
        var result = await workflow.ReviewAsync(Submission, decision == "accept", comment, itemComments, User.Identity!.Name!);
        if (!result.Succeeded)
        {
            Problems.Add(new FormProblem(null, 0, result.ErrorCode!));
            return Page();
        }
        TempData["Status"] = decision == "accept" ? l["ChecklistAccepted"].Value : l["ChecklistReturned"].Value;
        return RedirectToPage(new { submissionId });
    }

    private async Task<bool> LoadAsync(Guid submissionId, int? version)
    {
        var s = await workflow.FindAsync(submissionId);
        if (s is null)
        {
            return false;
        }
        Submission = s;
        Template = await workflow.TemplateOfAsync(s);
        IsRespondent = SubmissionWorkflow.IsRespondent(s, tenant);
        CanReview = s.HospitalId == tenant.OrganizationId && !IsRespondent && ChecklistAccess.CanReview(User) && SubmissionWorkflowRules.CanReview(s.State);
        Versions = await db.FormSubmissionVersions.AsNoTracking().Where(v => v.SubmissionId == s.Id).OrderByDescending(v => v.Number).ToListAsync();
        History = await db.FormReviewEvents.AsNoTracking().Where(e => e.SubmissionId == s.Id).OrderByDescending(e => e.At).ToListAsync();
        LastItemComments = History.FirstOrDefault(e => e.Action == ReviewAction.Returned)?.ItemCommentMap ?? new Dictionary<string, string>();
        var names = await db.Organizations.Where(o => o.Id == s.HospitalId || o.Id == s.RespondentOrganizationId).ToDictionaryAsync(o => o.Id, o => o.Name);
        HospitalName = s.HospitalId is { } h && names.TryGetValue(h, out var hn) ? hn : "";
        VendorName = names.TryGetValue(s.RespondentOrganizationId, out var vn) ? vn : "";
        SystemName = s.SystemId is { } sys ? await db.MedicalSystems.Where(m => m.Id == sys).Select(m => m.Name).SingleOrDefaultAsync() : null;

        // The respondent works on the draft; everyone else sees the latest submitted version (or an older one asked for).
        var shown = version is { } v ? Versions.FirstOrDefault(x => x.Number == v) : null;
        if (version is not null && shown is null)
        {
            return false;
        }
        ShowingVersion = shown is not null || !IsRespondent;
        ShownVersion = shown?.Number;
        var json = shown?.Answers ?? (IsRespondent ? s.DraftAnswers : Versions.FirstOrDefault()?.Answers) ?? "{\"rounds\":[]}";
        Answers = AnswerJson.Deserialize(json);
        if (s.ProductId is not null)
        {
            await LoadDisclosureAsync(s, shown);
        }
        if (s.Kind == FormKind.RemoteMaintenance)
        {
            // Flags judge what was submitted, never the draft.
            RiskFlags = Versions.FirstOrDefault() is { } latest
                ? RemoteMaintenance.RemoteMaintenanceFlags.Compute(AnswerJson.Deserialize(latest.Answers), FiscalYear.Of(JapanTime.TodayInJapan(time)))
                : [];
        }
        return true;
    }

    public ItemAnswer? AnswerFor(int round, string itemId)
        => Answers.Rounds.FirstOrDefault(r => r.Number == round)?.Answers.GetValueOrDefault(itemId);

    public DateOnly? DateFor(int round) => Answers.Rounds.FirstOrDefault(r => r.Number == round)?.CheckedOn;

    public int RoundCount => Math.Max(Template.Rounds, Answers.Rounds.Count == 0 ? 1 : Answers.Rounds.Max(r => r.Number));

    public string FiscalYearLabel => Submission.FiscalYear is { } fy ? new FiscalYear(fy).ToWarekiString() : "";

    public static string ValueLabel(IStringLocalizer l, string? value) => FormRules.ParseYesNo(value) switch
    {
        YesNo.Yes => l["Yes"], YesNo.No => l["No"], YesNo.NotApplicable => l["NotApplicableLabel"], _ => value ?? "",
    };

    public static string Json(object o) => JsonSerializer.Serialize(o);
}
