//go:build !(thiduatesthooks && unix)

package pipeline

import (
	"context"
	"log/slog"
)

// testHold is a point where a binary built for the end-to-end tests can be
// held (testhold_on.go). In every other build it does nothing.
func testHold(context.Context, *slog.Logger, string) {}
