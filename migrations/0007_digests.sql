-- Weekly digests per unit (周报), written by the Cron Trigger and served at GET /v1/digests.
-- One per unit and day: a retried run replaces that day's digest instead of adding a second.
CREATE TABLE digests (
  id TEXT PRIMARY KEY,
  unit TEXT NOT NULL,
  as_of TEXT NOT NULL,
  generated_at TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (unit, as_of)
);
CREATE INDEX digests_by_as_of ON digests (as_of, unit);
