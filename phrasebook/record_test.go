package phrasebook

import (
	"errors"
	"slices"
	"testing"
	"time"
)

type phoneRecord struct {
	At      time.Time `record:"when"`
	Caller  string    `record:"who"`
	Where   string
	Reason  string `record:"why"`
	What    *string
	How     []string
	private string
}

func TestRecord_T2_P6_missing_elements(t *testing.T) {
	leak := "厨房漏水"
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		form   Form
		record any
		want   []string
	}{
		{"P6_5W1H_complete_map", FiveW1H(), map[string]string{"when": "9:00", "who": "王先生", "where": "3栋501", "why": "漏水", "what": "报修", "how": "派维修工"}, nil},
		{"P6_5W1H_missing_why_how", FiveW1H(), map[string]string{"when": "9:00", "who": "王先生", "where": "3栋501", "what": "报修"}, []string{"why", "how"}},
		{"P6_5W1H_blank_is_missing", FiveW1H(), map[string]string{"When": "9:00", "WHO": " ", "where": "x", "why": "x", "what": "x", "how": "x"}, []string{"who"}},
		{"P6_5W1H_aliases", FiveW1H(), map[string]any{"time": at, "caller": "王", "location": "x", "reason": "x", "request": "x", "action": "x"}, nil},
		{"P6_5W1H_struct", FiveW1H(), phoneRecord{At: at, Caller: "王", Where: "3栋", What: &leak, private: "x"}, []string{"why", "how"}},
		{"P6_5W1H_struct_pointer_zero_time", FiveW1H(), &phoneRecord{Caller: "王", Where: "3栋", Reason: "x", What: &leak, How: []string{"派工"}}, []string{"when"}},
		{"P6_5W1H_empty_map", FiveW1H(), map[string]string{}, []string{"when", "who", "where", "why", "what", "how"}},
		{"T2_case_002", CaseRecord(), map[string]string{"time": "3月2日", "place": "3栋501", "person": "王先生", "event": "漏水"}, []string{"phone"}},
		{"T2_repair_call_004", RepairCall(), map[string]string{"plate": "粤B12345", "name": "王先生", "item": "刹车异响"}, []string{"location", "situation"}},
		{"T2_repair_booking_003", RepairBooking(), map[string]string{"date": "3月2日", "name": "王", "address": "3栋501", "phone": "138", "content": "换水龙头", "appointment": "3月3日"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.form.Missing(tt.record)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("missing %v, want %v", got, tt.want)
			}
			err = tt.form.Check(tt.record)
			var ie *IncompleteError
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
			} else if !errors.Is(err, ErrIncomplete) || !errors.As(err, &ie) || !slices.Equal(ie.Missing, tt.want) {
				t.Fatalf("Check: %v", err)
			}
		})
	}
}

func TestRecord_unsupported(t *testing.T) {
	var nilPtr *phoneRecord
	for _, r := range []any{nil, 42, "when", nilPtr, map[int]string{1: "x"}} {
		if _, err := FiveW1H().Missing(r); !errors.Is(err, ErrUnsupportedRecord) {
			t.Errorf("%T: %v", r, err)
		}
	}
}
