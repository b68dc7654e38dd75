-- Which documents went through the whole pipeline: `sitreps ingest` stores documents without
-- annotation (processed_run_id NULL); `sitreps run` annotates and extracts them and sets it,
-- so a rerun knows what is left to do.

ALTER TABLE documents ADD COLUMN processed_run_id BIGINT REFERENCES runs (id);
