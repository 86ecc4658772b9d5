-- 0003: published form template versions (MDS, SDS, 事業者確認用 / 医療機関確認用 checklists, BCP 確認表).
-- Reference data shared by every tenant; a published version's content never changes (answers point at it).

CREATE TABLE form_template_versions (
    id uuid NOT NULL,
    key character varying(100) NOT NULL,
    kind character varying(30) NOT NULL,
    title character varying(300) NOT NULL,
    version_label character varying(100) NOT NULL,
    guideline_edition character varying(20) NOT NULL,
    effective_from date NOT NULL,
    effective_to date,
    status character varying(30) NOT NULL,
    item_count integer NOT NULL,
    content text NOT NULL,
    content_hash character varying(64) NOT NULL,
    origin character varying(20) NOT NULL,
    published_at timestamp with time zone NOT NULL,
    published_by_user_id uuid,
    retired_at timestamp with time zone,
    CONSTRAINT pk_form_template_versions PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_form_template_versions_key ON form_template_versions (key);
CREATE INDEX ix_form_template_versions_kind_effective_from ON form_template_versions (kind, effective_from);

-- Published content is immutable: only retirement may change a row.
CREATE FUNCTION form_template_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.content IS DISTINCT FROM OLD.content OR NEW.content_hash IS DISTINCT FROM OLD.content_hash OR NEW.key IS DISTINCT FROM OLD.key THEN
        RAISE EXCEPTION 'a published form template version is immutable';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER form_template_versions_immutable
    BEFORE UPDATE ON form_template_versions
    FOR EACH ROW EXECUTE FUNCTION form_template_versions_guard();
