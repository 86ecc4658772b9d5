using VendorPortal.Infrastructure.Api;
using VendorPortal.Infrastructure.Web;

// Commands: (none) serves the portal; "migrate" applies SQL migrations and exits;
// "verify-audit" checks the audit hash chain; "schema-script" prints the EF model's DDL (for writing migrations);
// "verify-bundle <zip>" checks an inspection evidence bundle (no database, handled before the host is built).
if (await Commands.RunStandaloneAsync(args) is { } standalone)
{
    return standalone;
}
var command = args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=') ? args[0] : "serve";
var builder = WebApplication.CreateBuilder(command == "serve" ? args : args[1..]);
builder.AddPortal();
var app = builder.Build();

switch (command)
{
    case "serve":
        await Startup.PrepareDatabaseAsync(app);
        app.UsePortal();
        app.MapPortalApi();
        await app.RunAsync();
        return 0;
    default:
        return await Commands.RunAsync(app, command);
}

/// <summary>Exposed for WebApplicationFactory.</summary>
public partial class Program;
