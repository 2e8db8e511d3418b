package main

import (
	"net/http"

	"github.com/servicedesk-go/desk/phrasebook"
)

// lintRequest is the body of POST /lint. Text is required, as the
// document says: a body without it checks nothing.
type lintRequest struct {
	Text *string `json:"text"`
}

// findingOut is one problem in the text (P2, P3), with the catalogue
// phrase to say instead.
type findingOut struct {
	Offset       int    `json:"offset"`
	End          int    `json:"end"`
	Line         int    `json:"line"`
	Col          int    `json:"col"`
	Rule         string `json:"rule"`
	Fault        string `json:"fault"`
	Fragment     string `json:"fragment"`
	Entry        string `json:"entry"`
	Message      string `json:"message"`
	SuggestionID string `json:"suggestion_id,omitempty"`
	Suggestion   string `json:"suggestion,omitempty"`
}

func findingJSON(f phrasebook.Finding) findingOut {
	return findingOut{Offset: f.Offset, End: f.End, Line: f.Line, Col: f.Col, Rule: f.Rule,
		Fault: string(f.Fault), Fragment: f.Fragment, Entry: f.EntryID, Message: f.Message,
		SuggestionID: f.SuggestionID, Suggestion: f.Suggestion}
}

// lint checks what an agent is about to say or send (P2, P3). A clean
// text answers an empty list.
func (s *server) lint(w http.ResponseWriter, r *http.Request) {
	var in lintRequest
	if err := s.decodeJSON(w, r, &in, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Text == nil {
		s.fail(w, r, badRequest("text", "text is required: what the agent is about to say or send"))
		return
	}
	fs := s.linter.Lint(*in.Text)
	out := make([]findingOut, 0, len(fs))
	for _, f := range fs {
		out = append(out, findingJSON(f))
	}
	writeJSON(w, http.StatusOK, map[string]any{"findings": out})
}
