// Package jobs runs background work through River on either database: River's
// SQLite driver over the writer connection, or its pgx driver on PostgreSQL
// (with its database/sql driver for inserts inside our *sql.Tx transactions).
package jobs

import (
	"database/sql"

	"github.com/jackc/pgx/v5"
)

type (
	sqlTx = *sql.Tx
	pgxTx = pgx.Tx
)
