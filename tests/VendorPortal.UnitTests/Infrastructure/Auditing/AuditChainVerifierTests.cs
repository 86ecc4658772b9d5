using VendorPortal.Infrastructure.Auditing;

namespace VendorPortal.UnitTests.Infrastructure.Auditing;

public sealed class AuditChainVerifierTests
{
    private const int Length = 6;

    private static AuditChainVerifier Verify(IEnumerable<AuditEvent> events)
    {
        var verifier = new AuditChainVerifier();
        foreach (var e in events)
        {
            if (!verifier.Add(e))
            {
                break;
            }
        }
        return verifier;
    }

    [Fact]
    public void An_empty_chain_is_intact()
    {
        var verifier = new AuditChainVerifier();

        Assert.True(verifier.IsIntact);
        Assert.Equal(0, verifier.Checked);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(50)]
    public void An_intact_chain_verifies(int count)
    {
        var verifier = Verify(AuditChainTests.Chain(count));

        Assert.True(verifier.IsIntact);
        Assert.Null(verifier.FirstBreak);
        Assert.Equal(count, verifier.Checked);
    }

    public static TheoryData<string, int> Tampering()
    {
        var data = new TheoryData<string, int>();
        foreach (var field in Tamper.Keys)
        {
            foreach (var index in new[] { 0, 2, Length - 1 })
            {
                data.Add(field, index);
            }
        }
        return data;
    }

    private static readonly Dictionary<string, Action<AuditEvent>> Tamper = new()
    {
        ["Action"] = e => e.Action = "account.deleted",
        ["Summary"] = e => e.Summary = """{"n":0}""",
        ["UserName"] = e => e.UserName = "someone-else@example.jp",
        ["UserName null"] = e => e.UserName = null,
        ["UserId"] = e => e.UserId = Guid.Empty,
        ["OrganizationId"] = e => e.OrganizationId = null,
        ["OccurredAt"] = e => e.OccurredAt = e.OccurredAt.AddMicroseconds(1),
        ["TargetType"] = e => e.TargetType = "organization",
        ["TargetId"] = e => e.TargetId = "target-x",
        ["IpAddress"] = e => e.IpAddress = "198.51.100.1",
        ["UserAgent"] = e => e.UserAgent = "curl/8",
        ["Hash"] = e => e.Hash = new string('f', 64),
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Changing_a_field_is_reported_at_that_event_as_content_changed(string field, int index)
    {
        var chain = AuditChainTests.Chain(Length);
        Tamper[field](chain[index]);

        var verifier = Verify(chain);

        Assert.False(verifier.IsIntact);
        Assert.Equal(chain[index].Sequence, verifier.FirstBreak!.Sequence);
        Assert.Equal("content_changed", verifier.FirstBreak.Kind);
        Assert.Equal(index + 1, verifier.Checked);
    }

    [Fact]
    public void A_time_change_below_a_microsecond_is_not_a_change()
    {
        // The database keeps microseconds; the hash covers what it gives back.
        var chain = AuditChainTests.Chain(Length);
        chain[2].OccurredAt = chain[2].OccurredAt.AddTicks(5);

        Assert.True(Verify(chain).IsIntact);
    }

    [Fact]
    public void Changing_the_sequence_is_reported_as_a_gap()
    {
        var chain = AuditChainTests.Chain(Length);
        chain[3].Sequence = 99;

        var verifier = Verify(chain);

        Assert.Equal(new AuditChainBreak(99, "sequence_gap", "expected sequence 4, found 99"), verifier.FirstBreak);
    }

    [Fact]
    public void A_changed_prev_hash_is_a_prev_hash_mismatch()
    {
        var chain = AuditChainTests.Chain(Length);
        chain[3].PrevHash = new string('a', 64);

        var verifier = Verify(chain);

        Assert.Equal(chain[3].Sequence, verifier.FirstBreak!.Sequence);
        Assert.Equal("prev_hash_mismatch", verifier.FirstBreak.Kind);
    }

    [Fact]
    public void A_rehashed_forgery_is_caught_at_the_next_event()
    {
        var chain = AuditChainTests.Chain(Length);
        chain[2].Summary = """{"forged":true}""";
        chain[2].Hash = AuditChain.ComputeHash(chain[2].PrevHash, chain[2]);

        var verifier = Verify(chain);

        Assert.Equal(chain[3].Sequence, verifier.FirstBreak!.Sequence);
        Assert.Equal("prev_hash_mismatch", verifier.FirstBreak.Kind);
    }

    [Fact]
    public void A_removed_middle_event_is_a_sequence_gap()
    {
        var chain = AuditChainTests.Chain(Length);
        chain.RemoveAt(2);

        var verifier = Verify(chain);

        Assert.Equal(4, verifier.FirstBreak!.Sequence);
        Assert.Equal("sequence_gap", verifier.FirstBreak.Kind);
    }

    [Fact]
    public void Swapped_events_are_a_sequence_gap()
    {
        var chain = AuditChainTests.Chain(Length);
        (chain[2], chain[3]) = (chain[3], chain[2]);

        var verifier = Verify(chain);

        Assert.Equal(chain[2].Sequence, verifier.FirstBreak!.Sequence);
        Assert.Equal("sequence_gap", verifier.FirstBreak.Kind);
    }

    [Fact]
    public void A_chain_kept_after_retention_still_verifies()
    {
        var chain = AuditChainTests.Chain(Length + 4);
        var kept = chain.Skip(4).ToList();

        Assert.NotEqual(AuditChain.Genesis, kept[0].PrevHash);
        var verifier = Verify(kept);

        Assert.True(verifier.IsIntact);
        Assert.Equal(kept.Count, verifier.Checked);
    }

    [Fact]
    public void The_first_kept_event_is_still_checked_against_its_own_hash()
    {
        var kept = AuditChainTests.Chain(Length).Skip(2).ToList();
        kept[0].Action = "changed";

        var verifier = Verify(kept);

        Assert.Equal(3, verifier.FirstBreak!.Sequence);
        Assert.Equal("content_changed", verifier.FirstBreak.Kind);
    }

    [Fact]
    public void Add_refuses_further_events_after_the_first_break()
    {
        var chain = AuditChainTests.Chain(Length);
        chain[1].Summary = "{}";
        var verifier = new AuditChainVerifier();

        Assert.True(verifier.Add(chain[0]));
        Assert.False(verifier.Add(chain[1]));
        Assert.False(verifier.Add(chain[2]));

        Assert.Equal(2, verifier.Checked);
        Assert.Equal(2, verifier.FirstBreak!.Sequence);
    }
}
