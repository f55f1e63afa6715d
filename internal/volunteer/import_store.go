package volunteer

// SQL of the import. Lookups are batched (one query per few hundred
// addresses, one for all places) and rows are written with multi-row
// INSERTs, so that ten thousand rows take seconds on either database.
//
// The import creates accounts itself, with the SQL below, rather than
// through the account area: account.Service has no way to create an account
// without a password inside another area's transaction. The account is the
// one the account area would make (normalised address, Arabic, Latin digits,
// the default time zone) with a password hash nobody can match.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
)

// impChunk is how many parameters one lookup or INSERT carries. Both
// databases accept far more (32766 for SQLite, 65535 for PostgreSQL), but
// SQLite looks numbered parameters up in a list, so a statement's cost grows
// with the square of its parameters: a few hundred is the fastest.
const impChunk = 400

// impFindAccounts reports which of the addresses (normalised) already
// have an account.
func impFindAccounts(ctx context.Context, q db.Querier, emails []string) (map[string]bool, error) {
	out := make(map[string]bool, len(emails))
	for start := 0; start < len(emails); start += impChunk {
		chunk := emails[start:min(start+impChunk, len(emails))]
		args := make([]any, len(chunk))
		marks := make([]string, len(chunk))
		for i, e := range chunk {
			args[i] = e
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
		rows, err := q.QueryContext(ctx, `SELECT email FROM users WHERE email IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("find accounts: %w", err)
		}
		for rows.Next() {
			var email string
			if err := rows.Scan(&email); err != nil {
				rows.Close()
				return nil, err
			}
			out[email] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// impPlaceRow is a place with the names people may write for it.
type impPlaceRow struct {
	impPlace
	code, nameAr, nameEn string
}

// impPlaces reads the whole geography once (a read of the organisation
// area's places table: its service offers no batch lookup by code or name).
func impPlaces(ctx context.Context, q db.Querier) ([]impPlaceRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(parent_id, ''), level, code, name_ar, name_en, lat, lon FROM places`)
	if err != nil {
		return nil, fmt.Errorf("read places: %w", err)
	}
	defer rows.Close()
	var out []impPlaceRow
	for rows.Next() {
		var p impPlaceRow
		var level string
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&p.id, &p.parent, &level, &p.code, &p.nameAr, &p.nameEn, &lat, &lon); err != nil {
			return nil, err
		}
		p.level, p.lat, p.lon = org.Level(level), floatPtr(lat), floatPtr(lon)
		out = append(out, p)
	}
	return out, rows.Err()
}

// impInsert runs head + "VALUES (…), (…)" + tail for rows, a chunk at a
// time, and returns how many rows the database reports written.
func impInsert(ctx context.Context, q db.Querier, head, tail string, rows [][]any) (int64, error) {
	var total int64
	if len(rows) == 0 {
		return 0, nil
	}
	per := max(1, impChunk/len(rows[0]))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				fmt.Fprintf(&b, "$%d", len(args))
			}
			b.WriteByte(')')
		}
		b.WriteString(tail)
		res, err := q.ExecContext(ctx, b.String(), args...)
		if err != nil {
			return total, db.Map(err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

// impWrite writes the valid rows of a checked report.
type impWrite struct {
	orgID string
	now   time.Time
	hash  string
	refs  *impRefs
}

func (w impWrite) run(ctx context.Context, tx db.Tx, rep *ImportReport) error {
	var users, profiles, skills, members [][]any
	for i := range rep.Rows {
		r := &rep.Rows[i]
		// Only people the import creates: someone who already has an
		// account is never made a member nor given a profile by others.
		if !r.OK() || r.Outcome != ImportNewAccount {
			continue
		}
		r.userID = db.NewID()
		users = append(users, []any{r.userID, r.email, r.name, w.hash, nullString(r.placeID), w.now, w.now})
		var lat, lon *float64
		if r.placeID != "" {
			lat, lon = w.refs.centroid(r.placeID)
		}
		profiles = append(profiles, []any{r.userID, string(r.gender), r.birthDate, nullString(r.placeID), profNullFloat(lat), profNullFloat(lon),
			joinList(r.languages), r.phone, newCalendarKey(), CharterImported, w.now, w.now, w.now})
		for _, k := range r.skills {
			skills = append(skills, []any{r.userID, k})
		}
		members = append(members, []any{w.orgID, r.userID, string(org.RoleMember), w.now})
	}
	if _, err := impInsert(ctx, tx, `INSERT INTO users (id, email, name, password_hash, home_place_id, created_at, updated_at)`, "", users); err != nil {
		return fmt.Errorf("create accounts: %w", err)
	}
	if _, err := impInsert(ctx, tx, `INSERT INTO volunteer_profiles (user_id, gender, birth_date, home_place_id, lat, lon, languages, phone,
		calendar_key, charter_version, charter_accepted_at, created_at, updated_at)`, "", profiles); err != nil {
		return fmt.Errorf("create volunteer profiles: %w", err)
	}
	if _, err := impInsert(ctx, tx, `INSERT INTO volunteer_skills (user_id, skill_id)`, "", skills); err != nil {
		return fmt.Errorf("add skills: %w", err)
	}
	if _, err := impInsert(ctx, tx, `INSERT INTO memberships (org_id, user_id, role, created_at)`, "", members); err != nil {
		return fmt.Errorf("add members: %w", err)
	}
	return nil
}
