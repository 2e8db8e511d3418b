package phrasebook

import (
	"errors"
	"fmt"
)

// Sentinel errors. Compare with errors.Is; the returned errors wrap them
// with the phrase, script or step involved.
var (
	// ErrNotFound: no phrase, language, script step or branch by that ID.
	ErrNotFound = errors.New("phrasebook: not found")
	// ErrInvalidCatalogue: catalogue data was rejected; the wrapping
	// *CatalogueError names the phrase and the problem.
	ErrInvalidCatalogue = errors.New("phrasebook: invalid catalogue")
	// ErrMissingValue: a template names a placeholder the caller gave no
	// value for. Rendering never produces a blank or a literal "{name}".
	ErrMissingValue = errors.New("phrasebook: missing placeholder value")
	// ErrUnknownPlaceholder: a value was given for a placeholder the
	// catalogue does not declare (usually a typo such as "nmae").
	ErrUnknownPlaceholder = errors.New("phrasebook: unknown placeholder")
	// ErrIllegalBranch: a script walker was asked to take a branch the
	// current step does not allow.
	ErrIllegalBranch = errors.New("phrasebook: illegal branch")
	// ErrScriptDone: the walker has reached the end of its script.
	ErrScriptDone = errors.New("phrasebook: script finished")
	// ErrCheckFailed: a step's check was not satisfied (for example P8's
	// reply time more than 48 h ahead).
	ErrCheckFailed = errors.New("phrasebook: step check failed")
	// ErrInvalidPolicy: a policy value is out of range.
	ErrInvalidPolicy = errors.New("phrasebook: invalid policy")
	// ErrInvalidScript: a script definition is inconsistent.
	ErrInvalidScript = errors.New("phrasebook: invalid script")
	// ErrUnsupportedRecord: a call record is neither a map nor a struct.
	ErrUnsupportedRecord = errors.New("phrasebook: unsupported record type")
	// ErrIncomplete: a call record lacks required elements; the wrapping
	// *IncompleteError names them.
	ErrIncomplete = errors.New("phrasebook: incomplete record")
	// ErrInvalidReview: a QA review sheet is incomplete or out of range.
	ErrInvalidReview = errors.New("phrasebook: invalid review")
)

// CatalogueError says which phrase (and language, when one is involved) a
// catalogue was rejected for, and why. It unwraps to ErrInvalidCatalogue.
type CatalogueError struct {
	PhraseID string // "" for problems of the catalogue as a whole
	Lang     string // "" when no single language is involved
	Problem  string
}

// Error says which phrase failed and why.
func (e *CatalogueError) Error() string {
	switch {
	case e.PhraseID == "":
		return fmt.Sprintf("phrasebook: invalid catalogue: %s", e.Problem)
	case e.Lang == "":
		return fmt.Sprintf("phrasebook: invalid catalogue: phrase %q: %s", e.PhraseID, e.Problem)
	default:
		return fmt.Sprintf("phrasebook: invalid catalogue: phrase %q (%s): %s", e.PhraseID, e.Lang, e.Problem)
	}
}

// Unwrap makes errors.Is(err, ErrInvalidCatalogue) true.
func (e *CatalogueError) Unwrap() error { return ErrInvalidCatalogue }

// RenderError names the phrase, language and placeholder a render failed
// on. It unwraps to ErrMissingValue or ErrUnknownPlaceholder.
type RenderError struct {
	PhraseID    string
	Lang        string
	Placeholder string
	Err         error
}

// Error names the phrase, language and placeholder.
func (e *RenderError) Error() string {
	if e.Err == ErrUnknownPlaceholder {
		return fmt.Sprintf("phrasebook: render %q (%s): value given for undeclared placeholder {%s}; check its spelling or declare it in the catalogue", e.PhraseID, e.Lang, e.Placeholder)
	}
	return fmt.Sprintf("phrasebook: render %q (%s): no value for {%s}; pass it in the values or set it on the catalogue", e.PhraseID, e.Lang, e.Placeholder)
}

// Unwrap returns the sentinel.
func (e *RenderError) Unwrap() error { return e.Err }
