-- Programs, their entities as documents, and the audit trail.
CREATE TABLE programs (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    position BIGINT NOT NULL,
    body JSONB NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (program_id, kind, key)
);

CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    program_id TEXT NOT NULL,
    program_version BIGINT NOT NULL,
    entity_id TEXT,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    action TEXT NOT NULL,
    before JSONB,
    after JSONB
);
CREATE INDEX audit_program ON audit (program_id, id);
CREATE INDEX audit_entity ON audit (entity_id, id);
CREATE INDEX audit_actor ON audit (actor, id);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
