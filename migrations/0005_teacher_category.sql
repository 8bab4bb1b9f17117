-- The teacher's category (教师类别): specialised (专业课), practical_guidance (实习指导) or public_basic (公共基础课).
-- It decides the teacher's enterprise-practice requirement under the policy and who counts in the 双师型 ratio
-- (among 专业课 teachers). Existing teachers are 专业课 teachers, core's default for a teacher without one.
ALTER TABLE teachers ADD COLUMN category TEXT NOT NULL DEFAULT 'specialised';
CREATE INDEX teachers_by_category ON teachers (category, id);
