package org

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// ImportHeader is the first line a places file must have.
var ImportHeader = []string{"code", "parent_code", "level", "name_ar", "name_en", "lat", "lon"}

// ImportReport says what an import did, or why it did nothing.
type ImportReport struct {
	Created   int
	Updated   int
	Unchanged int
	Errors    []RowError
}

// RowError is one problem on one line of the file; Field is the column, ""
// for the whole line.
type RowError struct {
	Line  int
	MsgID string
	Field string
}

// maxImportRows bounds one file, so a mistaken upload cannot hold the writer for long.
const maxImportRows = 100_000

// importRow is a line of the file once read.
type importRow struct {
	line       int
	in         PlaceInput
	parentCode string
	bad        bool // already reported; still seen by its children
}

// ImportPlacesCSV reads a places file and, when every line is valid, creates
// or updates all of them in one transaction; otherwise it writes nothing and
// returns the report of every bad line with ErrImportRejected. A line may name
// as parent a place already stored or one defined on an earlier line. Only a
// platform admin may import; actorID "" is the system itself.
func (s *Service) ImportPlacesCSV(ctx context.Context, r io.Reader, actorID string) (*ImportReport, error) {
	if err := s.requirePlatformAdmin(ctx, actorID); err != nil {
		return nil, err
	}
	rows, rep, ok := readPlacesCSV(r)
	if !ok {
		return rep, ErrImportRejected
	}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		existing, err := allPlaces(ctx, tx)
		if err != nil {
			return err
		}
		byCode := make(map[string]*Place, len(existing)+len(rows))
		for i := range existing {
			byCode[existing[i].Code] = &existing[i]
		}
		writes := rep.check(rows, byCode)
		if len(rep.Errors) > 0 {
			return ErrImportRejected
		}
		for _, w := range writes {
			switch {
			case w.created:
				err = insertPlace(ctx, tx, w.place)
			case w.changed:
				err = updatePlace(ctx, tx, w.place)
			}
			if err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actorID, Action: "places.import", TargetType: "place", IP: httpx.ClientIP(ctx),
			Details: map[string]string{"created": strconv.Itoa(rep.Created), "updated": strconv.Itoa(rep.Updated), "unchanged": strconv.Itoa(rep.Unchanged)}})
	})
	if errors.Is(err, ErrImportRejected) {
		rep.Created, rep.Updated, rep.Unchanged = 0, 0, 0
		slices.SortStableFunc(rep.Errors, func(a, b RowError) int { return a.Line - b.Line })
		return rep, ErrImportRejected
	}
	if err != nil {
		return nil, fmt.Errorf("import places: %w", err)
	}
	return rep, nil
}

