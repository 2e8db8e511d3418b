package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// contract is the OpenAPI document the service serves, loaded and
// validated once, with a router over its paths.
var contract struct {
	sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

func loadContract(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	contract.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(openapiDoc)
		if err != nil {
			contract.err = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			contract.err = err
			return
		}
		contract.doc = doc
		contract.router, contract.err = gorillamux.NewRouter(doc)
	})
	if contract.err != nil {
		t.Fatalf("openapi.json: %v", contract.err)
	}
	return contract.doc, contract.router
}

// checkContract validates one exchange of the tests against the
// document: the answer must match its operation's documented responses;
// a request the document refuses must not be accepted (2xx) by the
// service. A path the document does not have may only be answered 404,
// 405 or 307 (the mux's own answers).
func checkContract(t testing.TB, req *http.Request, reqBody []byte, status int, header http.Header, body []byte) {
	t.Helper()
	if req.Method == http.MethodHead {
		return // served by the GET operation, without a body
	}
	_, router := loadContract(t)
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	if r.URL.Host == "" {
		r.URL.Scheme, r.URL.Host = "http", "crm.test"
	}
	route, params, err := router.FindRoute(r)
	if err != nil {
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed && status != http.StatusTemporaryRedirect {
			t.Errorf("contract: %s %s answered %d but the document has no such operation: %v", req.Method, req.URL.Path, status, err)
		}
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && status < 300 {
		t.Errorf("contract: the document refuses %s %s (%v) but the service answered %d", req.Method, req.URL.Path, firstLine(err), status)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("contract: %s %s answered %d, not as documented: %v\n%s", req.Method, req.URL.Path, status, firstLine(err), truncate(body))
	}
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// TestContractServed: /openapi.json is the embedded document, a valid
// OpenAPI 3.0 document whose operations are exactly the routes of the
// mux, method for method.
func TestContractServed(t *testing.T) {
	doc, _ := loadContract(t)
	f := newFixture(t)
	r := as{h: f.srv}.must(t, http.StatusOK, "GET", "/openapi.json", nil)
	if !bytes.Equal(r.Body, openapiDoc) {
		t.Error("/openapi.json is not the embedded document")
	}
	inDoc := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			inDoc[method+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, rt := range f.srv.routeTable() {
		op := rt.method + " " + rt.path
		served[op] = true
		if !inDoc[op] {
			t.Errorf("the service serves %s, which the document does not have", op)
		}
	}
	for op := range inDoc {
		if !served[op] {
			t.Errorf("the document has %s, which the service does not serve", op)
		}
	}
	if len(served) < 19 {
		t.Errorf("%d routes, want at least the 19 of this version", len(served))
	}
}
