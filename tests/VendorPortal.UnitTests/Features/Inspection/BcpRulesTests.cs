using VendorPortal.Features.Gaps;
using VendorPortal.Features.Inspection.Bcp;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.Inspection;

public sealed class BcpRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"u8.ToArray();

    private static BcpUploadInput Input(string? title = "BCP（医療情報システム部門）", string? date = "令和7年4月1日", byte[]? content = null, string? fileName = "bcp.pdf")
        => new(title, date, "第2版", " 見直し済み ", fileName, content ?? Pdf);

    [Theory]
    [InlineData("令和7年4月1日", 2025, 4, 1)]
    [InlineData("R7.4.1", 2025, 4, 1)]
    [InlineData("2025-04-01", 2025, 4, 1)]
    [InlineData("2025/4/1", 2025, 4, 1)]
    [InlineData(" 令和元年5月1日 ", 2019, 5, 1)]
    public void Dates_are_read_as_western_or_wareki(string text, int y, int m, int d)
        => Assert.Equal(new DateOnly(y, m, d), BcpRules.ParseDate(text));

    [Theory]
    [InlineData("令和元年4月1日")] // before 令和 began
    [InlineData("2025-02-30")]
    [InlineData("来年")]
    public void Impossible_dates_are_not_read(string text) => Assert.Null(BcpRules.ParseDate(text));

    [Fact]
    public void A_valid_upload_is_trimmed_hashed_and_named_as_a_pdf()
    {
        var (upload, errors) = BcpRules.Validate(Input(fileName: "C:\\Users\\x\\BCP 令和7年度.PDF"), Today);
        Assert.Empty(errors);
        Assert.Equal((new DateOnly(2025, 4, 1), "見直し済み", "BCP 令和7年度.pdf", "application/pdf"), (upload!.DocumentDate, upload.Note, upload.FileName, upload.ContentType));
        Assert.Equal(64, upload.Sha256.Length);
    }

    [Fact]
    public void Today_is_allowed_but_a_future_date_is_not()
    {
        Assert.Empty(BcpRules.Validate(Input(date: "2026-11-21"), Today).Errors);
        var (upload, errors) = BcpRules.Validate(Input(date: "令和8年11月22日"), Today);
        Assert.Null(upload);
        Assert.Equal(("documentDate", "BcpDateInFuture"), (errors.Single().Field, errors.Single().Key));
    }

    [Fact]
    public void Missing_fields_and_a_file_that_is_not_a_pdf_are_each_named()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0 };
        var (_, errors) = BcpRules.Validate(new BcpUploadInput(" ", null, new string('v', 51), null, "x.png", png), Today);
        Assert.Equal(["title:BcpTitleRequired", "documentDate:BcpDateRequired", "versionLabel:BcpVersionTooLong", "file:BcpFileNotPdf"],
            errors.Select(e => $"{e.Field}:{e.Key}"));
        Assert.Equal("file:BcpFileMissing", BcpRules.Validate(Input(content: []), Today).Errors.Select(e => $"{e.Field}:{e.Key}").Single());
        Assert.Equal("documentDate:BcpDateInvalid", BcpRules.Validate(Input(date: "令和7年13月1日"), Today).Errors.Select(e => $"{e.Field}:{e.Key}").Single());
        var tooLarge = new byte[VendorPortal.Infrastructure.Files.AttachmentRules.MaxBytes + 1];
        Pdf.CopyTo(tooLarge, 0);
        Assert.Equal("file:BcpFileTooLarge", BcpRules.Validate(Input(content: tooLarge), Today).Errors.Select(e => $"{e.Field}:{e.Key}").Single());
    }

    private sealed record Doc(Guid Id, DateTimeOffset UploadedAt, DateOnly Date);

    [Fact]
    public void The_newest_upload_is_current_even_when_an_older_edition_is_uploaded_later()
    {
        var first = new Doc(Guid.NewGuid(), new DateTimeOffset(2025, 4, 10, 0, 0, 0, TimeSpan.Zero), new DateOnly(2025, 4, 1));
        var second = new Doc(Guid.NewGuid(), new DateTimeOffset(2026, 4, 10, 0, 0, 0, TimeSpan.Zero), new DateOnly(2026, 4, 1));
        var archive = new Doc(Guid.NewGuid(), new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero), new DateOnly(2023, 4, 1));
        Assert.Equal(second, BcpRules.Current([first, second], d => d.UploadedAt, d => d.Date, d => d.Id));
        Assert.Equal(archive, BcpRules.Current([archive, first, second], d => d.UploadedAt, d => d.Date, d => d.Id));
        Assert.Null(BcpRules.Current(Array.Empty<Doc>(), d => d.UploadedAt, d => d.Date, d => d.Id));
    }

    [Fact]
    public void A_bcp_is_due_for_review_twelve_months_after_its_date()
    {
        Assert.False(BcpRules.IsStale(new DateOnly(2025, 11, 22), Today));
        Assert.True(BcpRules.IsStale(new DateOnly(2025, 11, 21), Today));
    }

    private static GapSnapshot Snapshot(GapBcp? bcp) => new(Guid.Empty, FiscalYear.Of(Today), Today, [], []) { Bcp = bcp };

    [Fact]
    public void The_gap_rule_reports_a_missing_or_outdated_bcp_for_the_hospital_and_links_the_bcp_page()
    {
        var rule = new BcpMissingRule();
        Assert.Empty(rule.Evaluate(Snapshot(null))); // not loaded: the rule does not run
        var missing = Assert.Single(rule.Evaluate(Snapshot(new GapBcp(null, null, null))));
        Assert.Equal(("BcpMissing", GapSeverity.High, GapActor.Hospital, new DateOnly(2026, 4, 1), $"/Hospitals/{Guid.Empty}/Inspection/Bcp"),
            (missing.Kind, missing.Severity, missing.MustAct, missing.Since, missing.Link));
        var old = Assert.Single(rule.Evaluate(Snapshot(new GapBcp(Guid.NewGuid(), "BCP", new DateOnly(2025, 4, 1)))));
        Assert.Equal(("BcpOutdated", new DateOnly(2026, 4, 1), "令和7年4月1日"), (old.Kind, old.Since, (string)old.Args[0]));
        Assert.Empty(rule.Evaluate(Snapshot(new GapBcp(Guid.NewGuid(), "BCP", new DateOnly(2026, 4, 1)))));
        Assert.Contains(GapRules.All, r => r is BcpMissingRule);
    }
}
