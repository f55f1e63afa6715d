package i18n

import (
	"fmt"
	"time"

	"github.com/hablullah/go-hijri"
)

// riyadh is the default zone. Without tzdata on the machine a fixed +03:00 is
// exact: Saudi Arabia has kept that offset, without summer time, since 1947.
var riyadh = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Riyadh"); err == nil {
		return loc
	}
	return time.FixedZone("+03", 3*60*60)
}()

var (
	arWeekdays = [7]string{"الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"}
	// The month names used across the Gulf and Egypt, rather than the Levantine
	// (كانون الثاني ...) ones.
	arMonths      = [12]string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"}
	arHijriMonths = [12]string{"محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"}
	enHijriMonths = [12]string{"Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Akhir", "Jumada al-Ula", "Jumada al-Akhirah", "Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah", "Dhu al-Hijjah"}
)

// Date writes the calendar day of t in the locale's zone. Arabic adds the
// Hijri date: "الجمعة ٢٧ نوفمبر ٢٠٢٦ — ١٧ جمادى الآخرة ١٤٤٨ هـ"; English
// gives "Friday 27 November 2026".
func (l *Locale) Date(t time.Time) string {
	t = t.In(l.zone())
	if l.lang() == EN {
		return digitize(fmt.Sprintf("%s %d %s %d", t.Weekday(), t.Day(), t.Month(), t.Year()), l.digits())
	}
	s := fmt.Sprintf("%s %d %s %d", arWeekdays[t.Weekday()], t.Day(), arMonths[t.Month()-1], t.Year())
	if h := hijriDate(t, AR); h != "" {
		s += " — " + h
	}
	return digitize(s, l.digits())
}

// DateTime is Date followed by the 24-hour time in the locale's zone.
func (l *Locale) DateTime(t time.Time) string {
	t = t.In(l.zone())
	sep := "، "
	if l.lang() == EN {
		sep = ", "
	}
	return l.Date(t) + sep + digitize(t.Format("15:04"), l.digits())
}

// Hijri writes only the Hijri (Umm al-Qura) date of t's day in the locale's
// zone: "١٧ جمادى الآخرة ١٤٤٨ هـ" or "17 Jumada al-Akhirah 1448 AH". It is ""
// for days before the Hijri era.
func (l *Locale) Hijri(t time.Time) string {
	return digitize(hijriDate(t.In(l.zone()), l.lang()), l.digits())
}

// hijriDate converts the local calendar day of t, in ASCII digits. go-hijri
// converts in UTC, so the local day is rebuilt at noon UTC (00:30 in Riyadh is
// still the previous day in UTC, hence the previous Hijri day); its Weekday field is
// off by one and is not used. Outside the Umm al-Qura table (1937–2077) the
// tabular calendar is the best available answer.
func hijriDate(t time.Time, lang Lang) string {
	day := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC)
	var d, m, y int64
	if uq, err := hijri.CreateUmmAlQuraDate(day); err == nil {
		d, m, y = uq.Day, uq.Month, uq.Year
	} else if h, err := hijri.CreateHijriDate(day, hijri.Default); err == nil {
		d, m, y = h.Day, h.Month, h.Year
	} else {
		return ""
	}
	if m < 1 || m > 12 {
		return ""
	}
	if lang == EN {
		return fmt.Sprintf("%d %s %d AH", d, enHijriMonths[m-1], y)
	}
	return fmt.Sprintf("%d %s %d هـ", d, arHijriMonths[m-1], y)
}
