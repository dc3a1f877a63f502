package pipeline

import "runtime/debug"

// Version is thidua's version: see version.
func Version() string { return version() }

// version is the module version (v1.2.0 when installed with "go install
// ...@v1.2.0"), else, for a build from a git checkout, the VCS revision the
// go command recorded: "devel 0123456789ab (2026-12-01T10:00:00Z)", with
// "+modified" when the tree had uncommitted changes; "devel" only when
// neither is known (go build -buildvcs=false).
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionOf(bi)
}

func versionOf(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	v := "devel " + shortSHA(rev)
	if modified {
		v += "+modified"
	}
	if at != "" {
		v += " (" + at + ")"
	}
	return v
}
