-- When a record entered its workflow state: what the review queue orders by and a digest measures waiting from.
ALTER TABLE records ADD COLUMN state_since TEXT;
UPDATE records SET state_since = updated_at;
CREATE INDEX records_by_state_since ON records (state, state_since, id);
