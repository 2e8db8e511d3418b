package phrasebook

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Field is one element a call record must carry. Name is the key looked
// up in a map or the `record:"..."` tag (or field name) of a struct;
// Aliases are accepted too (case-insensitive), so a CRM's own keys work.
type Field struct {
	Name    string
	Label   string // the seed's word, for people
	Aliases []string
}

// Form is a set of required elements of a call record (T2, P6).
type Form struct {
	ID     string
	Rule   string
	Fields []Field
}

// FiveW1H is the phone record of P6 (004 电话技巧 5): "5W1H, when, who,
// where, why, what, how".
func FiveW1H() Form {
	return Form{ID: "5w1h", Rule: "P6", Fields: []Field{
		{Name: "when", Label: "何时", Aliases: []string{"time"}},
		{Name: "who", Label: "何人", Aliases: []string{"caller", "person"}},
		{Name: "where", Label: "何地", Aliases: []string{"place", "location"}},
		{Name: "why", Label: "为何", Aliases: []string{"reason"}},
		{Name: "what", Label: "何事", Aliases: []string{"event", "request"}},
		{Name: "how", Label: "如何", Aliases: []string{"action", "handling"}},
	}}
}

// CaseRecord is a case (个案) that cannot be answered at once (T2, 002 被动
// 接听 3): "时间、地点、人物、事件、联系电话".
func CaseRecord() Form {
	return Form{ID: "case", Rule: "T2", Fields: []Field{
		{Name: "time", Label: "时间", Aliases: []string{"when"}},
		{Name: "place", Label: "地点", Aliases: []string{"where", "location"}},
		{Name: "person", Label: "人物", Aliases: []string{"who", "name"}},
		{Name: "event", Label: "事件", Aliases: []string{"what"}},
		{Name: "phone", Label: "联系电话", Aliases: []string{"contact_phone", "tel"}},
	}}
}

// RepairCall is a repair call at the dealer (T2, 004 三.6): "车牌号、姓名、
// 报修项目、位置及目前情况".
func RepairCall() Form {
	return Form{ID: "repair_call", Rule: "T2", Fields: []Field{
		{Name: "plate", Label: "车牌号", Aliases: []string{"plate_number", "licence_plate", "license_plate"}},
		{Name: "name", Label: "姓名", Aliases: []string{"who"}},
		{Name: "item", Label: "报修项目", Aliases: []string{"repair_item"}},
		{Name: "location", Label: "位置", Aliases: []string{"where", "place"}},
		{Name: "situation", Label: "目前情况", Aliases: []string{"condition", "status"}},
	}}
}

// RepairBooking is a property repair booking (T2, 003 维修约修制度 3):
// date, name, address, phone, content, appointment date.
func RepairBooking() Form {
	return Form{ID: "repair_booking", Rule: "T2", Fields: []Field{
		{Name: "date", Label: "日期", Aliases: []string{"when"}},
		{Name: "name", Label: "姓名", Aliases: []string{"who"}},
		{Name: "address", Label: "地址", Aliases: []string{"where"}},
		{Name: "phone", Label: "电话", Aliases: []string{"tel"}},
		{Name: "content", Label: "内容", Aliases: []string{"what", "item"}},
		{Name: "appointment", Label: "约定日期", Aliases: []string{"appointment_date"}},
	}}
}

// IncompleteError names the elements a record lacks. It unwraps to
// ErrIncomplete.
type IncompleteError struct {
	Form    string
	Missing []string
}

// Error lists the missing elements.
func (e *IncompleteError) Error() string {
	return fmt.Sprintf("phrasebook: %s record is missing %s; ask the caller for them", e.Form, strings.Join(e.Missing, ", "))
}

// Unwrap returns ErrIncomplete.
func (e *IncompleteError) Unwrap() error { return ErrIncomplete }

// Check is Missing as an error: nil when complete, else an
// *IncompleteError. A record that is not a map or struct is
// ErrUnsupportedRecord.
func (f Form) Check(record any) error {
	missing, err := f.Missing(record)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return &IncompleteError{Form: f.ID, Missing: missing}
	}
	return nil
}

// Missing returns the names of the form's fields the record lacks, in
// form order (nil when complete). record is a map with string keys
// (map[string]string, map[string]any, ...) or a struct or pointer to one,
// whose fields are matched by `record:"name"` tag, else by field name,
// case-insensitively, against each Field's Name and Aliases. A value is
// missing when absent, blank (whitespace only), the zero value (zero
// time.Time, nil pointer) or empty (slice, map).
func (f Form) Missing(record any) ([]string, error) {
	get, err := lookup(record)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, fd := range f.Fields {
		found := false
		for _, key := range append([]string{fd.Name}, fd.Aliases...) {
			if v, ok := get(strings.ToLower(key)); ok && present(v) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, fd.Name)
		}
	}
	return missing, nil
}

func lookup(record any) (func(key string) (reflect.Value, bool), error) {
	v := reflect.ValueOf(record)
	for v.IsValid() && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, fmt.Errorf("phrasebook: nil %T record: %w", record, ErrUnsupportedRecord)
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return nil, fmt.Errorf("phrasebook: nil record: %w", ErrUnsupportedRecord)
	}
	switch v.Kind() {
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("phrasebook: record %T: map keys must be strings: %w", record, ErrUnsupportedRecord)
		}
		index := map[string]reflect.Value{}
		iter := v.MapRange()
		for iter.Next() {
			k := strings.ToLower(iter.Key().String())
			// Prefer a present value when two keys differ only in case.
			if old, ok := index[k]; !ok || !present(old) {
				index[k] = iter.Value()
			}
		}
		return func(key string) (reflect.Value, bool) { x, ok := index[key]; return x, ok }, nil
	case reflect.Struct:
		index := map[string]reflect.Value{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name := strings.ToLower(sf.Name)
			if tag, ok := sf.Tag.Lookup("record"); ok {
				name = strings.ToLower(strings.Split(tag, ",")[0])
				if name == "-" {
					continue
				}
			}
			index[name] = v.Field(i)
		}
		return func(key string) (reflect.Value, bool) { x, ok := index[key]; return x, ok }, nil
	}
	return nil, fmt.Errorf("phrasebook: record of type %T: want a map with string keys or a struct: %w", record, ErrUnsupportedRecord)
}

var timeType = reflect.TypeFor[time.Time]()

func present(v reflect.Value) bool {
	for v.IsValid() && (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return false
	}
	if v.Type() == timeType {
		return !v.Interface().(time.Time).IsZero()
	}
	switch v.Kind() {
	case reflect.String:
		return strings.TrimSpace(v.String()) != ""
	case reflect.Slice, reflect.Map, reflect.Array:
		return v.Len() > 0
	}
	return !v.IsZero()
}
