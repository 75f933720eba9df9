/** One step of the registry's PostgreSQL schema, applied once, in order, in its own transaction. */
export interface SchemaMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const registryTables = `
CREATE TABLE modu_files (
  key text PRIMARY KEY,
  data bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One row per published version: the primary key is what makes a version exist once, whichever server
-- or machine publishes it.
CREATE TABLE modu_versions (
  plugin text NOT NULL,
  version text NOT NULL,
  record bytea NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plugin, version)
);
-- An archive exists only with its record: the check is deferred to commit, where both were written in
-- one transaction.
CREATE TABLE modu_archives (
  plugin text NOT NULL,
  version text NOT NULL,
  archive bytea NOT NULL,
  PRIMARY KEY (plugin, version),
  FOREIGN KEY (plugin, version) REFERENCES modu_versions (plugin, version) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE modu_plugin_state (
  plugin text PRIMARY KEY,
  state bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE modu_audit (
  id bigserial PRIMARY KEY,
  log text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  entry text NOT NULL
);
CREATE FUNCTION modu_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published versions never change (% of %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER modu_versions_immutable BEFORE UPDATE OR DELETE ON modu_versions
  FOR EACH ROW EXECUTE FUNCTION modu_refuse_change();
CREATE TRIGGER modu_archives_immutable BEFORE UPDATE OR DELETE ON modu_archives
  FOR EACH ROW EXECUTE FUNCTION modu_refuse_change();
CREATE TRIGGER modu_audit_append_only BEFORE UPDATE OR DELETE ON modu_audit
  FOR EACH ROW EXECUTE FUNCTION modu_refuse_change();
`;

// A new channel revision wakes every following host at once (NOTIFY is sent when the transaction commits).
const channelNotify = `
CREATE FUNCTION modu_notify_channel() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.key ~ '^channels/[^/]+/revisions/[0-9]+[.]yaml$' THEN
    PERFORM pg_notify('modu_channels', split_part(NEW.key, '/', 2));
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER modu_files_channel_notify AFTER INSERT ON modu_files
  FOR EACH ROW EXECUTE FUNCTION modu_notify_channel();
`;

/** Every migration this Modu knows, oldest first. Never edit a released one: add the next. */
export const schemaMigrations: readonly SchemaMigration[] = [
  { version: 1, name: 'registry tables', sql: registryTables },
  { version: 2, name: 'channel revision notifications', sql: channelNotify },
];
