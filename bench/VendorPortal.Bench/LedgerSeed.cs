using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace VendorPortal.Bench;

/// <summary>
/// The ledger, EOS and patch part of the data sets, written with set-based SQL (INSERT … SELECT over
/// generate_series; no row leaves the database server), for every hospital listed in the temporary table
/// <c>bench_ledger_hospitals (n, hospital_id)</c>:
/// <list type="bullet">
/// <item>its systems (all of <c>medical_systems</c> of the hospital, numbered 0…), each with the vendor of its
///   engagement (the supplier of the system's components);</item>
/// <item><see cref="Shape.Components"/> system_components spread over the systems: client PCs 55 %, servers 12 %,
///   medical devices 12 %, network devices 10 %, software 6 %, cloud services 3 %, VPN devices 2 %, with makers,
///   models, OS and versions, firmware, IP addresses, host names, locations, segments and CIA classes;</item>
/// <item>one component_support_dates row per component (OS for PCs, servers and medical devices; firmware for
///   network and VPN devices; product for software and cloud), ends_on spread so that 6 % have passed, 3 % end
///   within 30 days, 4 % within 31–90, 7 % within 91–180, 13 % within 181–365 and the rest later (up to 6 years);</item>
/// <item><see cref="Shape.Advisories"/> security_advisories (10 % Critical, 25 % High, 45 % Medium, 20 % Low),
///   released over the last two years;</item>
/// <item><see cref="Shape.Patches"/> patch_statuses, distinct (advisory, component) pairs: 64 % applied,
///   29 % not applicable, 1.5 % deferred (reason, compensating measure, approved), 2.5 % planned (half of them
///   with a date already past), 3 % open.</item>
/// </list>
/// Ids are derived from (table, hospital number, row number), so a run is reproducible and ids of one table
/// ascend in insertion order (cheap B-tree appends). Only <see cref="VendorPortal.Features.Policy"/> defaults
/// apply (no compliance_policies rows).
/// </summary>
internal static class LedgerSeed
{
    public sealed record Shape(int Systems, int Components, int Advisories, int Patches)
    {
        /// <summary>The measured hospital of issue 5: 400 systems, 6,000 components, 300 advisories, 20,000 patch statuses.</summary>
        public static readonly Shape Measured = new(400, 6_000, 300, 20_000);
    }

    /// <summary>uuid from (table tag, hospital number, row number): 'b00000tt-hhhh-4000-8000-nnnnnnnnnnnn'.</summary>
    private const string IdFunction = """
        CREATE OR REPLACE FUNCTION pg_temp.bench_id(tag int, h int, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
        $$ SELECT ('b0' || lpad(to_hex(tag), 6, '0') || '-' || lpad(to_hex(h), 4, '0') || '-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;
        """;

    /// <summary>Creates the temporary tables the statements read; fill <c>bench_ledger_hospitals</c> before <see cref="SeedAsync"/>.</summary>
    public static async Task PrepareAsync(NpgsqlConnection conn)
    {
        await ExecAsync(conn, IdFunction + """
            CREATE TEMP TABLE IF NOT EXISTS bench_ledger_hospitals (n int NOT NULL, hospital_id uuid NOT NULL);
            CREATE TEMP TABLE IF NOT EXISTS bench_ledger_systems (hospital_id uuid NOT NULL, n int NOT NULL, system_id uuid NOT NULL, vendor_id uuid);
            """);
    }

