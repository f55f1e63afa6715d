package demo

import "math/rand/v2"

// Demo volunteers get names combined from common given and family names of
// the region; the combinations are generated, not taken from anyone.
var (
	womenNames = []string{"نورة", "سارة", "ريم", "هيا", "لمى", "منيرة", "أمل", "جواهر", "رهف", "شهد", "العنود", "بشاير",
		"مها", "أسماء", "فاطمة", "خديجة", "عائشة", "مريم", "هند", "دانة", "غدير", "رغد", "لطيفة", "وعد", "جنى", "ملاك",
		"آمنة", "حصة", "نجلاء", "سمية"}
	menNames = []string{"محمد", "عبدالله", "عبدالرحمن", "فهد", "خالد", "سعود", "تركي", "فيصل", "عمر", "علي", "يوسف",
		"إبراهيم", "أحمد", "سلمان", "نايف", "بندر", "ماجد", "حمزة", "أنس", "زياد", "مشعل", "ريان", "بدر", "عمرو", "مصعب",
		"أسامة", "طلال", "وليد", "حسن", "صالح"}
	familyNames = []string{"الأنصاري", "الجهني", "الحربي", "المطيري", "العتيبي", "الشمري", "القحطاني", "الغامدي", "الزهراني",
		"السلمي", "الصاعدي", "المحمدي", "الرحيلي", "الأحمدي", "العمري", "البلوي", "العنزي", "الشهري", "الرويثي", "السناني",
		"المغامسي", "الردادي", "الحازمي", "الصبحي", "اللهيبي"}
)

// volunteerName draws a name and gender; the same seed gives the same people.
func volunteerName(r *rand.Rand) (name string, female bool) {
	female = r.IntN(2) == 0
	given := menNames
	if female {
		given = womenNames
	}
	return given[r.IntN(len(given))] + " " + familyNames[r.IntN(len(familyNames))], female
}
