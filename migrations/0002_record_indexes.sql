-- Committee listings look records up by the last academic year they touch (a lower bound from the
-- rolling practice window), so this range scan starts near the year asked for, not at the oldest record.
CREATE INDEX records_by_year_end ON records (academic_year_end, academic_year);

-- Record listings page by id within a teacher, kind or status: index them in that order so a page is a
-- range read with no sort.
CREATE INDEX records_by_teacher_id ON records (teacher_id, id);
DROP INDEX records_by_kind;
CREATE INDEX records_by_kind ON records (kind, id);
DROP INDEX records_by_status;
CREATE INDEX records_by_status ON records (status, id);
