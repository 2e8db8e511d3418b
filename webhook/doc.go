// Package webhook delivers a desk's outbox events to an HTTP endpoint and
// verifies them on the receiving side, signed per the Standard Webhooks
// specification (https://www.standardwebhooks.com).
//
// Every request carries three headers:
//
//	webhook-id:        the event's ID, the same on every retry
//	webhook-timestamp: seconds since the Unix epoch of this attempt
//	webhook-signature: v1,<base64 HMAC-SHA256(secret, id "." timestamp "." body)>
//
// The body is a ticket.EventSchema message. Secrets are written
// "whsec_" followed by the base64 of the key; an empty secret is refused.
// Rotating a secret means configuring two for a while: the [Sender] signs
// with each (the header then lists two signatures) and the [Verifier]
// accepts a signature made with any of its secrets.
//
// A [Sender] reads the ticket outbox as its own consumer and acknowledges
// an event only once it is settled: delivered (2xx) or refused (a 4xx
// other than 408 and 429, or a redirect it will not follow), in which
// case it is first parked in a dead-letter list with the receiver's
// answer, and delivery goes on with the next event. A 5xx, 408, 429, a
// timeout or a network error is retried with exponential backoff and
// jitter; an event that still fails stays in the outbox, and so do the
// ones after it, until the next Flush. Redirects are followed only to the
// same scheme and host, and only when they keep the method and body (307,
// 308), so a compromised endpoint cannot bounce signed events elsewhere.
//
// A [Verifier] checks the signature against the body and the signed ID
// and timestamp, refuses a timestamp outside its tolerance window, and
// remembers every ID it accepted (a [SeenStore]; in memory by default,
// with expiry), so a captured request replayed within the window is
// recognised as a duplicate. The signed ID is the only deduplication key:
// an unsigned header such as Idempotency-Key would let an attacker
// replay a captured event under a fresh key, or mark a real event as
// already seen before it arrives.
//
// Personal data (S1): the sender logs event IDs, desks, actions and
// outcomes, never bodies, notes or fields.
package webhook
