-- Incidents: one row per Incident record (its JSON), and which events it groups.
-- Incidents are replaced as a whole when regrouping changes them (Store.replace_incidents).

CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    subtype TEXT NOT NULL,
    date_start TEXT,
    country TEXT,
    record TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX incidents_date_start ON incidents (date_start);

-- No foreign key to events: an incident may be grouped from events a run has not stored yet,
-- and events are replaced when their document is reprocessed.
CREATE TABLE incident_events (
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    PRIMARY KEY (incident_id, event_id)
);

CREATE INDEX incident_events_event_id ON incident_events (event_id);
