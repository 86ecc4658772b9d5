-- 0011: tracked reminders with escalation (Features/Reminders, docs/reminders.md).
-- reminders: one row per dedupe_key (unique: the daily run inserts with ON CONFLICT DO NOTHING, so two instances or a
-- restart never duplicate one); reminder_events: the history, with (reminder, kind, level) unique for the Created,
-- Escalated and Emailed steps; reminder_email_preferences: immediate / daily digest / none per user;
-- reminder_digests: one row per user and day, inserted before the digest mail goes out.
-- ix_patch_statuses_advisory_id: a partial index of the unsettled patch statuses read by the patch sources.

CREATE TABLE reminders (
    id uuid NOT NULL,
    hospital_id uuid NOT NULL,
    owner_organization_id uuid NOT NULL,
    recipient_organization_id uuid NOT NULL,
    recipient_role character varying(50),
    recipient_user_id uuid,
    kind character varying(30) NOT NULL,
    subject_type character varying(100) NOT NULL,
    subject_id character varying(100) NOT NULL,
    dedupe_key character varying(200) NOT NULL,
    text_key character varying(100) NOT NULL,
    args text NOT NULL,
    link character varying(400),
    due_on date NOT NULL,
    raised_at timestamp with time zone NOT NULL,
    state character varying(20) NOT NULL,
    snoozed_until date,
    snooze_reason character varying(1000),
    escalation_level integer NOT NULL,
    level_since date NOT NULL,
    next_escalation_on date,
    resolved_at timestamp with time zone,
    updated_at timestamp with time zone NOT NULL,
    revision integer NOT NULL,
    CONSTRAINT pk_reminders PRIMARY KEY (id),
    CONSTRAINT fk_reminders_organizations_hospital_id FOREIGN KEY (hospital_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_reminders_organizations_owner_organization_id FOREIGN KEY (owner_organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_reminders_organizations_recipient_organization_id FOREIGN KEY (recipient_organization_id) REFERENCES organizations (id) ON DELETE CASCADE
);

CREATE TABLE reminder_events (
    id uuid NOT NULL,
    reminder_id uuid NOT NULL,
    kind character varying(20) NOT NULL,
    level integer,
    occurred_at timestamp with time zone NOT NULL,
    user_id uuid,
    actor_name character varying(256) NOT NULL,
    note character varying(1000),
    email_pending boolean NOT NULL,
    CONSTRAINT pk_reminder_events PRIMARY KEY (id),
    CONSTRAINT fk_reminder_events_reminders_reminder_id FOREIGN KEY (reminder_id) REFERENCES reminders (id) ON DELETE CASCADE
);

CREATE TABLE reminder_digests (
    user_id uuid NOT NULL,
    day date NOT NULL,
    reminder_count integer NOT NULL,
    sent_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_reminder_digests PRIMARY KEY (user_id, day),
    CONSTRAINT fk_reminder_digests_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);


CREATE TABLE reminder_email_preferences (
    user_id uuid NOT NULL,
    mode character varying(20) NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_reminder_email_preferences PRIMARY KEY (user_id),
    CONSTRAINT fk_reminder_email_preferences_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_patch_statuses_advisory_id ON patch_statuses (advisory_id) WHERE state IN ('Open', 'Planned', 'Deferred');

CREATE INDEX ix_reminder_events_occurred_at ON reminder_events (occurred_at) WHERE email_pending;

CREATE INDEX ix_reminder_events_reminder_id ON reminder_events (reminder_id);

CREATE UNIQUE INDEX ix_reminder_events_reminder_id_kind_level ON reminder_events (reminder_id, kind, level) WHERE level IS NOT NULL;

CREATE UNIQUE INDEX ix_reminders_dedupe_key ON reminders (dedupe_key);

CREATE INDEX ix_reminders_hospital_id_state ON reminders (hospital_id, state);

CREATE INDEX ix_reminders_kind ON reminders (kind) WHERE state <> 'Resolved';

CREATE INDEX ix_reminders_next_escalation_on ON reminders (next_escalation_on) WHERE next_escalation_on IS NOT NULL;

CREATE INDEX ix_reminders_owner_organization_id_state ON reminders (owner_organization_id, state);

CREATE INDEX ix_reminders_subject_id ON reminders (subject_id);

CREATE INDEX ix_reminders_recipient_organization_id_state ON reminders (recipient_organization_id, state);

