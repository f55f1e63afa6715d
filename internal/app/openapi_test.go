package app_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

var param = regexp.MustCompile(`\{[a-z_]+\}`)

// TestOpenAPIMatchesServedRoutes checks the document both ways: every
// documented operation reaches its own handler (not the /api/ catch-all),
// and every API route the server registers is documented.
func TestOpenAPIMatchesServedRoutes(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	a, srv := newServer(t, d, false)
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	var documented []string
	ids := map[string]bool{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			route := strings.ToUpper(method) + " " + path
			documented = append(documented, route)
			var op struct {
				OperationID string `json:"operationId"`
			}
			_ = json.Unmarshal(raw, &op)
			if op.OperationID == "" || ids[op.OperationID] {
				t.Errorf("%s: operationId %q missing or repeated", route, op.OperationID)
			}
			ids[op.OperationID] = true
			req := httptest.NewRequest(strings.ToUpper(method), param.ReplaceAllString(path, "x1"), nil)
			if _, pattern := a.Mux().Handler(req); pattern != route {
				t.Errorf("documented %s is served by %q", route, pattern)
			}
		}
	}
	served := a.APIRoutes()
	sort.Strings(served)
	for _, r := range served {
		if !slices.Contains(documented, r) {
			t.Errorf("served route %s is not in the OpenAPI document", r)
		}
	}
	if len(served) < 5 {
		t.Fatalf("only %d API routes served: %v", len(served), served)
	}
}
