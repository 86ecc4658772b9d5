-- 0008: the 医療情報システム台帳 (system ledger), end-of-support dates, patch tracking and each hospital's policy.
-- medical_systems gains the 機器管理票 fields (利用目的, 設置部署, 管理者, 格付け); system_components holds the devices
-- of the checklist manual's 台帳 example (名称・モデル・製造番号, 製造業者, ソフトウェア, IP, コンピュータ名, 設置場所,
-- 利用者, 登録日) keyed by the hospital's 管理番号; component_support_dates the EOS dates with their source;
-- security_advisories and patch_statuses the per-component patch state; compliance_policies the warning windows,
-- patch deadlines and escalation steps (defaults in CompliancePolicy when a hospital has no row).

ALTER TABLE medical_systems
    ADD COLUMN description text,
    ADD COLUMN owner_department character varying(200),
    ADD COLUMN administrator character varying(200),
    ADD COLUMN network_segment character varying(20),
    ADD COLUMN confidentiality character varying(1),
    ADD COLUMN integrity character varying(1),
    ADD COLUMN availability character varying(1),
    ADD COLUMN retired_on date,
    ADD COLUMN updated_at timestamp with time zone;

CREATE TABLE compliance_policies (
    hospital_id uuid NOT NULL,
    eos_warning_days integer[] NOT NULL,
    critical_patch_days integer NOT NULL,
    high_patch_days integer NOT NULL,
    other_patch_days integer NOT NULL,
    escalate_to_system_operator_days integer NOT NULL,
    escalate_to_security_manager_days integer NOT NULL,
    escalate_to_executive_days integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    updated_by_name character varying(256) NOT NULL,
    CONSTRAINT pk_compliance_policies PRIMARY KEY (hospital_id),
    CONSTRAINT fk_compliance_policies_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE CASCADE
);

CREATE TABLE security_advisories (
    id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    identifier character varying(100) NOT NULL,
    title character varying(300) NOT NULL,
    severity character varying(20) NOT NULL,
    released_on date NOT NULL,
    url character varying(1000),
    description text,
    created_by_organization_id uuid NOT NULL,
    created_by_name character varying(256) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_security_advisories PRIMARY KEY (id),
    CONSTRAINT fk_security_advisories_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE RESTRICT
);

CREATE TABLE system_components (
    id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    system_id uuid NOT NULL,
    management_number character varying(50) NOT NULL,
    kind character varying(20) NOT NULL,
    name character varying(200) NOT NULL,
    maker character varying(200),
    model character varying(200),
    serial_number character varying(200),
    software character varying(200),
    software_version character varying(100),
    os character varying(200),
    os_version character varying(100),
    firmware character varying(100),
    ip_address character varying(100),
    host_name character varying(253),
    location character varying(200),
    users character varying(200),
    registered_on date,
    owner_department character varying(200),
    supplier_vendor_id uuid,
    uses_remote_maintenance boolean NOT NULL,
    network_segment character varying(20),
    confidentiality character varying(1),
    integrity character varying(1),
    availability character varying(1),
    anti_malware boolean,
    notes text,
    retired_on date,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    revision integer NOT NULL,
    CONSTRAINT pk_system_components PRIMARY KEY (id),
    CONSTRAINT fk_system_components_medical_systems_system_id FOREIGN KEY (system_id) REFERENCES medical_systems (id) ON DELETE RESTRICT,
    CONSTRAINT fk_system_components_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_system_components_organizations_supplier_vendor_id FOREIGN KEY (supplier_vendor_id) REFERENCES organizations (id) ON DELETE RESTRICT
);

CREATE TABLE component_support_dates (
    id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    component_id uuid NOT NULL,
    kind character varying(20) NOT NULL,
    subject character varying(200) NOT NULL,
    ends_on date NOT NULL,
    source character varying(500) NOT NULL,
    entered_by_organization_id uuid NOT NULL,
    entered_by_user_id uuid,
    entered_by_name character varying(256) NOT NULL,
    entered_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_component_support_dates PRIMARY KEY (id),
    CONSTRAINT fk_component_support_dates_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_component_support_dates_system_components_component_id FOREIGN KEY (component_id) REFERENCES system_components (id) ON DELETE CASCADE
);

CREATE TABLE patch_statuses (
    id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    advisory_id uuid NOT NULL,
    component_id uuid NOT NULL,
    state character varying(20) NOT NULL,
    planned_on date,
    committed_by_vendor_id uuid,
    applied_on date,
    applied_by_name character varying(256),
    reason text,
    compensating_measure text,
    deferral_approved_by_user_id uuid,
    deferral_approved_by_name character varying(256),
    deferral_approved_at timestamp with time zone,
    updated_at timestamp with time zone NOT NULL,
    updated_by_name character varying(256) NOT NULL,
    revision integer NOT NULL,
    CONSTRAINT pk_patch_statuses PRIMARY KEY (id),
    CONSTRAINT fk_patch_statuses_organizations_committed_by_vendor_id FOREIGN KEY (committed_by_vendor_id) REFERENCES organizations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_patch_statuses_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_patch_statuses_security_advisories_advisory_id FOREIGN KEY (advisory_id) REFERENCES security_advisories (id) ON DELETE CASCADE,
    CONSTRAINT fk_patch_statuses_system_components_component_id FOREIGN KEY (component_id) REFERENCES system_components (id) ON DELETE CASCADE
);

CREATE INDEX ix_component_support_dates_component_id ON component_support_dates (component_id);

CREATE INDEX ix_component_support_dates_ends_on ON component_support_dates (ends_on);

CREATE INDEX ix_component_support_dates_hospital_id_ends_on ON component_support_dates (hospital_id, ends_on);

CREATE UNIQUE INDEX ix_patch_statuses_advisory_id_component_id ON patch_statuses (advisory_id, component_id);

CREATE INDEX ix_patch_statuses_committed_by_vendor_id ON patch_statuses (committed_by_vendor_id);

CREATE INDEX ix_patch_statuses_component_id ON patch_statuses (component_id);

CREATE INDEX ix_patch_statuses_hospital_id_state ON patch_statuses (hospital_id, state);

CREATE UNIQUE INDEX ix_security_advisories_hospital_id_identifier ON security_advisories (hospital_id, identifier);

CREATE UNIQUE INDEX ix_system_components_hospital_id_management_number ON system_components (hospital_id, management_number);

CREATE INDEX ix_system_components_supplier_vendor_id ON system_components (supplier_vendor_id);

CREATE INDEX ix_system_components_system_id ON system_components (system_id);
