package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"sharaka/internal/platform/httpx"
)

// healthz says the process is up; it touches nothing else.
func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

type readiness struct {
	Status     string `json:"status"`
	Database   string `json:"database"`
	Migrations string `json:"migrations"`
}

// readyz says whether this instance can serve: the database answers and its
// schema is current. A load balancer stops sending traffic when it is not.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	st := readiness{Status: "ok", Database: "ok", Migrations: "current"}
	code := http.StatusOK
	// Details go to the log, not to whoever asks: they name hosts and users.
	if err := a.DB.Ping(ctx); err != nil {
		slog.WarnContext(ctx, "not ready: database", "err", err)
		st.Status, st.Database, code = "unavailable", "unreachable", http.StatusServiceUnavailable
	} else if n, err := a.DB.MigrationsPending(ctx); err != nil {
		slog.WarnContext(ctx, "not ready: migrations", "err", err)
		st.Status, st.Migrations, code = "unavailable", "unknown", http.StatusServiceUnavailable
	} else if n > 0 {
		st.Status, st.Migrations, code = "unavailable", "pending", http.StatusServiceUnavailable
	}
	_ = httpx.WriteJSON(w, code, st)
}
