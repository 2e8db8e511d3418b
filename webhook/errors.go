package webhook

import "errors"

var (
	// ErrEmptySecret: a secret was empty, or none was given.
	ErrEmptySecret = errors.New("webhook: empty secret; generate one with NewSecret")
	// ErrInvalidSecret: a secret is not "whsec_" followed by base64.
	ErrInvalidSecret = errors.New("webhook: secret is not whsec_ followed by base64")
	// ErrInvalid: a configuration value is out of range; the error names it.
	ErrInvalid = errors.New("webhook: invalid configuration")

	// ErrMissingHeaders: webhook-id, webhook-timestamp or
	// webhook-signature is absent.
	ErrMissingHeaders = errors.New("webhook: missing webhook-id, webhook-timestamp or webhook-signature header")
	// ErrInvalidHeaders: a webhook header cannot be parsed or is too long.
	ErrInvalidHeaders = errors.New("webhook: invalid webhook header")
	// ErrBadSignature: no signature matches the body, ID and timestamp
	// with any configured secret.
	ErrBadSignature = errors.New("webhook: no matching signature")
	// ErrTooOld: the signed timestamp is older than the tolerance window.
	ErrTooOld = errors.New("webhook: timestamp too old")
	// ErrTooNew: the signed timestamp is further in the future than the
	// tolerance window.
	ErrTooNew = errors.New("webhook: timestamp too new")
	// ErrDuplicate: an authentic delivery whose ID was already accepted
	// (a retry after a lost answer, or a replay). Answer it with 2xx and
	// do not store it again.
	ErrDuplicate = errors.New("webhook: duplicate delivery")
	// ErrUnacceptable may be wrapped by a receiver's accept function for
	// an authentic event it will never accept (for example a schema it
	// does not know); the handler answers 422 and the sender parks it.
	ErrUnacceptable = errors.New("webhook: event not acceptable")

	// ErrUndelivered: an event failed every attempt of one Flush with a
	// transient error; it stays in the outbox for the next.
	ErrUndelivered = errors.New("webhook: event not delivered")
)
