using VendorPortal.Features.Account;
using VendorPortal.Features.Subcontracting;

namespace VendorPortal.UnitTests.Features.Subcontracting;

/// <summary>
/// The 再委託 workflow as a state machine: every state × action × person is checked against the table of allowed
/// steps (so every transition that must be refused is refused), then the refusal reasons and the input rules.
/// </summary>
public sealed class SubcontractWorkflowRulesTests
{
    private static readonly Guid Vendor = Guid.NewGuid();
    private static readonly Guid Hospital = Guid.NewGuid();
    private static readonly DateOnly Today = new(2026, 11, 20);

    // The people: the vendor's staff (the member submitted), the hospital's six roles, and strangers of the same roles.
    private static readonly SubcontractActor Submitter = new(Guid.NewGuid(), Vendor, [Roles.VendorMember]);
    private static readonly SubcontractActor VendorAdmin = new(Guid.NewGuid(), Vendor, [Roles.VendorAdmin]);
    private static readonly SubcontractActor SystemOperator = new(Guid.NewGuid(), Hospital, [Roles.SystemOperator]);
    private static readonly SubcontractActor PlanningManager = new(Guid.NewGuid(), Hospital, [Roles.PlanningManager]);
    private static readonly SubcontractActor SecurityManager = new(Guid.NewGuid(), Hospital, [Roles.SecurityManager]);
    private static readonly SubcontractActor Executive = new(Guid.NewGuid(), Hospital, [Roles.Executive]);
    private static readonly SubcontractActor TenantAdmin = new(Guid.NewGuid(), Hospital, [Roles.TenantAdmin]);
    private static readonly SubcontractActor Auditor = new(Guid.NewGuid(), Hospital, [Roles.Auditor]);
    private static readonly SubcontractActor OtherVendorStaff = new(Guid.NewGuid(), Guid.NewGuid(), [Roles.VendorAdmin]);
    private static readonly SubcontractActor OtherHospitalExecutive = new(Guid.NewGuid(), Guid.NewGuid(), [Roles.Executive]);
    private static readonly SubcontractActor OtherHospitalOperator = new(Guid.NewGuid(), Guid.NewGuid(), [Roles.SystemOperator]);

    private static readonly Dictionary<string, SubcontractActor> People = new()
    {
        [nameof(Submitter)] = Submitter, [nameof(VendorAdmin)] = VendorAdmin, [nameof(SystemOperator)] = SystemOperator,
        [nameof(PlanningManager)] = PlanningManager, [nameof(SecurityManager)] = SecurityManager, [nameof(Executive)] = Executive,
        [nameof(TenantAdmin)] = TenantAdmin, [nameof(Auditor)] = Auditor, [nameof(OtherVendorStaff)] = OtherVendorStaff,
        [nameof(OtherHospitalExecutive)] = OtherHospitalExecutive, [nameof(OtherHospitalOperator)] = OtherHospitalOperator,
    };

    /// <summary>Everything a step could need, filled in: only who and when decide in the matrix.</summary>
    private static readonly SubcontractStepInput Complete = new("理由・回答・質問", "条件", SecurityOpinion.Favourable, ForeignAcknowledged: true);

    private static SubcontractFacts Facts(SubcontractState state, bool foreign = false, Guid? reviewedBy = null, Guid? opinionBy = null)
    {
        // Steps already taken in this state were taken by the usual people, unless a test says otherwise.
        var reviewed = state is SubcontractState.Reviewed or SubcontractState.OpinionGiven || SubcontractWorkflowRules.IsFinal(state);
        var opined = state is SubcontractState.OpinionGiven || SubcontractWorkflowRules.IsFinal(state);
        return new SubcontractFacts(state, Vendor, Hospital, state == SubcontractState.Draft ? null : Submitter.UserId,
            reviewedBy ?? (reviewed ? SystemOperator.UserId : null), opinionBy ?? (opined ? SecurityManager.UserId : null),
            foreign, new DateOnly(2026, 12, 1), Today);
    }