    /// <summary>The measured hospital: its systems topped up to <see cref="Shape.Systems"/> (each new one engaged with one of its vendors, in turn), then the rows above.</summary>
    public static async Task<string> SeedMeasuredHospitalAsync(NpgsqlConnection conn, Guid hospitalId, DateOnly today)
    {
        var clock = Stopwatch.StartNew();
        var shape = Shape.Measured;
        await PrepareAsync(conn);
        await ExecAsync(conn, "TRUNCATE bench_ledger_hospitals; INSERT INTO bench_ledger_hospitals VALUES (0, @h);", ("h", hospitalId));
        // More systems, each named like a department system and covered by one of the hospital's engagements (round robin).
        await ExecAsync(conn, """
            WITH have AS (SELECT count(*)::int AS c FROM medical_systems WHERE hospital_id = @h),
                 eng AS (SELECT id, row_number() OVER (ORDER BY vendor_id, id) - 1 AS i, count(*) OVER () AS total FROM engagements WHERE hospital_id = @h),
                 fresh AS (
                     SELECT pg_temp.bench_id(1, 0, g) AS id, g, (g * 7919) % (SELECT max(total) FROM eng) AS e
                     FROM generate_series((SELECT c FROM have), @systems - 1) g),
                 ins AS (
                     INSERT INTO medical_systems (id, hospital_id, name, category, created_at)
                     SELECT f.id, @h, (ARRAY['部門システム','検査システム','放射線情報システム','薬剤システム','給食システム','物流システム','透析システム','内視鏡システム','生理検査システム','看護支援システム'])[1 + f.g % 10] || ' ' || lpad(f.g::text, 3, '0'),
                            (ARRAY['部門システム','部門システム','PACS','部門システム','その他','その他','部門システム','部門システム','部門システム','部門システム'])[1 + f.g % 10], now()
                     FROM fresh f RETURNING id)
            INSERT INTO engagement_systems (engagement_id, system_id)
            SELECT eng.id, f.id FROM fresh f JOIN eng ON eng.i = f.e;
            """, ("h", hospitalId), ("systems", shape.Systems));
        var counts = await SeedAsync(conn, shape, today);
        return string.Create(CultureInfo.InvariantCulture, $"ledger of the measured hospital in {clock.Elapsed.TotalSeconds:F1} s: {counts}");
    }

