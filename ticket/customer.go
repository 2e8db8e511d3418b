package ticket

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Customer is the customer a ticket is for. ID is the CRM's own key and
// stays after erasure so that the trail still shows that work was done;
// Name, Phone and Address are personal data (S1) and are removed by
// Service.Erase.
type Customer struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
	Grade   string `json:"grade,omitempty"` // customer status and grade (K5, F9)
	Erased  bool   `json:"erased,omitempty"`
}

// personal returns the customer's personal values, for erasure.
func (c *Customer) personal() []string {
	if c == nil {
		return nil
	}
	return []string{c.Name, c.Phone, c.Address}
}

// AttrType is the type of a custom attribute.
type AttrType string

// Attribute types. Values are kept as canonical strings so that every
// store can hold them; the type decides what is accepted.
const (
	AttrString AttrType = "string"
	AttrInt    AttrType = "int"
	AttrBool   AttrType = "bool"
	AttrTime   AttrType = "time" // RFC 3339
	AttrEnum   AttrType = "enum"
)

// AttrSpec declares a custom attribute of a desk.
type AttrSpec struct {
	Type     AttrType
	Values   []string // the allowed values of an enum
	Personal bool     // erased with the customer's data (S1)
}

// canonical checks v against the spec and returns its canonical form.
func (a AttrSpec) canonical(key, v string) (string, error) {
	switch a.Type {
	case AttrString:
		return v, nil
	case AttrInt:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return "", invalid("attribute "+key, "%q is not a whole number", v)
		}
		return strconv.FormatInt(n, 10), nil
	case AttrBool:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return "", invalid("attribute "+key, "%q is not true or false", v)
		}
		return strconv.FormatBool(b), nil
	case AttrTime:
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
		if err != nil {
			return "", invalid("attribute "+key, "%q is not an RFC 3339 time", v)
		}
		return t.UTC().Format(time.RFC3339), nil
	case AttrEnum:
		for _, x := range a.Values {
			if v == x {
				return v, nil
			}
		}
		return "", invalid("attribute "+key, "%q is not one of %v", v, a.Values)
	}
	return "", invalid("attribute "+key, "type %q is not an attribute type", a.Type)
}

// checkAttrs validates custom attributes against the policy's schema
// and returns them in canonical form. An empty value removes a key.
func (p *Policy) checkAttrs(in map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(in))
	for k, v := range in {
		spec, ok := p.Attributes[k]
		if !ok {
			return nil, invalid("attribute "+k, "not an attribute of this desk; declare it in Policy.Attributes")
		}
		if v == "" {
			out[k] = ""
			continue
		}
		c, err := spec.canonical(k, v)
		if err != nil {
			return nil, err
		}
		out[k] = c
	}
	return out, nil
}

// Attachment is a reference to a file kept elsewhere (a photo of a
// repair, the visited person's signature for F4/F5): the library keeps
// the reference and its checksum, never the bytes.
type Attachment struct {
	Name        string    `json:"name"`
	URI         string    `json:"uri"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`             // hex, 64 characters
	Kind        string    `json:"kind,omitempty"`     // "photo", "signature", "document", ...
	Personal    bool      `json:"personal,omitempty"` // erased with the customer's data (S1)
	AddedBy     string    `json:"added_by"`
	AddedAt     time.Time `json:"added_at"`
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (a *Attachment) check() error {
	if strings.TrimSpace(a.Name) == "" {
		return invalid("attachment", "name the attachment")
	}
	u, err := url.Parse(a.URI)
	if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "" && u.Path == "") {
		return invalid("attachment", "%q: give an absolute URI (https://…, s3://…, file:…)", a.URI)
	}
	if a.Size < 0 {
		return invalid("attachment", "size %d is below zero", a.Size)
	}
	if !strings.Contains(a.ContentType, "/") {
		return invalid("attachment", "content type %q is not a media type", a.ContentType)
	}
	a.SHA256 = strings.ToLower(a.SHA256)
	if !sha256Hex.MatchString(a.SHA256) {
		return invalid("attachment", "sha256 must be 64 hex digits")
	}
	return nil
}

func (c *Customer) check() error {
	if c == nil {
		return nil
	}
	if strings.TrimSpace(c.ID) == "" {
		return invalid("customer", "a customer needs the CRM's ID")
	}
	if c.Erased {
		return invalid("customer", "customer %s: a new record cannot arrive erased", c.ID)
	}
	return nil
}

func attachmentsSummary(a []Attachment) string {
	names := make([]string, len(a))
	for i := range a {
		names[i] = a[i].Name
	}
	return fmt.Sprint(names)
}
