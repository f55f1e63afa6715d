package arabic

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word of a text: Text is its normalised form, Start and End
// its byte offsets in the original text, so a match can be highlighted in
// what the reader sees.
type Token struct {
	Text       string
	Start, End int
	Kind       int
}

// Kind of token.
const (
	KindWord    = iota // letters and digits
	KindHashtag        // #word or #two_words
	KindPhone          // a phone number, digits kept whole
	KindNumber         // digits, with a decimal point where there is one
)

// Tokens cuts s into words. Diacritics, tatweel and joiners inside a word
// belong to it («مُحَمَّد» is one word); a word changes at a switch between
// Arabic and Latin letters («بالGPS» is «بال» and «gps»), while digits join
// the letters beside them («كورونا19»); a hashtag (#تطوع_المدينة) and a phone
// number (+966 55 123 4567, 055-123-4567) stay whole; a decimal number
// (١٢٫٥) is one token. Punctuation and spaces separate words.
func Tokens(s string) []Token {
	out := make([]Token, 0, len(s)/10+1)
	var buf []byte
	for i := 0; i < len(s); {
		r, n := decodeRune(s, i)
		f, keep := Fold(r)
		switch {
		case !keep || !isWordRune(f) && f != '#' && f != '+':
			i += n
			continue
		case f == '#':
			if end, text := hashtag(s, i); end > i {
				out = append(out, Token{Text: text, Start: i, End: end, Kind: KindHashtag})
				i = end
				continue
			}
			i += n
			continue
		case f == '+' || isDigit(f):
			if end, text := phone(s, i); end > i {
				out = append(out, Token{Text: text, Start: i, End: end, Kind: KindPhone})
				i = end
				continue
			}
			if f == '+' {
				i += n
				continue
			}
		}
		end, plain, folded, block := wordEnd(s, i, buf[:0])
		buf = folded
		var text string
		switch {
		case plain:
			text = s[i:end]
		case block:
			text = string(folded)
		default:
			text = wordText(s[i:end])
		}
		if text != "" {
			kind := KindWord
			if strings.IndexFunc(text, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != ',' }) < 0 {
				kind = KindNumber
			}
			out = append(out, Token{Text: text, Start: i, End: end, Kind: kind})
		}
		i = end
	}
	return out
}

// script classes a folded rune: 'a' Arabic letter, 'l' other letter, 'd'
// digit, 0 anything else.
func script(f rune) byte {
	switch {
	case '0' <= f && f <= '9':
		return 'd'
	case 'a' <= f && f <= 'z':
		return 'l'
	case 0x0621 <= f && f <= 0x064A && f != 0x0640:
		return 'a'
	case unicode.Is(unicode.Arabic, f) && unicode.IsLetter(f):
		return 'a'
	case unicode.IsLetter(f):
		return 'l'
	case unicode.IsDigit(f):
		return 'd'
	}
	return 0
}

func isWordRune(f rune) bool { return script(f) != 0 }

// isDigit is unicode.IsDigit, quicker for ASCII and Arabic letters.
func isDigit(f rune) bool {
	switch {
	case f < 0x80:
		return '0' <= f && f <= '9'
	case 0x0621 <= f && f <= 0x064A:
		return false
	}
	return unicode.IsDigit(f)
}

// wordEnd finds the end of the word starting at i: letters and digits, with
// marks inside, a decimal point between digits, and no switch between Arabic
// and other letters. As it goes it folds the word into buf, which is the
// word as wordText makes it when block says every rune was ASCII or in the
// Arabic block (no compatibility forms); plain says the word is that already.
func wordEnd(s string, i int, buf []byte) (end int, plain bool, folded []byte, block bool) {
	var letters byte // the script of the word's letters, once one is seen
	end = i
	plain, block = true, true
	prevDigit := false
	for j := i; j < len(s); {
		// Most of a text is letters of the Arabic block, two bytes each.
		if b := s[j]; (b == 0xD8 || b == 0xD9) && j+1 < len(s) && s[j+1]&0xC0 == 0x80 {
			r := rune(b&0x1F)<<6 | rune(s[j+1]&0x3F)
			if 0x0621 <= r && r <= 0x064A && r != 0x0640 {
				if letters == 'l' {
					break
				}
				letters = 'a'
				f, _ := Fold(r)
				if f != r {
					plain = false
				}
				buf = append(buf, byte(0xC0|f>>6), byte(0x80|f&0x3F))
				prevDigit = false
				j += 2
				end = j
				continue
			}
		}
		r, n := decodeRune(s, j)
		f, keep := Fold(r)
		if r >= 0x80 && (r < 0x0600 || r > 0x06FF) {
			block = false
		}
		if !keep { // a mark or joiner: part of the word if more follows
			plain = false
			j += n
			continue
		}
		c := script(f)
		if c == 0 {
			// 12.5 and ١٢٫٥: a point between digits stays inside.
			if prevDigit && (f == '.' || f == ',' && r == '٬') {
				if k := j + n; k < len(s) {
					if r2, _ := decodeRune(s, k); script(foldRune(r2)) == 'd' {
						plain = false
						buf = utf8.AppendRune(buf, f)
						j = k
						continue
					}
				}
			}
			break
		}
		if c != 'd' {
			if letters != 0 && c != letters {
				break
			}
			letters = c
		}
		if f != r || r >= 0x80 && (r < 0x0621 || r > 0x064A) {
			plain = false // folded, or a letter or digit Normalize might change
		}
		buf = utf8.AppendRune(buf, f)
		prevDigit = c == 'd'
		j += n
		end = j
	}
	return end, plain, buf, block
}

