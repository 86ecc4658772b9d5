namespace VendorPortal.Features.Forms;

/// <summary>
/// A published template version as stored: the whole template as JSON (immutable once published) with
/// its searchable header. Not tenant data: every organization reads the same forms.
/// </summary>
public sealed class FormTemplateVersion
{
    public Guid Id { get; set; }
    public required string Key { get; set; }
    public FormKind Kind { get; set; }
    public required string Title { get; set; }
    public required string VersionLabel { get; set; }
    public required string GuidelineEdition { get; set; }
    public DateOnly EffectiveFrom { get; set; }
    public DateOnly? EffectiveTo { get; set; }
    public TemplateStatus Status { get; set; }
    public int ItemCount { get; set; }
    /// <summary>The template JSON exactly as published.</summary>
    public required string Content { get; set; }
    /// <summary>SHA-256 of <see cref="Content"/>: answers record it, and a changed seed file is refused.</summary>
    public required string ContentHash { get; set; }
    /// <summary>"seed" (seed-data/forms) or "import" (an operator's workbook).</summary>
    public required string Origin { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public Guid? PublishedByUserId { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }

    public FormTemplate Parse() => FormTemplate.Parse(Content, Key);
}
