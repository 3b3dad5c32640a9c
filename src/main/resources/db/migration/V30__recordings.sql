-- Recordings (issue 4). Portable SQL only: this file runs unchanged on SQLite and PostgreSQL.
-- Times are epoch milliseconds (BIGINT).

CREATE TABLE recordings (
  -- A UUID, as the hosted service's recordingId.
  id VARCHAR(36) PRIMARY KEY,
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  room_name VARCHAR(128) NOT NULL,
  room_session_id VARCHAR(64) NOT NULL,
  filename VARCHAR(300) NOT NULL,
  start_date BIGINT NOT NULL,
  end_date BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  size_bytes BIGINT NOT NULL,
  content_type VARCHAR(100) NOT NULL,
  -- 'parlor' (Parlor's blob store) or 's3' (the customer's bucket named in the meeting).
  storage VARCHAR(16) NOT NULL,
  -- The blob key in Parlor's store, or the object key in the customer's bucket.
  storage_key VARCHAR(600) NOT NULL,
  -- For 's3': the meeting's recording destination as given (bucket, region, endpoint, keys).
  destination_json TEXT,
  -- 'ready', or 'deleting' (invisible; its file is being removed).
  state VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX recordings_by_org_start ON recordings (organization_id, start_date, id);
CREATE INDEX recordings_by_org_room ON recordings (organization_id, room_name, start_date);
CREATE INDEX recordings_by_state ON recordings (state, end_date);

-- Bulk deletes accepted (204) and not yet carried out; a worker processes them, across restarts.
CREATE TABLE recording_delete_jobs (
  id BIGINT PRIMARY KEY,
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  -- A JSON array of the recordingIds asked for.
  recording_ids TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
INSERT INTO id_sequences (name, next_value) VALUES ('recording_delete_job', 1);
