-- 100_quality: doubtful figures and missing reports, one row each, with a
-- severity (error: almost surely wrong; warning: to check; info: to know) and
-- a plain message with the numbers in English (message) and Vietnamese
-- (message_vi). Thresholds come from tf_qparams (thidua.QualityConfig);
-- findings of disabled checks are dropped and accepted ones marked at the end.
-- (tf_quality and its span_conflict findings are made by 065_conflicts.)

-- tf_freq: how often each unit is expected to report each indicator, as a
-- period type_ord (1 month, 2 quarter, 3 half, 5 year). Configured per unit
-- and per indicator (the coarser wins); else inferred from the spans the unit
-- reported for the indicator (or its parts) in any year, else from all its
-- reports: the finest frequency a report implies (tf_freq_of, applied per
-- year in tf_ostat).
CREATE TEMP TABLE tf_freq AS
WITH inf AS (
    SELECT s.unit_code, p.code AS indicator_code, min(s.f) AS f
    FROM tf_ostat s JOIN tf_parts p ON p.part = s.indicator_code
    WHERE s.known AND s.f IS NOT NULL
    GROUP BY s.unit_code, p.code
),
infu AS (SELECT unit_code, min(f) AS f FROM inf GROUP BY unit_code)
SELECT u.code AS unit_code, i.code AS indicator_code,
       greatest(coalesce(cu.f, inf.f, infu.f, 1), coalesce(ci.f, 0)) AS f,
       cu.f IS NOT NULL OR ci.f IS NOT NULL AS configured
FROM tf_units u CROSS JOIN tf_ind i
LEFT JOIN tf_freq_unit cu ON cu.code = u.code
LEFT JOIN tf_freq_ind ci ON ci.code = i.code
LEFT JOIN inf ON inf.unit_code = u.code AND inf.indicator_code = i.code
LEFT JOIN infu ON infu.unit_code = u.code
WHERE NOT i.hidden;

