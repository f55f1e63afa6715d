package eval

import (
	"embed"
	"encoding/json"
	"fmt"
)

//go:embed set/docs.json set/queries.json
var setFS embed.FS

// Default is the evaluation set kept in the repository (set/), embedded so
// `sharaka bench search --compare` runs anywhere.
func Default() (*Set, error) {
	var s Set
	for name, v := range map[string]any{"set/docs.json": &s.Docs, "set/queries.json": &s.Queries} {
		b, err := setFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			return nil, fmt.Errorf("eval: %s: %w", name, err)
		}
	}
	return &s, s.check()
}
