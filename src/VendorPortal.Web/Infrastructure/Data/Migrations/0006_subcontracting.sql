-- 0006: 再委託 (re-subcontracting) requests and the shared in-app notifications.
-- A request belongs to a vendor and is addressed to a hospital under one engagement; its chain of subcontractors
-- (再々委託 via parent_id) carries the certifications; the history records every step (who, when, what) and each
-- submission's snapshot with its SHA-256; attachments keep their bytes in their own table.

CREATE TABLE subcontract_requests (
    id uuid NOT NULL,
    vendor_id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    engagement_id uuid NOT NULL,
    state character varying(30) NOT NULL,
    version integer NOT NULL,
    revision integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by_user_id uuid NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    state_changed_at timestamp with time zone NOT NULL,
    first_submitted_at timestamp with time zone,
    submitted_at timestamp with time zone,
    submitted_by_user_id uuid,
    content_hash character varying(64),
    reviewed_at timestamp with time zone,
    reviewed_by_user_id uuid,
    opinion_at timestamp with time zone,
    opinion_by_user_id uuid,
    decided_at timestamp with time zone,
    decided_by_user_id uuid,
    decision_reason text,
    conditions text,
    valid_until date,
    foreign_acknowledged_at timestamp with time zone,
    foreign_acknowledged_by_user_id uuid,
    CONSTRAINT pk_subcontract_requests PRIMARY KEY (id),
    CONSTRAINT fk_subcontract_requests_engagements_engagement_id FOREIGN KEY (engagement_id) REFERENCES engagements (id) ON DELETE RESTRICT,
    CONSTRAINT fk_subcontract_requests_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_subcontract_requests_organizations_vendor_id FOREIGN KEY (vendor_id) REFERENCES organizations (id) ON DELETE RESTRICT
);

CREATE TABLE subcontractors (
    id uuid NOT NULL,
    request_id uuid NOT NULL,
    parent_id uuid,
    sort_order integer NOT NULL,
    name character varying(200) NOT NULL,
    corporate_number character varying(13),
    address character varying(400) NOT NULL,
    country character varying(2) NOT NULL,
    data_storage_country character varying(2),
    governing_law character varying(200) NOT NULL,
    work text NOT NULL,
    handles_personal_information boolean NOT NULL,
    handles_medical_information boolean NOT NULL,
    information_description text,
    period_from date NOT NULL,
    period_to date NOT NULL,
    security_duties text NOT NULL,
    CONSTRAINT pk_subcontractors PRIMARY KEY (id),
    CONSTRAINT fk_subcontractors_subcontract_requests_request_id FOREIGN KEY (request_id) REFERENCES subcontract_requests (id) ON DELETE CASCADE,
    CONSTRAINT fk_subcontractors_subcontractors_parent_id FOREIGN KEY (parent_id) REFERENCES subcontractors (id) ON DELETE CASCADE
);

CREATE TABLE subcontractor_certifications (
    id uuid NOT NULL,
    subcontractor_id uuid NOT NULL,
    request_id uuid NOT NULL,
    kind character varying(20) NOT NULL,
    number character varying(100) NOT NULL,
    expires_on date NOT NULL,
    CONSTRAINT pk_subcontractor_certifications PRIMARY KEY (id),
    CONSTRAINT fk_subcontractor_certifications_subcontract_requests_request_id FOREIGN KEY (request_id) REFERENCES subcontract_requests (id) ON DELETE CASCADE,
    CONSTRAINT fk_subcontractor_certifications_subcontractors_subcontractor_id FOREIGN KEY (subcontractor_id) REFERENCES subcontractors (id) ON DELETE CASCADE
);

CREATE TABLE subcontract_events (
    id uuid NOT NULL,
    request_id uuid NOT NULL,
    action character varying(30) NOT NULL,
    version integer NOT NULL,
    comment text,
    opinion character varying(30),
    hospital_only boolean NOT NULL,
    content_hash character varying(64),
    snapshot text,
    actor_user_id uuid NOT NULL,
    actor_name character varying(256) NOT NULL,
    actor_organization_id uuid NOT NULL,
    actor_role character varying(50),
    at timestamp with time zone NOT NULL,
    CONSTRAINT pk_subcontract_events PRIMARY KEY (id),
    CONSTRAINT fk_subcontract_events_subcontract_requests_request_id FOREIGN KEY (request_id) REFERENCES subcontract_requests (id) ON DELETE CASCADE
);