// decodeRune is utf8.DecodeRuneInString at s[j:], quicker for the two-byte
// runes Arabic letters are.
func decodeRune(s string, j int) (rune, int) {
	if c := s[j]; c < utf8.RuneSelf {
		return rune(c), 1
	} else if c >= 0xC2 && c < 0xE0 && j+1 < len(s) && s[j+1]&0xC0 == 0x80 {
		return rune(c&0x1F)<<6 | rune(s[j+1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(s[j:])
}

func foldRune(r rune) rune {
	f, _ := Fold(r)
	return f
}

// hashtag reads #word (letters, digits, marks and underscores) at i; end is
// i when there is no word after the sign.
func hashtag(s string, i int) (end int, text string) {
	j := i + 1
	end = i
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		f, keep := Fold(r)
		if keep && !isWordRune(f) && f != '_' {
			break
		}
		j += n
		if keep && f != '_' {
			end = j
		}
	}
	if end == i {
		return i, ""
	}
	// Trailing underscores are not part of the tag; compatibility forms
	// may bring other characters in, which go.
	body := strings.Map(func(r rune) rune {
		if isWordRune(r) || r == '_' {
			return r
		}
		return -1
	}, Normalize(s[i+1:end]))
	if strings.Trim(body, "_") == "" {
		return i, ""
	}
	return end, "#" + strings.TrimRight(body, "_")
}

// phone reads a phone number at i: an optional +, then digits in groups
// separated by single spaces or hyphens, at least 7 digits in all, and not
// glued to letters. Its text is the + and the digits.
func phone(s string, i int) (end int, text string) {
	var b strings.Builder
	j := i
	if r, n := utf8.DecodeRuneInString(s[j:]); foldRune(r) == '+' {
		b.WriteByte('+')
		j += n
	}
	digits := 0
	end = i
	var groups []int // digits per group, to tell a date from a phone
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		f := foldRune(r)
		if '0' <= f && f <= '9' {
			b.WriteRune(f)
			if digits++; len(groups) == 0 {
				groups = append(groups, 0)
			}
			groups[len(groups)-1]++
			j += n
			end = j
			continue
		}
		// A single space or hyphen between digit groups.
		if (f == ' ' || f == '-') && digits > 0 && j+n < len(s) {
			if r2, _ := utf8.DecodeRuneInString(s[j+n:]); script(foldRune(r2)) == 'd' {
				groups = append(groups, 0)
				j += n
				continue
			}
		}
		break
	}
	if digits < 7 || isDate(groups) {
		return i, ""
	}
	// A number glued to letters (ABC1234567) is a word, not a phone.
	if end < len(s) {
		if r, _ := utf8.DecodeRuneInString(s[end:]); script(foldRune(r)) == 'a' || script(foldRune(r)) == 'l' {
			return i, ""
		}
	}
	return end, b.String()
}

// isDate tells 2026-12-05 and 05-12-2026 from a phone number.
func isDate(groups []int) bool {
	if len(groups) != 3 {
		return false
	}
	a, b, c := groups[0], groups[1], groups[2]
	return a == 4 && b <= 2 && c <= 2 || a <= 2 && b <= 2 && c == 4
}

// wordText normalises a word's span and keeps only what a word holds:
// compatibility forms can bring in other characters (Ŀ is L and a middle
// dot once decomposed).
func wordText(span string) string {
	n := Normalize(span)
	if onlyWordRunes(n) {
		return n
	}
	rs := []rune(n)
	out := rs[:0]
	for i, r := range rs {
		switch {
		case script(r) != 0:
			out = append(out, r)
		case (r == '.' || r == ',') && len(out) > 0 && script(out[len(out)-1]) == 'd' && i+1 < len(rs) && script(rs[i+1]) == 'd':
			out = append(out, r)
		}
	}
	return string(out)
}

// onlyWordRunes reports whether s is letters and digits only, as most words are.
func onlyWordRunes(s string) bool {
	for _, r := range s {
		if script(r) == 0 {
			return false
		}
	}
	return true
}
