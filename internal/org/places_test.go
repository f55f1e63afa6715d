package org

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

func withLang(lang i18n.Lang) context.Context {
	return httpx.WithLocale(context.Background(), i18n.New(lang, i18n.Latin, nil))
}

func names(ps []Place, lang i18n.Lang) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name(lang))
	}
	return out
}

func TestPlacesImportAndBrowse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		rep, err := f.svc.ImportPlacesCSV(f.ctx, strings.NewReader(samplePlaces), "")
		if err != nil || rep.Created != 8 || rep.Updated != 0 || len(rep.Errors) != 0 {
			t.Fatalf("first import = %+v, %v", rep, err)
		}
		// The same file again changes nothing; a renamed place is an update.
		rep, err = f.svc.ImportPlacesCSV(f.ctx, strings.NewReader(samplePlaces), "")
		if err != nil || rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 8 {
			t.Fatalf("second import = %+v, %v", rep, err)
		}
		renamed := strings.Replace(samplePlaces, "Quba,24.44", "Qubaa,24.44", 1) + "SA-01-RUH-OLY,SA-01-RUH,district,العليا,Olaya,,\n"
		rep, err = f.svc.ImportPlacesCSV(f.ctx, strings.NewReader(renamed), "")
		if err != nil || rep.Created != 1 || rep.Updated != 1 || rep.Unchanged != 7 {
			t.Fatalf("third import = %+v, %v", rep, err)
		}
		if n := f.auditCount(t, "places.import"); n != 3 {
			t.Errorf("places.import audited %d times, want 3", n)
		}

		ids := map[string]string{}
		all, _ := allPlaces(f.ctx, d.R)
		for _, p := range all {
			ids[p.Code] = p.ID
		}
		med, err := f.svc.Place(f.ctx, ids["SA-03-MED"])
		if err != nil || med.Level != City || med.ParentID != ids["SA-03"] || med.Lat == nil || *med.Lat != 24.47 {
			t.Fatalf("Place = %+v, %v", med, err)
		}
		if _, err := f.svc.Place(f.ctx, "nope"); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("unknown place: %v", err)
		}

		// Arabic and English sort the two regions differently.
		for lang, want := range map[i18n.Lang][]string{
			i18n.AR: {"منطقة الرياض", "منطقة المدينة المنورة"},
			i18n.EN: {"Madinah Region", "Riyadh Region"},
		} {
			kids, err := f.svc.Children(withLang(lang), ids["SA"])
			if err != nil || !slices.Equal(names(kids, lang), want) {
				t.Errorf("Children(SA) in %s = %v, %v; want %v", lang, names(kids, lang), err, want)
			}
		}
		countries, err := f.svc.Children(f.ctx, "")
		if err != nil || len(countries) != 1 || countries[0].Code != "SA" {
			t.Errorf("countries = %v, %v", countries, err)
		}

		anc, err := f.svc.Ancestors(f.ctx, ids["SA-03-MED-QBA-N1"])
		if err != nil || !slices.Equal(names(anc, i18n.EN), []string{"Saudi Arabia", "Madinah Region", "Madinah", "Qubaa"}) {
			t.Errorf("Ancestors = %v, %v", names(anc, i18n.EN), err)
		}
		if anc, err := f.svc.Ancestors(f.ctx, ids["SA"]); err != nil || len(anc) != 0 {
			t.Errorf("Ancestors(country) = %v, %v", anc, err)
		}

		for _, tc := range []struct {
			place, ancestor string
			want            bool
		}{
			{"SA-03-MED-QBA-N1", "SA-03", true},
			{"SA-03-MED-QBA-N1", "SA", true},
			{"SA-03-MED-QBA-N1", "SA-03-MED-QBA-N1", true},
			{"SA-03-MED-QBA-N1", "SA-01", false},
			{"SA-03", "SA-03-MED", false},
		} {
			if got, err := f.svc.IsWithin(f.ctx, ids[tc.place], ids[tc.ancestor]); err != nil || got != tc.want {
				t.Errorf("IsWithin(%s, %s) = %v, %v", tc.place, tc.ancestor, got, err)
			}
		}

		for lang, want := range map[i18n.Lang][]string{
			i18n.AR: {"العزيزية", "العليا", "قباء", "قباء — حارة المسجد"},
			i18n.EN: {"Al Aziziyah", "Olaya", "Qubaa", "Qubaa — Mosque Quarter"},
		} {
			opts, err := f.svc.PlaceOptions(f.ctx, lang)
			var got []string
			for _, o := range opts {
				got = append(got, o.Label)
			}
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("PlaceOptions(%s) = %v, %v; want %v", lang, got, err, want)
			}
		}
		if ok, err := f.svc.PlaceExists(f.ctx, ids["SA-01"]); !ok || err != nil {
			t.Errorf("PlaceExists(SA-01) = %v, %v", ok, err)
		}
		if ok, err := f.svc.PlaceExists(f.ctx, "nope"); ok || err != nil {
			t.Errorf("PlaceExists(nope) = %v, %v", ok, err)
		}
	})
}

