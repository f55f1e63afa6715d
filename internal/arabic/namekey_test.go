package arabic

import "testing"

func TestNameKey(t *testing.T) {
	same := [][]string{
		{"عبد الله", "عبدالله", "عبد-الله", "عبدُ الله", "عبـد اللّه"},
		{"عبد الرحمن الحربي", "عبدالرحمن حربي", "عبد الرحمن الحربى"},
		{"أبو بكر", "ابوبكر", "أبو-بكر", "ابا بكر"},
		{"علي", "على", "عليّ"},
		{"محمد بن سلمان", "محمد ابن سلمان", "مُحَمَّد بن سلمان"},
		{"فاطمة الزهراء", "فاطمه الزهراء", "فاطمة زهراء"},
		{"نصر الله", "نصرالله"},
		{"نور الدين", "نورالدين"},
		{"المدينة المنورة", "المدينه المنوره", "مدينة منورة"},
		{"Ahmed  Ali", "ahmed ali", "AHMED-ALI"},
	}
	for _, g := range same {
		want := NameKey(g[0])
		for _, n := range g[1:] {
			if got := NameKey(n); got != want {
				t.Errorf("NameKey(%q) = %q, NameKey(%q) = %q: they should meet", g[0], want, n, got)
			}
		}
	}
	different := [][2]string{
		{"عمرو", "عمر"},
		{"عبد الله", "عبد الرحمن"},
		{"محمد بن سلمان", "محمد سلمان"},
		{"أسماء", "سماء"},
	}
	for _, p := range different {
		if a, b := NameKey(p[0]), NameKey(p[1]); a == b {
			t.Errorf("NameKey(%q) and NameKey(%q) are both %q: different names met", p[0], p[1], a)
		}
	}
	if got := NameKey("عبد الله"); got != "عبدالله" {
		t.Errorf("NameKey(عبد الله) = %q, want عبدالله", got)
	}
	if got := NameKey("الله"); got != "الله" {
		t.Errorf("NameKey(الله) = %q: «الله» lost its article", got)
	}
}
