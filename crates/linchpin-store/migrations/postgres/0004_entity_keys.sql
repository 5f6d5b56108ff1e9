-- Entities by key alone within a program: a write reads the rows holding
-- a key it gives, of any kind, to see a clash, without reading the
-- program's every row.
CREATE INDEX entities_by_key ON entities (program_id, key);
