-- Records keep where they lie, not which academic years the policy active at write time made of it: the first
-- and last placing dates (dated and period kinds: a mentoring pairing at its end, while open at its start) or
-- the academic year of a year-valued kind. Year queries compute the date range of the years asked from the
-- active policy's calendar when they run, so a policy with another year start needs no rewrite of rows.
ALTER TABLE records ADD COLUMN place_first TEXT;
ALTER TABLE records ADD COLUMN place_last TEXT;
ALTER TABLE records ADD COLUMN place_year INTEGER;
-- Backfill from the payload by the built-in kinds' placement (a year-valued kind has no date fields).
UPDATE records SET
  place_year = CASE WHEN json_extract(payload, '$.date') IS NULL AND json_extract(payload, '$.start') IS NULL AND json_extract(payload, '$.end') IS NULL
    THEN json_extract(payload, '$.year') END,
  place_first = CASE WHEN kind = 'mentoring' THEN COALESCE(json_extract(payload, '$.end'), json_extract(payload, '$.start'))
    ELSE COALESCE(json_extract(payload, '$.date'), json_extract(payload, '$.start')) END,
  place_last = CASE WHEN kind = 'mentoring' THEN COALESCE(json_extract(payload, '$.end'), json_extract(payload, '$.start'))
    ELSE COALESCE(json_extract(payload, '$.end'), json_extract(payload, '$.date'), json_extract(payload, '$.start')) END;
DROP INDEX records_by_teacher;
DROP INDEX records_by_year;
DROP INDEX records_by_year_end;
ALTER TABLE records DROP COLUMN academic_year;
ALTER TABLE records DROP COLUMN academic_year_end;
-- A year range is a range on the last placing date (bounded by the first), or on the year of a year-valued kind.
CREATE INDEX records_by_place_last ON records (place_last, place_first);
CREATE INDEX records_by_place_year ON records (place_year);
