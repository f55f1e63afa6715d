//go:build !bleve

package eval

// NewBleve is nil without -tags bleve: the shipped binary leaves Bleve out
// (11 MB); `go run -tags bleve ./cmd/sharaka bench search --compare` adds it.
func NewBleve() Engine { return nil }
