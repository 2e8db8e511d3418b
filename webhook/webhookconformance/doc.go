// Package webhookconformance holds no code: its tests check the webhook
// package against the Standard Webhooks specification's reference Go
// library (github.com/standard-webhooks/standard-webhooks/libraries),
// signing with one and verifying with the other, both ways. It is a
// module of its own so that the core module does not depend on the
// reference library.
package webhookconformance
