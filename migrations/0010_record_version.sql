-- A record's version, for optimistic concurrency: GET /v1/records/{id} sends it as the ETag ("v<version>"),
-- PATCH /v1/records/{id} requires it in If-Match. Every write of a record row adds one (a review transition,
-- a teacher's correction, HR's PATCH or verify/reject, an import's replacement, delete and restore), so an ETag
-- read before any of them no longer matches.
ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
