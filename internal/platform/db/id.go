package db

import "github.com/google/uuid"

// NewID returns a UUIDv7 string: sortable by creation, unguessable, and the same type on both databases.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }
