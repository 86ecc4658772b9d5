using Npgsql;
using NpgsqlTypes;
using VendorPortal.Features.Subcontracting;

namespace VendorPortal.Bench;

/// <summary>
/// The 再委託 part of the data set: for every vendor of the measured hospital, four approved requests with one
/// subcontractor each (600 subcontractor relationships for 150 vendors), half of them with a certification, plus one
/// request per vendor still waiting for the hospital (not on the register). Written with COPY, like the checklists.
/// </summary>
internal static class SubcontractSeed
{
    public static async Task<int> CopyAsync(NpgsqlConnection conn, ScaleData data)
    {
        var today = data.Today;
        var now = DateTimeOffset.UtcNow;
        var requests = new List<SubcontractRequest>();
        var companies = new List<Subcontractor>();
        var certifications = new List<SubcontractorCertification>();
        var engagements = data.Engagements.Where(e => e.HospitalId == data.TargetHospitalId).DistinctBy(e => e.VendorId).ToList();
        var n = 0;
        foreach (var engagement in engagements)
        {
            for (var i = 0; i < 5; i++)
            {
                var approved = i < 4;
                var request = new SubcontractRequest
                {
                    Id = ScaleSeeder.IdFor($"subcontract:{engagement.Id}:{i}"), VendorId = engagement.VendorId, HospitalId = engagement.HospitalId,
                    EngagementId = engagement.Id, State = approved ? SubcontractState.Approved : SubcontractState.Submitted, Version = 1, Revision = approved ? 4 : 1,
                    CreatedAt = now.AddDays(-60), CreatedByUserId = data.VendorUserId, UpdatedAt = now.AddDays(-30 + i), StateChangedAt = now.AddDays(-30 + i),
                    FirstSubmittedAt = now.AddDays(-50), SubmittedAt = now.AddDays(-50), SubmittedByUserId = data.VendorUserId,
                    ContentHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n))),
                    DecidedAt = approved ? now.AddDays(-30 + i) : null, DecidedByUserId = approved ? data.ReviewerId : null,
                    DecisionReason = approved ? "体制・認証を確認し承認" : null, ValidUntil = approved ? today.AddYears(1) : null,
                };
                requests.Add(request);
                var company = new Subcontractor
                {
                    Id = ScaleSeeder.IdFor($"subcontractor:{request.Id}"), RequestId = request.Id, SortOrder = 0,
                    Name = $"ベンチ委託先 {n:D4} 株式会社", CorporateNumber = null, Address = "東京都千代田区1-1-1", Country = "JP", DataStorageCountry = "JP",
                    GoverningLaw = "日本法", Work = "サーバ保守・監視", HandlesPersonalInformation = i % 2 == 0, HandlesMedicalInformation = i % 3 == 0,
                    InformationDescription = i % 2 == 0 ? "保守作業時に患者氏名を閲覧する可能性" : null,
                    PeriodFrom = today.AddMonths(-6), PeriodTo = today.AddYears(1), SecurityDuties = "守秘義務、再委託の禁止、作業ログの提出",
                };
                companies.Add(company);
                if (n % 2 == 0)
                {
                    certifications.Add(new SubcontractorCertification
                    {
                        Id = ScaleSeeder.IdFor($"certification:{company.Id}"), SubcontractorId = company.Id, RequestId = request.Id,
                        Kind = CertificationKind.Isms, Number = $"IS {500000 + n}", ExpiresOn = today.AddMonths(3 + n % 24),
                    });
                }
                n++;
            }
        }
        await ScaleSeeder.CopyAsync(conn, "subcontract_requests",
            "id, vendor_id, hospital_id, engagement_id, state, version, revision, created_at, created_by_user_id, updated_at, state_changed_at, first_submitted_at, submitted_at, submitted_by_user_id, content_hash, decided_at, decided_by_user_id, decision_reason, valid_until",
            requests, (w, x) =>
            {
                w.Write(x.Id, NpgsqlDbType.Uuid);
                w.Write(x.VendorId, NpgsqlDbType.Uuid);
                w.Write(x.HospitalId, NpgsqlDbType.Uuid);
                w.Write(x.EngagementId, NpgsqlDbType.Uuid);
                w.Write(x.State.ToString(), NpgsqlDbType.Varchar);
                w.Write(x.Version, NpgsqlDbType.Integer);
                w.Write(x.Revision, NpgsqlDbType.Integer);
                w.Write(x.CreatedAt, NpgsqlDbType.TimestampTz);
                w.Write(x.CreatedByUserId, NpgsqlDbType.Uuid);
                w.Write(x.UpdatedAt, NpgsqlDbType.TimestampTz);
                w.Write(x.StateChangedAt, NpgsqlDbType.TimestampTz);
                w.Write(x.FirstSubmittedAt!.Value, NpgsqlDbType.TimestampTz);
                w.Write(x.SubmittedAt!.Value, NpgsqlDbType.TimestampTz);
                w.Write(x.SubmittedByUserId!.Value, NpgsqlDbType.Uuid);
                w.Write(x.ContentHash!, NpgsqlDbType.Varchar);
                if (x.DecidedAt is { } at) { w.Write(at, NpgsqlDbType.TimestampTz); } else { w.WriteNull(); }
                if (x.DecidedByUserId is { } by) { w.Write(by, NpgsqlDbType.Uuid); } else { w.WriteNull(); }
                if (x.DecisionReason is { } reason) { w.Write(reason, NpgsqlDbType.Text); } else { w.WriteNull(); }
                if (x.ValidUntil is { } until) { w.Write(until, NpgsqlDbType.Date); } else { w.WriteNull(); }
            });
        await ScaleSeeder.CopyAsync(conn, "subcontractors",
            "id, request_id, sort_order, name, address, country, data_storage_country, governing_law, work, handles_personal_information, handles_medical_information, information_description, period_from, period_to, security_duties",
            companies, (w, x) =>
            {
                w.Write(x.Id, NpgsqlDbType.Uuid);
                w.Write(x.RequestId, NpgsqlDbType.Uuid);
                w.Write(x.SortOrder, NpgsqlDbType.Integer);
                w.Write(x.Name, NpgsqlDbType.Varchar);
                w.Write(x.Address, NpgsqlDbType.Varchar);
                w.Write(x.Country, NpgsqlDbType.Varchar);
                w.Write(x.DataStorageCountry!, NpgsqlDbType.Varchar);
                w.Write(x.GoverningLaw, NpgsqlDbType.Varchar);
                w.Write(x.Work, NpgsqlDbType.Text);
                w.Write(x.HandlesPersonalInformation, NpgsqlDbType.Boolean);
                w.Write(x.HandlesMedicalInformation, NpgsqlDbType.Boolean);
                if (x.InformationDescription is { } d) { w.Write(d, NpgsqlDbType.Text); } else { w.WriteNull(); }
                w.Write(x.PeriodFrom, NpgsqlDbType.Date);
                w.Write(x.PeriodTo, NpgsqlDbType.Date);
                w.Write(x.SecurityDuties, NpgsqlDbType.Text);
            });
        await ScaleSeeder.CopyAsync(conn, "subcontractor_certifications", "id, subcontractor_id, request_id, kind, number, expires_on",
            certifications, (w, x) =>
            {
                w.Write(x.Id, NpgsqlDbType.Uuid);
                w.Write(x.SubcontractorId, NpgsqlDbType.Uuid);
                w.Write(x.RequestId, NpgsqlDbType.Uuid);
                w.Write(x.Kind.ToString(), NpgsqlDbType.Varchar);
                w.Write(x.Number, NpgsqlDbType.Varchar);
                w.Write(x.ExpiresOn, NpgsqlDbType.Date);
            });
        return companies.Count(c => requests.First(r => r.Id == c.RequestId).State == SubcontractState.Approved);
    }
}
