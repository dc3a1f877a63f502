-- 060_awards: the year-end awards a cluster proposes units for (bình xét),
-- their conditions and the tie-break, rewritten from the configuration on
-- every run like the other cluster tables.
CREATE TABLE IF NOT EXISTS awards (
    code            VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    name_en         VARCHAR,
    quota           INTEGER NOT NULL,
    min_total       DOUBLE,            -- NULL: no minimum
    no_penalty      BOOLEAN NOT NULL,
    no_rule_failure BOOLEAN NOT NULL,
    all_criteria    BOOLEAN NOT NULL,
    ord             INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS award_min_pct (
    award_code     VARCHAR NOT NULL,
    indicator_code VARCHAR NOT NULL,
    min_pct        DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS award_tie_break (
    key VARCHAR NOT NULL,   -- 'points' or an indicator code
    ord INTEGER NOT NULL
);
