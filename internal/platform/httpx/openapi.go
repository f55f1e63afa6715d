package httpx

import (
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Operation describes one JSON API route for the OpenAPI document. Areas
// list theirs beside their handlers; the app assembles the document, and a
// test checks it against the routes the server actually has.
type Operation struct {
	Method, Path, ID, Summary, Tag string
	// Auth is true when the route needs a signed-in user (token or session).
	Auth bool
	// Query names the query parameters the route reads.
	Query []string
	// Body and Response are zero values of the request and response types.
	Body, Response any
	// Status is the success status (200 when zero).
	Status int
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPI builds an OpenAPI 3.1 document for ops.
func OpenAPI(title, version string, ops []Operation) map[string]any {
	schemas := map[string]any{
		"Problem": schemaOf(reflect.TypeOf(Problem{}), nil),
	}
	paths := map[string]any{}
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].Path < ops[j].Path })
	for _, op := range ops {
		item, _ := paths[op.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		status := op.Status
		if status == 0 {
			status = http.StatusOK
		}
		o := map[string]any{
			"operationId": op.ID,
			"summary":     op.Summary,
			"tags":        []string{op.Tag},
			"responses": map[string]any{
				strconv.Itoa(status): response("OK", op.Response, schemas),
				"default":            problemResponse(),
			},
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(op.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range op.Query {
			params = append(params, map[string]any{"name": q, "in": "query", "required": false, "schema": map[string]any{"type": "string"}})
		}
		if len(params) > 0 {
			o["parameters"] = params
		}
		if op.Body != nil {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(op.Body), schemas)}}}
		}
		if op.Auth {
			o["security"] = []any{map[string]any{"token": []string{}}, map[string]any{"session": []string{}}}
		}
		item[strings.ToLower(op.Method)] = o
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": title, "version": version},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": schemas,
			"securitySchemes": map[string]any{
				"token":   map[string]any{"type": "http", "scheme": "bearer", "description": "personal access token (shk_…) created on /account"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "sid"},
			},
		},
	}
}

func response(desc string, v any, schemas map[string]any) map[string]any {
	r := map[string]any{"description": desc}
	if v != nil {
		r["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(v), schemas)}}
	}
	return r
}

func problemResponse() map[string]any {
	return map[string]any{"description": "RFC 9457 problem", "content": map[string]any{
		"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}
}

var timeType = reflect.TypeOf(time.Time{})

// schemaOf derives a JSON Schema from a Go type and its json tags; named
// structs go to components (when schemas is not nil) and are referenced.
func schemaOf(t reflect.Type, schemas map[string]any) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		s := schemaOf(t.Elem(), schemas)
		if typ, ok := s["type"].(string); ok {
			s["type"] = []string{typ, "null"}
		}
		return s
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), schemas)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), schemas)}
	case reflect.Struct:
		props := map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				inner := schemaOf(f.Type, nil)
				for k, v := range inner["properties"].(map[string]any) {
					props[k] = v
				}
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaOf(f.Type, schemas)
		}
		s := map[string]any{"type": "object", "properties": props}
		if schemas == nil || t.Name() == "" {
			return s
		}
		name := t.Name()
		schemas[name] = s
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// Router is where areas register routes: an *http.ServeMux, or the app's
// recording mux that remembers every pattern for the OpenAPI check.
type Router interface {
	Handle(pattern string, h http.Handler)
}