    /// <summary>The rows for every hospital of bench_ledger_hospitals; returns a one-line account of what was written.</summary>
    public static async Task<string> SeedAsync(NpgsqlConnection conn, Shape shape, DateOnly today, bool withPatches = true)
    {
        var p = new (string, object)[]
        {
            ("today", today), ("components", shape.Components), ("systems", shape.Systems), ("advisories", shape.Advisories), ("patches", shape.Patches),
        };
        await ExecAsync(conn, """
            TRUNCATE bench_ledger_systems;
            INSERT INTO bench_ledger_systems (hospital_id, n, system_id, vendor_id)
            SELECT s.hospital_id, (row_number() OVER (PARTITION BY s.hospital_id ORDER BY s.id) - 1)::int, s.id, v.vendor_id
            FROM medical_systems s JOIN bench_ledger_hospitals h ON h.hospital_id = s.hospital_id
            LEFT JOIN (SELECT DISTINCT ON (es.system_id) es.system_id, e.vendor_id
                       FROM engagements e JOIN bench_ledger_hospitals h2 ON h2.hospital_id = e.hospital_id
                       JOIN engagement_systems es ON es.engagement_id = e.id
                       ORDER BY es.system_id, e.vendor_id) v ON v.system_id = s.id;
            ANALYZE bench_ledger_systems;
            """);
        var clock = Stopwatch.StartNew();
        // Components and their support dates in one pass: the dates are made from the rows RETURNING gives back.
        var components = await ExecAsync(conn, """
            WITH comp AS (
            INSERT INTO system_components (id, hospital_id, system_id, management_number, kind, name, maker, model, serial_number, software, software_version,
                os, os_version, firmware, ip_address, host_name, location, users, registered_on, owner_department, supplier_vendor_id, uses_remote_maintenance,
                network_segment, confidentiality, integrity, availability, anti_malware, notes, retired_on, created_at, updated_at, revision)
            SELECT pg_temp.bench_id(2, h.n, c), h.hospital_id, s.system_id, 'IT-' || lpad(c::text, 5, '0'), k.kind,
                   CASE k.kind WHEN 'ClientPc' THEN '端末 ' WHEN 'Server' THEN 'サーバ ' WHEN 'MedicalDevice' THEN '医療機器 ' WHEN 'NetworkDevice' THEN 'スイッチ '
                               WHEN 'VpnDevice' THEN 'VPN装置 ' WHEN 'CloudService' THEN 'クラウド ' ELSE 'ソフトウェア ' END || lpad(c::text, 5, '0'),
                   m.maker, m.model, CASE WHEN k.kind IN ('CloudService', 'Software') THEN NULL ELSE upper(to_hex(c * 2654435761 % 4294967296)) END,
                   m.software, m.software_version, m.os, m.os_version, m.firmware,
                   CASE WHEN k.kind = 'CloudService' THEN NULL ELSE '10.' || (h.n % 200) || '.' || (c / 250) || '.' || (1 + c % 250) END,
                   CASE WHEN k.kind = 'CloudService' THEN NULL ELSE lower(k.kind) || '-' || lpad(c::text, 5, '0') END,
                   (ARRAY['本館1F 医事課','本館2F 外来','本館3F 病棟','本館B1 サーバ室','別館 検査部','別館 放射線部','本館4F 病棟','本館1F 救急外来'])[1 + c % 8],
                   (ARRAY['医師・看護師','医事課職員','検査技師','放射線技師','システム管理者','薬剤師'])[1 + c % 6],
                   @today - (365 + c % 2000), (ARRAY['医療情報部','医事課','検査部','放射線部','薬剤部','看護部'])[1 + c % 6], s.vendor_id,
                   k.kind IN ('Server', 'MedicalDevice', 'VpnDevice') AND c % 3 = 0,
                   CASE WHEN k.kind IN ('VpnDevice', 'CloudService') THEN 'External' WHEN c % 5 = 0 THEN 'Administrative' ELSE 'Clinical' END,
                   CASE WHEN c % 4 = 0 THEN 'B' ELSE 'A' END, 'A', CASE WHEN k.kind = 'Server' THEN 'A' ELSE 'B' END,
                   CASE WHEN k.kind IN ('ClientPc', 'Server') THEN c % 20 <> 0 ELSE NULL END, NULL, NULL, now(), now(), 1
            FROM bench_ledger_hospitals h
            CROSS JOIN generate_series(0, @components - 1) c
            JOIN bench_ledger_systems s ON s.hospital_id = h.hospital_id AND s.n = c % @systems
            CROSS JOIN LATERAL (SELECT CASE WHEN c % 100 < 55 THEN 'ClientPc' WHEN c % 100 < 67 THEN 'Server' WHEN c % 100 < 79 THEN 'MedicalDevice'
                                            WHEN c % 100 < 89 THEN 'NetworkDevice' WHEN c % 100 < 95 THEN 'Software' WHEN c % 100 < 98 THEN 'CloudService'
                                            ELSE 'VpnDevice' END AS kind) k
            CROSS JOIN LATERAL (SELECT
                CASE k.kind WHEN 'ClientPc' THEN (ARRAY['富士通','NEC','Dell','HP','Lenovo'])[1 + c % 5]
                            WHEN 'Server' THEN (ARRAY['富士通','NEC','Dell','HPE'])[1 + c % 4]
                            WHEN 'MedicalDevice' THEN (ARRAY['キヤノンメディカル','富士フイルム','シーメンス','GEヘルスケア','オリンパス'])[1 + c % 5]
                            WHEN 'NetworkDevice' THEN (ARRAY['Cisco','アラクサラ','ヤマハ','Allied Telesis'])[1 + c % 4]
                            WHEN 'VpnDevice' THEN (ARRAY['Fortinet','ヤマハ','Palo Alto Networks'])[1 + c % 3]
                            WHEN 'CloudService' THEN (ARRAY['Microsoft','Amazon Web Services','さくらインターネット'])[1 + c % 3]
                            ELSE (ARRAY['Microsoft','Oracle','Trend Micro'])[1 + c % 3] END AS maker,
                CASE k.kind WHEN 'ClientPc' THEN (ARRAY['ESPRIMO D','Mate J','OptiPlex 7010','EliteDesk 800','ThinkCentre M70'])[1 + c % 5]
                            WHEN 'Server' THEN (ARRAY['PRIMERGY RX2540','Express5800/R120','PowerEdge R750','ProLiant DL380'])[1 + c % 4]
                            WHEN 'MedicalDevice' THEN (ARRAY['CT Aquilion','FCR','MRI MAGNETOM','超音波 LOGIQ','内視鏡 EVIS'])[1 + c % 5]
                            WHEN 'NetworkDevice' THEN (ARRAY['Catalyst 9300','AX2630S','SWX3220','x530'])[1 + c % 4]
                            WHEN 'VpnDevice' THEN (ARRAY['FortiGate 60F','RTX1300','PA-440'])[1 + c % 3]
                            ELSE NULL END AS model,
                CASE k.kind WHEN 'Software' THEN (ARRAY['SQL Server','Oracle Database','ウイルスバスター Corp.'])[1 + c % 3]
                            WHEN 'CloudService' THEN (ARRAY['Microsoft 365','AWS 画像保管','クラウドバックアップ'])[1 + c % 3]
                            WHEN 'MedicalDevice' THEN 'ワークステーション' ELSE NULL END AS software,
                CASE k.kind WHEN 'Software' THEN (ARRAY['2019','19c','XG SP1'])[1 + c % 3] ELSE NULL END AS software_version,
                CASE k.kind WHEN 'ClientPc' THEN (ARRAY['Windows 11 Pro','Windows 11 Pro','Windows 10 Pro','Windows 11 Enterprise'])[1 + c % 4]
                            WHEN 'Server' THEN (ARRAY['Windows Server 2022','Windows Server 2019','Windows Server 2016','Red Hat Enterprise Linux'])[1 + c % 4]
                            WHEN 'MedicalDevice' THEN (ARRAY['Windows 10 IoT Enterprise LTSC','Windows 7 Embedded','Linux'])[1 + c % 3]
                            ELSE NULL END AS os,
                CASE k.kind WHEN 'ClientPc' THEN (ARRAY['24H2','23H2','22H2','24H2'])[1 + c % 4]
                            WHEN 'Server' THEN (ARRAY['21H2','1809','1607','9.4'])[1 + c % 4]
                            WHEN 'MedicalDevice' THEN (ARRAY['2021','SP1','5.10'])[1 + c % 3] ELSE NULL END AS os_version,
                CASE k.kind WHEN 'NetworkDevice' THEN (ARRAY['17.9.4','13.1','2.02.24','5.5.3'])[1 + c % 4]
                            WHEN 'VpnDevice' THEN (ARRAY['FortiOS 7.2.8','Rev.23.00.11','PAN-OS 11.1'])[1 + c % 3] ELSE NULL END AS firmware) m
            RETURNING id, hospital_id, kind, management_number, name, software, software_version, os, os_version, firmware, supplier_vendor_id)
            INSERT INTO component_support_dates (id, hospital_id, component_id, kind, subject, ends_on, source, entered_by_organization_id, entered_by_user_id,
                entered_by_name, entered_at)
            SELECT pg_temp.bench_id(3, h.n, x.c), x.hospital_id, x.id,
                   CASE WHEN x.os IS NOT NULL THEN 'Os' WHEN x.firmware IS NOT NULL THEN 'Firmware' WHEN x.software IS NOT NULL THEN 'Product' ELSE 'Product' END,
                   COALESCE(x.os || ' ' || x.os_version, x.firmware, x.software || COALESCE(' ' || x.software_version, ''), x.name),
                   @today + CASE WHEN bb.b < 60 THEN -(1 + (x.c * 31) % 700) WHEN bb.b < 90 THEN x.c % 30 WHEN bb.b < 130 THEN 31 + x.c % 60
                                 WHEN bb.b < 200 THEN 91 + x.c % 90 WHEN bb.b < 330 THEN 181 + x.c % 185 ELSE 366 + (x.c * 13) % 1800 END,
                   (ARRAY['メーカーのライフサイクルポリシー','保守契約書','事業者からの通知','製品の添付文書'])[1 + x.c % 4],
                   COALESCE(x.supplier_vendor_id, x.hospital_id), NULL, 'ベンチデータ', now()
            FROM (SELECT comp.*, substr(comp.management_number, 4)::int AS c FROM comp) x
            JOIN bench_ledger_hospitals h ON h.hospital_id = x.hospital_id
            CROSS JOIN LATERAL (SELECT (x.c * 7919 + h.n * 104729) % 1000 AS b) bb;
            """, p);
        var advisories = await ExecAsync(conn, """
            INSERT INTO security_advisories (id, hospital_id, identifier, title, severity, released_on, url, description, created_by_organization_id, created_by_name, created_at)
            SELECT pg_temp.bench_id(4, h.n, a), h.hospital_id,
                   CASE WHEN a % 3 = 0 THEN 'JVNVU#' || (90000000 + a * 37) ELSE 'CVE-' || (extract(year FROM @today)::int - 1 + a % 2) || '-' || (20000 + a) END,
                   (ARRAY['リモートでコードが実行される脆弱性','権限昇格の脆弱性','情報漏えいの脆弱性','サービス拒否の脆弱性','認証回避の脆弱性'])[1 + a % 5] || '（ベンチ ' || a || '）',
                   CASE WHEN a % 20 < 2 THEN 'Critical' WHEN a % 20 < 7 THEN 'High' WHEN a % 20 < 16 THEN 'Medium' ELSE 'Low' END,
                   @today - (a * 7) % 730, NULL, NULL, h.hospital_id, 'ベンチデータ', now()
            FROM bench_ledger_hospitals h CROSS JOIN generate_series(0, @advisories - 1) a;
            """, p);
        var componentSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var patches = 0;
        if (withPatches)
        {
            // Pair g → advisory g % A and component (a * 37 + (g / A) * 89) % C: distinct pairs while g / A < C / gcd(89, C).
            patches = await ExecAsync(conn, """
                INSERT INTO patch_statuses (id, hospital_id, advisory_id, component_id, state, planned_on, committed_by_vendor_id, applied_on, applied_by_name,
                    reason, compensating_measure, deferral_approved_by_user_id, deferral_approved_by_name, deferral_approved_at, updated_at, updated_by_name, revision)
                SELECT pg_temp.bench_id(5, h.n, x.g), h.hospital_id, pg_temp.bench_id(4, h.n, x.a), pg_temp.bench_id(2, h.n, x.c),
                       x.state,
                       CASE WHEN x.state = 'Planned' THEN @today + CASE WHEN x.b % 2 = 0 THEN -(1 + x.g % 40) ELSE 1 + x.g % 60 END END,
                       CASE WHEN x.state = 'Planned' THEN s.vendor_id END,
                       CASE WHEN x.state = 'Applied' THEN LEAST(@today, @today - (x.a * 7) % 730 + 3 + x.g % 50) END,
                       CASE WHEN x.state = 'Applied' THEN '保守担当者' END,
                       CASE WHEN x.state = 'NotApplicable' THEN '該当する機能を使用していない' WHEN x.state = 'Deferred' THEN '医療機器の薬機法上の制約によりメーカー検証待ち' END,
                       CASE WHEN x.state = 'Deferred' THEN '外部接続を遮断し、通信を許可リストで制限' END,
                       NULL, CASE WHEN x.state = 'Deferred' THEN 'ベンチ 情報セキュリティ管理者' END,
                       CASE WHEN x.state = 'Deferred' THEN now() - interval '10 days' END,
                       now(), 'ベンチデータ', 1
                FROM bench_ledger_hospitals h
                CROSS JOIN LATERAL (
                    SELECT g, g % @advisories AS a, ((g % @advisories) * 37 + (g / @advisories) * 89) % @components AS c, (g * 7 + h.n * 13) % 1000 AS b,
                           CASE WHEN (g * 7 + h.n * 13) % 1000 < 640 THEN 'Applied' WHEN (g * 7 + h.n * 13) % 1000 < 930 THEN 'NotApplicable'
                                WHEN (g * 7 + h.n * 13) % 1000 < 945 THEN 'Deferred' WHEN (g * 7 + h.n * 13) % 1000 < 970 THEN 'Planned' ELSE 'Open' END AS state
                    FROM generate_series(0, @patches - 1) g) x
                JOIN bench_ledger_systems s ON s.hospital_id = h.hospital_id AND s.n = x.c % @systems;
                """, p);
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{components} components and as many support dates, {advisories} advisories ({componentSeconds:F1} s), {patches} patch statuses ({clock.Elapsed.TotalSeconds:F1} s)");
    }

    internal static async Task<int> ExecAsync(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        return await cmd.ExecuteNonQueryAsync();
    }
}
