package db

import (
	"context"
	"fmt"
)

// Column runs a query of one column and returns its values.
func Column[T any](ctx context.Context, q Querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("scan column: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
