package app

import (
	"io"
	"log/slog"

	"sharaka/internal/platform/config"
)

// SetupLogging installs the process-wide slog handler chosen by the config.
func SetupLogging(cfg *config.Config, w io.Writer) {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	slog.SetDefault(slog.New(h))
}
