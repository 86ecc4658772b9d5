using System.Net;
using System.Net.Mail;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace VendorPortal.Infrastructure.Email;

public sealed record EmailMessage(string To, string Subject, string Body);

/// <summary>Sends the portal's e-mail: SMTP in production, a local outbox folder in development and tests.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken ct = default);
}

public sealed class EmailOptions
{
    /// <summary>"Smtp" or "Outbox".</summary>
    public string Mode { get; set; } = "Outbox";
    public string From { get; set; } = "no-reply@vendorportal.invalid";
    public string OutboxPath { get; set; } = ".data/outbox";
    public string SmtpHost { get; set; } = "";
    public int SmtpPort { get; set; } = 587;
    public bool SmtpUseTls { get; set; } = true;
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }

    public bool IsOutbox => string.Equals(Mode, "Outbox", StringComparison.OrdinalIgnoreCase);
}

public sealed class SmtpEmailSender(IOptions<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken ct = default)
    {
        var o = options.Value;
        using var client = new SmtpClient(o.SmtpHost, o.SmtpPort) { EnableSsl = o.SmtpUseTls };
        if (!string.IsNullOrEmpty(o.SmtpUser))
        {
            client.Credentials = new NetworkCredential(o.SmtpUser, o.SmtpPassword);
        }
        using var mail = new MailMessage(o.From, message.To, message.Subject, message.Body)
        {
            BodyEncoding = System.Text.Encoding.UTF8,
            SubjectEncoding = System.Text.Encoding.UTF8,
        };
        await client.SendMailAsync(mail, ct);
    }
}

/// <summary>Writes each message as a JSON file; the dev-only Outbox page lists them.</summary>
public sealed class OutboxEmailSender(IOptions<EmailOptions> options, TimeProvider time, IHostEnvironment env) : IEmailSender
{
    public string Folder => Path.GetFullPath(options.Value.OutboxPath, env.ContentRootPath);

    public async Task SendAsync(EmailMessage message, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Folder);
        var now = time.GetUtcNow();
        var file = Path.Combine(Folder, $"{now:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.json");
        var record = new OutboxMessage(now, options.Value.From, message.To, message.Subject, message.Body);
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(record), ct);
    }

    public IReadOnlyList<OutboxMessage> Read(int max = 100)
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }
        return Directory.GetFiles(Folder, "*.json")
            .OrderDescending(StringComparer.Ordinal)
            .Take(max)
            .Select(f => JsonSerializer.Deserialize<OutboxMessage>(File.ReadAllText(f))!)
            .ToList();
    }
}

public sealed record OutboxMessage(DateTimeOffset SentAt, string From, string To, string Subject, string Body);
