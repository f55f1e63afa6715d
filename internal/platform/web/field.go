package web

import "strings"

// FieldData is what the "field" partial renders: one labelled control.
type FieldData struct {
	Name, Label, Hint, Type, Value, Error, Auto string
	Required                                    bool
	Options                                     []Option
}

// Option is one choice of a select field.
type Option struct {
	Value, Label string
	Selected     bool
}

// Field builds a form control's data in the page's language. opts are
// "required", "auto=<autocomplete>", "hint=<message id>".
func (p Page) Field(f *Form, name, labelID, typ string, opts ...string) FieldData {
	d := FieldData{Name: name, Label: p.T(labelID), Type: typ}
	if f != nil {
		if typ != "password" {
			d.Value = f.Get(name)
		}
		if id := f.Err(name); id != "" {
			d.Error = p.T(id)
		}
	}
	for _, o := range opts {
		switch {
		case o == "required":
			d.Required = true
		case strings.HasPrefix(o, "auto="):
			d.Auto = strings.TrimPrefix(o, "auto=")
		case strings.HasPrefix(o, "hint="):
			d.Hint = p.T(strings.TrimPrefix(o, "hint="))
		}
	}
	return d
}

// Select builds a select field; choices are value, label-message-id pairs.
func (p Page) Select(f *Form, name, labelID string, choices []string, opts ...string) FieldData {
	d := p.Field(f, name, labelID, "select", opts...)
	for i := 0; i+1 < len(choices); i += 2 {
		d.Options = append(d.Options, Option{Value: choices[i], Label: p.T(choices[i+1]), Selected: d.Value == choices[i]})
	}
	return d
}

// Pager is the data of the "pager" partial: keyset links to the neighbouring pages.
type Pager struct {
	Label, PrevText, NextText string
	PrevURL, NextURL          string
}

// NewPager labels a pager in the page's language.
func (p Page) NewPager(prevURL, nextURL string) Pager {
	return Pager{Label: p.T("pager.label"), PrevText: p.T("pager.prev"), NextText: p.T("pager.next"), PrevURL: prevURL, NextURL: nextURL}
}