CREATE TABLE subcontract_attachments (
    id uuid NOT NULL,
    request_id uuid NOT NULL,
    file_name character varying(200) NOT NULL,
    content_type character varying(50) NOT NULL,
    size bigint NOT NULL,
    sha256 character varying(64) NOT NULL,
    description character varying(200),
    uploaded_by_user_id uuid NOT NULL,
    uploaded_by_name character varying(256) NOT NULL,
    uploaded_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_subcontract_attachments PRIMARY KEY (id),
    CONSTRAINT fk_subcontract_attachments_subcontract_requests_request_id FOREIGN KEY (request_id) REFERENCES subcontract_requests (id) ON DELETE CASCADE
);

CREATE TABLE subcontract_attachment_contents (
    attachment_id uuid NOT NULL,
    bytes bytea NOT NULL,
    CONSTRAINT pk_subcontract_attachment_contents PRIMARY KEY (attachment_id),
    CONSTRAINT fk_subcontract_attachment_contents_subcontract_attachments_atta FOREIGN KEY (attachment_id) REFERENCES subcontract_attachments (id) ON DELETE CASCADE
);

CREATE INDEX ix_subcontract_attachments_request_id ON subcontract_attachments (request_id);
CREATE INDEX ix_subcontract_events_request_id_at ON subcontract_events (request_id, at);
CREATE INDEX ix_subcontract_requests_engagement_id ON subcontract_requests (engagement_id);
CREATE INDEX ix_subcontract_requests_hospital_id_state ON subcontract_requests (hospital_id, state);
CREATE INDEX ix_subcontract_requests_vendor_id_updated_at ON subcontract_requests (vendor_id, updated_at);
CREATE INDEX ix_subcontractor_certifications_request_id ON subcontractor_certifications (request_id);
CREATE UNIQUE INDEX ix_subcontractor_certifications_subcontractor_id_kind ON subcontractor_certifications (subcontractor_id, kind);
CREATE INDEX ix_subcontractors_parent_id ON subcontractors (parent_id);
CREATE INDEX ix_subcontractors_request_id ON subcontractors (request_id);


-- Guards the model cannot express: a company's period runs forwards; a hospital never subcontracts to itself.
ALTER TABLE subcontractors ADD CONSTRAINT ck_subcontractors_period CHECK (period_from <= period_to);
ALTER TABLE subcontract_requests ADD CONSTRAINT ck_subcontract_requests_parties CHECK (vendor_id <> hospital_id);

-- The history is evidence: a recorded step (and a submission's snapshot) is never rewritten.
CREATE FUNCTION subcontract_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a recorded subcontracting step is immutable';
END;
$$;

CREATE TRIGGER subcontract_events_immutable
    BEFORE UPDATE ON subcontract_events
    FOR EACH ROW EXECUTE FUNCTION subcontract_events_guard();

-- In-app notifications (お知らせ): to a user, to a role, or to every member of an organization; read state per user.

CREATE TABLE notifications (
    id uuid NOT NULL,
    organization_id uuid NOT NULL,
    recipient_user_id uuid,
    recipient_role character varying(50),
    text_key character varying(100) NOT NULL,
    args text NOT NULL,
    link character varying(400),
    subject_type character varying(100),
    subject_id character varying(100),
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_notifications PRIMARY KEY (id),
    CONSTRAINT fk_notifications_organizations_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
);

CREATE TABLE notification_reads (
    notification_id uuid NOT NULL,
    user_id uuid NOT NULL,
    read_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_notification_reads PRIMARY KEY (notification_id, user_id),
    CONSTRAINT fk_notification_reads_notifications_notification_id FOREIGN KEY (notification_id) REFERENCES notifications (id) ON DELETE CASCADE,
    CONSTRAINT fk_notification_reads_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_notification_reads_user_id ON notification_reads (user_id);
CREATE INDEX ix_notifications_organization_id_created_at ON notifications (organization_id, created_at);
CREATE INDEX ix_notifications_recipient_user_id ON notifications (recipient_user_id);
