namespace VendorPortal.Bench;

/// <summary>
/// Benchmark tooling for bench/run.sh (never part of the product, never run by test.sh):
///   seed   --connection CS --content-root DIR --out FILE   migrate, then load the scale data set; write the bench
///                                                          credentials (shell variables) to FILE
///   reminder-scale --connection CS --content-root DIR [--hospitals 1000] [--patches-per-hospital 20000] [--chunk 50]
///                                                          migrate, then 1,000 hospitals × 6,000 components with support
///                                                          dates (and patch statuses) for timing the daily reminder run
///   bundle-seed --connection CS --content-root DIR --files DIR --out FILE [--vendors 150] [--mb 2048] [--fiscal-year 2026]
///                                                          issue 6's bundle benchmark (bench/bundle.sh): write the
///                                                          attachment files to DIR, then one hospital, its vendors and
///                                                          their accepted MDS/SDS (carrying those files) and checklists
///   bundle-profile --connection CS --hospital ID --out FILE
///                                                          time the bundle's attachment bytes alone: read from
///                                                          PostgreSQL, + SHA-256, + BundleWriter into FILE (deleted)
///   signin --base URL --email E --password P --totp-key K  sign in through the real /Account/Login and
///                                                          /Account/LoginWith2fa pages; print the Cookie header
/// </summary>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            return Usage();
        }
        var options = BenchOptions.Parse(args[1..]);
        try
        {
            return args[0] switch
            {
                "seed" => await ScaleSeeder.RunAsync(options),
                "reminder-scale" => await ReminderScaleSeeder.RunAsync(options),
                "bundle-seed" => await BundleSeeder.RunAsync(options),
                "bundle-profile" => await BundleProfile.RunAsync(options),
                "signin" => await PortalSignIn.RunAsync(options),
                _ => Usage(),
            };
        }
        catch (BenchException ex)
        {
            await Console.Error.WriteLineAsync($"bench {args[0]}: {ex.Message}");
            return 1;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("Usage: VendorPortal.Bench seed --connection CS --content-root DIR --out FILE");
        Console.Error.WriteLine("       VendorPortal.Bench reminder-scale --connection CS --content-root DIR [--hospitals N] [--patches-per-hospital N] [--chunk N]");
        Console.Error.WriteLine("       VendorPortal.Bench bundle-seed --connection CS --content-root DIR --files DIR --out FILE [--vendors N] [--mb N] [--fiscal-year YYYY]");
        Console.Error.WriteLine("       VendorPortal.Bench bundle-profile --connection CS --hospital ID --out FILE");
        Console.Error.WriteLine("       VendorPortal.Bench signin --base URL --email E --password P --totp-key K");
        return 2;
    }
}

internal sealed class BenchException(string message) : Exception(message);

/// <summary>"--name value" pairs.</summary>
internal sealed class BenchOptions(Dictionary<string, string> values)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new BenchException($"unexpected argument '{args[i]}'");
            }
            values[args[i][2..]] = args[++i];
        }
        return new BenchOptions(values);
    }

    public int Int(string name, int fallback)
        => !values.TryGetValue(name, out var v) ? fallback
            : int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
            : throw new BenchException($"--{name} must be a whole number");

    public string Required(string name)
        => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : throw new BenchException($"--{name} is required");
}
