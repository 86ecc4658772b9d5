-- 0004: forms being answered (checklists, later MDS/SDS), their immutable submitted versions and the
-- review history (submitted / accepted / returned with comments) both sides see.

CREATE TABLE form_submissions (
    id uuid NOT NULL,
    template_key character varying(100) NOT NULL,
    kind character varying(30) NOT NULL,
    respondent_organization_id uuid NOT NULL,
    hospital_id uuid,
    fiscal_year integer,
    system_id uuid,
    state character varying(20) NOT NULL,
    draft_answers text NOT NULL,
    latest_version integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    updated_by_user_id uuid,
    CONSTRAINT pk_form_submissions PRIMARY KEY (id),
    CONSTRAINT fk_form_submissions_medical_systems_system_id FOREIGN KEY (system_id) REFERENCES medical_systems (id) ON DELETE RESTRICT,
    CONSTRAINT fk_form_submissions_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_form_submissions_organizations_respondent_organization_id FOREIGN KEY (respondent_organization_id) REFERENCES organizations (id) ON DELETE RESTRICT
);

CREATE TABLE form_review_events (
    id uuid NOT NULL,
    submission_id uuid NOT NULL,
    version_number integer NOT NULL,
    action character varying(20) NOT NULL,
    comment text,
    item_comments text NOT NULL,
    actor_user_id uuid NOT NULL,
    actor_name character varying(256) NOT NULL,
    actor_organization_id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    CONSTRAINT pk_form_review_events PRIMARY KEY (id),
    CONSTRAINT fk_form_review_events_form_submissions_submission_id FOREIGN KEY (submission_id) REFERENCES form_submissions (id) ON DELETE CASCADE
);

CREATE TABLE form_submission_versions (
    id uuid NOT NULL,
    submission_id uuid NOT NULL,
    number integer NOT NULL,
    answers text NOT NULL,
    content_hash character varying(64) NOT NULL,
    template_hash character varying(64) NOT NULL,
    submitted_at timestamp with time zone NOT NULL,
    submitted_by_user_id uuid NOT NULL,
    submitted_by_name character varying(256) NOT NULL,
    CONSTRAINT pk_form_submission_versions PRIMARY KEY (id),
    CONSTRAINT fk_form_submission_versions_form_submissions_submission_id FOREIGN KEY (submission_id) REFERENCES form_submissions (id) ON DELETE CASCADE
);

CREATE INDEX ix_form_review_events_submission_id_at ON form_review_events (submission_id, at);

CREATE UNIQUE INDEX ix_form_submission_versions_submission_id_number ON form_submission_versions (submission_id, number);

CREATE INDEX ix_form_submissions_hospital_id_state ON form_submissions (hospital_id, state);

CREATE UNIQUE INDEX ix_form_submissions_kind_respondent_organization_id_hospital_id ON form_submissions (kind, respondent_organization_id, hospital_id, fiscal_year, system_id) NULLS NOT DISTINCT;

CREATE INDEX ix_form_submissions_respondent_organization_id ON form_submissions (respondent_organization_id);

CREATE INDEX ix_form_submissions_system_id ON form_submissions (system_id);

-- A submitted version is an immutable snapshot.
CREATE FUNCTION form_submission_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a submitted form version is immutable';
END;
$$;

CREATE TRIGGER form_submission_versions_immutable
    BEFORE UPDATE ON form_submission_versions
    FOR EACH ROW EXECUTE FUNCTION form_submission_versions_guard();
