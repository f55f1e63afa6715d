// Package search is the one index over every area that has something to
// find. An area puts a Doc in the same transaction as the record it
// describes and deletes it with the record; the words are cut, normalised
// and lightly stemmed by internal/arabic, then indexed by SQLite FTS5 or a
// PostgreSQL tsvector ('simple' configuration, so the database adds no
// stemming of its own).
package search

import (
	"slices"
	"strings"
	"sync"

	"sharaka/internal/arabic"
	"sharaka/internal/platform/db"
)

// Doc is one searchable record.
type Doc struct {
	Kind  string // "opportunity", "organisation", …
	RefID string // the record's id in its area
	// OrgID owns the record; a record that is not Public is found only by
	// those who may see the organisation's private records.
	OrgID  string
	Public bool
	Title  string
	Body   string
	// Tags are extra words (skills, category names) matched like the body.
	Tags     []string
	PlaceID  string
	Category string
	// StartsOn and EndsOn (YYYY-MM-DD) are the days the record spans, for
	// the date filter; "" when it has no dates.
	StartsOn, EndsOn string
}

// Index reads and writes the search index. Keep one per database for
// searching: it holds a copy of the indexed words for typo tolerance.
type Index struct {
	d        *db.DB
	mu       sync.Mutex
	vocab    *vocab
	vocabErr error         // why the last read of the words failed
	loading  chan struct{} // closed when the words being read are in
}

// New returns the index on d.
func New(d *db.DB) *Index { return &Index{d: d} }

// Terms are the index words of a text: every token, normalised; words
// lightly stemmed; hashtags split into their words; phone numbers and numbers
// as digits; «ابن» as «بن»; and compound names joined as NameKey joins them
// («عبد الله» and «عبدالله» both give «عبدالله»), with their parts too, so
// a query for either spelling, or for a part, finds the record.
func Terms(text string) []string { return terms(text, true) }

// QueryTerms are the words a query needs: as Terms, but a compound name
// gives only its joined form, which every spelling of it was indexed under.
func QueryTerms(text string) []string { return terms(text, false) }

// maxTermBytes bounds an index word: PostgreSQL refuses lexemes of 2,047
// bytes or more, and no word people search for comes near. Longer runs are
// left out on both databases, so both index the same words.
const maxTermBytes = 200

func terms(text string, withParts bool) []string { return cutTerms(text, withParts, nil) }

// source is the word a query term came from: normalised, which typo
// tolerance respells, and as typed, which it shows.
type source struct{ word, typed string }

// queryTerms are QueryTerms with the word each came from (a joined name
// comes from itself).
func queryTerms(text string) (terms []string, from []source) {
	terms = cutTerms(text, false, &from)
	return terms, from
}

// cutTerms cuts text's index terms; with from, it also lists the word each
// came from.
func cutTerms(text string, withParts bool, from *[]source) []string {
	toks := arabic.Tokens(text)
	words := make([]string, 0, len(toks))
	var typed []string // words as typed, when from is wanted
	for _, t := range toks {
		n := len(words)
		switch t.Kind {
		case arabic.KindHashtag:
			words = append(words, strings.FieldsFunc(strings.TrimPrefix(t.Text, "#"), func(r rune) bool { return r == '_' })...)
		case arabic.KindPhone:
			words = append(words, strings.TrimPrefix(t.Text, "+"))
		default:
			words = append(words, t.Text)
		}
		if from != nil {
			for _, w := range words[n:] {
				if t.Kind == arabic.KindWord {
					w = text[t.Start:t.End]
				}
				typed = append(typed, w)
			}
		}
	}
	out := make([]string, 0, len(words)+len(words)/8)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w == "ابن" {
			w = "بن"
		}
		n := len(out)
		var src source
		if from != nil {
			src = source{w, typed[i]}
		}
		if j, ok := compound(words, i); ok {
			if withParts {
				out = append(out, arabic.Stem(words[i]), arabic.Stem(words[i+1]))
			}
			out = append(out, j)
			if from != nil {
				src = source{j, typed[i] + " " + typed[i+1]}
			}
			i++
		} else if j, parts := splitCompound(w); j != "" {
			if withParts {
				out = append(out, parts...)
			}
			out = append(out, j)
		} else {
			out = append(out, arabic.Stem(w))
		}
		if from != nil {
			for range out[n:] {
				*from = append(*from, src)
			}
		}
	}
	if from == nil {
		return slices.DeleteFunc(out, func(w string) bool { return len(w) > maxTermBytes })
	}
	kept, keptFrom := out[:0], (*from)[:0]
	for i, t := range out {
		if len(t) <= maxTermBytes {
			kept, keptFrom = append(kept, t), append(keptFrom, (*from)[i])
		}
	}
	*from = keptFrom
	return kept
}

// compound joins words[i] with the next word when they make one name:
// «عبد» or «أبو» (أبا، أبي) before a word, or a word before «الله» or «الدين».
func compound(words []string, i int) (string, bool) {
	if i+1 >= len(words) {
		return "", false
	}
	w, next := words[i], words[i+1]
	switch {
	case w == "عبد":
		return w + next, true
	case w == "ابو" || w == "ابا" || w == "ابي":
		return "ابو" + next, true
	case next == "الله" || next == "الدين":
		return w + next, true
	}
	return "", false
}

// splitCompound reads a name written as one word (عبدالرحمن، ابوبكر،
// نورالدين) and returns it, its «أبو» written one way, with its parts.
func splitCompound(w string) (string, []string) {
	// Every such name starts with «ع» or «ا», or ends with «ه» or «ن».
	if len(w) < 8 || !strings.HasPrefix(w, "ع") && !strings.HasPrefix(w, "ا") && !strings.HasSuffix(w, "ه") && !strings.HasSuffix(w, "ن") {
		return "", nil
	}
	for _, p := range []string{"عبد", "ابو", "ابا", "ابي"} {
		if rest, ok := strings.CutPrefix(w, p); ok && len([]rune(rest)) >= 3 {
			if p != "عبد" {
				p = "ابو"
			}
			return p + rest, []string{arabic.Stem(p), arabic.Stem(rest)}
		}
	}
	for _, s := range []string{"الله", "الدين"} {
		if rest, ok := strings.CutSuffix(w, s); ok && len([]rune(rest)) >= 2 {
			return w, []string{arabic.Stem(rest), s}
		}
	}
	return "", nil
}
