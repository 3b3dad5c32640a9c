-- Webhooks (issue 7). Portable SQL only: this file runs unchanged on SQLite and PostgreSQL.
-- Times are epoch milliseconds (BIGINT).

-- Where an organization wants events sent. Removing one keeps the row (deliveries refer to it).
CREATE TABLE webhook_endpoints (
  id BIGINT PRIMARY KEY,
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  url VARCHAR(2048) NOT NULL,
  -- The subscribed event types, comma-separated with a comma at each end: ',room.client.joined,'.
  events VARCHAR(1000) NOT NULL,
  -- The signing secret, encrypted with a key derived from the server secret (AES-GCM, base64).
  secret_sealed VARCHAR(500) NOT NULL,
  created_at BIGINT NOT NULL,
  removed_at BIGINT
);
CREATE INDEX webhook_endpoints_by_org ON webhook_endpoints (organization_id, removed_at);
INSERT INTO id_sequences (name, next_value) VALUES ('webhook_endpoint', 1);

-- The outbox: one row per event, its body exactly as sent (compact JSON, signed per attempt).
CREATE TABLE webhook_events (
  -- 64 hex characters, the envelope's id; the same in every attempt.
  id VARCHAR(64) PRIMARY KEY,
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  type VARCHAR(64) NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX webhook_events_by_created ON webhook_events (created_at);

-- One row per event and endpoint subscribed to it when the event was stored.
-- Every statement that changes one delivery names it by its single-column key, so no query plan
-- (PostgreSQL's before its first ANALYZE included) can pick another index and scan.
CREATE TABLE webhook_deliveries (
  -- '<event id>:<endpoint id>'
  id VARCHAR(100) PRIMARY KEY,
  event_id VARCHAR(64) NOT NULL REFERENCES webhook_events (id),
  endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id),
  organization_id BIGINT NOT NULL,
  -- 'pending' (due at next_attempt_at, or leased until then by a sender), 'delivered', 'failed'
  -- (a final answer or no attempts left) or 'cancelled' (its endpoint was removed).
  status VARCHAR(16) NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  last_attempt_at BIGINT,
  last_status_code INTEGER,
  last_error VARCHAR(500),
  delivered_at BIGINT,
  -- Which claim leased it last (a random id per claim), so one UPDATE can claim many rows.
  claim_token VARCHAR(36),
  created_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_org ON webhook_deliveries (organization_id, created_at);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);
