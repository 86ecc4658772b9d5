-- 立入検査用 evidence bundle (issue 6): export jobs. The ZIP itself is a file in the bundle directory (Inspection:BundleDirectory);
-- this row tracks the job (state, heartbeat, progress) and keeps the manifest hash after the file expires.

CREATE TABLE inspection_exports (
    id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    fiscal_year integer,
    from_date date,
    to_date date,
    state integer NOT NULL,
    requested_by_user_id uuid NOT NULL,
    requested_by_name character varying(256) NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    attempts integer NOT NULL,
    worker_id character varying(200),
    started_at timestamp with time zone,
    heartbeat_at timestamp with time zone,
    progress_percent integer NOT NULL,
    progress_stage character varying(200),
    files_written integer NOT NULL,
    bytes_written bigint NOT NULL,
    generated_at timestamp with time zone,
    completed_at timestamp with time zone,
    manifest_sha256 character varying(64),
    file_count integer,
    zip_size bigint,
    zip_sha256 character varying(64),
    storage_name character varying(100),
    download_name character varying(300),
    expires_at timestamp with time zone,
    error character varying(2000),
    revision integer NOT NULL,
    CONSTRAINT pk_inspection_exports PRIMARY KEY (id),
    CONSTRAINT fk_inspection_exports_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE RESTRICT
);

CREATE INDEX ix_inspection_exports_hospital_id_requested_at ON inspection_exports (hospital_id, requested_at);
CREATE INDEX ix_inspection_exports_state ON inspection_exports (state);
ALTER TABLE inspection_exports ADD CONSTRAINT ck_inspection_exports_scope CHECK ((fiscal_year IS NOT NULL AND from_date IS NULL AND to_date IS NULL) OR (fiscal_year IS NULL AND from_date IS NOT NULL AND to_date IS NOT NULL AND from_date <= to_date));
ALTER TABLE inspection_exports ADD CONSTRAINT ck_inspection_exports_progress CHECK (progress_percent BETWEEN 0 AND 100);
