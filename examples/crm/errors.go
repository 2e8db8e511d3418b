package main

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/store"
	"github.com/servicedesk-go/desk/ticket"
)

// apiError is the JSON body of every error answer:
//
//	{"error": "...", "field": "...", "missing": ["..."]}
//
// Field names the offending input (a JSON field, a query parameter, a
// header, a path segment) when there is one; Missing lists the intake
// fields a step needs (T2, 422).
type apiError struct {
	Status  int      `json:"-"`
	Msg     string   `json:"error"`
	Field   string   `json:"field,omitempty"`
	Missing []string `json:"missing,omitempty"`
	// RetryAfter, in seconds, is sent as Retry-After with a 503.
	RetryAfter int `json:"-"`
}

func (e *apiError) Error() string { return e.Msg }

// badRequest is a 400 naming the field.
func badRequest(field, msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Field: field, Msg: msg}
}

// errorFor maps an error of the handlers or the library to its answer.
// Sentinels are checked with errors.Is and details read with errors.As,
// never from message text. Anything unknown is a 500: a bug to fix, and
// the tests prove no bad input reaches it.
func errorFor(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	msg := err.Error()
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, ErrUnauthenticated):
		// The reason stays in the log; the client learns only this.
		return &apiError{Status: http.StatusUnauthorized, Msg: "not authenticated: send Authorization: Bearer with a valid token"}

	case errors.As(err, &mbe):
		return &apiError{Status: http.StatusRequestEntityTooLarge, Msg: "request body is larger than the limit"}

	// ticket: T2 missing fields are 422 and listed; malformed input is
	// 400 and named.
	case errors.Is(err, ticket.ErrIncomplete):
		out := &apiError{Status: http.StatusUnprocessableEntity, Msg: msg}
		var mf *ticket.MissingFieldsError
		if errors.As(err, &mf) {
			out.Missing = mf.Fields
		}
		return out
	case errors.Is(err, ticket.ErrInvalid):
		out := &apiError{Status: http.StatusBadRequest, Msg: msg}
		var ie *ticket.InputError
		if errors.As(err, &ie) {
			out.Field = ie.Field
		}
		return out
	case errors.Is(err, ticket.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Msg: msg}
	case errors.Is(err, ticket.ErrForbidden):
		return &apiError{Status: http.StatusForbidden, Msg: msg}
	case errors.Is(err, ticket.ErrConflict), errors.Is(err, ticket.ErrInvalidTransition):
		return &apiError{Status: http.StatusConflict, Msg: msg}

	// followup: a lost lease and a duplicate also match ErrConflict.
	case errors.Is(err, followup.ErrInvalid):
		out := &apiError{Status: http.StatusBadRequest, Msg: msg}
		var ie *followup.InputError
		if errors.As(err, &ie) {
			out.Field = ie.Field
		}
		return out
	case errors.Is(err, followup.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Msg: msg}
	case errors.Is(err, followup.ErrConflict):
		return &apiError{Status: http.StatusConflict, Msg: msg}

	// roster
	case errors.Is(err, roster.ErrInvalid):
		out := &apiError{Status: http.StatusBadRequest, Msg: msg}
		var ie *roster.InputError
		if errors.As(err, &ie) {
			out.Field = ie.Field
		}
		return out
	case errors.Is(err, roster.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Msg: msg}
	case errors.Is(err, roster.ErrForbidden):
		return &apiError{Status: http.StatusForbidden, Msg: msg}
	case errors.Is(err, roster.ErrConflict), errors.Is(err, roster.ErrOverlap), errors.Is(err, roster.ErrSwapState):
		return &apiError{Status: http.StatusConflict, Msg: msg}
	case errors.Is(err, roster.ErrUnfilled):
		return &apiError{Status: http.StatusUnprocessableEntity, Msg: msg}

	// phrasebook
	case errors.Is(err, phrasebook.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Msg: msg}
	case errors.Is(err, phrasebook.ErrIncomplete):
		out := &apiError{Status: http.StatusUnprocessableEntity, Msg: msg}
		var ie *phrasebook.IncompleteError
		if errors.As(err, &ie) {
			out.Missing = ie.Missing
		}
		return out

	// The client went away or gave up: nothing was refused.
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &apiError{Status: http.StatusServiceUnavailable, Msg: "request cancelled before it completed", RetryAfter: 1}
	case storeUnavailable(err):
		return &apiError{Status: http.StatusServiceUnavailable, Msg: "the store is unavailable; retry later", RetryAfter: 2}
	}
	return &apiError{Status: http.StatusInternalServerError, Msg: "internal error"}
}

// storeUnavailable reports whether err is the store being out of reach
// or overloaded rather than a bug: the adapters (store/postgres,
// store/sqlite) wrap their drivers' connection, resource, shutdown,
// busy and locked errors, and PostgreSQL's serialization failures and
// deadlocks, in store.ErrUnavailable (the in-memory stores never fail
// so). The client may retry them, so they are 503 with Retry-After,
// not 500.
func storeUnavailable(err error) bool { return errors.Is(err, store.ErrUnavailable) }

// fail writes the error answer. A 500 is logged with the error, which
// the client does not see.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	ae := errorFor(err)
	switch {
	case ae.Status == http.StatusServiceUnavailable:
		s.log.Warn("request failed, retry later", "method", r.Method, "pattern", r.Pattern, "err", err)
	case ae.Status >= 500:
		s.log.Error("request failed", "method", r.Method, "pattern", r.Pattern, "err", err)
	case ae.Status == http.StatusUnauthorized:
		s.log.Info("request not authenticated", "method", r.Method, "pattern", r.Pattern, "err", err)
		w.Header().Set("WWW-Authenticate", `Bearer realm="crm"`)
	}
	if ae.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(ae.RetryAfter))
	}
	writeJSON(w, ae.Status, ae)
}

// failNamed is fail with the library's names of input fields translated
// to this API's JSON names (names maps one to the other), so that
// "field" names what the client sent. A name the map does not hold is
// looked up by its first word: the library names an entry of a map by
// its key (field "item", attribute floor), and the client sent the map.
func (s *server) failNamed(w http.ResponseWriter, r *http.Request, err error, names map[string]string) {
	ae := errorFor(err)
	n, ok := names[ae.Field]
	if !ok {
		first, _, _ := strings.Cut(ae.Field, " ")
		n, ok = names[first]
	}
	if ok && ae.Status < 500 {
		renamed := *ae
		renamed.Field = n
		err = &renamed
	}
	s.fail(w, r, err)
}
