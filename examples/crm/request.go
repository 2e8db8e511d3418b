package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// Actor headers: who is acting and in which role. A real CRM puts its
// authentication in front and sets them; the example trusts them.
const (
	headerActor = "X-Actor"
	headerRole  = "X-Role"
)

// knownRoles are the roles of the library's two authorizer tables (the
// seeds' DefaultRoles and the general desk's GeneralRoles), so the list
// cannot drift from the library's. A role known but not in a desk's
// table is 403 there, not 400.
var knownRoles = func() []ticket.Role {
	var out []ticket.Role
	for _, table := range []ticket.RoleTable{ticket.DefaultRoles(), ticket.GeneralRoles()} {
		for _, rs := range table {
			for _, r := range rs {
				if !slices.Contains(out, r) {
					out = append(out, r)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}()

// actorOf reads the acting person from the headers. Both are required;
// an unknown role is refused here rather than as a 403 later, because
// it is a malformed request, not a lack of rights.
func actorOf(r *http.Request) (ticket.Actor, error) {
	id := strings.TrimSpace(r.Header.Get(headerActor))
	if id == "" {
		return ticket.Actor{}, badRequest(headerActor, "header X-Actor is required: who is acting")
	}
	if why := badName(id); why != "" {
		return ticket.Actor{}, badRequest(headerActor, "header X-Actor "+why)
	}
	role := ticket.Role(strings.TrimSpace(r.Header.Get(headerRole)))
	if role == "" {
		return ticket.Actor{}, badRequest(headerRole, "header X-Role is required: the actor's role")
	}
	if !slices.Contains(knownRoles, role) {
		names := make([]string, len(knownRoles))
		for i, k := range knownRoles {
			names[i] = string(k)
		}
		return ticket.Actor{}, badRequest(headerRole, fmt.Sprintf("unknown role %q; one of %s", role, strings.Join(names, ", ")))
	}
	return ticket.Actor{ID: id, Role: role}, nil
}

// badName says why a person's name (an actor, a worker, an agent) is
// not one the service records, or "": it must be 1 to 128 bytes of
// valid UTF-8 without control characters, so that every store holds it
// alike (PostgreSQL refuses NUL) and logs show it as it is. Names that
// reach a store without the library's own checks (a claim's worker)
// depend on it.
func badName(v string) string {
	switch {
	case v == "":
		return "is empty"
	case len(v) > 128:
		return "is longer than 128 bytes"
	case !utf8.ValidString(v):
		return "is not valid UTF-8"
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return "contains a control character"
	}
	return ""
}

// decodeJSON reads one JSON object from the body into v, refusing
// unknown fields (names match exactly, see strictNames), names given
// twice, trailing data, text that is not UTF-8 and bodies over the
// limit (413). An empty body leaves v as it is when empty is true and
// is a 400 otherwise.
func (s *server) decodeJSON(w http.ResponseWriter, r *http.Request, v any, empty bool) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return jsonError(err)
	}
	if !utf8.Valid(body) {
		// encoding/json would store U+FFFD in place of each bad byte:
		// text changed without a word (RFC 8259: JSON is UTF-8).
		return badRequest("body", "request body is not valid UTF-8")
	}
	if ae := strictNames(body, reflect.TypeOf(v)); ae != nil {
		return ae
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if errors.Is(err, io.EOF) {
		if empty {
			return nil
		}
		return badRequest("body", "request body is empty; send a JSON object")
	}
	if err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return badRequest("body", "request body holds more than one JSON value")
	}
	return nil
}

// strictNames refuses what encoding/json would take but the API does
// not name, so that the service reads a body as the OpenAPI document
// (and any proxy in front) does: a name given twice in one object
// (encoding/json keeps the last), and a name that matches a field only
// when case is ignored ("KIND" for "kind": encoding/json folds case, so
// {"kind":"repair","KIND":"inquiry"} was an inquiry). t is the type the
// body decodes into. Every other fault is left to the decoder, which
// names it, but for a \u escape of half a surrogate pair, which
// encoding/json takes as U+FFFD. A null is refused too: the document
// gives no field a null, and encoding/json would read it as the field
// left out.
func strictNames(body []byte, t reflect.Type) *apiError {
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	for {
		err := walkNames(dec, t, "body")
		if err == nil {
			continue
		}
		var ae *apiError
		if errors.As(err, &ae) {
			return ae
		}
		var se *jsontext.SyntacticError
		if errors.As(err, &se) && errors.Is(se.Err, jsontext.ErrDuplicateName) {
			name := se.JSONPointer.LastToken()
			return badRequest(name, fmt.Sprintf("field %q is given twice", name))
		}
		if se != nil && json.Valid(body) {
			// A fault encoding/json does not see: a \u escape of half
			// a UTF-16 surrogate pair (\ud800), which it would store as
			// U+FFFD, text changed without a word as with bad UTF-8.
			name := cmp.Or(se.JSONPointer.LastToken(), "body")
			return badRequest(name, fmt.Sprintf("%s holds an escape that is no Unicode character (half a surrogate pair); send the character itself", name))
		}
		return nil // io.EOF after the last value, or a fault the decoder names
	}
}

// walkNames reads one JSON value, the value of field, checking the
// member names of every object that decodes into a struct against its
// fields' JSON names, exactly.
func walkNames(dec *jsontext.Decoder, t reflect.Type, field string) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch kind := dec.PeekKind(); {
	case kind == 'n':
		return badRequest(field, fmt.Sprintf("%s is null; leave it out or give a value", field))
	case kind == '{' && t != nil && (t.Kind() == reflect.Struct || t.Kind() == reflect.Map):
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != '}' {
			tok, err := dec.ReadToken()
			if err != nil {
				return err
			}
			ok := true
			name := tok.String()
			var next reflect.Type
			if t.Kind() == reflect.Map {
				next = t.Elem() // a map's keys are the client's own
			} else if next, ok = fieldNamed(t, name); !ok {
				return badRequest(name, fmt.Sprintf("unknown field %q", name))
			}
			if err := walkNames(dec, next, name); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	case kind == '[' && t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != ']' {
			if err := walkNames(dec, t.Elem(), field); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	}
	return dec.SkipValue()
}

// fieldNamed returns the type of the field of struct t whose JSON name
// is name, as encoding/json names fields (the tag's name, else the Go
// name; embedded structs without a tag lend theirs), matched exactly.
func fieldNamed(t reflect.Type, name string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case tag == "-" || (!f.IsExported() && !f.Anonymous):
			continue
		case f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct:
			if ft, ok := fieldNamed(f.Type, name); ok {
				return ft, true
			}
			continue
		case tag == "":
			tag = f.Name
		}
		if tag == name {
			return f.Type, true
		}
	}
	return nil, false
}

// jsonError turns a decoding error into a 400 naming the field, or
// passes a size error on for the 413.
func jsonError(err error) error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		te  *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mbe):
		return err
	case errors.As(err, &se):
		return badRequest("body", fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, se))
	case errors.As(err, &te):
		// Every action body embeds versioned; its fields are the body's own.
		field := strings.TrimPrefix(te.Field, "versioned.")
		if field == "" {
			field = "body"
		}
		return badRequest(field, fmt.Sprintf("%s must be %s, not %s", field, jsonType(te.Type.Kind().String()), te.Value))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("body", "malformed JSON: the body ends early")
	}
	// encoding/json reports an unknown field only in its message.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return badRequest(name, fmt.Sprintf("unknown field %q", name))
	}
	return badRequest("body", "malformed JSON: "+err.Error())
}

