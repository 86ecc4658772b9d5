using System.Globalization;
using System.Text.Json;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Bench;

/// <summary>
/// Generates the rows of the scale data set in memory (deterministic apart from today's date). Answers are
/// canonical JSON made by <see cref="AnswerJson"/> and hashed the same way the workflow does, so every version
/// looks exactly like one the portal froze itself.
/// </summary>
internal sealed class ScaleData(DateOnly today)
{
    public const string ReviewerEmail = "bench-sysop@bench-hospital.example";
    public const string VendorEmail = "bench-admin@bench-vendor.example";

    private readonly Random _rnd = new(20_260_401);
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly DateTimeOffset _createdAt = new(2022, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public DateOnly Today { get; } = today;
    public FiscalYear CurrentYear => FiscalYear.Of(Today);
    public FiscalYear PreviousYear => new(CurrentYear.StartYear - 1);
    public FormTemplate Template { get; set; } = null!;
    public string TemplateHash { get; set; } = "";

    public Guid TargetHospitalId { get; } = ScaleSeeder.IdFor("hospital:000");
    public Guid BigVendorId { get; } = ScaleSeeder.IdFor("vendor:big");
    public Guid ReviewerId { get; } = ScaleSeeder.IdFor("user:reviewer");
    public Guid VendorUserId { get; } = ScaleSeeder.IdFor("user:vendor");
    /// <summary>A big-vendor system at the target hospital without a checklist this 年度: the upload draft's.</summary>
    public Guid UploadSystemId { get; private set; }

    public List<Organization> Organizations { get; } = [];
    public List<MedicalSystem> Systems { get; } = [];
    public List<Engagement> Engagements { get; } = [];
    public List<FormSubmission> Submissions { get; } = [];
    public List<FormSubmissionVersion> Versions { get; } = [];
    public List<FormReviewEvent> Events { get; } = [];

    private readonly List<(Guid Hospital, Guid Vendor, Guid? System)> _engagedPairs = [];
    private readonly Dictionary<Guid, List<Guid>> _bigVendorSystems = [];

    private static Guid Id(string key) => ScaleSeeder.IdFor(key);
    private static string N(int n, string format = "000") => n.ToString(format, CultureInfo.InvariantCulture);

    public void BuildOrganizations()
    {
        Organizations.Add(new Organization { Id = TargetHospitalId, Name = "ベンチ総合医療センター", NameEn = "Bench General Medical Center", Kind = OrganizationKind.Hospital, HospitalKind = HospitalKind.Hospital, CreatedAt = _createdAt });
        for (var h = 1; h < ScaleSeeder.HospitalCount; h++)
        {
            var clinic = h % 5 == 0;
            Organizations.Add(new Organization
            {
                Id = Id($"hospital:{N(h)}"), Name = clinic ? $"ベンチクリニック {N(h)}" : $"ベンチ病院 {N(h)}", Kind = OrganizationKind.Hospital,
                HospitalKind = clinic ? HospitalKind.Clinic : HospitalKind.Hospital, CreatedAt = _createdAt,
            });
        }
        Organizations.Add(new Organization
        {
            Id = BigVendorId, Name = "ベンチメディカルシステムズ株式会社", NameEn = "Bench Medical Systems", Kind = OrganizationKind.Vendor,
            VendorKinds = VendorKind.Manufacturer | VendorKind.ServiceProvider, CorporateNumber = "1010001000001", CreatedAt = _createdAt,
        });
        for (var v = 1; v <= ScaleSeeder.OtherVendorCount; v++)
        {
            Organizations.Add(new Organization { Id = VendorId(v), Name = $"ベンチ事業者 {N(v)} 株式会社", Kind = OrganizationKind.Vendor, VendorKinds = VendorKind.ServiceProvider, CreatedAt = _createdAt });
        }

        // The big vendor's 40 products (plain names until products are an entity of their own).
        var products = ProductCategoriesByEdition().Take(ScaleSeeder.ProductCount).ToList();
        for (var h = 0; h < ScaleSeeder.HospitalCount; h++)
        {
            var hospital = h == 0 ? TargetHospitalId : Id($"hospital:{N(h)}");
            var used = h == 0 ? products.Take(ScaleSeeder.TargetProducts).ToList() : products.OrderBy(_ => _rnd.Next()).Take(_rnd.Next(1, 5)).ToList();
            _bigVendorSystems[hospital] = [];
            foreach (var (product, category) in used)
            {
                var system = AddSystem(hospital, $"h{h}:p:{product}", product, category);
                _bigVendorSystems[hospital].Add(system.Id);
                AddEngagement(hospital, BigVendorId, $"{product} 保守・運用契約", new DateOnly(2022, 4, 1), system.Id, $"h{h}:p:{product}");
            }
            _engagedPairs.Add((hospital, BigVendorId, null));

            var others = h == 0
                ? Enumerable.Range(1, ScaleSeeder.TargetVendorCount - 1).ToList()
                : Enumerable.Range(1, ScaleSeeder.OtherVendorCount).OrderBy(_ => _rnd.Next()).Take(_rnd.Next(3, 9)).ToList();
            foreach (var v in others)
            {
                var category = SystemCategories[v % SystemCategories.Length];
                var system = AddSystem(hospital, $"h{h}:v{v}", $"{category} {N(v)}", category);
                AddEngagement(hospital, VendorId(v), $"{category} {N(v)} 保守契約", new DateOnly(2023, 4, 1).AddDays(_rnd.Next(0, 300)), system.Id, $"h{h}:v{v}");
                _engagedPairs.Add((hospital, VendorId(v), _rnd.Next(2) == 0 ? system.Id : null));
            }
        }
        UploadSystemId = _bigVendorSystems[TargetHospitalId][ScaleSeeder.TargetPerSystemChecklists];
    }

    private static readonly string[] SystemCategories = ["部門システム", "ネットワーク", "リモート保守", "検査機器", "給食管理", "物流管理", "健診システム", "透析管理"];

    private static IEnumerable<(string Product, string Category)> ProductCategoriesByEdition()
    {
        string[] categories = ["電子カルテ", "オーダリング", "PACS", "検査システム", "薬剤部門システム", "放射線部門システム", "医事会計", "地域医療連携"];
        string[] editions = ["Standard", "Pro", "Cloud", "Lite", "Enterprise"];
        foreach (var edition in editions)
        {
            foreach (var category in categories)
            {
                yield return ($"BMS {category} {edition}", category);
            }
        }
    }

    private static Guid VendorId(int v) => Id($"vendor:{N(v)}");

    private MedicalSystem AddSystem(Guid hospital, string key, string name, string category)
    {
        var system = new MedicalSystem { Id = Id("system:" + key), HospitalId = hospital, Name = name, Category = category, CreatedAt = _createdAt };
        Systems.Add(system);
        return system;
    }

    private void AddEngagement(Guid hospital, Guid vendor, string title, DateOnly startsOn, Guid systemId, string key)
    {
        var id = Id("engagement:" + key);
        Engagements.Add(new Engagement
        {
            Id = id, HospitalId = hospital, VendorId = vendor, Title = title, StartsOn = startsOn, CreatedAt = _createdAt,
            Systems = [new EngagementSystem { EngagementId = id, SystemId = systemId }],
        });
    }

    /// <summary>
    /// Target hospital: 150 vendors × 2 年度 = 300 submitted (this 年度 the big vendor answers once for all
    /// systems and once for each of 8 systems, and 8 late vendors have only a draft). The big vendor: both 年度
    /// at each of the other 299 hospitals. The rest, up to 2,000, spread over the other hospitals' vendors.
    /// </summary>
    public void BuildSubmissions()
    {
        var target = _engagedPairs.Where(p => p.Hospital == TargetHospitalId).ToList();
        var late = target.Where(p => p.Vendor != BigVendorId).TakeLast(ScaleSeeder.TargetLateVendors).Select(p => p.Vendor).ToHashSet();
        foreach (var p in target)
        {
            AddSubmitted(p.Hospital, p.Vendor, p.System, PreviousYear);
            if (late.Contains(p.Vendor))
            {
                AddDraft(p.Hospital, p.Vendor, p.System, CurrentYear);
            }
            else
            {
                AddSubmitted(p.Hospital, p.Vendor, p.System, CurrentYear);
            }
        }
        foreach (var system in _bigVendorSystems[TargetHospitalId].Take(ScaleSeeder.TargetPerSystemChecklists))
        {
            AddSubmitted(TargetHospitalId, BigVendorId, system, CurrentYear);
        }
        foreach (var p in _engagedPairs.Where(p => p.Hospital != TargetHospitalId && p.Vendor == BigVendorId))
        {
            AddSubmitted(p.Hospital, p.Vendor, p.System, PreviousYear);
            AddSubmitted(p.Hospital, p.Vendor, p.System, CurrentYear);
        }
        var rest = _engagedPairs.Where(p => p.Hospital != TargetHospitalId && p.Vendor != BigVendorId)
            .SelectMany(p => new[] { (p, PreviousYear), (p, CurrentYear) })
            .OrderBy(_ => _rnd.Next()).ToList();
        foreach (var (p, year) in rest.Take(ScaleSeeder.SubmissionCount - Submissions.Count(s => s.LatestVersion > 0)))
        {
            AddSubmitted(p.Hospital, p.Vendor, p.System, year);
        }
    }

    /// <summary>The upload draft's answers: all 100 items of round 1 filled, as an exported workbook would carry them.</summary>
    public FormAnswers DraftAnswers() => MakeAnswers(CurrentYear, [Today.AddDays(-1) < CurrentYear.FirstDay ? CurrentYear.FirstDay : Today.AddDays(-1)], 0.0);

    private void AddDraft(Guid hospital, Guid vendor, Guid? system, FiscalYear year)
    {
        var at = Clamp(ToInstant(year.FirstDay.AddDays(_rnd.Next(0, DaysInto(year) + 1))));
        var answers = MakeAnswers(year, [Min(year.FirstDay.AddDays(_rnd.Next(0, DaysInto(year) + 1)), Today)], 0.02);
        // Half-filled: the first 40 items only.
        var partial = new FormAnswers([.. answers.Rounds.Select(r => new CheckRound(r.Number, null,
            r.Answers.Take(40).ToDictionary(a => a.Key, a => a.Value)))]);
        Submissions.Add(new FormSubmission
        {
            Id = Id($"submission:{hospital}:{vendor}:{system}:{year.StartYear}"), TemplateKey = BenchTemplate.Key, Kind = FormKind.VendorChecklist,
            RespondentOrganizationId = vendor, HospitalId = hospital, FiscalYear = year.StartYear, SystemId = system, State = SubmissionState.Draft,
            DraftAnswers = AnswerJson.Serialize(partial), LatestVersion = 0, CreatedAt = at, UpdatedAt = at, UpdatedByUserId = VendorActor(vendor),
        });
    }

    private void AddSubmitted(Guid hospital, Guid vendor, Guid? system, FiscalYear year)
    {
        var current = year == CurrentYear;
        // Final state: this 年度 many still wait for review; last 年度 is mostly settled.
        var roll = _rnd.NextDouble();
        var state = current
            ? roll < 0.40 ? SubmissionState.Submitted : roll < 0.55 ? SubmissionState.Returned : SubmissionState.Accepted
            : roll < 0.08 ? SubmissionState.Submitted : roll < 0.15 ? SubmissionState.Returned : SubmissionState.Accepted;
        // Returned once (or twice) before the final version?
        var returns = state == SubmissionState.Returned ? _rnd.Next(0, 2) : _rnd.NextDouble() < 0.3 ? 1 + (_rnd.NextDouble() < 0.2 ? 1 : 0) : 0;
        var versionCount = returns + 1;

        // Check dates: round 1 early in the 年度; round 2 (2回目) in the second half, only for a finished past 年度.
        var span = Math.Max(1, DaysInto(year));
        var round1 = year.FirstDay.AddDays(_rnd.Next(0, Math.Max(1, (int)(span * (current ? 0.6 : 0.4)))));
        DateOnly? round2 = !current && _rnd.NextDouble() < 0.6 ? year.FirstDay.AddDays(_rnd.Next(200, 330)) : null;
        var checkedOn = round2 is { } r2 ? new[] { round1, r2 } : [round1];

        var id = Id($"submission:{hospital}:{vendor}:{system}:{year.StartYear}");
        var vendorUser = VendorActor(vendor);
        var vendorName = $"担当者 {vendor.ToString()[..8]}";
        var hospitalUser = hospital == TargetHospitalId ? ReviewerId : Id($"hospital-user:{hospital}");
        var at = Clamp(ToInstant(checkedOn[^1]).AddHours(_rnd.Next(1, 72)));
        var answers = MakeAnswers(year, checkedOn, 0.03);
        string canonical = "";
        for (var n = 1; n <= versionCount; n++)
        {
            if (n > 1)
            {
                // The returned points were fixed: some いいえ became はい.
                answers = Improve(answers);
                at = Clamp(at.AddDays(_rnd.Next(2, 15)));
            }
            canonical = AnswerJson.Serialize(answers);
            Versions.Add(new FormSubmissionVersion
            {
                Id = Id($"version:{id}:{n}"), SubmissionId = id, Number = n, Answers = canonical, ContentHash = AnswerJson.Hash(canonical),
                TemplateHash = TemplateHash, SubmittedAt = at, SubmittedByUserId = vendorUser, SubmittedByName = vendorName,
            });
            Events.Add(Event(id, n, ReviewAction.Submitted, null, "{}", vendorUser, vendorName, vendor, at));
            var last = n == versionCount;
            if (!last || state == SubmissionState.Returned)
            {
                at = Clamp(at.AddDays(_rnd.Next(3, 20)));
                var item = Template.Items.ElementAt(_rnd.Next(0, 100)).Id;
                Events.Add(Event(id, n, ReviewAction.Returned, "いいえの項目について目標日と対応方針を記入してください。",
                    JsonSerializer.Serialize(new Dictionary<string, string> { [item] = "根拠資料の添付をお願いします。" }, FormTemplate.Json),
                    hospitalUser, "ベンチ 審査担当", hospital, at));
            }
            else if (state == SubmissionState.Accepted)
            {
                at = Clamp(at.AddDays(_rnd.Next(2, 20)));
                Events.Add(Event(id, n, ReviewAction.Accepted, null, "{}", hospitalUser, "ベンチ 審査担当", hospital, at));
            }
        }
        Submissions.Add(new FormSubmission
        {
            Id = id, TemplateKey = BenchTemplate.Key, Kind = FormKind.VendorChecklist, RespondentOrganizationId = vendor, HospitalId = hospital,
            FiscalYear = year.StartYear, SystemId = system, State = state, DraftAnswers = canonical, LatestVersion = versionCount,
            CreatedAt = ToInstant(round1).AddDays(-3) < _now ? ToInstant(round1).AddDays(-3) : _now, UpdatedAt = at, UpdatedByUserId = vendorUser,
        });
    }

    private FormReviewEvent Event(Guid submission, int version, ReviewAction action, string? comment, string itemComments, Guid actor, string actorName, Guid actorOrg, DateTimeOffset at)
        => new()
        {
            Id = Id($"event:{submission}:{version}:{action}"), SubmissionId = submission, VersionNumber = version, Action = action, Comment = comment,
            ItemComments = itemComments, ActorUserId = actor, ActorName = actorName, ActorOrganizationId = actorOrg, At = at,
        };

    /// <summary>
    /// Every item answered in each checked round: はい mostly, いいえ with probability <paramref name="noRate"/> (three
    /// in four with a 目標日 inside the 年度, some of them already past; the rest without one, as imported or older
    /// data has), 対象外 sometimes where allowed, and the text item filled.
    /// </summary>
    private FormAnswers MakeAnswers(FiscalYear year, IReadOnlyList<DateOnly> checkedOn, double noRate)
    {
        var rounds = new List<CheckRound>();
        for (var r = 0; r < 2; r++)
        {
            var answers = new Dictionary<string, ItemAnswer>(StringComparer.Ordinal);
            if (r < checkedOn.Count)
            {
                foreach (var item in Template.Items)
                {
                    answers[item.Id] = item.AnswerType switch
                    {
                        AnswerType.Text => new ItemAnswer($"情報システム部 担当{N(_rnd.Next(1, 30), "00")}"),
                        AnswerType.YesNoNa when _rnd.NextDouble() < 0.15 => new ItemAnswer(nameof(YesNo.NotApplicable)),
                        _ when _rnd.NextDouble() < noRate => No(year, checkedOn[r]),
                        _ => new ItemAnswer(nameof(YesNo.Yes)),
                    };
                }
            }
            rounds.Add(new CheckRound(r + 1, r < checkedOn.Count ? checkedOn[r] : null, answers));
        }
        return new FormAnswers(rounds);
    }

    private ItemAnswer No(FiscalYear year, DateOnly checkedOn)
    {
        if (_rnd.NextDouble() < 0.25)
        {
            return new ItemAnswer(nameof(YesNo.No), null, "対応時期を検討中");
        }
        var days = Math.Max(1, year.LastDay.DayNumber - checkedOn.DayNumber);
        return new ItemAnswer(nameof(YesNo.No), checkedOn.AddDays(_rnd.Next(1, days + 1)), _rnd.NextDouble() < 0.5 ? "次回更新時に対応予定" : null);
    }

    private FormAnswers Improve(FormAnswers answers)
        => new([.. answers.Rounds.Select(r => new CheckRound(r.Number, r.CheckedOn, r.Answers.ToDictionary(a => a.Key,
            a => a.Value.Value == nameof(YesNo.No) && _rnd.NextDouble() < 0.5 ? new ItemAnswer(nameof(YesNo.Yes)) : a.Value, StringComparer.Ordinal)))]);

    private Guid VendorActor(Guid vendor) => vendor == BigVendorId ? VendorUserId : Id($"vendor-user:{vendor}");

    /// <summary>Days from the 年度's first day to today (or to its end for a past 年度).</summary>
    private int DaysInto(FiscalYear year) => Min(year.LastDay, Today).DayNumber - year.FirstDay.DayNumber;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private DateTimeOffset ToInstant(DateOnly day)
        => new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), JapanTime.Offset).AddMinutes(_rnd.Next(0, 9 * 60)).ToUniversalTime();

    private DateTimeOffset Clamp(DateTimeOffset at) => at < _now ? at : _now.AddMinutes(-_rnd.Next(5, 600));
}
