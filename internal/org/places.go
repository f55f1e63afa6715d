package org

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"sharaka/internal/platform/i18n"
)

// Level is a place's rank in the hierarchy, from the country down.
type Level string

const (
	Country       Level = "country"
	Region        Level = "region"
	City          Level = "city"
	District      Level = "district"
	Neighbourhood Level = "neighbourhood"
)

// Levels lists the levels from the top down; a child is exactly one below its parent.
var Levels = []Level{Country, Region, City, District, Neighbourhood}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return slices.Contains(Levels, l) }

// Parent is the level a place of level l hangs under; "" for a country.
func (l Level) Parent() Level {
	i := slices.Index(Levels, l)
	if i <= 0 {
		return ""
	}
	return Levels[i-1]
}

// MsgID is the catalogue id of the level's name.
func (l Level) MsgID() string { return "org.level." + string(l) }

// Place is one node of the geography.
type Place struct {
	ID        string    `json:"id"`
	ParentID  string    `json:"parent_id"`
	Level     Level     `json:"level"`
	Code      string    `json:"code"`
	NameAr    string    `json:"name_ar"`
	NameEn    string    `json:"name_en"`
	Lat       *float64  `json:"lat"`
	Lon       *float64  `json:"lon"`
	CreatedAt time.Time `json:"created_at"`
}

// Name is the place's name in lang, falling back to Arabic.
func (p Place) Name(lang i18n.Lang) string {
	if lang == i18n.EN && p.NameEn != "" {
		return p.NameEn
	}
	return p.NameAr
}

// PlaceInput is a place to create. ParentID names the parent by id; the
// import names it by code instead.
type PlaceInput struct {
	ParentID string
	Level    Level
	Code     string
	NameAr   string
	NameEn   string
	Lat, Lon *float64
}

const (
	maxPlaceName = 100
	maxPlaceCode = 40
)

// codeRe is the shape of a place code: upper-case letters and digits in
// dash-separated parts, as in SA-03-MED-QBA.
var codeRe = regexp.MustCompile(`^[A-Z0-9]+(-[A-Z0-9]+)*$`)

// normalizeCode writes a code the one way it is stored.
func normalizeCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// check returns field → message id for the problems of the place itself;
// whether its parent exists and sits one level up is checked against the data.
func (in *PlaceInput) check() map[string]string {
	in.Code = normalizeCode(in.Code)
	in.NameAr, in.NameEn = strings.TrimSpace(in.NameAr), strings.TrimSpace(in.NameEn)
	errs := map[string]string{}
	switch {
	case in.Code == "":
		errs["code"] = "error.required"
	case len(in.Code) > maxPlaceCode || !codeRe.MatchString(in.Code):
		errs["code"] = "org.place.error.code"
	}
	if !in.Level.Valid() {
		errs["level"] = "org.place.error.level"
	}
	if n := utf8.RuneCountInString(in.NameAr); n == 0 {
		errs["name_ar"] = "error.required"
	} else if !plainText(in.NameAr, false) {
		errs["name_ar"] = "org.error.control"
	} else if n > maxPlaceName {
		errs["name_ar"] = "org.place.error.name_long"
	}
	if !plainText(in.NameEn, false) {
		errs["name_en"] = "org.error.control"
	} else if utf8.RuneCountInString(in.NameEn) > maxPlaceName {
		errs["name_en"] = "org.place.error.name_long"
	}
	switch {
	case (in.Lat == nil) != (in.Lon == nil):
		errs["lat"] = "org.place.error.latlon_pair"
	case in.Lat != nil && !(*in.Lat >= -90 && *in.Lat <= 90): // also refuses NaN
		errs["lat"] = "org.place.error.lat"
	case in.Lon != nil && !(*in.Lon >= -180 && *in.Lon <= 180):
		errs["lon"] = "org.place.error.lon"
	}
	return errs
}

// parentProblem checks the level rule against the parent's level ("" when
// there is no parent) and returns a message id, or "".
func parentProblem(level, parent Level, hasParent bool) string {
	switch {
	case level == Country && hasParent:
		return "org.place.error.country_parent"
	case level.Valid() && level != Country && !hasParent:
		return "org.place.error.parent_required"
	case hasParent && level.Valid() && parent != level.Parent():
		return "org.place.error.parent_level"
	}
	return ""
}
