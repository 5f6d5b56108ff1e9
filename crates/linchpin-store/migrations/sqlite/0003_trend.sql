-- The milestone trend: each program version's forecast P50 and P80 per
-- milestone, as the dashboard computed them, so the trend survives a
-- restart and every server sharing the database shows the same one.
-- `milestones` is JSON: [[key, p50, p80], ...] with ISO dates; `at` is
-- when the version was written, as the other tables keep times.
CREATE TABLE milestone_trend (
    program_id TEXT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    at TEXT NOT NULL,
    milestones TEXT NOT NULL,
    PRIMARY KEY (program_id, version)
);