// jsonType says what JSON a Go kind takes: an integer field takes a
// whole number in range, so "1.5" and "1e400" are refused as such.
func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a JSON string"
	case "bool":
		return "a JSON boolean"
	case "map", "struct":
		return "a JSON object"
	case "slice", "array":
		return "a JSON array"
	case "float32", "float64":
		return "a JSON number"
	}
	return "a whole number in range"
}

// parseID reads a UUID path value.
func parseID(r *http.Request, name string) (uuid.UUID, error) {
	raw := r.PathValue(name)
	id, err := uuid.Parse(raw)
	if err != nil || len(raw) != 36 {
		return uuid.Nil, badRequest(name, fmt.Sprintf("%s %q is not a UUID (8-4-4-4-12 hex digits)", name, raw))
	}
	return id, nil
}

// Times a request may carry: within these years, in UTC, so that the
// time itself and every deadline the library derives from it (days or
// weeks later) can be encoded in RFC 3339 again. A time outside is a 400
// before anything is written.
const (
	minYear = 1900
	maxYear = 9000
)

// parseTime reads an optional RFC 3339 time; "" is the zero time.
func parseTime(field, raw string) (time.Time, error) {
	if raw == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return time.Time{}, badRequest(field, fmt.Sprintf("%s %q is not an RFC 3339 time such as 2026-03-02T10:00:00+08:00", field, raw))
	}
	if y := t.UTC().Year(); y < minYear || y > maxYear {
		return time.Time{}, badRequest(field, fmt.Sprintf("%s %q is outside the years %d to %d", field, raw, minYear, maxYear))
	}
	return t, nil
}

// parseBool reads an optional boolean query parameter.
func parseBool(field, raw string) (bool, error) {
	if raw == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return false, badRequest(field, fmt.Sprintf("%s %q is not true or false", field, raw))
	}
	return b, nil
}

// writeJSON writes v with the status. The body is encoded before the
// status is sent, so an answer is never a 2xx with an empty body: a
// value that cannot be encoded (inputs are checked so that none should
// reach here) is a 500 with a JSON error instead.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := jsonv1.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"internal error: the answer could not be encoded"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the status is sent; a broken connection is the client's
}

// statusRecorder keeps what the log line needs.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	desk, actor string
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests logs one line per request: the route pattern, not the
// URL, so that query values (a customer ID) stay out of the log (S1).
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		s.log.Info("request", "method", r.Method, "pattern", r.Pattern, "status", rec.status,
			"desk", rec.desk, "actor", rec.actor, "took", time.Since(start))
	})
}

// recoverer turns a panic into a 500. The tests prove that no input
// reaches it; it is here so that a bug costs one request, not the
// process.
func (s *server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "pattern", r.Pattern, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				writeJSON(w, http.StatusInternalServerError, &apiError{Msg: "internal error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// queryOf parses the query string, refusing a malformed one rather than
// dropping the pairs it cannot read, and a parameter given twice unless
// it is one of lists (state, tag, ...): the handlers read the first
// value, and a proxy in front may read the last, as with a JSON name
// given twice.
func queryOf(r *http.Request, lists ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest("query", "malformed query string: "+err.Error())
	}
	twice := "" // the first in name order, so the answer is the same every time
	for name, vs := range q {
		if len(vs) > 1 && !slices.Contains(lists, name) && (twice == "" || name < twice) {
			twice = name
		}
	}
	if twice != "" {
		return nil, badRequest(twice, fmt.Sprintf("query parameter %q is given twice", twice))
	}
	return q, nil
}
