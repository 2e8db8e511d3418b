package ticket

import (
	"encoding/json"
	"fmt"
	"io"
)

// The versioned JSON encodings. A consumer checks the schema string; a
// new major version gets a new string, and fields are only ever added
// within one version (decoders ignore fields they do not know).
const (
	// DocumentSchema names the export and import document:
	//
	//	{"schema": "servicedesk.tickets/v2", "desk": "...",
	//	 "records": [{"ticket": {...}, "history": [{...}, ...]}, ...]}
	//
	// A ticket and an event are encoded with the JSON names of the
	// fields of Ticket and Event; times are RFC 3339, IDs are UUID
	// strings, a zero time is "0001-01-01T00:00:00Z".
	//
	// Version 2 adds a ticket's subject, description, priority, tags and
	// pending time, the email channel, and a deadline's paused time and
	// escalated level. ReadDocument reads version 1 documents too: their
	// tickets have none of these.
	DocumentSchema = "servicedesk.tickets/v2"
	// DocumentSchemaV1 is the first version of the document, still read.
	DocumentSchemaV1 = "servicedesk.tickets/v1"
	// EventSchema names one event as a webhook or queue message carries it:
	//
	//	{"schema": "servicedesk.event/v1", "event": {...}}
	EventSchema = "servicedesk.event/v1"
)

// Document is a set of tickets with their histories, as exported and
// imported.
type Document struct {
	Schema  string   `json:"schema"`
	Desk    string   `json:"desk"`
	Records []Record `json:"records"`
}

// WriteDocument encodes records of a desk as a DocumentSchema document.
func WriteDocument(w io.Writer, desk string, records []Record) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Document{Schema: DocumentSchema, Desk: desk, Records: records})
}

// ReadDocument decodes a DocumentSchema or DocumentSchemaV1 document.
// A document of another schema, or one that is not JSON, is ErrInvalid.
func ReadDocument(r io.Reader) (*Document, error) {
	var d Document
	if err := json.NewDecoder(r).Decode(&d); err != nil {
		return nil, invalid("document", "not a ticket document: %v", err)
	}
	if d.Schema != DocumentSchema && d.Schema != DocumentSchemaV1 {
		return nil, invalid("document", "schema %q, want %q or %q", d.Schema, DocumentSchema, DocumentSchemaV1)
	}
	for i, rec := range d.Records {
		if rec.Ticket == nil {
			return nil, invalid("document", "record %d has no ticket", i)
		}
	}
	return &d, nil
}

type eventMessage struct {
	Schema string `json:"schema"`
	Event  Event  `json:"event"`
}

// MarshalEvent encodes an event as an EventSchema message.
func MarshalEvent(e Event) ([]byte, error) {
	return json.Marshal(eventMessage{Schema: EventSchema, Event: e})
}

// UnmarshalEvent decodes an EventSchema message.
func UnmarshalEvent(b []byte) (Event, error) {
	var m eventMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return Event{}, invalid("event", "not an event message: %v", err)
	}
	if m.Schema != EventSchema {
		return Event{}, invalid("event", "schema %q, want %q", m.Schema, EventSchema)
	}
	return m.Event, nil
}

func (r Record) String() string {
	if r.Ticket == nil {
		return "record without ticket"
	}
	return fmt.Sprintf("ticket %s (%d events)", r.Ticket.ID, len(r.History))
}
