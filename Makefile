# thidua — see README.md. Two commands matter on a fresh machine:
#   make run    build and run the whole pipeline on the built-in synthetic sample
#   make test   run every test (fetches ECharts and fflate from npm, checks their sha256)

GO       ?= go
BIN      := bin/thidua
ECHARTS  := dashboards/assets/echarts.min.js dashboards/assets/langVI.js dashboards/assets/fflate.min.js
export CGO_ENABLED := 1
# Loads stage through DuckDB's Arrow interface (store/load_arrow.go), which
# needs duckdb-go's duckdb_arrow build tag; without it they use the Appender
# (store/load_arrow_off.go), which `make test` also tests.
TAGS     ?= duckdb_arrow

.PHONY: all build run test test-short vet fuzz bench bench-m echarts screenshot report-png clean

all: build

# The script pins the version and its sha256: when it changes (a new pin),
# the fetched file is older than it and is fetched again. Both files are
# the script's (a grouped target): a missing langVI.js or fflate.min.js
# (the inflate for browsers without DecompressionStream) is fetched too.
$(ECHARTS) &: scripts/fetch-echarts.sh
	./scripts/fetch-echarts.sh

echarts: $(ECHARTS)

build: $(ECHARTS)
	$(GO) build -tags '$(TAGS)' -o $(BIN) ./cmd/thidua

run: build
	./$(BIN) run

# go.mod must be tidy (direct dependencies not marked indirect): `go mod
# tidy -diff` prints what `go mod tidy` would change and fails if anything.
vet:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum not tidy: run go mod tidy"; exit 1; }
	$(GO) vet -tags '$(TAGS)' ./...
	$(GO) vet ./store/...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

test: $(ECHARTS) vet
	$(GO) test -tags '$(TAGS)' -count=1 -timeout 20m ./...
	$(GO) test -count=1 ./store/...

test-short: $(ECHARTS)
	$(GO) test -tags '$(TAGS)' -short ./...

# Each fuzz target for a short while; FUZZTIME=5m for a longer hunt.
FUZZTIME ?= 20s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list 'Fuzz.*' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# Benchmarks (bench/, see docs/scaling.md): S and M, or only M. Figures go to
# bench/results/<size>-<date>.json and a markdown table on stdout. L (120M
# rows) only on demand: THIDUA_BENCH_SIZES=L $(GO) test ... as below.
BENCH_TAGS ?= $(TAGS)
BENCH_MEMORY_LIMIT ?= 8GB
BENCH_RUN  := THIDUA_BENCH_MEMORY_LIMIT=$(BENCH_MEMORY_LIMIT) $(GO) test -tags '$(BENCH_TAGS)' -run '^$$' -bench Pipeline -benchtime 1x -timeout 180m ./bench/
bench: $(ECHARTS)
	THIDUA_BENCH_SIZES=S,M $(BENCH_RUN)

bench-m: $(ECHARTS)
	THIDUA_BENCH_SIZES=M $(BENCH_RUN)

clean:
	rm -rf bin out test-artifacts

# The README's screenshot of the overview, made with the project's own tools:
# the pipeline on the built-in sample, then headless Chromium via chromedp.
SHOTDIR := $(CURDIR)/.cache/screenshot
screenshot: build
	rm -rf $(SHOTDIR) && mkdir -p $(SHOTDIR) docs/img
	./$(BIN) run --db $(SHOTDIR)/sample.duckdb --out $(SHOTDIR)/out --generated-at 2022-01-15T08:00:00Z
	THIDUA_SITE=$(SHOTDIR)/out/dashboards THIDUA_ARTIFACTS=$(SHOTDIR)/png $(GO) test -count=1 -run TestScreenshotSite ./dashboards
	cp $(SHOTDIR)/png/overview-1366.png docs/img/overview.png

# The README's picture of the review report's first page: the 2020-H1 report
# of the built-in sample, opened by LibreOffice (libreoffice-writer-nogui),
# page 1 rendered by pdftoppm (poppler-utils).
REPORTDIR := $(CURDIR)/.cache/report-png
report-png: build
	rm -rf $(REPORTDIR) && mkdir -p $(REPORTDIR) docs/img
	./$(BIN) run --db $(REPORTDIR)/sample.duckdb --out $(REPORTDIR)/out --generated-at 2020-07-15
	./$(BIN) report --db $(REPORTDIR)/sample.duckdb --out $(REPORTDIR)/out --period 2020-H1 --date 2020-07-15
	HOME=$(REPORTDIR) soffice --headless --norestore -env:UserInstallation=file://$(REPORTDIR)/lo \
	  --convert-to pdf --outdir $(REPORTDIR) $(REPORTDIR)/out/reports/bao-cao-2020-H1.docx
	pdftoppm -png -r 80 -f 1 -l 1 -singlefile $(REPORTDIR)/bao-cao-2020-H1.pdf $(REPORTDIR)/page1
	cp $(REPORTDIR)/page1.png docs/img/report.png
