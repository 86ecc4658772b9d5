-- 0012: patch tracking. A deferral records who asked for it, so that person cannot approve it (four eyes: another
-- SecurityManager approves). No new index: the gap view's reads use ix_patch_statuses_hospital_id_state and
-- ix_component_support_dates_hospital_id_ends_on of 0008 (checked with EXPLAIN on a seeded database, docs/patches.md).

ALTER TABLE patch_statuses ADD COLUMN deferred_by_user_id uuid;
