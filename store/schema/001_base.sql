-- 001_base: the tables thidua owns. Cluster tables are rewritten from the
-- configuration on every run; loads, observations and their audit trail are
-- the history and are only ever changed by a load or an undo.
CREATE TABLE IF NOT EXISTS cluster (
    code     VARCHAR NOT NULL,
    name     VARCHAR NOT NULL,
    name_en  VARCHAR
);

CREATE TABLE IF NOT EXISTS units (
    code       VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    name_en    VARCHAR,
    kind       VARCHAR,
    communes   INTEGER,
    valid_from DATE,
    valid_to   DATE,
    ord        INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS indicators (
    code        VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    name_en     VARCHAR,
    measure     VARCHAR,
    measure_en  VARCHAR,
    agg         VARCHAR NOT NULL,   -- sum, last, average, ratio
    direction   VARCHAR NOT NULL,   -- higher, lower, target
    has_target  BOOLEAN NOT NULL,
    numerator   VARCHAR,
    denominator VARCHAR,
    factor      DOUBLE,
    decimals    INTEGER NOT NULL,
    cap_pct     DOUBLE,             -- NULL: no cap
    is_integer  BOOLEAN NOT NULL,
    hidden      BOOLEAN NOT NULL,
    min_value   DOUBLE,
    max_value   DOUBLE,
    ord         INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS criteria (
    indicator_code VARCHAR NOT NULL,
    weight         DOUBLE NOT NULL,
    method         VARCHAR NOT NULL,  -- pct_of_target, rank, threshold
    cap_pct        DOUBLE NOT NULL,
    ord            INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS criterion_bands (
    indicator_code VARCHAR NOT NULL,
    min_value      DOUBLE NOT NULL,
    points         DOUBLE NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS load_ids START 1;

CREATE TABLE IF NOT EXISTS loads (
    load_id    BIGINT NOT NULL,
    file       VARCHAR NOT NULL,   -- path as given
    name       VARCHAR NOT NULL,   -- base name
    sha256     VARCHAR NOT NULL,
    format     VARCHAR NOT NULL,
    size       BIGINT,
    rows       INTEGER NOT NULL,   -- data rows read
    loaded_at  TIMESTAMP NOT NULL,
    inserted   INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    unchanged  INTEGER NOT NULL,
    rejected   INTEGER NOT NULL,
    status     VARCHAR NOT NULL    -- loaded, undone
);

-- observations holds the current value of every reported fact. basis is
-- 'period' (value for the period alone), 'ytd' (1 January to period end) or
-- 'target' (the annual target; period is the year).
CREATE TABLE IF NOT EXISTS observations (
    unit_code      VARCHAR NOT NULL,
    indicator_code VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,   -- 2020-06, 2020-Q2, 2020-H1, 2020-9M, 2020
    period_type    VARCHAR NOT NULL,   -- month, quarter, half, ytd, year
    year           INTEGER NOT NULL,
    first_month    INTEGER NOT NULL,
    last_month     INTEGER NOT NULL,
    basis          VARCHAR NOT NULL,
    value          DOUBLE NOT NULL,
    load_id        BIGINT NOT NULL,
    source         VARCHAR,            -- FILE:LINE or FILE:SHEET!CELL
    first_load_id  BIGINT NOT NULL     -- the load that first reported this fact
);

-- observation_audit keeps every value a load replaced or an undo restored.
CREATE TABLE IF NOT EXISTS observation_audit (
    unit_code      VARCHAR NOT NULL,
    indicator_code VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,
    basis          VARCHAR NOT NULL,
    old_value      DOUBLE,             -- NULL: the fact was new
    new_value      DOUBLE,             -- NULL: the fact was removed (undo)
    old_load_id    BIGINT,
    new_load_id    BIGINT,
    action         VARCHAR NOT NULL,   -- update, undo
    changed_at     TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS rejects (
    load_id  BIGINT,
    file     VARCHAR NOT NULL,
    pos      VARCHAR NOT NULL,
    message  VARCHAR NOT NULL,
    rejected_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS runs (
    run_id      VARCHAR NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status      VARCHAR NOT NULL,
    summary     VARCHAR
);

-- bonus holds hand-entered bonus and penalty points, replaced whole from the
-- configured bonus file on every run.
CREATE TABLE IF NOT EXISTS bonus (
    unit_code VARCHAR NOT NULL,
    period    VARCHAR NOT NULL,
    points    DOUBLE NOT NULL,
    reason    VARCHAR,
    source    VARCHAR
);
