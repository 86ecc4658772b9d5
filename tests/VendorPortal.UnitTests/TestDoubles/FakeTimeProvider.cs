namespace VendorPortal.UnitTests.TestDoubles;

/// <summary>A clock stuck at a given instant (Microsoft.Extensions.TimeProvider.Testing is not in the registry).</summary>
public sealed class FakeTimeProvider(DateTimeOffset utcNow) : TimeProvider
{
    public DateTimeOffset UtcNow { get; set; } = utcNow;

    public override DateTimeOffset GetUtcNow() => UtcNow;
}
