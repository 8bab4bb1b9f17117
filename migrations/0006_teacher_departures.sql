-- A teacher who leaves the college: the last day of employment (离职日期), NULL while employed. Rows are never
-- deleted, so the history stays: records, evidence files and the appraisals of the years the teacher worked
-- still read. From the day after, the teacher drops out of GET /v1/teachers (HR may ask ?includeDeparted=true);
-- an academic year that starts after it no longer ranks or counts the teacher (committee listing, unit quota
-- headcount, reports, digests, review-cycle rankings with a later asOf).
ALTER TABLE teachers ADD COLUMN departed_on TEXT;
CREATE INDEX teachers_by_departure ON teachers (departed_on) WHERE departed_on IS NOT NULL;
