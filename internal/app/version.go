package app

import "runtime/debug"

// version is set at build time with -ldflags "-X sharaka/internal/app.version=v1.2.3".
var version = ""

// Version is the build's version: the linker-set one, else the VCS revision Go recorded.
func Version() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev + " (" + info.GoVersion + ")"
}
