-- 0005: MDS/SDS disclosures per product. A vendor's product (or service) in one version, its one disclosure
-- (a form_submissions row with product_id), the hospitals it is shared with (each reviews on its own row),
-- and files attached to it. A submitted version freezes the manifest of its attachments with its answers.

CREATE TABLE vendor_products (
    id uuid NOT NULL,
    vendor_id uuid NOT NULL,
    kind character varying(30) NOT NULL,
    name character varying(200) NOT NULL,
    version character varying(50) NOT NULL,
    previous_product_id uuid,
    created_at timestamp with time zone NOT NULL,
    created_by_user_id uuid,
    CONSTRAINT pk_vendor_products PRIMARY KEY (id),
    CONSTRAINT fk_vendor_products_organizations_vendor_id FOREIGN KEY (vendor_id) REFERENCES organizations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_vendor_products_vendor_products_previous_product_id FOREIGN KEY (previous_product_id) REFERENCES vendor_products (id) ON DELETE RESTRICT
);

CREATE INDEX ix_vendor_products_previous_product_id ON vendor_products (previous_product_id);

CREATE UNIQUE INDEX ix_vendor_products_vendor_id_name_version ON vendor_products (vendor_id, name, version);

-- A disclosure is a form submission about a product (no hospital, no 年度, no system).
ALTER TABLE form_submissions ADD COLUMN product_id uuid;

ALTER TABLE form_submissions ADD CONSTRAINT fk_form_submissions_vendor_products_product_id
    FOREIGN KEY (product_id) REFERENCES vendor_products (id) ON DELETE RESTRICT;

CREATE INDEX ix_form_submissions_product_id ON form_submissions (product_id);

-- Uniqueness now includes the product: one checklist per vendor, hospital, 年度 and system as before
-- (their product_id is null), and one disclosure per product. The name stays the same (cut at 63 characters).
DROP INDEX ix_form_submissions_kind_respondent_organization_id_hospital_id;

CREATE UNIQUE INDEX ix_form_submissions_kind_respondent_organization_id_hospital_id ON form_submissions (kind, respondent_organization_id, hospital_id, fiscal_year, system_id, product_id) NULLS NOT DISTINCT;

-- The attachments frozen with a version. Existing versions had none. (Adding a column fires no row trigger.)
ALTER TABLE form_submission_versions ADD COLUMN attachments text NOT NULL DEFAULT '[]';

ALTER TABLE form_submission_versions ALTER COLUMN attachments DROP DEFAULT;

CREATE TABLE form_submission_recipients (
    submission_id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    vendor_id uuid NOT NULL,
    review_state character varying(20) NOT NULL,
    reviewed_version integer,
    reviewed_at timestamp with time zone,
    reviewed_by_user_id uuid,
    shared_at timestamp with time zone NOT NULL,
    shared_by_user_id uuid NOT NULL,
    withdrawn_at timestamp with time zone,
    withdrawn_by_user_id uuid,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_form_submission_recipients PRIMARY KEY (submission_id, hospital_id),
    CONSTRAINT fk_form_submission_recipients_form_submissions_submission_id FOREIGN KEY (submission_id) REFERENCES form_submissions (id) ON DELETE CASCADE,
    CONSTRAINT fk_form_submission_recipients_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_form_submission_recipients_organizations_vendor_id FOREIGN KEY (vendor_id) REFERENCES organizations (id) ON DELETE RESTRICT
);

CREATE INDEX ix_form_submission_recipients_hospital_id ON form_submission_recipients (hospital_id);

CREATE INDEX ix_form_submission_recipients_vendor_id ON form_submission_recipients (vendor_id);

CREATE TABLE form_attachments (
    id uuid NOT NULL,
    submission_id uuid NOT NULL,
    file_name character varying(200) NOT NULL,
    content_type character varying(100) NOT NULL,
    size bigint NOT NULL,
    sha256 character varying(64) NOT NULL,
    content bytea NOT NULL,
    uploaded_at timestamp with time zone NOT NULL,
    uploaded_by_user_id uuid NOT NULL,
    uploaded_by_name character varying(256) NOT NULL,
    in_draft boolean NOT NULL,
    first_submitted_version integer,
    CONSTRAINT pk_form_attachments PRIMARY KEY (id),
    CONSTRAINT fk_form_attachments_form_submissions_submission_id FOREIGN KEY (submission_id) REFERENCES form_submissions (id) ON DELETE CASCADE
);

CREATE INDEX ix_form_attachments_submission_id ON form_attachments (submission_id);

-- A file's content never changes; once a submitted version lists it, it cannot be deleted either (it is part
-- of that immutable snapshot). Only whether it is part of the draft may change.
CREATE FUNCTION form_attachments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.first_submitted_version IS NOT NULL THEN
            RAISE EXCEPTION 'an attachment of a submitted version is immutable';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.content IS DISTINCT FROM OLD.content OR NEW.sha256 IS DISTINCT FROM OLD.sha256
        OR NEW.file_name IS DISTINCT FROM OLD.file_name OR NEW.content_type IS DISTINCT FROM OLD.content_type
        OR NEW.size IS DISTINCT FROM OLD.size OR NEW.submission_id IS DISTINCT FROM OLD.submission_id
        OR NEW.id IS DISTINCT FROM OLD.id
        OR (OLD.first_submitted_version IS NOT NULL AND NEW.first_submitted_version IS DISTINCT FROM OLD.first_submitted_version) THEN
        RAISE EXCEPTION 'an attachment''s content is immutable';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER form_attachments_immutable
    BEFORE UPDATE OR DELETE ON form_attachments
    FOR EACH ROW EXECUTE FUNCTION form_attachments_guard();