// readPlacesCSV parses the file and checks each line on its own; the
// checks against other lines and stored places come in check. It reports
// false when the file as a whole cannot be read, so that checking the lines
// against the data would say nothing more.
func readPlacesCSV(r io.Reader) ([]importRow, *ImportReport, bool) {
	rep := &ImportReport{}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a short line is reported, not fatal
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		rep.add(1, "", "org.import.error.empty")
		return nil, rep, false
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // spreadsheets write a byte-order mark
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	if !slices.Equal(header, ImportHeader) {
		rep.add(1, "", "org.import.error.header")
		return nil, rep, false
	}
	var rows []importRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			rep.add(line, "", "org.import.error.syntax")
			// The reader cannot resynchronise reliably after a quoting error.
			return nil, rep, false
		}
		line, _ := cr.FieldPos(0)
		if len(rows) >= maxImportRows {
			rep.add(line, "", "org.import.error.too_many")
			return nil, rep, false
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(ImportHeader) {
			rep.add(line, "", "org.import.error.columns")
			continue
		}
		row := importRow{line: line, parentCode: normalizeCode(rec[1]), in: PlaceInput{
			Code: rec[0], Level: Level(strings.ToLower(strings.TrimSpace(rec[2]))), NameAr: rec[3], NameEn: rec[4]}}
		var coordErr map[string]string
		row.in.Lat, row.in.Lon, coordErr = parseCoords(rec[5], rec[6])
		errs := row.in.check()
		for f, m := range coordErr {
			errs[f] = m
		}
		for _, f := range ImportHeader {
			if m := errs[f]; m != "" {
				rep.add(line, f, m)
				row.bad = true
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(rep.Errors) == 0 {
		rep.add(1, "", "org.import.error.empty")
		return nil, rep, false
	}
	return rows, rep, true
}

// parseCoords reads a latitude and longitude typed with either digits.
func parseCoords(lat, lon string) (*float64, *float64, map[string]string) {
	errs := map[string]string{}
	read := func(field, s string) *float64 {
		s = strings.TrimSpace(i18n.NormalizeDigits(s))
		if s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			errs[field] = "org.place.error.number"
			return nil
		}
		return &f
	}
	a, b := read("lat", lat), read("lon", lon)
	if len(errs) > 0 {
		// Keep the pair check in PlaceInput.check from hiding the real problem.
		return nil, nil, errs
	}
	return a, b, nil
}

// placeWrite is what the import does to one place.
type placeWrite struct {
	place            *Place
	created, changed bool
}

// check resolves parents and codes across the file and the stored places,
// filling byCode as it goes so that later lines see earlier ones. A line
// already found bad is not written, but its children are still checked
// against it, so that one mistake is reported once.
func (rep *ImportReport) check(rows []importRow, byCode map[string]*Place) []placeWrite {
	seen := map[string]bool{}
	var writes []placeWrite
	for _, row := range rows {
		in := row.in
		if in.Code != "" && seen[in.Code] {
			rep.add(row.line, "code", "org.import.error.duplicate")
			continue
		}
		seen[in.Code] = true
		parent := byCode[row.parentCode]
		switch {
		case row.parentCode != "" && parent == nil:
			rep.add(row.line, "parent_code", "org.place.error.parent_unknown")
			row.bad = true
		case parent != nil && !parent.Level.Valid():
			row.bad = true // the parent's own line already says what is wrong
		case parent != nil:
			if msg := parentProblem(in.Level, parent.Level, true); msg != "" {
				rep.add(row.line, "parent_code", msg)
				row.bad = true
			}
		default:
			if msg := parentProblem(in.Level, "", false); msg != "" {
				rep.add(row.line, "parent_code", msg)
				row.bad = true
			}
		}
		p := &Place{Level: in.Level, Code: in.Code, NameAr: in.NameAr, NameEn: in.NameEn, Lat: in.Lat, Lon: in.Lon}
		if parent != nil {
			p.ParentID = parent.ID
		}
		old := byCode[in.Code]
		switch {
		case old != nil && in.Level.Valid() && old.Level != in.Level:
			// Changing a level would break the one-level rule for the place's children.
			rep.add(row.line, "level", "org.import.error.level_changed")
			continue
		case row.bad || in.Code == "":
		case old == nil:
			p.ID, p.CreatedAt = db.NewID(), db.Now()
			writes = append(writes, placeWrite{place: p, created: true})
			rep.Created++
		default:
			p.ID, p.CreatedAt = old.ID, old.CreatedAt
			changed := !samePlace(old, p)
			writes = append(writes, placeWrite{place: p, changed: changed})
			if changed {
				rep.Updated++
			} else {
				rep.Unchanged++
			}
		}
		if in.Code != "" {
			byCode[in.Code] = p
		}
	}
	return writes
}

func samePlace(a, b *Place) bool {
	return a.ParentID == b.ParentID && a.NameAr == b.NameAr && a.NameEn == b.NameEn && sameFloat(a.Lat, b.Lat) && sameFloat(a.Lon, b.Lon)
}

func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func (rep *ImportReport) add(line int, field, msgID string) {
	rep.Errors = append(rep.Errors, RowError{Line: line, Field: field, MsgID: msgID})
}
