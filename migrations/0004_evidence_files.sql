-- Evidence files attached to records. The bytes live in R2 under `sha256/<hex>` (the same bytes stored once);
-- a row here is one attachment of those bytes to one record. Deleting an attachment sets deleted_at; the R2
-- object goes when no live row refers to it (cleanupOrphanFiles, src/db/files.ts).
CREATE TABLE evidence_files (
  id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL REFERENCES records (id),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size INTEGER NOT NULL CHECK (size > 0),
  created_at TEXT NOT NULL,
  created_by TEXT,
  deleted_at TEXT
);
-- A record's live files (listing, the per-record limit) and one live attachment per content per record.
CREATE UNIQUE INDEX evidence_files_live_by_record ON evidence_files (record_id, sha256) WHERE deleted_at IS NULL;
-- "Does any live row still refer to these bytes?" (cleanup, failed uploads).
CREATE INDEX evidence_files_by_sha256 ON evidence_files (sha256) WHERE deleted_at IS NULL;
