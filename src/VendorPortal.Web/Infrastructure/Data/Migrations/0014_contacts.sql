-- 連絡体制図 (issue 6): vendors' incident contacts and their confirmation; each hospital's internal roles and authorities.

CREATE TABLE hospital_contacts (
    id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    role character varying(30) NOT NULL,
    name character varying(200) NOT NULL,
    phone character varying(30),
    phone_out_of_hours character varying(30),
    email character varying(256),
    note character varying(500),
    updated_at timestamp with time zone NOT NULL,
    updated_by_name character varying(256) NOT NULL,
    CONSTRAINT pk_hospital_contacts PRIMARY KEY (id),
    CONSTRAINT fk_hospital_contacts_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE TABLE vendor_contact_confirmations (
    vendor_id uuid NOT NULL,
    confirmed_at timestamp with time zone NOT NULL,
    confirmed_by_name character varying(256) NOT NULL,
    CONSTRAINT pk_vendor_contact_confirmations PRIMARY KEY (vendor_id),
    CONSTRAINT fk_vendor_contact_confirmations_organizations_vendor_id FOREIGN KEY (vendor_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE TABLE vendor_contacts (
    id uuid NOT NULL,
    vendor_id uuid NOT NULL,
    position integer NOT NULL,
    role_label character varying(100) NOT NULL,
    name character varying(200) NOT NULL,
    phone24h character varying(30),
    other_channel character varying(300) NOT NULL,
    email character varying(256),
    hours character varying(500),
    CONSTRAINT pk_vendor_contacts PRIMARY KEY (id),
    CONSTRAINT fk_vendor_contacts_organizations_vendor_id FOREIGN KEY (vendor_id) REFERENCES organizations (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_hospital_contacts_hospital_id_role ON hospital_contacts (hospital_id, role);
CREATE INDEX ix_vendor_contacts_vendor_id_position ON vendor_contacts (vendor_id, position);
