-- 0007: indexes found by the scale benchmark (bench/run.sh, docs/performance.md).
--
-- The organization query filter asks, for every row of a list that names a vendor (review queue, a hospital's
-- checklists, the gap list), whether the signed-in hospital has engaged that vendor:
--   EXISTS (SELECT 1 FROM engagements WHERE hospital_id = @me AND vendor_id = o.id)
-- With only single-column indexes PostgreSQL answered it with a BitmapAnd that read all of the hospital's
-- engagements for each row (rows x engagements). One index on (hospital_id, vendor_id) answers it with a single
-- probe; it also serves every lookup by hospital_id alone, so it replaces ix_engagements_hospital_id.

CREATE INDEX ix_engagements_hospital_id_vendor_id ON engagements (hospital_id, vendor_id);

DROP INDEX ix_engagements_hospital_id;
