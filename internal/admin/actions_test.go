package admin

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var recorded = regexp.MustCompile(`Action:\s+"([a-z_]+\.[a-z_.]+)"`)

// TestEveryAuditedActionHasALabel scans the code for the actions it records
// and fails when the audit log would show one without a label.
func TestEveryAuditedActionHasALabel(t *testing.T) {
	labels := Actions()
	found := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range recorded.FindAllStringSubmatch(string(b), -1) {
			found++
			if !slices.Contains(labels, m[1]) {
				t.Errorf("%s records %q, which has no label audit.%s in the catalogue (admin.*.toml)", path, m[1], m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 15 {
		t.Fatalf("found only %d audited actions; is the scan looking in the right place?", found)
	}
}
