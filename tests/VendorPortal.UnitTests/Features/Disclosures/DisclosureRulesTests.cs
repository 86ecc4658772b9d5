using VendorPortal.Features.Disclosures;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Files;

namespace VendorPortal.UnitTests.Features.Disclosures;

public sealed class AttachmentRulesTests
{
    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37 }, "application/pdf")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00 }, "image/png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10 }, "image/jpeg")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE1 }, "image/jpeg")]
    public void Allowed_types_are_recognised_by_their_first_bytes(byte[] head, string expected)
        => Assert.Equal(expected, AttachmentRules.Sniff(head));

    [Theory]
    [InlineData("<html><script>alert(1)</script>")]   // HTML named .pdf
    [InlineData("GIF89a")]                            // GIF: not allowed
    [InlineData("PK\u0003\u0004")]                    // ZIP / Office files
    [InlineData("MZ\u0090")]                          // executables
    [InlineData(" %PDF-1.7")]                         // the magic must be at the very start
    [InlineData("%PDF")]                              // too short to be the PDF header
    [InlineData("")]
    public void Anything_else_is_refused_whatever_it_is_called(string head)
        => Assert.Null(AttachmentRules.Sniff(System.Text.Encoding.Latin1.GetBytes(head)));

    [Theory]
    [InlineData("署名済みMDS.pdf", "application/pdf", "署名済みMDS.pdf")]
    [InlineData(@"C:\Users\taro\Desktop\証明書.pdf", "application/pdf", "証明書.pdf")]
    [InlineData("../../etc/passwd", "application/pdf", "passwd.pdf")]
    [InlineData("report.html", "application/pdf", "report.html.pdf")]   // the extension follows the content
    [InlineData("scan.JPEG", "image/jpeg", "scan.jpeg")]
    [InlineData("scan.jpg", "image/png", "scan.jpg.png")]
    [InlineData("a<b>:c\"d|e?f*.png", "image/png", "a_b__c_d_e_f_.png")]
    [InlineData("evil\u202Efdp.exe", "application/pdf", "evilfdp.exe.pdf")]   // right-to-left override removed
    [InlineData("line\r\nbreak\t.pdf", "application/pdf", "line break.pdf")]
    [InlineData("   ", "application/pdf", "attachment.pdf")]
    [InlineData(null, "image/png", "attachment.png")]
    [InlineData("...pdf", "application/pdf", "pdf.pdf")]
    [InlineData("CON.pdf", "application/pdf", "_CON.pdf")]
    [InlineData("ﾃﾞｰﾀ.pdf", "application/pdf", "ﾃﾞｰﾀ.pdf")]
    public void File_names_are_cleaned_before_they_are_stored_or_sent(string? name, string type, string expected)
        => Assert.Equal(expected, AttachmentRules.SanitizeFileName(name, type));

    [Fact]
    public void Long_names_are_cut_on_a_character_boundary_keeping_the_extension()
    {
        var name = string.Concat(Enumerable.Repeat("開示書🏥", 100)) + ".pdf";
        var cleaned = AttachmentRules.SanitizeFileName(name, AttachmentRules.Pdf);
        Assert.True(cleaned.Length <= AttachmentRules.MaxFileNameLength);
        Assert.EndsWith(".pdf", cleaned);
        Assert.True(System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(cleaned)) == cleaned, "no broken surrogate pair");
    }

    [Fact]
    public void Names_are_normalised_to_NFC()
        => Assert.Equal("ガイド.pdf".Normalize(System.Text.NormalizationForm.FormC),
            AttachmentRules.SanitizeFileName("ガイド.pdf".Normalize(System.Text.NormalizationForm.FormD), AttachmentRules.Pdf));
}

public sealed class SubmissionSnapshotTests
{
    private static AttachmentManifestEntry File(string name, string sha) => new(Guid.NewGuid(), name, AttachmentRules.Pdf, 10, sha);

    [Fact]
    public void Without_attachments_the_hash_is_the_plain_answers_hash_as_for_checklists()
        => Assert.Equal(AnswerJson.Hash("{\"rounds\":[]}"), SubmissionSnapshot.ContentHash("{\"rounds\":[]}", []));

    [Fact]
    public void The_hash_covers_each_files_name_and_content_but_not_its_order_or_id()
    {
        var a = File("a.pdf", new string('1', 64));
        var b = File("b.pdf", new string('2', 64));
        var answers = "{\"rounds\":[]}";
        var hash = SubmissionSnapshot.ContentHash(answers, [a, b]);
        Assert.Equal(hash, SubmissionSnapshot.ContentHash(answers, [b with { Id = Guid.NewGuid() }, a]));
        Assert.NotEqual(hash, SubmissionSnapshot.ContentHash(answers, [a]));
        Assert.NotEqual(hash, SubmissionSnapshot.ContentHash(answers, [a, b with { Sha256 = new string('3', 64) }]));
        Assert.NotEqual(hash, SubmissionSnapshot.ContentHash(answers, [a, b with { FileName = "c.pdf" }]));
        Assert.NotEqual(hash, SubmissionSnapshot.ContentHash(answers, []));
    }

    [Fact]
    public void The_manifest_survives_a_round_trip_in_canonical_order()
    {
        var manifest = SubmissionSnapshot.SerializeManifest([File("b.pdf", "bb"), File("a.pdf", "aa")]);
        Assert.Equal(["a.pdf", "b.pdf"], SubmissionSnapshot.DeserializeManifest(manifest).Select(m => m.FileName));
        Assert.Empty(SubmissionSnapshot.DeserializeManifest("[]"));
        Assert.Empty(SubmissionSnapshot.DeserializeManifest(null));
    }

