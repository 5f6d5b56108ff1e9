-- The milestone trend: each program version's forecast P50 and P80 per
-- milestone, as the dashboard computed them, so the trend survives a
-- restart and every server sharing the database shows the same one.
-- `milestones` is JSON: [[key, p50, p80], ...] with ISO dates.
CREATE TABLE milestone_trend (
    program_id TEXT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    milestones TEXT NOT NULL,
    PRIMARY KEY (program_id, version)
);
