using VendorPortal.Infrastructure.Auditing;

namespace VendorPortal.UnitTests.Infrastructure.Auditing;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 9, 30, 15, TimeSpan.FromHours(9));

    internal static AuditEvent NewEvent(int n) => new()
    {
        OccurredAt = Start.AddMinutes(n).AddTicks(1234567),
        UserId = Guid.Parse($"00000000-0000-0000-0000-{n:D12}"),
        UserName = $"user{n}@example.jp",
        OrganizationId = Guid.Parse("11111111-2222-3333-4444-555555555555"),
        Action = "account.sign_in",
        TargetType = "user",
        TargetId = $"target-{n}",
        IpAddress = "192.0.2.10",
        UserAgent = "Mozilla/5.0",
        Summary = $$"""{"n":{{n}},"note":"日本語"}""",
    };

    /// <summary>A linked chain of <paramref name="count"/> events, sequences 1..count.</summary>
    internal static List<AuditEvent> Chain(int count)
    {
        var events = new List<AuditEvent>();
        long seq = 0;
        var prev = AuditChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var e = NewEvent(i);
            AuditChain.Link(e, seq, prev);
            events.Add(e);
            seq = e.Sequence;
            prev = e.Hash;
        }
        return events;
    }

    [Fact]
    public void Genesis_is_64_zeros()
    {
        Assert.Equal(new string('0', 64), AuditChain.Genesis);
    }

    [Fact]
    public void Link_sets_sequence_prev_hash_and_hash()
    {
        var e = NewEvent(1);

        AuditChain.Link(e, 41, "abc");

        Assert.Equal(42, e.Sequence);
        Assert.Equal("abc", e.PrevHash);
        Assert.Equal(AuditChain.ComputeHash("abc", e), e.Hash);
        Assert.Matches("^[0-9a-f]{64}$", e.Hash);
    }

    [Fact]
    public void Link_normalizes_the_time_it_hashes()
    {
        var e = NewEvent(1);

        AuditChain.Link(e, 0, AuditChain.Genesis);

        Assert.Equal(AuditChain.Normalize(NewEvent(1).OccurredAt), e.OccurredAt);
        Assert.Equal(TimeSpan.Zero, e.OccurredAt.Offset);
    }

    [Fact]
    public void First_event_follows_genesis()
    {
        var chain = Chain(1);

        Assert.Equal(1, chain[0].Sequence);
        Assert.Equal(AuditChain.Genesis, chain[0].PrevHash);
    }

    [Fact]
    public void Each_event_links_to_the_hash_of_the_one_before()
    {
        var chain = Chain(5);

        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].Hash, chain[i].PrevHash);
            Assert.Equal(chain[i - 1].Sequence + 1, chain[i].Sequence);
        }
    }

    [Fact]
    public void ComputeHash_is_deterministic()
    {
        var a = NewEvent(3);
        var b = NewEvent(3);
        a.Sequence = b.Sequence = 3;

        Assert.Equal(AuditChain.ComputeHash("prev", a), AuditChain.ComputeHash("prev", b));
        Assert.Equal(AuditChain.ComputeHash("prev", a), AuditChain.ComputeHash("prev", a));
    }

    [Fact]
    public void ComputeHash_depends_on_the_previous_hash()
    {
        var e = NewEvent(3);

        Assert.NotEqual(AuditChain.ComputeHash("a", e), AuditChain.ComputeHash("b", e));
    }

    [Fact]
    public void ComputeHash_does_not_depend_on_the_offset_the_time_is_expressed_in()
    {
        var utc = NewEvent(3);
        var jst = NewEvent(3);
        jst.OccurredAt = utc.OccurredAt.ToOffset(TimeSpan.FromHours(9));

        Assert.Equal(AuditChain.ComputeHash("p", utc), AuditChain.ComputeHash("p", jst));
    }

    [Fact]
    public void ComputeHash_does_not_depend_on_the_database_id_or_stored_hashes()
    {
        var a = NewEvent(3);
        var b = NewEvent(3);
        b.Id = 999;
        b.PrevHash = "something";
        b.Hash = "else";

        Assert.Equal(AuditChain.ComputeHash("p", a), AuditChain.ComputeHash("p", b));
    }

    [Fact]
    public void A_missing_value_and_an_empty_one_hash_the_same()
    {
        // Documented by CanonicalContent: nulls are written as "".
        var a = NewEvent(3);
        var b = NewEvent(3);
        a.TargetType = null;
        b.TargetType = "";

        Assert.Equal(AuditChain.ComputeHash("p", a), AuditChain.ComputeHash("p", b));
    }

    [Fact]
    public void Values_do_not_run_into_each_other()
    {
        var a = NewEvent(3);
        var b = NewEvent(3);
        a.TargetType = "ab";
        a.TargetId = "c";
        b.TargetType = "a";
        b.TargetId = "bc";

        Assert.NotEqual(AuditChain.ComputeHash("p", a), AuditChain.ComputeHash("p", b));
    }

    [Fact]
    public void Normalize_truncates_to_microseconds()
    {
        var t = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567);

        var normalized = AuditChain.Normalize(t);

        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234560), normalized);
    }

    [Fact]
    public void Normalize_does_not_round_up()
    {
        var t = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(19);

        Assert.Equal(10, AuditChain.Normalize(t).Ticks % TimeSpan.TicksPerSecond);
    }

    [Fact]
    public void Normalize_returns_utc()
    {
        var jst = new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(9));

        var normalized = AuditChain.Normalize(jst);

        Assert.Equal(TimeSpan.Zero, normalized.Offset);
        Assert.Equal(jst, normalized);
    }

    [Fact]
    public void Normalize_is_idempotent()
    {
        var once = AuditChain.Normalize(Start.AddTicks(7777777));

        Assert.Equal(once, AuditChain.Normalize(once));
    }

    [Fact]
    public void Canonical_content_writes_time_with_six_decimals_in_utc()
    {
        var e = NewEvent(0);
        e.OccurredAt = new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(9)).AddTicks(1234567);

        Assert.Contains("\"2026-04-01T00:00:00.123456Z\"", AuditChain.CanonicalContent(e), StringComparison.Ordinal);
    }
}