func countPlaces(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(`SELECT COUNT(*) FROM places`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPlacesImportRejectsBadFiles(t *testing.T) {
	const bad = `code,parent_code,level,name_ar,name_en,lat,lon
SA,,country,السعودية,Saudi Arabia,,
SA-03,SA,region,المدينة,Madinah,٢٤٫٤٧,٣٩٫٦١
SA-03-MED,SA,city,المدينة,Madinah,,
sa-09,SA,province,س,,,
SA-10,SA,region,,Nameless,,
SA-11,SA,region,ب,B,91,10
SA-12,SA,region,ج,C,20,
SA-13,XX,region,د,D,,
SA,,country,مكرر,Dup,,
SA-14,SA-15,region,هـ,E,,
SA-15,SA,region,و,F,,
SA-16,SA,region,ز
EG,SA,country,مصر,Egypt,,
SA 17,SA,region,ح,H,,
SA-18,SA,region,ط,I,abc,10
`
	want := []RowError{
		{4, "org.place.error.parent_level", "parent_code"},
		{5, "org.place.error.level", "level"},
		{6, "error.required", "name_ar"},
		{7, "org.place.error.lat", "lat"},
		{8, "org.place.error.latlon_pair", "lat"},
		{9, "org.place.error.parent_unknown", "parent_code"},
		{10, "org.import.error.duplicate", "code"},
		{11, "org.place.error.parent_unknown", "parent_code"},
		{13, "org.import.error.columns", ""},
		{14, "org.place.error.country_parent", "parent_code"},
		{15, "org.place.error.code", "code"},
		{16, "org.place.error.number", "lat"},
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		rep, err := f.svc.ImportPlacesCSV(f.ctx, strings.NewReader(bad), "")
		if !errors.Is(err, ErrImportRejected) {
			t.Fatalf("err = %v", err)
		}
		if !slices.Equal(rep.Errors, want) {
			t.Errorf("errors:\n got %v\nwant %v", rep.Errors, want)
		}
		if rep.Created+rep.Updated != 0 || countPlaces(t, d) != 0 {
			t.Errorf("a rejected import wrote: %+v, %d places", rep, countPlaces(t, d))
		}
		for _, e := range rep.Errors {
			if !i18n.Has(e.MsgID) {
				t.Errorf("message %q is not in the catalogue", e.MsgID)
			}
		}

		for name, tc := range map[string]struct {
			file string
			want RowError
		}{
			"empty":       {"", RowError{1, "org.import.error.empty", ""}},
			"header":      {"code,name\nSA,x\n", RowError{1, "org.import.error.header", ""}},
			"only header": {"code,parent_code,level,name_ar,name_en,lat,lon\n", RowError{1, "org.import.error.empty", ""}},
			"quotes":      {"code,parent_code,level,name_ar,name_en,lat,lon\nSA,,country,\"bad\"x,,,\n", RowError{2, "org.import.error.syntax", ""}},
		} {
			rep, err := f.svc.ImportPlacesCSV(f.ctx, strings.NewReader(tc.file), "")
			if !errors.Is(err, ErrImportRejected) || len(rep.Errors) != 1 || rep.Errors[0] != tc.want {
				t.Errorf("%s: %+v, %v; want %v", name, rep, err, tc.want)
			}
		}

		// Against stored places: a level cannot change, and the good lines of
		// a rejected file are not written either.
		f.places(t)
		before := countPlaces(t, d)
		file := "\ufeffcode,parent_code,level,name_ar,name_en,lat,lon\nSA-02,SA,region,مكة,Makkah,,\nSA-03-MED,SA-03-MED-QBA,neighbourhood,المدينة,Madinah,,\n"
		rep, err = f.svc.ImportPlacesCSV(f.ctx, strings.NewReader(file), "")
		if !errors.Is(err, ErrImportRejected) || !slices.Equal(rep.Errors, []RowError{{3, "org.import.error.level_changed", "level"}}) {
			t.Errorf("level change: %+v, %v", rep, err)
		}
		if countPlaces(t, d) != before {
			t.Errorf("places went from %d to %d", before, countPlaces(t, d))
		}

		// Only platform admins import.
		someone := f.user(t, "Someone", false)
		if _, err := f.svc.ImportPlacesCSV(f.ctx, strings.NewReader(samplePlaces), someone.ID); !errors.Is(err, httpx.ErrForbidden) {
			t.Errorf("non-admin import: %v", err)
		}
		admin := f.user(t, "Admin", true)
		if _, err := f.svc.ImportPlacesCSV(f.ctx, strings.NewReader(samplePlaces), admin.ID); err != nil {
			t.Errorf("admin import: %v", err)
		}
	})
}

func TestCreatePlace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ids := f.places(t)
		admin, someone := f.user(t, "Admin", true), f.user(t, "Someone", false)
		lat, lon, tooFar := 21.42, 39.83, 95.0
		p, err := f.svc.CreatePlace(f.ctx, PlaceInput{ParentID: ids["SA"], Level: Region, Code: "sa-02", NameAr: "منطقة مكة", NameEn: "Makkah", Lat: &lat, Lon: &lon}, admin.ID)
		if err != nil || p.Code != "SA-02" {
			t.Fatalf("CreatePlace = %+v, %v", p, err)
		}
		if n := f.auditCount(t, "places.create"); n != 1 {
			t.Errorf("places.create audited %d times", n)
		}
		for name, tc := range map[string]struct {
			in    PlaceInput
			actor string
			field string
		}{
			"taken code":   {PlaceInput{ParentID: ids["SA"], Level: Region, Code: "SA-02", NameAr: "x"}, admin.ID, "code"},
			"wrong level":  {PlaceInput{ParentID: ids["SA"], Level: City, Code: "SA-99", NameAr: "x"}, admin.ID, "parent_id"},
			"no parent":    {PlaceInput{Level: City, Code: "SA-99", NameAr: "x"}, admin.ID, "parent_id"},
			"unknown":      {PlaceInput{ParentID: "nope", Level: Region, Code: "SA-99", NameAr: "x"}, admin.ID, "parent_id"},
			"bad latitude": {PlaceInput{ParentID: ids["SA"], Level: Region, Code: "SA-99", NameAr: "x", Lat: &tooFar, Lon: &lon}, admin.ID, "lat"},
		} {
			_, err := f.svc.CreatePlace(f.ctx, tc.in, tc.actor)
			if he := httpx.As(err); he.Status != 422 || he.Fields[tc.field] == "" {
				t.Errorf("%s: %v (fields %v)", name, err, he.Fields)
			}
		}
		if _, err := f.svc.CreatePlace(f.ctx, PlaceInput{ParentID: ids["SA"], Level: Region, Code: "SA-98", NameAr: "x"}, someone.ID); !errors.Is(err, httpx.ErrForbidden) {
			t.Errorf("non-admin CreatePlace: %v", err)
		}
	})
}

func TestPlaceTree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ids := f.places(t)
		got, err := f.svc.PlaceTree(f.ctx, ids["SA-03-MED"])
		if err != nil {
			t.Fatal(err)
		}
		want := []string{ids["SA-03-MED"], ids["SA-03-MED-QBA"], ids["SA-03-MED-AZZ"], ids["SA-03-MED-QBA-N1"]}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("the city's tree: %v, want %v", got, want)
		}
		if got, err := f.svc.PlaceTree(f.ctx, "nowhere"); err != nil || len(got) != 0 {
			t.Errorf("an unknown place: %v %v", got, err)
		}
	})
}
