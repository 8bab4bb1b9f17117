-- Whether the teacher worked in an enterprise before taking up the post (企业工作经历): 1 yes, 0 no, NULL not
-- stated (core's teacher without the field, treated as without). policy.practice.prePost asks new teachers
-- without it for practice before the post starts (pre-post practice, 岗前企业实践).
ALTER TABLE teachers ADD COLUMN enterprise_experience INTEGER;