    /// <summary>The table of the issue: who may take which step from which state, and where it leads.</summary>
    private static SubcontractState? Expected(SubcontractState state, SubcontractAction action, string person)
    {
        var vendorStaff = person is nameof(Submitter) or nameof(VendorAdmin);
        var undecided = state is SubcontractState.Draft or SubcontractState.Submitted or SubcontractState.InformationRequested or SubcontractState.Reviewed or SubcontractState.OpinionGiven;
        return action switch
        {
            SubcontractAction.Submit when vendorStaff && state is SubcontractState.Draft or SubcontractState.InformationRequested => SubcontractState.Submitted,
            SubcontractAction.Withdraw when vendorStaff && undecided => SubcontractState.Withdrawn,
            SubcontractAction.RequestInformation when person is nameof(SystemOperator) or nameof(PlanningManager) && state == SubcontractState.Submitted => SubcontractState.InformationRequested,
            SubcontractAction.CompleteReview when person is nameof(SystemOperator) or nameof(PlanningManager) && state == SubcontractState.Submitted => SubcontractState.Reviewed,
            SubcontractAction.GiveOpinion when person == nameof(SecurityManager) && state == SubcontractState.Reviewed => SubcontractState.OpinionGiven,
            SubcontractAction.Approve when person == nameof(Executive) && state == SubcontractState.OpinionGiven => SubcontractState.Approved,
            SubcontractAction.ApproveWithConditions when person == nameof(Executive) && state == SubcontractState.OpinionGiven => SubcontractState.ApprovedWithConditions,
            SubcontractAction.Reject when person == nameof(Executive) && state == SubcontractState.OpinionGiven => SubcontractState.Rejected,
            _ => null,
        };
    }

    public static TheoryData<SubcontractState, SubcontractAction> EveryStateAndAction()
    {
        var data = new TheoryData<SubcontractState, SubcontractAction>();
        foreach (var state in Enum.GetValues<SubcontractState>())
        {
            foreach (var action in Enum.GetValues<SubcontractAction>())
            {
                data.Add(state, action);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStateAndAction))]
    public void Only_the_owner_of_a_step_may_take_it_and_only_from_its_state(SubcontractState state, SubcontractAction action)
    {
        foreach (var (person, actor) in People)
        {
            var verdict = SubcontractWorkflowRules.Evaluate(Facts(state), action, actor, Complete);
            var expected = Expected(state, action, person);
            Assert.True(expected == verdict.Next && verdict.Allowed == expected is not null,
                $"{person} {action} from {state}: expected {(expected?.ToString() ?? "refused")}, got {(verdict.Allowed ? verdict.Next.ToString() : "refused: " + verdict.Refusal)}");
            Assert.Equal(verdict.Allowed, SubcontractWorkflowRules.AvailableActions(Facts(state), actor).Contains(action));
        }
    }

    [Fact]
    public void Executive_approval_requires_the_review_and_the_security_managers_opinion()
    {
        foreach (var state in new[] { SubcontractState.Submitted, SubcontractState.Reviewed })
        {
            foreach (var decision in new[] { SubcontractAction.Approve, SubcontractAction.ApproveWithConditions, SubcontractAction.Reject })
            {
                Assert.Equal("EarlierStepsMissing", SubcontractWorkflowRules.Evaluate(Facts(state), decision, Executive, Complete).Refusal);
            }
        }
    }