-- completeness: one finding per unit and period it should have reported
-- (a period of its frequency, within its validity and the indicator's
-- reported range, ended before the run's month) where some indicator has no
-- value, so one missing report is one finding.
INSERT INTO tf_quality (check_name, severity, unit_code, indicator_code, period, value, expected, score, message, message_vi)
WITH e AS (
    SELECT p.unit_code, p.period, p.indicator_code, i.ord AS ind_ord, p.value IS NOT NULL AS received, f.f
    FROM tf_pop p
    JOIN tf_freq f ON f.unit_code = p.unit_code AND f.indicator_code = p.indicator_code AND f.f = p.type_ord
    JOIN tf_ind i ON i.code = p.indicator_code
    CROSS JOIN tf_params pr
    WHERE NOT p.is_cluster AND p.year * 12 + p.eb - 1 < pr.now_mi
),
g AS (
    SELECT unit_code, period, count(*) FILTER (WHERE received) AS received, count(*) AS expected, max(f) AS f,
           string_agg(indicator_code, ', ' ORDER BY ind_ord) FILTER (WHERE NOT received) AS missing
    FROM e GROUP BY unit_code, period
)
SELECT 'completeness', 'warning', unit_code, NULL, period, received, expected, received / expected,
       printf('%s report missing for %d of %d indicators: %s', period, expected - received, expected, missing),
       printf('Thiếu báo cáo kỳ %s: %d/%d chỉ tiêu chưa có số liệu (%s)', period, expected - received, expected, missing)
FROM g
WHERE received < expected;

-- The month values the value checks read: unit rows of non-ratio
-- indicators (a ratio is checked through its parts). own: a row of a year
-- this run recomputes (tf_pop). An incremental run adds kept rows of the
-- other years (tf_old_pop): for each (unit, indicator, month) of the
-- recomputed years, the same month of every other year (the reference of a
-- flow); where such a month's values changed (tf_qchg), the earlier months
-- of those years too, for redo: those years' findings of that month are
-- made again with the new reference; and December of each tf_ctx year
-- (stock_drop).
CREATE TEMP TABLE tf_qown AS
SELECT p.unit_code, p.indicator_code, p.year, p.n AS m, p.period, p.value
FROM tf_pop p
JOIN tf_ind i ON i.code = p.indicator_code AND i.agg <> 'ratio'
WHERE NOT p.is_cluster AND p.period_type = 'month' AND p.value IS NOT NULL;

-- tf_qkept: the kept month values (tf_old_pop; none in a full rebuild);
-- replaced: of a year this run recomputes, i.e. the values before the run.
CREATE TEMP VIEW tf_qkept AS
SELECT x.unit_code, x.indicator_code, year(x.period_start)::INTEGER AS year, month(x.period_start)::INTEGER AS m,
       x.period, x.value, year(x.period_start) IN (SELECT year FROM tf_years) AS replaced
FROM tf_old_pop x
JOIN tf_ind i ON i.code = x.indicator_code AND i.agg <> 'ratio'
WHERE NOT x.is_cluster AND x.period_type = 'month' AND x.value IS NOT NULL;

CREATE TEMP TABLE tf_qold AS SELECT * FROM tf_qkept WHERE replaced;

-- tf_qk: the kept values of other years that can be read below: of the
-- months up to the last the recomputed years have (or had), and December
-- of the tf_ctx years.
CREATE TEMP TABLE tf_qk AS
SELECT * FROM tf_qkept
WHERE NOT replaced
  AND (m <= (SELECT max(m) FROM (SELECT m FROM tf_qown UNION ALL SELECT m FROM tf_qold))
       OR (m = 12 AND year IN (SELECT year FROM tf_ctx)));

-- tf_qctx: the kept values of other years of each (unit, indicator, month)
-- the run has a value of, or had one of before.
CREATE TEMP TABLE tf_qctx AS
SELECT k.* FROM tf_qk k
SEMI JOIN (SELECT unit_code, indicator_code, m FROM tf_qown UNION SELECT unit_code, indicator_code, m FROM tf_qold) c
     ON c.unit_code = k.unit_code AND c.indicator_code = k.indicator_code AND c.m = k.m;

-- tf_qchg: (unit, indicator, month) of a flow whose value changed in a
-- recomputed year (new, changed or gone), with how many years have a value
-- of it before (old) and after (new) the run, and how many of them are
-- kept (kn).
CREATE TEMP TABLE tf_qchg AS
WITH d AS (
    SELECT DISTINCT coalesce(n.unit_code, o.unit_code) AS unit_code, coalesce(n.indicator_code, o.indicator_code) AS indicator_code,
           coalesce(n.m, o.m) AS m
    FROM tf_qown n
    FULL JOIN tf_qold o ON o.unit_code = n.unit_code AND o.indicator_code = n.indicator_code AND o.year = n.year AND o.m = n.m
    WHERE n.value IS DISTINCT FROM o.value
),
kc AS (SELECT unit_code, indicator_code, m, count(*) AS n FROM tf_qctx GROUP BY ALL),
oc AS (SELECT unit_code, indicator_code, m, count(*) AS n FROM tf_qold GROUP BY ALL),
nc AS (SELECT unit_code, indicator_code, m, count(*) AS n FROM tf_qown GROUP BY ALL)
SELECT d.unit_code, d.indicator_code, d.m,
       coalesce(kc.n, 0) + coalesce(oc.n, 0) AS old, coalesce(kc.n, 0) + coalesce(nc.n, 0) AS new, coalesce(kc.n, 0) AS kn
FROM d JOIN tf_ind i ON i.code = d.indicator_code AND i.agg = 'sum'
LEFT JOIN kc ON kc.unit_code = d.unit_code AND kc.indicator_code = d.indicator_code AND kc.m = d.m
LEFT JOIN oc ON oc.unit_code = d.unit_code AND oc.indicator_code = d.indicator_code AND oc.m = d.m
LEFT JOIN nc ON nc.unit_code = d.unit_code AND nc.indicator_code = d.indicator_code AND nc.m = d.m;

CREATE TEMP TABLE tf_qm AS
WITH sel AS (
    SELECT unit_code, indicator_code, year, m, period, value FROM tf_qctx
    UNION
    SELECT k.unit_code, k.indicator_code, k.year, k.m, k.period, k.value
    FROM tf_qk k SEMI JOIN tf_qchg c ON c.unit_code = k.unit_code AND c.indicator_code = k.indicator_code AND k.m < c.m
    UNION
    SELECT unit_code, indicator_code, year, m, period, value
    FROM tf_qk WHERE m = 12 AND year IN (SELECT year FROM tf_ctx)
),
q AS (
    SELECT unit_code, indicator_code, year, m, period, value, true AS own FROM tf_qown
    UNION ALL
    SELECT unit_code, indicator_code, year, m, period, value, false FROM sel
)
SELECT q.unit_code, q.indicator_code, q.year, q.m, q.year * 12 + q.m - 1 AS mi, q.period, q.value,
       i.agg, coalesce(ind.measure, '') AS measure, q.own,
       q.own OR c.m IS NOT NULL AS redo,
       -- ui: the unit and indicator as one integer (iid × 2^24 + uid), what
       -- tf_qref's groups and joins are on (the kept rows' units are the
       -- configured ones: a change of them rebuilds every year)
       i.iid, i.iid::BIGINT * 16777216 + u.uid AS ui
