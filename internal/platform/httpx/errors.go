// Package httpx holds the HTTP plumbing shared by every area: handlers that
// return errors, RFC 9457 problems, and the middleware chain.
package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"sharaka/internal/platform/db"
)

// Error is an error a user may see: an HTTP status, a stable problem type, a
// catalogue message id for the title, and optional per-field messages.
type Error struct {
	Status int
	// Type is a stable slug; problems carry it as /problems/{Type}.
	Type string
	// MsgID is the catalogue id of the human title.
	MsgID string
	// Detail is extra text safe to show (already in the user's language, or data).
	Detail string
	// Fields maps a form or JSON field to the catalogue id of its message.
	Fields map[string]string
	// RetryAfter, when set, is sent as a Retry-After header.
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Type, e.Err)
	}
	return e.Type
}

func (e *Error) Unwrap() error { return e.Err }

// Common errors; areas add their own with NewError.
var (
	ErrNotFound     = &Error{Status: http.StatusNotFound, Type: "not-found", MsgID: "error.not_found"}
	ErrForbidden    = &Error{Status: http.StatusForbidden, Type: "forbidden", MsgID: "error.forbidden"}
	ErrUnauthorized = &Error{Status: http.StatusUnauthorized, Type: "unauthorized", MsgID: "error.unauthorized"}
	ErrBadRequest   = &Error{Status: http.StatusBadRequest, Type: "bad-request", MsgID: "error.bad_request"}
)

// Invalid is a validation failure: 422 with messages per field.
func Invalid(fields map[string]string) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Type: "validation", MsgID: "error.form", Fields: fields}
}

// As finds the user-facing error in err's chain, mapping database sentinels;
// anything else is an internal error whose details are not shown.
func As(err error) *Error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, db.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, db.ErrReference):
		return &Error{Status: http.StatusUnprocessableEntity, Type: "missing-reference", MsgID: "error.reference", Err: err}
	case errors.Is(err, db.ErrConflict):
		return &Error{Status: http.StatusConflict, Type: "conflict", MsgID: "error.conflict", Err: err}
	}
	return &Error{Status: http.StatusInternalServerError, Type: "internal", MsgID: "error.server", Err: err}
}
