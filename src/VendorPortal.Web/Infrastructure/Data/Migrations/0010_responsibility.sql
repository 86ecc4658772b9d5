-- 0010: 責任分界表 (responsibility matrices): one per hospital system, immutable versions (canonical JSON kept
-- byte for byte with its SHA-256), and confirmations per version and organization. See docs/responsibility.md.

CREATE TABLE responsibility_matrices (
    id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    system_id uuid NOT NULL,
    current_version integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_responsibility_matrices PRIMARY KEY (id),
    CONSTRAINT fk_responsibility_matrices_medical_systems_system_id FOREIGN KEY (system_id) REFERENCES medical_systems (id) ON DELETE RESTRICT,
    CONSTRAINT fk_responsibility_matrices_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE RESTRICT
);

CREATE TABLE responsibility_matrix_versions (
    id uuid NOT NULL,
    matrix_id uuid NOT NULL,
    number integer NOT NULL,
    content text NOT NULL,
    content_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by_user_id uuid,
    created_by_name character varying(256) NOT NULL,
    change_note character varying(1000),
    CONSTRAINT pk_responsibility_matrix_versions PRIMARY KEY (id),
    CONSTRAINT fk_responsibility_matrix_versions_responsibility_matrices_matri FOREIGN KEY (matrix_id) REFERENCES responsibility_matrices (id) ON DELETE CASCADE
);

CREATE TABLE responsibility_confirmations (
    id uuid NOT NULL,
    matrix_id uuid NOT NULL,
    version_number integer NOT NULL,
    organization_id uuid NOT NULL,
    user_id uuid NOT NULL,
    user_name character varying(256) NOT NULL,
    confirmed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_responsibility_confirmations PRIMARY KEY (id),
    CONSTRAINT fk_responsibility_confirmations_organizations_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_responsibility_confirmations_responsibility_matrices_matrix_ FOREIGN KEY (matrix_id) REFERENCES responsibility_matrices (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_responsibility_confirmations_matrix_id_version_number_organi ON responsibility_confirmations (matrix_id, version_number, organization_id);
CREATE INDEX ix_responsibility_confirmations_organization_id ON responsibility_confirmations (organization_id);
CREATE INDEX ix_responsibility_matrices_hospital_id ON responsibility_matrices (hospital_id);
CREATE UNIQUE INDEX ix_responsibility_matrices_system_id ON responsibility_matrices (system_id);
CREATE UNIQUE INDEX ix_responsibility_matrix_versions_matrix_id_number ON responsibility_matrix_versions (matrix_id, number);

-- A saved version is evidence (its hash is shown, exported and confirmed): never changed.
CREATE FUNCTION responsibility_matrix_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a responsibility matrix version is immutable';
END;
$$;

CREATE TRIGGER responsibility_matrix_versions_immutable
    BEFORE UPDATE ON responsibility_matrix_versions
    FOR EACH ROW EXECUTE FUNCTION responsibility_matrix_versions_guard();
