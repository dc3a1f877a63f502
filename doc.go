// Package thidua holds the domain of an emulation cluster (cụm thi đua):
// units, indicators, periods, observations and targets, and the rules for
// reading their names and periods as people write them.
//
// It imports only the standard library. The packages beside it wrap one
// outside technology each: ingest reads files into domain records, store owns
// the DuckDB file, transform runs the SQL models, dashboards writes HTML and
// config reads settings. They talk to each other only in the types defined
// here; cmd/thidua wires them together.
package thidua
