// Package db opens SQLite or PostgreSQL behind one handle, applies the embedded
// migrations and maps driver errors to the few that callers act on.
//
// Every query is written once with $1-style placeholders, which both drivers
// accept. SQLite gets one writer connection (SQLite allows one writer at a
// time, and River's SQLite driver wants a single connection) and a pool of
// readers; PostgreSQL uses one pool for both.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect names the database engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the application's database handle.
type DB struct {
	Dialect Dialect
	// W takes writes and transactions; R serves reads. They are the same pool on PostgreSQL.
	W, R *sql.DB
	// Pool is the pgx pool behind W and R on PostgreSQL (River's pgx driver uses it); nil on SQLite.
	Pool *pgxpool.Pool
}

// IsPostgresURL reports whether s names a PostgreSQL database rather than a SQLite file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database named by dsn: a postgres:// URL or a SQLite file path.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgresURL(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	path = strings.TrimPrefix(path, "sqlite://")
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	// busy_timeout comes first so that the pragmas after it wait rather than fail.
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_time_format", "sqlite")
	base := "file:" + path + "?"
	wq := url.Values{}
	for k, v := range q {
		wq[k] = append([]string(nil), v...) // its own copy: the writer adds a pragma
	}
	// IMMEDIATE takes the write lock at BEGIN, so two transactions never deadlock upgrading a read lock.
	wq.Set("_txlock", "immediate")
	// 64 MB of page cache for the one writer (2 MB by default): bulk writes
	// touch the same index pages again and again (search indexing: +8 %).
	wq.Add("_pragma", "cache_size(-65536)")
	w, err := sql.Open("sqlite", base+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", base+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	d := &DB{Dialect: SQLite, W: w, R: r}
	if err := d.Ping(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse postgres url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	sqldb := stdlib.OpenDBFromPool(pool)
	d := &DB{Dialect: Postgres, W: sqldb, R: sqldb, Pool: pool}
	if err := d.Ping(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := d.W.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", d.Dialect, err)
	}
	return nil
}

// Close releases every connection.
func (d *DB) Close() error {
	var errs []error
	if d.R != d.W {
		errs = append(errs, d.R.Close())
	}
	errs = append(errs, d.W.Close())
	if d.Pool != nil {
		d.Pool.Close()
	}
	return errors.Join(errs...)
}

// Querier is what both *sql.DB and *sql.Tx offer; stores take it so that one
// method serves inside and outside a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// WithTx runs fn in a write transaction, committing when fn returns nil.
func (d *DB) WithTx(ctx context.Context, fn func(tx Tx) error) error {
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", Map(err))
	}
	return nil
}

// Now is the time the application stores: UTC, at microsecond precision (what PostgreSQL keeps).
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Tx is a write transaction.
type Tx = *sql.Tx

// ForUpdate is the clause that locks selected rows until the transaction ends:
// PostgreSQL needs it; SQLite's single writer already serialises write transactions.
func (d *DB) ForUpdate() string {
	if d.Dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}
