package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The header names of the Standard Webhooks specification.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// Signer signs messages with one or more secrets (two during a rotation).
type Signer struct{ secrets []Secret }

// NewSigner returns a signer for the written secrets; at least one is
// required and none may be empty.
func NewSigner(secrets ...string) (*Signer, error) {
	s, err := parseSecrets("secrets", secrets)
	if err != nil {
		return nil, err
	}
	return &Signer{secrets: s}, nil
}

// Sign returns the webhook-signature value for a message: one
// "v1,<base64>" per secret, separated by spaces.
func (s *Signer) Sign(id string, ts time.Time, body []byte) string {
	var b strings.Builder
	for i, sec := range s.secrets {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("v1,")
		b.WriteString(base64.StdEncoding.EncodeToString(mac(sec.key, id, ts.Unix(), body)))
	}
	return b.String()
}

// SetHeaders sets the three webhook headers of a message on h.
func (s *Signer) SetHeaders(h http.Header, id string, ts time.Time, body []byte) {
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(HeaderSignature, s.Sign(id, ts, body))
}

// mac is HMAC-SHA256(key, id "." ts "." body).
func mac(key []byte, id string, ts int64, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	var buf [24]byte
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write(strconv.AppendInt(buf[:0], ts, 10))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}
