using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Checklists;

/// <summary>What changed between two submitted versions: answers, target dates, remarks and round dates.</summary>
public sealed class DiffModel(AppDbContext db, SubmissionWorkflow workflow) : PageModel
{
    public Guid SubmissionId { get; private set; }
    public string Title { get; private set; } = "";
    public int From { get; private set; }
    public int To { get; private set; }
    public IReadOnlyList<AnswerChange> Changes { get; private set; } = [];
    public bool IsChecklist { get; private set; } = true;
    private FormTemplate _template = null!;

    public string NumberOf(string itemId) => _template.Items.FirstOrDefault(i => i.Id == itemId)?.Number ?? itemId;

    public async Task<IActionResult> OnGetAsync(Guid submissionId, int from, int to)
    {
        var s = await workflow.FindAsync(submissionId);
        if (s is null)
        {
            return NotFound();
        }
        var versions = await db.FormSubmissionVersions.AsNoTracking()
            .Where(v => v.SubmissionId == s.Id && (v.Number == from || v.Number == to)).ToListAsync();
        var before = versions.FirstOrDefault(v => v.Number == from);
        var after = versions.FirstOrDefault(v => v.Number == to);
        if (before is null || after is null)
        {
            return NotFound();
        }
        _template = await workflow.TemplateOfAsync(s);
        (SubmissionId, Title, From, To) = (s.Id, _template.Title, from, to);
        Changes = FormDiff.Compare(_template, AnswerJson.Deserialize(before.Answers), AnswerJson.Deserialize(after.Answers));
        // MDS/SDS: one round, and the attachments are part of each version.
        IsChecklist = _template.IsChecklist;
        Changes = [.. Changes, .. Disclosures.SubmissionSnapshot.AttachmentChanges(
            Disclosures.SubmissionSnapshot.DeserializeManifest(before.Attachments), Disclosures.SubmissionSnapshot.DeserializeManifest(after.Attachments))];
        return Page();
    }
}
