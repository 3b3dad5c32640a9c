-- Portable SQL only: this file runs unchanged on SQLite and PostgreSQL.
-- A room name is '/' + a prefix of up to 39 characters + a uuid (36): up to 76 characters, more
-- than V1's VARCHAR(64), which PostgreSQL enforces (SQLite ignores lengths). Neither database can
-- widen a column the same way, so the table is rebuilt.

CREATE TABLE meetings_v2 (
  id BIGINT PRIMARY KEY,
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  room_name VARCHAR(128) NOT NULL UNIQUE,
  start_date BIGINT NOT NULL,
  end_date BIGINT NOT NULL,
  room_mode VARCHAR(16) NOT NULL,
  is_locked BOOLEAN NOT NULL,
  template_type VARCHAR(32),
  -- recording / streaming / liveTranscription settings as given, validated JSON.
  options_json TEXT NOT NULL
);
INSERT INTO meetings_v2 (id, organization_id, room_name, start_date, end_date, room_mode,
    is_locked, template_type, options_json)
  SELECT id, organization_id, room_name, start_date, end_date, room_mode, is_locked,
    template_type, options_json
  FROM meetings;
DROP TABLE meetings;
ALTER TABLE meetings_v2 RENAME TO meetings;
CREATE INDEX meetings_by_org ON meetings (organization_id, id);
CREATE INDEX meetings_by_end ON meetings (end_date);
