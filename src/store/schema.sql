-- visitgraph store, schema 2. One file, one SQLite database (`extract --store FILE`).
-- Every run is one transaction: the file holds the previous run or the new one, never half.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,   -- schema, version, fingerprint (of what extraction read), runs
  value TEXT NOT NULL
);

-- One row per run that changed the store.
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  finished    TEXT NOT NULL,    -- UTC, YYYY-MM-DDTHH:MM:SSZ
  version     TEXT NOT NULL,    -- visitgraph version
  fingerprint TEXT NOT NULL,    -- the dictionary (every entity's fingerprint) and the rules
  layers      TEXT NOT NULL,    -- JSON: the dictionary layers, each with its fingerprint
  documents   INTEGER NOT NULL,
  extracted   INTEGER NOT NULL, -- pages new or changed, or touched by a dictionary change
  reused      INTEGER NOT NULL,
  removed     INTEGER NOT NULL
);

-- One row per page read (a file, a JSON Lines record).
CREATE TABLE pages (
  id        INTEGER PRIMARY KEY,
  name      TEXT NOT NULL,     -- the evidence's `doc`: file name or JSON Lines `id`
  nth       INTEGER NOT NULL,  -- 0, or 1, 2… for later pages read under the same name
  source    TEXT NOT NULL,     -- the file it was read from
  url       TEXT,
  title     TEXT,
  published TEXT,
  hash      TEXT NOT NULL,     -- XXH3-128 of a page file's bytes, or of a record's text, published, url, title
  size      INTEGER NOT NULL,  -- bytes of text
  run       INTEGER NOT NULL REFERENCES runs(id),  -- the run that extracted it
  relations TEXT NOT NULL,     -- JSON array: {rel, source, target, date, date_source, sentence, start, end, ambiguous}
  UNIQUE (name, nth)
);

-- The dictionary of the last run, entity by entity.
CREATE TABLE entities (
  id          TEXT PRIMARY KEY,
  type        TEXT NOT NULL,   -- official, organization, place
  name        TEXT NOT NULL,
  aliases     TEXT NOT NULL,   -- tab-separated
  kind        TEXT,
  place       TEXT,            -- an entity id
  candidate   INTEGER NOT NULL,-- 1: found by --discover, not in a dictionary
  fingerprint TEXT NOT NULL,   -- of everything extraction reads of it
  patterns    TEXT NOT NULL    -- tab-separated: its names as matched, and its post titles
);

-- Every relation, one row each (read from the pages' JSON).
CREATE VIEW relations AS
SELECT p.id AS page_id, p.name AS doc, p.url AS url, p.published AS published,
       r.value ->> 'rel' AS relation, r.value ->> 'source' AS source,
       r.value ->> 'target' AS target, r.value ->> 'date' AS date,
       r.value ->> 'date_source' AS date_source,
       r.value ->> 'sentence' AS sentence, r.value ->> 'start' AS start,
       r.value ->> 'end' AS "end"
FROM pages p, json_each(p.relations) r;

-- Who visited what, when, where, said where.
CREATE VIEW visits AS
SELECT r.date, r.date_source, r.source AS visitor_id, v.name AS visitor, r.target AS target_id,
       t.name AS target, t.type AS target_type,
       CASE WHEN t.type = 'place' THEN t.name ELSE COALESCE(pl.name, t.place) END AS place,
       r.doc, r.url, r.sentence
FROM relations r
LEFT JOIN entities v ON v.id = r.source
LEFT JOIN entities t ON t.id = r.target
LEFT JOIN entities pl ON pl.id = t.place
WHERE r.relation = 'visited';

-- Who went along with whom (the companion, often host side, and the visitor).
CREATE VIEW companions AS
SELECT r.date, r.date_source, r.source AS companion_id, c.name AS companion, r.target AS visitor_id,
       v.name AS visitor, r.doc, r.url, r.sentence
FROM relations r
LEFT JOIN entities c ON c.id = r.source
LEFT JOIN entities v ON v.id = r.target
WHERE r.relation = 'accompanied';

-- Every page with what was read in it.
CREATE VIEW documents AS
SELECT p.id, p.name AS doc, p.source, p.url, p.title, p.published, p.size,
       (SELECT count(*) FROM json_each(p.relations) r WHERE r.value ->> 'rel' = 'visited') AS visits,
       (SELECT count(*) FROM json_each(p.relations) r WHERE r.value ->> 'rel' = 'accompanied') AS companions,
       p.run, ru.finished AS extracted
FROM pages p LEFT JOIN runs ru ON ru.id = p.run;
