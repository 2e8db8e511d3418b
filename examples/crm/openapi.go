package main

import (
	_ "embed"
	"net/http"
)

// openapiDoc is the OpenAPI 3.0 contract of every endpoint. The tests
// validate every request they send and every answer they get against
// it with github.com/getkin/kin-openapi, so it cannot drift from the
// handlers.
//
//go:embed openapi.json
var openapiDoc []byte

// openapi serves the contract at /openapi.json, without authentication.
func (s *server) openapi(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(openapiDoc)
}
