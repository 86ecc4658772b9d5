-- BCP documents (サイバー攻撃を想定した事業継続計画) kept on file for the 立入検査; bytes in their own table.
CREATE TABLE bcp_documents (
    id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    title character varying(200) NOT NULL,
    document_date date NOT NULL,
    version_label character varying(50),
    note character varying(500),
    file_name character varying(200) NOT NULL,
    content_type character varying(50) NOT NULL,
    size bigint NOT NULL,
    sha256 character varying(64) NOT NULL,
    uploaded_by_user_id uuid NOT NULL,
    uploaded_by_name character varying(256) NOT NULL,
    uploaded_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_bcp_documents PRIMARY KEY (id),
    CONSTRAINT fk_bcp_documents_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE CASCADE
);

CREATE TABLE bcp_document_contents (
    document_id uuid NOT NULL,
    bytes bytea NOT NULL,
    CONSTRAINT pk_bcp_document_contents PRIMARY KEY (document_id),
    CONSTRAINT fk_bcp_document_contents_bcp_documents_document_id FOREIGN KEY (document_id) REFERENCES bcp_documents (id) ON DELETE CASCADE
);

CREATE INDEX ix_bcp_documents_hospital_id_uploaded_at ON bcp_documents (hospital_id, uploaded_at);
