package web

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Form carries submitted values and per-field error message ids back to a page.
type Form struct {
	Values map[string]string
	Errors map[string]string
}

// NewForm reads the posted form (at most 1 MiB), trimming spaces.
func NewForm(r *http.Request) (*Form, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	f := &Form{Values: map[string]string{}, Errors: map[string]string{}}
	for k, vs := range r.PostForm {
		for _, v := range vs {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return nil, errors.New("form is not valid UTF-8")
			}
		}
		if len(vs) > 0 {
			f.Values[k] = strings.TrimSpace(vs[0])
		}
	}
	return f, nil
}

// EmptyForm is a form with nothing entered yet.
func EmptyForm() *Form { return &Form{Values: map[string]string{}, Errors: map[string]string{}} }

// Get returns a submitted value.
func (f *Form) Get(k string) string { return f.Values[k] }

// Err returns the error message id of a field, if any.
func (f *Form) Err(k string) string { return f.Errors[k] }

// OK reports whether no field has an error.
func (f *Form) OK() bool { return len(f.Errors) == 0 }

// SetErrors merges field errors (for example from a service's validation).
func (f *Form) SetErrors(m map[string]string) {
	for k, v := range m {
		f.Errors[k] = v
	}
}
