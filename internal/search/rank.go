package search

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// Ranking is computed here rather than by the database, so that SQLite and
// PostgreSQL order results the same way, and so that a record's score
// depends on the record and the query alone: pages then follow one another
// exactly while records are added (see cursor).
const (
	titleWeight = 3   // a word in the title counts three times one in the body
	k1          = 1.2 // how fast repeats of a word stop adding (BM25's k1)
	lengthB     = 0.75
	typicalLen  = 60 // a record's weighted length in words, for length normalisation
)

// score is BM25F without the inverse document frequency: every candidate
// holds every word of the query, so what tells them apart is how often and
// where (title or body) the words appear, in how long a record.
func score(title, body string, terms []string) float64 {
	var f [8]float64 // weighted frequency per term; queries longer than 8 words share the last
	length := 0.0
	count := func(text string, w float64) {
		// The words are joined by single spaces.
		for text != "" {
			word, rest, _ := strings.Cut(text, " ")
			text = rest
			if word == "" {
				continue
			}
			length += w
			for i, t := range terms {
				if word == t {
					f[min(i, len(f)-1)] += w
				}
			}
		}
	}
	count(title, titleWeight)
	count(body, 1)
	norm := k1 * (1 - lengthB + lengthB*length/typicalLen)
	s := 0.0
	for i := range min(len(terms), len(f)) {
		s += f[i] * (k1 + 1) / (f[i] + norm)
	}
	return s
}

// candidate is a matching record with its index words.
type candidate struct {
	seq         int64
	kind, ref   string
	category    string
	title, body string // index words
	score       float64
}

// window is the range of seqs a search ranks: fixed by its first page, so
// records added later (higher seqs) do not shift the pages after it.
type window struct {
	Lo int64 `json:"l,omitempty"` // 0: from the oldest
	Hi int64 `json:"h"`
	// Top is the newest record the first page's counts saw, which later
	// pages count up to.
	Top int64 `json:"t,omitempty"`
}

// cursor is where a page ended: its last hit's score and seq, and the
// search's window.
type cursor struct {
	window
	Score float64 `json:"s"`
	Seq   int64   `json:"q"`
	// Terms are the index words a respelt search ran with: its later pages
	// run with them rather than choose a respelling again, which records
	// written meanwhile could change.
	Terms []string `json:"t,omitempty"`
}

// ErrBadCursor is a Query.After that no page gave.
var ErrBadCursor = errors.New("search: unreadable page cursor")

func (c cursor) encode() string {
	b, _ := json.Marshal(c) // numbers and strings always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.Hi <= 0 || c.Seq <= 0 || c.Lo < 0 {
		return cursor{}, ErrBadCursor
	}
	return c, nil
}

// before reports whether the cursor's hit ranks above c, so c belongs to a
// later page.
func (c *cursor) before(x candidate) bool {
	return x.score < c.Score || x.score == c.Score && x.seq < c.Seq
}
