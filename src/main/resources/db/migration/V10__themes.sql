-- Room themes and organization defaults (issue 3). Portable SQL: runs on SQLite and PostgreSQL.
-- owner_kind is 'room' (owner_id = the meeting's id: a room name can be used again once its meeting
-- is gone, a meeting id never) or 'organization' (owner_id = the organization's id).

-- A room row means tokensPreset "custom"; an organization row holds its default colors.
CREATE TABLE theme_colors (
  owner_kind VARCHAR(16) NOT NULL,
  owner_id BIGINT NOT NULL,
  primary_color VARCHAR(7),
  secondary_color VARCHAR(7),
  focus_color VARCHAR(7),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (owner_kind, owner_id)
);

-- slot: 'logo', 'room-background' or 'room-knock-page-background'.
-- source 'upload': blob_key .. height describe the stored image; 'builtin': palette and theme.
CREATE TABLE theme_images (
  owner_kind VARCHAR(16) NOT NULL,
  owner_id BIGINT NOT NULL,
  slot VARCHAR(32) NOT NULL,
  source VARCHAR(16) NOT NULL,
  blob_key VARCHAR(512),
  sha256 VARCHAR(64),
  format VARCHAR(8),
  size_bytes BIGINT,
  width INTEGER,
  height INTEGER,
  palette VARCHAR(16),
  theme VARCHAR(16),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (owner_kind, owner_id, slot)
);