    [Fact]
    public void The_security_manager_cannot_give_an_opinion_before_the_review()
        => Assert.Equal("EarlierStepsMissing", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Submitted), SubcontractAction.GiveOpinion, SecurityManager, Complete).Refusal);

    [Theory]
    [InlineData(SubcontractState.Draft)]
    [InlineData(SubcontractState.InformationRequested)]
    public void No_hospital_step_while_the_vendor_holds_the_request(SubcontractState state)
    {
        Assert.Equal("EarlierStepsMissing", SubcontractWorkflowRules.Evaluate(Facts(state), SubcontractAction.CompleteReview, SystemOperator, Complete).Refusal);
        Assert.Equal("EarlierStepsMissing", SubcontractWorkflowRules.Evaluate(Facts(state), SubcontractAction.Approve, Executive, Complete).Refusal);
    }

    [Theory]
    [InlineData(SubcontractState.Approved)]
    [InlineData(SubcontractState.ApprovedWithConditions)]
    [InlineData(SubcontractState.Rejected)]
    [InlineData(SubcontractState.Withdrawn)]
    public void A_decided_or_withdrawn_request_is_closed_to_every_step(SubcontractState state)
    {
        foreach (var action in SubcontractWorkflowRules.AllActions)
        {
            foreach (var actor in People.Values)
            {
                var verdict = SubcontractWorkflowRules.Evaluate(Facts(state), action, actor, Complete);
                Assert.False(verdict.Allowed);
            }
        }
        Assert.Equal("Closed", SubcontractWorkflowRules.Evaluate(Facts(state), SubcontractAction.Approve, Executive, Complete).Refusal);
        Assert.Equal("Closed", SubcontractWorkflowRules.Evaluate(Facts(state), SubcontractAction.Submit, Submitter, Complete).Refusal);
        Assert.Empty(SubcontractWorkflowRules.RolesToActNext(state));
    }

    [Fact]
    public void The_vendor_cannot_take_a_hospital_step_and_the_hospital_cannot_take_the_vendors()
    {
        Assert.Equal("WrongParty", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.OpinionGiven), SubcontractAction.Approve, VendorAdmin, Complete).Refusal);
        Assert.Equal("WrongParty", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Submitted), SubcontractAction.CompleteReview, Submitter, Complete).Refusal);
        Assert.Equal("WrongParty", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Draft), SubcontractAction.Submit, SystemOperator, Complete).Refusal);
        Assert.Equal("WrongParty", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.OpinionGiven), SubcontractAction.Approve, OtherHospitalExecutive, Complete).Refusal);
        Assert.Equal("WrongParty", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Draft), SubcontractAction.Submit, OtherVendorStaff, Complete).Refusal);
    }

    [Fact]
    public void A_hospital_role_may_take_only_its_own_step()
    {
        Assert.Equal("RoleNotAllowed", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.OpinionGiven), SubcontractAction.Approve, SecurityManager, Complete).Refusal);
        Assert.Equal("RoleNotAllowed", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.OpinionGiven), SubcontractAction.Approve, TenantAdmin, Complete).Refusal);
        Assert.Equal("RoleNotAllowed", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Reviewed), SubcontractAction.GiveOpinion, Executive, Complete).Refusal);
        Assert.Equal("RoleNotAllowed", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Submitted), SubcontractAction.CompleteReview, Auditor, Complete).Refusal);
        Assert.Equal("RoleNotAllowed", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Submitted), SubcontractAction.CompleteReview, SecurityManager, Complete).Refusal);
    }

    [Fact]
    public void Nobody_approves_their_own_request()
    {
        // The submitter, even holding the executive's role (an account moved between organizations), cannot decide.
        var submitterAsExecutive = new SubcontractActor(Submitter.UserId, Hospital, [Roles.Executive]);
        Assert.Equal("OwnRequest", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.OpinionGiven), SubcontractAction.Approve, submitterAsExecutive, Complete).Refusal);
        var submitterAsOperator = new SubcontractActor(Submitter.UserId, Hospital, [Roles.SystemOperator]);
        Assert.Equal("OwnRequest", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Submitted), SubcontractAction.CompleteReview, submitterAsOperator, Complete).Refusal);
    }

    [Fact]
    public void One_person_never_takes_two_of_the_hospitals_steps()
    {
        // The reviewer was later made security manager, then executive: the earlier step bars the later ones.
        var person = Guid.NewGuid();
        var asSecurityManager = new SubcontractActor(person, Hospital, [Roles.SecurityManager]);
        var asExecutive = new SubcontractActor(person, Hospital, [Roles.Executive]);
        Assert.Equal("SameActorTwice", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Reviewed, reviewedBy: person), SubcontractAction.GiveOpinion, asSecurityManager, Complete).Refusal);
        Assert.Equal("SameActorTwice", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.OpinionGiven, reviewedBy: person), SubcontractAction.Approve, asExecutive, Complete).Refusal);
        Assert.Equal("SameActorTwice", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.OpinionGiven, opinionBy: person), SubcontractAction.Reject, asExecutive, Complete).Refusal);
    }

    [Fact]
    public void Asking_for_information_needs_the_question_and_answering_needs_the_answer()
    {
        Assert.Equal("QuestionRequired", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Submitted), SubcontractAction.RequestInformation, PlanningManager, new SubcontractStepInput("  ")).Refusal);
        Assert.Equal("AnswerRequired", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.InformationRequested), SubcontractAction.Submit, Submitter, new SubcontractStepInput()).Refusal);
        // The first submission and the review need no text.
        Assert.True(SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Draft), SubcontractAction.Submit, Submitter, new SubcontractStepInput()).Allowed);
        Assert.True(SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Submitted), SubcontractAction.CompleteReview, SystemOperator, new SubcontractStepInput()).Allowed);
        Assert.True(SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Submitted), SubcontractAction.Withdraw, VendorAdmin, new SubcontractStepInput()).Allowed);
    }

    [Fact]
    public void The_opinion_needs_a_verdict_and_its_reasons()
    {
        var facts = Facts(SubcontractState.Reviewed);
        Assert.Equal("OpinionRequired", SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.GiveOpinion, SecurityManager, new SubcontractStepInput("理由")).Refusal);
        Assert.Equal("OpinionTextRequired", SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.GiveOpinion, SecurityManager, new SubcontractStepInput(Opinion: SecurityOpinion.Unfavourable)).Refusal);
        Assert.True(SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.GiveOpinion, SecurityManager, new SubcontractStepInput("理由", Opinion: SecurityOpinion.Unfavourable)).Allowed);
    }

    [Theory]
    [InlineData(SubcontractAction.Approve)]
    [InlineData(SubcontractAction.ApproveWithConditions)]
    [InlineData(SubcontractAction.Reject)]
    public void Every_decision_has_a_written_reason(SubcontractAction decision)
        => Assert.Equal("ReasonRequired", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.OpinionGiven), decision, Executive, new SubcontractStepInput(null, "条件")).Refusal);

    [Fact]
    public void An_approval_with_conditions_states_them()
    {
        var facts = Facts(SubcontractState.OpinionGiven);
        Assert.Equal("ConditionsRequired", SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.ApproveWithConditions, Executive, new SubcontractStepInput("理由")).Refusal);
        var verdict = SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.ApproveWithConditions, Executive, new SubcontractStepInput("理由", "立会いのこと"));
        Assert.Equal(SubcontractState.ApprovedWithConditions, verdict.Next);
    }

    [Fact]
    public void A_foreign_chain_needs_the_executives_explicit_acknowledgement_to_be_approved_but_not_to_be_rejected()
    {
        var facts = Facts(SubcontractState.OpinionGiven, foreign: true);
        Assert.Equal("ForeignAcknowledgementRequired", SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.Approve, Executive, new SubcontractStepInput("理由")).Refusal);
        Assert.Equal("ForeignAcknowledgementRequired", SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.ApproveWithConditions, Executive, new SubcontractStepInput("理由", "条件")).Refusal);
        Assert.True(SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.Reject, Executive, new SubcontractStepInput("理由")).Allowed);
        Assert.True(SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.Approve, Executive, new SubcontractStepInput("理由", ForeignAcknowledged: true)).Allowed);
        // A domestic chain needs none.
        Assert.True(SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.OpinionGiven), SubcontractAction.Approve, Executive, new SubcontractStepInput("理由")).Allowed);
    }

    [Fact]
    public void An_approval_end_date_given_by_the_executive_is_not_in_the_past_nor_before_the_subcontract_starts()
    {
        var facts = Facts(SubcontractState.OpinionGiven);
        Assert.Equal("ValidUntilInvalid", SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.Approve, Executive, new SubcontractStepInput("理由", ValidUntil: Today.AddDays(-1))).Refusal);
        Assert.Equal("ValidUntilInvalid", SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.Approve, Executive, new SubcontractStepInput("理由", ValidUntil: facts.PeriodFrom.AddDays(-1))).Refusal);
        Assert.True(SubcontractWorkflowRules.Evaluate(facts, SubcontractAction.Approve, Executive, new SubcontractStepInput("理由", ValidUntil: facts.PeriodFrom.AddYears(1))).Allowed);
    }

    [Fact]
    public void Text_longer_than_the_limit_is_refused()
        => Assert.Equal("TextTooLong", SubcontractWorkflowRules.Evaluate(Facts(SubcontractState.Submitted), SubcontractAction.RequestInformation, SystemOperator,
            new SubcontractStepInput(new string('あ', SubcontractWorkflowRules.MaxTextLength + 1))).Refusal);

    [Fact]
    public void Each_waiting_state_names_the_roles_that_act_next()
    {
        Assert.Equal([Roles.SystemOperator, Roles.PlanningManager], SubcontractWorkflowRules.RolesToActNext(SubcontractState.Submitted));
        Assert.Equal([Roles.SecurityManager], SubcontractWorkflowRules.RolesToActNext(SubcontractState.Reviewed));
        Assert.Equal([Roles.Executive], SubcontractWorkflowRules.RolesToActNext(SubcontractState.OpinionGiven));
        Assert.Empty(SubcontractWorkflowRules.RolesToActNext(SubcontractState.Draft));
        Assert.Empty(SubcontractWorkflowRules.RolesToActNext(SubcontractState.InformationRequested));
    }

    [Fact]
    public void Content_is_editable_only_by_the_vendors_staff_while_the_vendor_holds_the_request()
    {
        SubcontractRequest Request(SubcontractState s) => new() { VendorId = Vendor, HospitalId = Hospital, State = s };
        Assert.True(SubcontractWorkflowRules.CanEditContent(Request(SubcontractState.Draft), Submitter));
        Assert.True(SubcontractWorkflowRules.CanEditContent(Request(SubcontractState.InformationRequested), VendorAdmin));
        Assert.False(SubcontractWorkflowRules.CanEditContent(Request(SubcontractState.Submitted), Submitter));
        Assert.False(SubcontractWorkflowRules.CanEditContent(Request(SubcontractState.Approved), Submitter));
        Assert.False(SubcontractWorkflowRules.CanEditContent(Request(SubcontractState.Draft), SystemOperator));
        Assert.False(SubcontractWorkflowRules.CanEditContent(Request(SubcontractState.Draft), OtherVendorStaff));
    }

    [Theory]
    [InlineData("2029-03-31", null, null, "2029-03-31")]
    [InlineData("2029-03-31", "2028-03-31", null, "2028-03-31")]
    [InlineData("2029-03-31", null, "2027-09-30", "2027-09-30")]
    [InlineData("2029-03-31", "2028-03-31", "2027-09-30", "2027-09-30")]
    [InlineData("2027-03-31", "2028-03-31", "2030-03-31", "2027-03-31")]
    public void An_approval_ends_with_the_period_the_executives_date_or_the_engagement_whichever_comes_first(string periodTo, string? validUntil, string? engagementEnds, string expected)
        => Assert.Equal(DateOnly.Parse(expected), SubcontractWorkflowRules.ApprovalEndsOn(DateOnly.Parse(periodTo),
            validUntil is null ? null : DateOnly.Parse(validUntil), engagementEnds is null ? null : DateOnly.Parse(engagementEnds)));
}
