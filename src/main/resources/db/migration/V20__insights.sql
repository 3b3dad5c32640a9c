-- Insights: the history of what happens in rooms. Portable SQL only: this file runs unchanged on
-- SQLite and PostgreSQL. Times are epoch milliseconds (BIGINT).
--
-- No foreign keys, on purpose: a room's history outlives its meeting (whose row is deleted on
-- DELETE or after its grace), and the retention sweep removes a room's rows table by table.

INSERT INTO id_sequences (name, next_value) VALUES ('insights', 1);

-- One row per meeting ever created: the room's identity and its aggregates, kept up to date by
-- the ingestion (never recomputed on read).
CREATE TABLE insights_rooms (
  meeting_id BIGINT PRIMARY KEY,
  organization_id BIGINT NOT NULL,
  room_name VARCHAR(128) NOT NULL,
  created_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  -- When the meeting was deleted or swept; retention counts from here (or from end + grace).
  removed_at BIGINT,
  first_session_started_at BIGINT,
  last_session_started_at BIGINT,
  total_participant_minutes BIGINT NOT NULL,
  total_recorder_minutes BIGINT NOT NULL,
  total_streamer_minutes BIGINT NOT NULL,
  total_unique_participants BIGINT NOT NULL,
  total_unique_recorders BIGINT NOT NULL,
  total_unique_streamers BIGINT NOT NULL,
  total_sessions BIGINT NOT NULL
);
CREATE INDEX insights_rooms_by_created ON insights_rooms (organization_id, created_at, meeting_id);
CREATE INDEX insights_rooms_by_name ON insights_rooms (organization_id, room_name);
CREATE INDEX insights_rooms_by_removed ON insights_rooms (removed_at);
CREATE INDEX insights_rooms_by_end ON insights_rooms (end_at);

-- Meetings created before insights existed have a history too (an empty one).
INSERT INTO insights_rooms (
  meeting_id, organization_id, room_name, created_at, end_at, removed_at,
  first_session_started_at, last_session_started_at,
  total_participant_minutes, total_recorder_minutes, total_streamer_minutes,
  total_unique_participants, total_unique_recorders, total_unique_streamers, total_sessions)
SELECT id, organization_id, room_name, start_date, end_date, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0
FROM meetings;

-- A room session: from the moment two participants were present to the moment fewer than two
-- remained for good. ended_at is NULL while it runs.
CREATE TABLE insights_sessions (
  id BIGINT PRIMARY KEY,
  room_session_id VARCHAR(36) NOT NULL UNIQUE,
  meeting_id BIGINT NOT NULL,
  organization_id BIGINT NOT NULL,
  room_name VARCHAR(128) NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  total_participant_minutes BIGINT NOT NULL,
  total_recorder_minutes BIGINT NOT NULL,
  total_streamer_minutes BIGINT NOT NULL,
  total_unique_participants BIGINT NOT NULL,
  total_unique_recorders BIGINT NOT NULL,
  total_unique_streamers BIGINT NOT NULL
);
CREATE INDEX insights_sessions_by_room ON insights_sessions (organization_id, room_name, started_at, id);
CREATE INDEX insights_sessions_by_meeting ON insights_sessions (meeting_id);
CREATE INDEX insights_sessions_by_end ON insights_sessions (ended_at);

-- A participant (one participant id) of a session, whatever its number of connections.
-- left_at is NULL while any of its connections is in the session.
CREATE TABLE insights_participants (
  id BIGINT PRIMARY KEY,
  session_id BIGINT NOT NULL,
  meeting_id BIGINT NOT NULL,
  organization_id BIGINT NOT NULL,
  room_session_id VARCHAR(36) NOT NULL,
  participant_id VARCHAR(128) NOT NULL,
  device_id VARCHAR(128),
  role_name VARCHAR(32) NOT NULL,
  display_name VARCHAR(200),
  external_id VARCHAR(64),
  joined_at BIGINT NOT NULL,
  left_at BIGINT,
  UNIQUE (session_id, participant_id)
);
CREATE INDEX insights_participants_by_session ON insights_participants (session_id, joined_at, id);
CREATE INDEX insights_participants_by_external ON insights_participants (organization_id, external_id, joined_at, id);
CREATE INDEX insights_participants_by_meeting ON insights_participants (meeting_id);

-- A connection's time in one session: one row per connection and session (a connection still
-- present when a session ends and another starts has a row in each). connection_id names the
-- connection itself and keys its samples and media events.
CREATE TABLE insights_connections (
  id BIGINT PRIMARY KEY,
  connection_id BIGINT NOT NULL,
  session_id BIGINT NOT NULL,
  meeting_id BIGINT NOT NULL,
  participant_id VARCHAR(128) NOT NULL,
  device_id VARCHAR(128),
  role_name VARCHAR(32) NOT NULL,
  display_name VARCHAR(200),
  external_id VARCHAR(64),
  user_agent VARCHAR(1000),
  connected_at BIGINT NOT NULL,
  joined_at BIGINT NOT NULL,
  left_at BIGINT
);
CREATE INDEX insights_connections_by_participant ON insights_connections (session_id, participant_id, joined_at);
CREATE INDEX insights_connections_by_meeting ON insights_connections (meeting_id);

-- Network samples, compact: one row per connection per chunk of up to 30 samples (a minute at
-- one sample every 2 s). data holds the chunk's samples, encoded by SampleCodec.
CREATE TABLE insights_samples (
  connection_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  meeting_id BIGINT NOT NULL,
  first_at BIGINT NOT NULL,
  last_at BIGINT NOT NULL,
  sample_count INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (connection_id, seq)
);
CREATE INDEX insights_samples_by_meeting ON insights_samples (meeting_id);

-- Camera, microphone and screenshare switches of a connection.
CREATE TABLE insights_media_events (
  connection_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  meeting_id BIGINT NOT NULL,
  occurred_at BIGINT NOT NULL,
  event_type VARCHAR(16) NOT NULL,
  PRIMARY KEY (connection_id, seq)
);
CREATE INDEX insights_media_events_by_meeting ON insights_media_events (meeting_id);
