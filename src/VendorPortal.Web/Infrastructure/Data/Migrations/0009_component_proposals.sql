-- 0009: vendors' proposed changes to the 医療情報システム台帳 (a changed component, or a new one for a system the vendor
-- is engaged for), decided by the hospital; proposed_values is the whole proposed component as JSON.

CREATE TABLE component_proposals (
    id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    system_id uuid NOT NULL,
    component_id uuid,
    vendor_id uuid NOT NULL,
    proposed_values text NOT NULL,
    base_revision integer,
    state character varying(20) NOT NULL,
    comment character varying(2000),
    proposed_by_user_id uuid,
    proposed_by_name character varying(256) NOT NULL,
    proposed_at timestamp with time zone NOT NULL,
    decided_by_user_id uuid,
    decided_by_name character varying(256),
    decided_at timestamp with time zone,
    rejection_reason character varying(2000),
    revision integer NOT NULL,
    CONSTRAINT pk_component_proposals PRIMARY KEY (id),
    CONSTRAINT fk_component_proposals_medical_systems_system_id FOREIGN KEY (system_id) REFERENCES medical_systems (id) ON DELETE RESTRICT,
    CONSTRAINT fk_component_proposals_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_component_proposals_organizations_vendor_id FOREIGN KEY (vendor_id) REFERENCES organizations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_component_proposals_system_components_component_id FOREIGN KEY (component_id) REFERENCES system_components (id) ON DELETE RESTRICT
);

CREATE INDEX ix_component_proposals_component_id ON component_proposals (component_id);

CREATE INDEX ix_component_proposals_hospital_id_state ON component_proposals (hospital_id, state);

CREATE INDEX ix_component_proposals_system_id ON component_proposals (system_id);

CREATE INDEX ix_component_proposals_vendor_id ON component_proposals (vendor_id);
