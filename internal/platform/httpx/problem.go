package httpx

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
)

// Problem is an RFC 9457 problem detail.
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Errors map[string]string `json:"errors,omitempty"`
}

// ProblemBase prefixes problem types; the path documents each type.
const ProblemBase = "/problems/"

// WriteProblem writes err as application/problem+json in the request's language.
func WriteProblem(w http.ResponseWriter, r *http.Request, err error) {
	e := As(err)
	LogIfInternal(r, e)
	loc := Locale(r.Context())
	p := Problem{Type: ProblemBase + e.Type, Title: loc.T(e.MsgID), Status: e.Status, Detail: e.Detail}
	if len(e.Fields) > 0 {
		p.Errors = make(map[string]string, len(e.Fields))
		for f, id := range e.Fields {
			p.Errors[f] = loc.T(id)
		}
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Content-Language", string(loc.Lang))
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// LogIfInternal logs server-side failures; user errors are not noise.
func LogIfInternal(r *http.Request, e *Error) {
	if e.Status >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", e.Err)
	}
}

// HandlerFunc is a handler that returns its failure instead of writing it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// API adapts h for the JSON API: failures become problems.
func API(h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			WriteProblem(w, r, err)
		}
	})
}

// WriteJSON writes v with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// DecodeJSON reads a JSON body of at most 1 MiB into v, refusing unknown fields.
func DecodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &Error{Status: http.StatusBadRequest, Type: "bad-json", MsgID: "error.bad_json", Detail: err.Error(), Err: err}
	}
	return nil
}
