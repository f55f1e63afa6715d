package search

import (
	"strings"

	"sharaka/internal/arabic"
)

// Snippet cuts about words words of text around its first match and marks
// the words whose index terms are in want. The parts are the original text
// (diacritics, digits and spelling as written): matching happens on
// normalised words, and their spans lead back to what the reader sees.
func Snippet(text string, want map[string]bool, words int) []Part {
	toks := arabic.Tokens(text)
	if len(toks) == 0 {
		return nil
	}
	// Only the words up to the first match and the window after it are
	// looked at: bodies can be long.
	match := make([]int8, len(toks)) // 0 not yet known, 1 matches, -1 does not
	matches := func(i int) bool {
		if match[i] == 0 {
			match[i] = -1
			for _, term := range terms(toks[i].Text, true) {
				if want[term] {
					match[i] = 1
				}
			}
		}
		return match[i] == 1
	}
	first := -1
	for i := range toks {
		if matches(i) {
			first = i
			break
		}
	}
	from := 0
	if first > words/3 {
		from = first - words/3
	}
	to := min(len(toks), from+words)
	var parts []Part
	add := func(s string, m bool) {
		if s == "" {
			return
		}
		if n := len(parts); n > 0 && parts[n-1].Match == m {
			parts[n-1].Text += s
			return
		}
		parts = append(parts, Part{Text: s, Match: m})
	}
	if from > 0 {
		add("… ", false)
	}
	pos := toks[from].Start
	for i := from; i < to; i++ {
		add(text[pos:toks[i].Start], false)
		add(text[toks[i].Start:toks[i].End], matches(i))
		pos = toks[i].End
	}
	if to < len(toks) {
		add(" …", false)
	} else {
		add(strings.TrimRight(text[pos:], " \n\t"), false)
	}
	return parts
}