    [Fact]
    public void Attachment_changes_list_added_and_removed_files()
    {
        var kept = File("kept.pdf", new string('1', 64));
        var changes = SubmissionSnapshot.AttachmentChanges([kept, File("old.pdf", new string('2', 64))], [kept, File("new.pdf", new string('3', 64))]);
        Assert.Equal(2, changes.Count);
        Assert.Contains(changes, c => c.Field == "Attachment" && c.Before?.StartsWith("old.pdf", StringComparison.Ordinal) == true && c.After is null);
        Assert.Contains(changes, c => c.After?.StartsWith("new.pdf", StringComparison.Ordinal) == true && c.Before is null);
    }
}

public sealed class RecipientRulesTests
{
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid(), D = Guid.NewGuid();

    private static FormSubmissionRecipient Row(Guid hospital, bool withdrawn = false, SubmissionState state = SubmissionState.Submitted)
        => new() { HospitalId = hospital, ReviewState = state, WithdrawnAt = withdrawn ? DateTimeOffset.UtcNow : null };

    [Fact]
    public void A_hospital_added_before_the_first_submission_waits_and_after_it_has_a_version_to_review()
    {
        Assert.Equal(SubmissionState.Draft, RecipientRules.StateWhenShared(0));
        Assert.Equal(SubmissionState.Submitted, RecipientRules.StateWhenShared(3));
    }

    [Theory]
    [InlineData(SubmissionState.Submitted, false, true)]
    [InlineData(SubmissionState.Returned, false, false)]
    [InlineData(SubmissionState.Accepted, false, false)]
    [InlineData(SubmissionState.Draft, false, false)]
    [InlineData(SubmissionState.Submitted, true, false)]
    public void Only_a_current_recipient_with_a_version_awaiting_review_can_review(SubmissionState state, bool withdrawn, bool can)
        => Assert.Equal(can, RecipientRules.CanReview(Row(A, withdrawn, state)));

    [Fact]
    public void Decisions_and_new_versions_move_the_recipients_state()
    {
        Assert.Equal(SubmissionState.Accepted, RecipientRules.StateAfterReview(accept: true));
        Assert.Equal(SubmissionState.Returned, RecipientRules.StateAfterReview(accept: false));
        Assert.Equal(SubmissionState.Submitted, RecipientRules.StateAfterSubmission);
    }

    [Fact]
    public void A_plan_adds_new_hospitals_reshares_withdrawn_ones_and_withdraws_those_left_out()
    {
        var plan = RecipientRules.Plan([Row(A), Row(B, withdrawn: true), Row(C)], [A, B, D, D], new HashSet<Guid> { A, B, C, D });
        Assert.True(plan.IsValid);
        Assert.Equal([D], plan.Add);
        Assert.Equal([B], plan.Reshare);
        Assert.Equal([C], plan.Withdraw);
    }

    [Fact]
    public void A_new_recipient_needs_an_active_engagement_but_a_current_one_may_stay_after_its_contract_ended()
    {
        var ended = RecipientRules.Plan([Row(A)], [A], new HashSet<Guid>());
        Assert.True(ended.IsValid);
        Assert.True(ended.ChangesNothing);
        var refused = RecipientRules.Plan([Row(A)], [A, B], new HashSet<Guid> { A });
        Assert.False(refused.IsValid);
        Assert.Equal([B], refused.NotEngaged);
        var withdrawnNotEngaged = RecipientRules.Plan([Row(B, withdrawn: true)], [B], new HashSet<Guid>());
        Assert.False(withdrawnNotEngaged.IsValid);
    }

    [Fact]
    public void An_empty_list_withdraws_everyone()
        => Assert.Equal(new[] { A, C }.Order(), RecipientRules.Plan([Row(A), Row(B, withdrawn: true), Row(C)], [], new HashSet<Guid>()).Withdraw.Order());
}

public sealed class DisclosureCopyTests
{
    private static FormTemplate Template(params string[] ids) => new("t-mds", FormKind.Mds, "t", "v", "6.0", new DateOnly(2024, 1, 1), null,
        TemplateStatus.Sample, new TemplateProvenance(["x"]), [new TemplateSection("1", "s", [.. ids.Select(i => new TemplateItem(i, i, i, AnswerType.YesNoNa))])]);

    [Fact]
    public void Answers_to_items_of_the_new_template_are_kept_and_the_others_counted()
    {
        var source = new FormAnswers([new CheckRound(1, null, new Dictionary<string, ItemAnswer>
        {
            ["a"] = new("Yes"), ["b"] = new("No", Remark: "理由"), ["gone-1"] = new("Yes"), ["gone-2"] = new("NotApplicable"),
        })]);
        var (answers, dropped) = DisclosureCopy.MapAnswers(source, Template("a", "b", "c"));
        Assert.Equal(2, dropped);
        var round = Assert.Single(answers.Rounds);
        Assert.Equal((1, (DateOnly?)null), (round.Number, round.CheckedOn));
        Assert.Equal(["a", "b"], round.Answers.Keys.Order());
        Assert.Equal("理由", round.Answers["b"].Remark);
    }

    [Fact]
    public void Copying_nothing_gives_one_empty_round()
    {
        var (answers, dropped) = DisclosureCopy.MapAnswers(new FormAnswers([]), Template("a"));
        Assert.Equal(0, dropped);
        Assert.Empty(Assert.Single(answers.Rounds).Answers);
    }

    [Fact]
    public void The_same_template_copies_everything()
    {
        var source = new FormAnswers([new CheckRound(1, null, new Dictionary<string, ItemAnswer> { ["a"] = new("Yes"), ["b"] = new("No") })]);
        var (answers, dropped) = DisclosureCopy.MapAnswers(source, Template("a", "b"));
        Assert.Equal(0, dropped);
        Assert.Equal(AnswerJson.Serialize(source), AnswerJson.Serialize(answers));
    }
}
