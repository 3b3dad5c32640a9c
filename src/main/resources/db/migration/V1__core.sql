-- Portable SQL only: this file runs unchanged on SQLite and PostgreSQL.
-- Times are stored as epoch milliseconds (BIGINT) so both databases compare them the same way.

CREATE TABLE id_sequences (
  name VARCHAR(64) PRIMARY KEY,
  next_value BIGINT NOT NULL
);
INSERT INTO id_sequences (name, next_value) VALUES ('organization', 1);
INSERT INTO id_sequences (name, next_value) VALUES ('api_key', 1);
INSERT INTO id_sequences (name, next_value) VALUES ('meeting', 1);

CREATE TABLE organizations (
  id BIGINT PRIMARY KEY,
  name VARCHAR(200) NOT NULL UNIQUE,
  -- NULL means the unlimited plan.
  points_per_minute BIGINT,
  created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
  id BIGINT PRIMARY KEY,
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  -- SHA-256 of the key, hex; the key itself is never stored.
  key_hash VARCHAR(64) NOT NULL UNIQUE,
  label VARCHAR(200),
  source VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX api_keys_by_org ON api_keys (organization_id, id);

CREATE TABLE meetings (
  id BIGINT PRIMARY KEY,
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  -- "/" + a prefix of up to 39 characters + a 36-character UUID: at most 76 characters.
  room_name VARCHAR(128) NOT NULL UNIQUE,
  start_date BIGINT NOT NULL,
  end_date BIGINT NOT NULL,
  room_mode VARCHAR(16) NOT NULL,
  is_locked BOOLEAN NOT NULL,
  template_type VARCHAR(32),
  -- recording / streaming / liveTranscription settings as given, validated JSON.
  options_json TEXT NOT NULL
);
CREATE INDEX meetings_by_org ON meetings (organization_id, id);
CREATE INDEX meetings_by_end ON meetings (end_date);
