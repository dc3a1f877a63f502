package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/ingest"
)

// badCSV has one good row and two bad ones.
const badCSV = "unit_code,indicator_code,period,value\n060,new_coops,2020-02,1\n999,new_coops,2020-02,1\n061,new_coops,2020-13,2\n"

// testEnv is the environment of a command run with the built-in
// configuration and the database db and output folder out; stdout and
// stderr (with the log) go to the buffers returned.
func testEnv(t *testing.T, db, out string) (env Env, stdout, stderr *bytes.Buffer) {
	t.Helper()
	cfg, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DB, cfg.Out = db, out
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	return Env{Config: cfg, Log: slog.New(slog.NewTextHandler(stderr, nil)),
		IO: &IO{In: strings.NewReader(""), Out: stdout, Err: stderr}}, stdout, stderr
}

// ingestInbox runs "thidua ingest --inbox inbox --settle 0" and returns
// its exit status and stderr.
func ingestInbox(t *testing.T, db, out, inbox string) (int, string) {
	t.Helper()
	env, _, stderr := testEnv(t, db, out)
	ctx := context.Background()
	err := Ingest(ctx, env, IngestOptions{Inbox: InboxOptions{Dir: inbox}})
	return ExitCode(ctx, err), stderr.String()
}

// TestEncodingsAgree holds the configuration's encoding setting to the
// values the readers accept: config checks the setting without importing
// ingest, and the pipeline hands it to ingest.Options.Encoding.
func TestEncodingsAgree(t *testing.T) {
	if !slices.Equal(config.Encodings, ingest.Encodings) {
		t.Errorf("config.Encodings %v, ingest.Encodings %v: the setting must allow what the readers read", config.Encodings, ingest.Encodings)
	}
}