FROM q
JOIN tf_ind i ON i.code = q.indicator_code
JOIN tf_units u ON u.code = q.unit_code
JOIN indicators ind ON ind.code = q.indicator_code
LEFT JOIN tf_qchg c ON c.unit_code = q.unit_code AND c.indicator_code = q.indicator_code AND c.m = q.m;

-- tf_qredo: the kept months judged again (their old findings are replaced).
-- tf_qfull: a kept month whose reference was the same month of at least two
-- other years and no longer is: its reference would be its share of its
-- year, which needs that whole year; Go then rebuilds every year.
CREATE TEMP TABLE tf_qfull AS
SELECT count(*) AS n FROM tf_qchg WHERE kn > 0 AND old - 1 >= 2 AND new - 1 < 2;

-- tf_qref: each month value with what the unit would normally report:
--   sum (flows, seasonal): the median of the same month in the unit's other
--     years (at least 2), else its typical share of the year: the median
--     share of that month in the other units' complete year totals, times
--     the unit's own yearly level (the median of its months ÷ their shares):
--     size-free, a city is compared with itself;
--   last, average (levels): the median of its other months of the year.
-- tf_median_without(n, r, x): median() of a group's n values (n >= 3) with
-- the one at position r of their sorted order left out, where x holds the
-- four sorted values it can need (tf_mid4): the middle of the n - 1 left,
-- or the mean of the two middle ones when n - 1 is even, computed as
-- median() interpolates (lo + (hi - lo) * 0.5), so the figures are the
-- same as a self-join's median over "every other row", in one pass
-- instead of n × n rows. r is the value's place in the group's sorted list
-- l (list_position: the first of equal values; leaving out any one of
-- equal values leaves the same n − 1), found by the join that brings x,
-- where the groups are small (a unit's years or months: a row_number()
-- window over tens of thousands of such groups cost more than the rest);
-- for the other units' shares of a month (groups of every unit) by a
-- window, where carrying the list to every row would cost more.
CREATE OR REPLACE TEMP MACRO tf_mid4(l) AS
    [l[(len(l) - 2) // 2 + 1], l[(len(l) - 2) // 2 + 2], l[(len(l) - 1) // 2 + 1], l[(len(l) - 1) // 2 + 2]];
CREATE OR REPLACE TEMP MACRO tf_median_without(n, r, x) AS
    CASE WHEN (n - 2) // 2 = (n - 1) // 2
         THEN CASE WHEN (n - 2) // 2 + 1 < r THEN x[1] ELSE x[2] END
         ELSE CASE WHEN (n - 2) // 2 + 1 < r THEN x[1] ELSE x[2] END
              + ((CASE WHEN (n - 1) // 2 + 1 < r THEN x[3] ELSE x[4] END)
                 - (CASE WHEN (n - 2) // 2 + 1 < r THEN x[1] ELSE x[2] END)) * 0.5
    END;

CREATE TEMP TABLE tf_qref AS
WITH oyg AS (
    -- a flow's same month in the unit's years
    SELECT *, tf_mid4(l) AS x FROM (
        SELECT ui, m, count(*) AS n, list(value ORDER BY value) AS l
        FROM tf_qm WHERE agg = 'sum' GROUP BY ALL HAVING count(*) >= 3)
),
oy AS (
    SELECT a.ui, a.year, a.m,
           tf_median_without(g.n, list_position(g.l, a.value), g.x) AS ref
    FROM tf_qm a JOIN oyg g USING (ui, m)
    WHERE a.agg = 'sum'
),
yt AS (
    SELECT ui, year, sum(value) AS total, count(*) AS k
    FROM tf_qm WHERE agg = 'sum' GROUP BY ALL
),
sh AS (
    -- the month's share of each complete, positive year
    SELECT q.ui, q.iid, q.year, q.m, q.value / yt.total AS share
    FROM tf_qm q JOIN yt USING (ui, year)
    WHERE yt.k = 12 AND yt.total > 0
),
msg AS (
    SELECT iid, year, m, count(*) AS n, tf_mid4(list(share ORDER BY share)) AS x
    FROM sh GROUP BY ALL HAVING count(*) >= 3
),
ms AS (
    -- the median share of the other units
    SELECT a.ui, a.year, a.m,
           tf_median_without(g.n, row_number() OVER (PARTITION BY a.iid, a.year, a.m ORDER BY a.share), g.x) AS share
    FROM sh a JOIN msg g USING (iid, year, m)
),
lvl AS (
    -- the unit's yearly level as the months imply it (value ÷ typical
    -- share), robustly: the median, so one wrong month does not move it
    SELECT q.ui, q.year, median(q.value / ms.share) AS level
    FROM tf_qm q JOIN ms USING (ui, year, m)
    WHERE ms.share > 0
    GROUP BY ALL
),
lvg AS (
    -- a level's other months of the year
    SELECT *, tf_mid4(l) AS x FROM (
        SELECT ui, year, count(*) AS n, list(value ORDER BY value) AS l
        FROM tf_qm WHERE agg <> 'sum' GROUP BY ALL HAVING count(*) >= 3)
),
lv AS (
    SELECT a.ui, a.year, a.m,
           tf_median_without(g.n, list_position(g.l, a.value), g.x) AS ref
    FROM tf_qm a JOIN lvg g USING (ui, year)
    WHERE a.agg <> 'sum'
)
SELECT q.*,
       CASE WHEN q.agg <> 'sum' THEN lv.ref
            WHEN oy.ref IS NOT NULL THEN oy.ref
            ELSE ms.share * lvl.level END AS ref,
       CASE WHEN q.agg <> 'sum' THEN 'other_months' WHEN oy.ref IS NOT NULL THEN 'same_month'
            WHEN ms.share IS NOT NULL THEN 'share' END AS ref_kind
FROM tf_qm q
LEFT JOIN oy USING (ui, year, m)
LEFT JOIN ms USING (ui, year, m)
LEFT JOIN lvl USING (ui, year)
LEFT JOIN lv USING (ui, year, m);

-- One finding per month value at most, the most specific first:
--   ytd_as_month (sum): the value is the year's earlier months plus a normal
--     month (within ytd_tol), at least twice a normal month (less is
--     ordinary variation), and nearer that than a normal month;
--   unit_slip: value ÷ reference is within slip_tol of 10, 100 or 1000 (or
--     their inverses): a decimal point shifted or a unit 1000 times off;
--   seasonal_outlier: value ÷ reference beyond outlier_ratio either way.
-- Values and references both under min_value, differences under
-- 4·√(the larger) (chance for counts), zeros, and months without a
-- reference are not judged.
INSERT INTO tf_quality (check_name, severity, unit_code, indicator_code, period, value, expected, score, message, message_vi)
WITH r AS (
    SELECT q.*, log10(q.value / q.ref) AS lr, q.value / q.ref AS ratio,
           CASE WHEN q.value >= q.ref THEN format('{:.1f} times', q.value / q.ref)
                ELSE format('only {:.2g}% of', q.value / q.ref * 100) END AS ratio_en,
           CASE WHEN q.value >= q.ref THEN format('gấp {:.1f} lần', q.value / q.ref)
                ELSE format('chỉ bằng {:.2g}%', q.value / q.ref * 100) END AS ratio_vi,
           CASE q.ref_kind WHEN 'same_month' THEN 'the same month of its other years'
                           WHEN 'share' THEN 'its typical share of the year'
                           ELSE 'its other months this year' END AS ref_en,
           CASE q.ref_kind WHEN 'same_month' THEN 'cùng tháng các năm khác'
                           WHEN 'share' THEN 'tỷ trọng thường có của tháng trong năm'
                           ELSE 'các tháng khác trong năm' END AS ref_vi
    FROM tf_qref q CROSS JOIN tf_qparams pr
    -- a kept month is judged again only where its reference is the same
    -- month of the other years (tf_qm)
    WHERE (q.own OR (q.redo AND q.ref_kind = 'same_month'))
      AND q.ref > 0 AND q.value > 0 AND greatest(q.value, q.ref) >= pr.min_value
      -- chance variation of a count: small counts (3 recruits one March,
      -- 12 the next) differ by a few square roots of their size
      AND abs(q.value - q.ref) >= 4 * sqrt(greatest(q.value, q.ref))
),
-- prior: the sum of the year's earlier months (all known), which
-- ytd_as_month reads, only for the months it can judge (a flow at least
-- twice its reference): a join of those few months with the months before
-- them, not of every month (at 700 units × 100 indicators, 46 M rows)
pm AS (
    SELECT a.ui, a.year, a.m, sum(b.value) AS prior, count(*) AS k
    FROM r a
    JOIN tf_qm b ON b.ui = a.ui AND b.year = a.year AND b.m < a.m
    WHERE a.agg = 'sum' AND a.value >= 2 * a.ref
    GROUP BY a.ui, a.year, a.m
),
rp AS (
    SELECT r.*, CASE WHEN p.k = r.m - 1 THEN p.prior END AS prior
    FROM r LEFT JOIN pm p ON p.ui = r.ui AND p.year = r.year AND p.m = r.m
),
c AS (
    SELECT r.*, round(r.lr)::INTEGER AS k,
           CASE WHEN round(r.lr) > 0 THEN tf_num(power(10, round(r.lr))) ELSE '1/' || tf_num(power(10, -round(r.lr))) END AS ktext,
           CASE
               WHEN r.agg = 'sum' AND r.prior IS NOT NULL AND r.value >= 2 * r.ref
                    AND abs(r.value - (r.prior + r.ref)) <= pr.ytd_tol * (r.prior + r.ref)
                    AND abs(r.value - (r.prior + r.ref)) < abs(r.value - r.ref) THEN 'ytd_as_month'
               WHEN round(r.lr) <> 0 AND abs(round(r.lr)) <= 3 AND abs(r.lr - round(r.lr)) <= log10(pr.slip_tol) THEN 'unit_slip'
               WHEN r.ratio >= pr.outlier_ratio OR r.ratio <= 1 / pr.outlier_ratio THEN 'seasonal_outlier'
           END AS kind
    FROM rp r CROSS JOIN tf_qparams pr
)
SELECT kind, CASE kind WHEN 'seasonal_outlier' THEN 'warning' ELSE 'error' END,
       unit_code, indicator_code, period, value,
       CASE kind WHEN 'ytd_as_month' THEN prior + ref ELSE ref END,
       CASE kind WHEN 'unit_slip' THEN power(10, k) ELSE ratio END,
       CASE kind
           WHEN 'ytd_as_month' THEN printf('%s = %s looks like the year to date typed as the month: the earlier months of the year add up to %s and a normal month is about %s (%s); the month alone is probably about %s',
                                           period, tf_num(value), tf_num(prior), tf_num(ref), ref_en, tf_num(value - prior))
           WHEN 'unit_slip' THEN printf('%s = %s is about %s times what this unit usually reports (%s, %s): %s',
                                        period, tf_num(value), ktext, tf_num(ref), ref_en,
                                        CASE
                                            WHEN k = 3 AND measure = 'triệu đồng' THEN 'looks entered in nghìn đồng instead of triệu đồng'
                                            WHEN k = -3 AND measure = 'triệu đồng' THEN 'looks entered in tỷ đồng instead of triệu đồng'
                                            WHEN abs(k) = 3 THEN printf('looks entered in a unit 1000 times %s than %s', CASE WHEN k > 0 THEN 'smaller' ELSE 'larger' END, CASE WHEN measure = '' THEN 'the indicator''s' ELSE measure END)
                                            ELSE printf('decimal point shifted %d place%s to the %s', abs(k), CASE WHEN abs(k) > 1 THEN 's' ELSE '' END, CASE WHEN k > 0 THEN 'right' ELSE 'left' END)
                                        END)
           ELSE printf('%s = %s is %s %s (%s): please check', period, tf_num(value), ratio_en, ref_en, tf_num(ref))
       END,
       CASE kind
           WHEN 'ytd_as_month' THEN printf('Tháng %s = %s có vẻ là số lũy kế từ đầu năm nhập vào ô tháng: các tháng trước cộng lại %s, một tháng bình thường khoảng %s (%s); số riêng của tháng có lẽ khoảng %s',
                                           period, tf_num(value), tf_num(prior), tf_num(ref), ref_vi, tf_num(value - prior))
           WHEN 'unit_slip' THEN printf('Kỳ %s = %s gấp khoảng %s lần mức đơn vị thường báo cáo (%s, %s): %s',
                                        period, tf_num(value), ktext, tf_num(ref), ref_vi,
                                        CASE
                                            WHEN k = 3 AND measure = 'triệu đồng' THEN 'có vẻ nhập theo nghìn đồng thay vì triệu đồng'
                                            WHEN k = -3 AND measure = 'triệu đồng' THEN 'có vẻ nhập theo tỷ đồng thay vì triệu đồng'
                                            WHEN abs(k) = 3 THEN printf('có vẻ nhập theo đơn vị %s 1000 lần so với %s', CASE WHEN k > 0 THEN 'nhỏ hơn' ELSE 'lớn hơn' END, CASE WHEN measure = '' THEN 'đơn vị của chỉ tiêu' ELSE measure END)
                                            ELSE printf('có vẻ đặt nhầm dấu thập phân (lệch %d chữ số)', abs(k))
                                        END)
           ELSE printf('Kỳ %s = %s %s %s (%s): đề nghị kiểm tra lại', period, tf_num(value), ratio_vi, ref_vi, tf_num(ref))
       END
FROM c WHERE kind IS NOT NULL;

-- stock_drop: a month of a stock declared non-decreasing (tf_nondec) below
-- the month before.
INSERT INTO tf_quality (check_name, severity, unit_code, indicator_code, period, value, expected, score, message, message_vi)
SELECT 'stock_drop', 'error', a.unit_code, a.indicator_code, a.period, a.value, b.value, a.value - b.value,
       printf('%s = %s is below the month before (%s = %s), but %s never decreases', a.period, tf_num(a.value), b.period, tf_num(b.value), a.indicator_code),
       printf('Kỳ %s = %s giảm so với tháng trước (%s = %s), trong khi %s là chỉ tiêu lũy kế không thể giảm', a.period, tf_num(a.value), b.period, tf_num(b.value), a.indicator_code)
FROM tf_qm a
JOIN tf_nondec n ON n.code = a.indicator_code
JOIN tf_qm b ON b.ui = a.ui AND b.mi = a.mi - 1
WHERE a.own AND a.value < b.value;

-- rule: the validation rules (tf_rules, parsed and checked in Go), on every
-- unit row where both sides are known.
INSERT INTO tf_quality (check_name, severity, unit_code, indicator_code, period, value, expected, score, message, message_vi)
WITH x AS (
    SELECT r.rule, r.op, r.rhs_kind, r.rhs_ind, p.unit_code, p.indicator_code, p.period, p.value AS lhs,
           CASE r.rhs_kind WHEN 'number' THEN r.rhs_num WHEN 'indicator' THEN q.value ELSE u.communes END AS rhs
    FROM tf_rules r
    JOIN tf_pop p ON p.indicator_code = r.lhs AND NOT p.is_cluster AND p.value IS NOT NULL
    -- only the rows of the indicators rules compare with are looked up (an
    -- unfiltered tf_pop here was put whole into the join's hash table, on
    -- every run, with or without rules)
    LEFT JOIN (SELECT indicator_code, unit_code, period, value FROM tf_pop
               WHERE indicator_code IN (SELECT rhs_ind FROM tf_rules)) q
           ON q.indicator_code = r.rhs_ind AND q.unit_code = p.unit_code AND q.period = p.period
    LEFT JOIN tf_units u ON u.code = p.unit_code
)
SELECT 'rule', 'error', unit_code, indicator_code, period, lhs, rhs, lhs - rhs,
       printf('breaks rule "%s": %s = %s, %s = %s', rule, indicator_code, tf_num(lhs),
              CASE rhs_kind WHEN 'number' THEN 'limit' WHEN 'indicator' THEN rhs_ind ELSE rhs_kind END, tf_num(rhs)),
       printf('Vi phạm quy tắc "%s": %s = %s, %s = %s', rule, indicator_code, tf_num(lhs),
              CASE rhs_kind WHEN 'number' THEN 'giới hạn' WHEN 'indicator' THEN rhs_ind ELSE 'số xã' END, tf_num(rhs))
FROM x
WHERE rhs IS NOT NULL AND NOT CASE op
    WHEN '<' THEN lhs < rhs WHEN '<=' THEN lhs <= rhs WHEN '>' THEN lhs > rhs
    WHEN '>=' THEN lhs >= rhs WHEN '=' THEN lhs = rhs ELSE lhs <> rhs END;

-- late_correction: a value replaced by a load after the first time any value
-- of its period was loaded. Only loads still loaded count: an undone load's
-- corrections were taken back (and the undo is audited on its own), and an
-- undone load did not bring the period first.
INSERT INTO tf_quality (check_name, severity, unit_code, indicator_code, period, value, expected, score, message, message_vi)
WITH fl AS (
    SELECT f.period, min(l.loaded_at) AS first_at
    FROM (SELECT period, first_load_id AS load_id FROM observations WHERE year IN (SELECT year FROM tf_years)
          UNION SELECT period, old_load_id FROM observation_audit
          WHERE old_load_id IS NOT NULL AND try_cast(left(period, 4) AS INTEGER) IN (SELECT year FROM tf_years)) f
    JOIN loads l ON l.load_id = f.load_id AND l.status = 'loaded'
    GROUP BY f.period
)
SELECT 'late_correction', 'info', a.unit_code, a.indicator_code, a.period, a.new_value, a.old_value,
       CASE WHEN a.old_value <> 0 THEN (a.new_value - a.old_value) / abs(a.old_value) * 100 END,
       printf('%s value (%s) changed from %s to %s by load %d at %s, after the period was first loaded at %s',
              a.period, a.basis, tf_num(a.old_value), tf_num(a.new_value), a.new_load_id,
              strftime(a.changed_at, '%Y-%m-%d %H:%M:%S'), strftime(fl.first_at, '%Y-%m-%d %H:%M:%S')),
       printf('Số liệu kỳ %s (%s) được sửa từ %s thành %s ở lần nạp %d lúc %s, sau lần nạp đầu tiên của kỳ lúc %s',
              a.period, a.basis, tf_num(a.old_value), tf_num(a.new_value), a.new_load_id,
              strftime(a.changed_at, '%Y-%m-%d %H:%M:%S'), strftime(fl.first_at, '%Y-%m-%d %H:%M:%S'))
FROM observation_audit a JOIN fl ON fl.period = a.period
JOIN loads nl ON nl.load_id = a.new_load_id AND nl.status = 'loaded'
WHERE a.action = 'update' AND a.new_value IS NOT NULL AND a.changed_at > fl.first_at;

-- late_report: with a reporting deadline (quality.due_days after the last
-- day of the period), a unit's report of a period whose last indicator first arrived
-- after it, one finding per unit and period. Arrival is the time of the first
-- load still loaded that brought the value; loads of the built-in sample
-- are never late. value and score: days late; expected: due_days.
INSERT INTO tf_quality (check_name, severity, unit_code, indicator_code, period, value, expected, score, message, message_vi)
WITH brought AS (
    -- (without a deadline there is nothing to judge: every fact and
    -- correction is read only when one is set)
    SELECT unit_code, indicator_code, period, year, last_month, first_load_id AS load_id FROM observations
    WHERE year IN (SELECT year FROM tf_years) AND (SELECT due_days FROM tf_qparams) IS NOT NULL
    UNION
    SELECT a.unit_code, a.indicator_code, a.period, o.year, o.last_month, a.new_load_id
    FROM observation_audit a
    JOIN observations o ON o.unit_code = a.unit_code AND o.indicator_code = a.indicator_code AND o.period = a.period
    WHERE a.new_load_id IS NOT NULL AND o.year IN (SELECT year FROM tf_years) AND (SELECT due_days FROM tf_qparams) IS NOT NULL
),
arrived AS (
    SELECT b.unit_code, b.indicator_code, b.period, b.year, b.last_month, min(l.loaded_at) AS arrived_at
    FROM brought b JOIN loads l ON l.load_id = b.load_id AND l.status = 'loaded' AND l.format <> 'sample'
    GROUP BY ALL
),
r AS (
    SELECT unit_code, period, max(arrived_at) AS arrived_at,
           last_day(make_date(any_value(year), any_value(last_month), 1)) + q.due_days AS due, q.due_days
    FROM arrived CROSS JOIN tf_qparams q
    WHERE q.due_days IS NOT NULL
    GROUP BY unit_code, period, q.due_days
)
SELECT 'late_report', 'info', unit_code, NULL, period, date_diff('day', due, arrived_at::DATE), due_days, date_diff('day', due, arrived_at::DATE),
       printf('report of %s complete on %s, %d day(s) after it was due (%s)', period, strftime(arrived_at, '%Y-%m-%d'),
              date_diff('day', due, arrived_at::DATE), strftime(due, '%Y-%m-%d')),
       printf('Báo cáo kỳ %s nộp đủ ngày %s, chậm %d ngày so với hạn (%s)', period, strftime(arrived_at, '%d/%m/%Y'),
              date_diff('day', due, arrived_at::DATE), strftime(due, '%d/%m/%Y'))
FROM r
WHERE arrived_at::DATE > due;

-- Checks turned off in the configuration, and findings someone accepted
-- (tf_accepted; an empty field matches any): the latter stay, marked, and
-- the readers do not show them.
DELETE FROM tf_quality WHERE check_name IN (SELECT check_name FROM tf_qdisabled);
UPDATE tf_quality q SET accepted_by = a.who, accepted_why = a.why
FROM tf_accepted a
WHERE (a.check_name = '' OR a.check_name = q.check_name)
  AND (a.unit_code = '' OR a.unit_code = q.unit_code)
  AND (a.indicator_code = '' OR a.indicator_code = q.indicator_code)
  AND (a.period = '' OR a.period = q.period);

CREATE TEMP TABLE tf_qredo AS
SELECT unit_code, indicator_code, period FROM tf_qref WHERE NOT own AND redo AND ref_kind = 'same_month';

DROP TABLE tf_qm;
DROP TABLE tf_qref;
DROP TABLE tf_qown;
DROP TABLE tf_qold;
DROP TABLE tf_qctx;
DROP TABLE tf_qk;
DROP VIEW tf_qkept;
DROP MACRO tf_median_without;
DROP MACRO tf_mid4;
