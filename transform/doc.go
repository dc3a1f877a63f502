// Package transform builds thidua's analysis tables from the facts the store
// holds: indicator_pop (every unit, indicator and period with period-over-
// period figures, year to date, % of target, ranks and a cluster row),
// scores and score_points (the emulation score) and quality (doubtful
// figures, each with its reason).
//
// The work is done by SQL models embedded from models/*.sql and run in the
// order of their numeric prefixes (see Steps), in one transaction on one
// connection: intermediate tables are TEMP tables named tf_*, dropped before
// the commit, and either every output table is replaced or none is. A
// failing model's name is in the error (a *StepError). The package reads the
// tables store creates (cluster, units, indicators, criteria,
// criterion_bands, observations, loads, observation_audit, bonus) through
// database/sql only.
//
// # Rules
//
// Reports become spans of months: basis 'period' covers the period, basis
// 'ytd' January to the period's end (a ytd report at month 3, 6, 9, 12 is the
// Q1, H1, 9M, year value). A month's value is its direct report, else for
// sum C(m) − C(m−1) and for average C(m)·m − C(m−1)·(m−1) from cumulative
// (January..k) reports, else for last the value of a report ending at m.
// A span's value is (1) a direct report of exactly the span, flagged as
// span_conflict when its months disagree; (2) else for sum and average the
// difference of cumulative reports; (3) else from its months (sum Σ, average
// mean, both only when every month is known; last the end month). A span
// with a missing month has no value and complete = false. A ratio is
// Σnumerator ÷ Σdenominator × factor with each part valued by its own rule,
// over time and across units (the cluster row), never a mean of ratios.
// Units appear only in periods overlapping their validity, over the months
// they existed.
//
// % of target is year to date ÷ annual target × 100 for direction higher;
// for lower 100 when year to date ≤ target, else target ÷ year to date × 100;
// for target max(0, 100 − |ytd − target| ÷ |target| × 100). Ranks are SQL
// RANK() among the units, by value in the indicator's direction and by % of
// target capped at the indicator's cap.
//
// docs/transform.md documents every rule, column, scoring method and
// quality check.
package transform
