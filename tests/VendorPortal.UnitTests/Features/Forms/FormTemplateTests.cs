using VendorPortal.Features.Forms;

namespace VendorPortal.UnitTests.Features.Forms;

public sealed class FormTemplateTests
{
    private const string Minimal = """
        {
          "key": "sample-form", "kind": "VendorChecklist", "title": "t", "versionLabel": "v", "guidelineEdition": "6.0",
          "effectiveFrom": "2025-05-16", "status": "Sample", "rounds": 2,
          "provenance": { "sources": ["test"] },
          "sections": [ { "number": "1", "title": "s", "items": [
            { "id": "a", "number": "1-①", "text": "x", "answerType": "YesNo", "rules": [ { "kind": "TargetDateWhenNo" } ] },
            { "id": "b", "number": "1-②", "text": "y", "answerType": "YesNo", "rules": [ { "kind": "ApplicableWhen", "item": "a", "answer": "Yes" } ] }
          ] } ]
        }
        """;

    [Fact]
    public void A_well_formed_template_parses()
    {
        var t = FormTemplate.Parse(Minimal, "test");
        Assert.Equal(FormKind.VendorChecklist, t.Kind);
        Assert.Equal(["a", "b"], t.Items.Select(i => i.Id));
        Assert.True(t.Items.First().Has(RuleKind.TargetDateWhenNo));
    }

    [Theory]
    [InlineData("\"id\": \"b\"", "\"id\": \"a\"", "not unique")]
    [InlineData("\"item\": \"a\"", "\"item\": \"nope\"", "ApplicableWhen")]
    [InlineData("\"rounds\": 2", "\"rounds\": 0", "check round")]
    [InlineData("\"key\": \"sample-form\"", "\"key\": \"Bad Key\"", "key")]
    [InlineData("\"kind\": \"VendorChecklist\"", "\"kind\": \"Invoice\"", "")]
    [InlineData("\"status\": \"Sample\"", "\"status\": \"Sample\", \"extra\": 1", "")]
    [InlineData("\"answer\": \"Yes\"", "\"answer\": \"Yes\", \"value\": \"その他\"", "an answer or a value")]
    [InlineData("\"answer\": \"Yes\"", "\"value\": \"その他\"", "is not a choice")]
    public void Broken_templates_are_refused_with_the_reason(string find, string replace, string reason)
    {
        var ex = Assert.Throws<FormTemplateException>(() => FormTemplate.Parse(Minimal.Replace(find, replace), "broken.json"));
        Assert.Contains(reason, ex.Message);
        Assert.Contains("broken.json", ex.Message);
    }

    [Fact]
    public void Every_seeded_template_file_loads()
    {
        var dir = SeedForms();
        var files = Directory.GetFiles(dir, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        var keys = new HashSet<string>();
        foreach (var file in files)
        {
            var t = FormTemplate.Parse(File.ReadAllText(file), Path.GetFileName(file));
            Assert.Equal(Path.GetFileNameWithoutExtension(file), t.Key);
            Assert.True(keys.Add(t.Key));
            // Invented text is never presented as official: the status matches the items' own flags,
            // and anything short of official says why in its notice.
            switch (t.Status)
            {
                case TemplateStatus.Official:
                    Assert.All(t.Items, i => Assert.True(i.Verified));
                    break;
                case TemplateStatus.OfficialPartial:
                    Assert.Contains(t.Items, i => !i.Verified);
                    Assert.False(string.IsNullOrWhiteSpace(t.Notice));
                    break;
                case TemplateStatus.Sample:
                    Assert.False(string.IsNullOrWhiteSpace(t.Notice));
                    Assert.All(t.Items.Where(i => !i.Verified), i => Assert.False(string.IsNullOrWhiteSpace(i.Note)));
                    break;
            }
        }
    }

    private static string SeedForms()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "seed-data", "forms");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("seed-data/forms");
    }
}
