package arabic

import "strings"

// NameKey is the key under which a person's or a place's name is matched:
// two spellings of one name share a key. The name is normalised («علي» and
// «على» meet; «عمرو» and «عمر» do not, nothing is stemmed), cut at spaces,
// hyphens and punctuation, and then:
//   - «عبد» and «أبو» (أبا، أبي) join the word after them, and «الله» and
//     «الدين» join the word before them: «عبد الله» and «عبدالله», «أبو بكر»
//     and «ابوبكر», «نصر الله» and «نصرالله», «نور الدين» and «نورالدين» are
//     one word;
//   - «ابن» is written «بن»;
//   - a leading «ال» is dropped from each word, so «الحربي» meets «حربي».
//
// The key is the words joined by single spaces.
func NameKey(name string) string {
	var raw []string
	for _, t := range Tokens(name) {
		if t.Kind == KindHashtag { // #عبد_الله: the words of the tag
			for _, w := range Tokens(strings.ReplaceAll(strings.TrimPrefix(t.Text, "#"), "_", " ")) {
				raw = append(raw, w.Text)
			}
			continue
		}
		raw = append(raw, t.Text)
	}
	words := raw
	var out []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch w {
		case "ابن":
			out = append(out, "بن")
			continue
		case "عبد", "ابو", "ابا", "ابي":
			if i+1 < len(words) {
				if w != "عبد" {
					w = "ابو"
				}
				out = append(out, w+words[i+1])
				i++
				continue
			}
		}
		if i+1 < len(words) && (words[i+1] == "الله" || words[i+1] == "الدين") && w != "بن" && w != "ابن" {
			w += words[i+1]
			i++
		}
		// A one-word form of «أبو …» written with ابا or ابي.
		for _, p := range []string{"ابا", "ابي"} {
			if rest, ok := strings.CutPrefix(w, p); ok && runes(rest) >= 3 {
				w = "ابو" + rest
			}
		}
		if rest, ok := strings.CutPrefix(w, "ال"); ok && runes(rest) >= 2 && w != allah {
			w = rest
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}
