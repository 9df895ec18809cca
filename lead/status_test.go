package lead_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// allStatuses lists the statuses of rule book section 1 in declaration order.
var allStatuses = []lead.Status{
	lead.StatusNew, lead.StatusLead, lead.StatusRecycled, lead.StatusCustomer,
	lead.StatusPartner, lead.StatusDisqualifiedMktg, lead.StatusDisqualifiedSales,
}

// fatalfer is the part of testing.TB the error helpers need; *rapid.T has
// it too.
type fatalfer interface {
	Helper()
	Fatalf(format string, args ...any)
}

// wantFieldError fails unless err is a *leaderr.FieldError for field that
// matches leaderr.ErrInvalid (rule E6).
func wantFieldError(tb fatalfer, err error, field string) *leaderr.FieldError {
	tb.Helper()
	if err == nil {
		tb.Fatalf("err = nil, want a *leaderr.FieldError for %q", field)
	}
	fe, ok := errors.AsType[*leaderr.FieldError](err)
	if !ok {
		tb.Fatalf("err = %v (%T), want a *leaderr.FieldError for %q", err, err, field)
	}
	if fe.Field != field {
		tb.Fatalf("leaderr.FieldError.Field = %q, want %q (err: %v)", fe.Field, field, err)
	}
	if !errors.Is(err, leaderr.ErrInvalid) {
		tb.Fatalf("errors.Is(%v, leaderr.ErrInvalid) = false, want true (E6)", err)
	}
	return fe
}

func TestStatus_String(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s        lead.Status
		wantName string // rule book section 1, exactly
		wantKey  string
	}{
		{lead.StatusNew, "New", "new"},
		{lead.StatusLead, "Lead", "lead"},
		{lead.StatusRecycled, "Recycled", "recycled"},
		{lead.StatusCustomer, "Customer", "customer"},
		{lead.StatusPartner, "Partner", "partner"},
		{lead.StatusDisqualifiedMktg, "Disqualified (mktg)", "disqualified_mktg"},
		{lead.StatusDisqualifiedSales, "Disqualified (sales)", "disqualified_sales"},
		{lead.Status(7), "Status(7)", "status(7)"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.wantName {
			t.Errorf("Status(%d).String() = %q, want %q", uint8(tt.s), got, tt.wantName)
		}
		if got := tt.s.Key(); got != tt.wantKey {
			t.Errorf("Status(%d).Key() = %q, want %q", uint8(tt.s), got, tt.wantKey)
		}
		if got, want := tt.s.Valid(), tt.s < 7; got != want {
			t.Errorf("Status(%d).Valid() = %v, want %v", uint8(tt.s), got, want)
		}
	}
	if lead.Status(0) != lead.StatusNew {
		t.Error("the zero Status is not New (rule book section 1)")
	}
}

func TestStatus_TextRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range allStatuses {
		b, err := s.MarshalText()
		if err != nil || string(b) != s.Key() {
			t.Errorf("%v.MarshalText() = %q, %v; want %q, nil", s, b, err, s.Key())
		}
		var got lead.Status = 99
		if err := got.UnmarshalText(b); err != nil || got != s {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v, nil", b, got, err, s)
		}
		for _, text := range []string{s.Key(), s.String(), strings.ToUpper(s.Key()), strings.ToUpper(s.String()), strings.ToLower(s.String()), "  " + s.String() + "\n"} {
			if got, err := lead.ParseStatus(text); err != nil || got != s {
				t.Errorf("ParseStatus(%q) = %v, %v; want %v, nil", text, got, err, s)
			}
		}
	}
}

func TestParseStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    lead.Status
		wantErr bool
	}{
		{name: "display name", in: "Disqualified (mktg)", want: lead.StatusDisqualifiedMktg},
		{name: "display name any case", in: "DISQUALIFIED (SALES)", want: lead.StatusDisqualifiedSales},
		{name: "key", in: "disqualified_sales", want: lead.StatusDisqualifiedSales},
		{name: "key any case", in: "Recycled", want: lead.StatusRecycled},
		{name: "empty", in: "", wantErr: true},
		{name: "blank", in: " \t", wantErr: true},
		{name: "unknown", in: "vip", wantErr: true},
		{name: "Disqualified alone", in: "Disqualified", wantErr: true},
		{name: "no space before the parenthesis", in: "Disqualified(mktg)", wantErr: true},
		{name: "key with a space", in: "disqualified mktg", wantErr: true},
		{name: "Go syntax of an invalid status", in: "Status(7)", wantErr: true},
		{name: "number", in: "1", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := lead.ParseStatus(tt.in)
			if tt.wantErr {
				wantFieldError(t, err, "status")
				if got != lead.StatusNew {
					t.Errorf("ParseStatus(%q) = %v with an error, want the zero value", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseStatus(%q) = %v, %v; want %v, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestStatus_MarshalText_invalid(t *testing.T) {
	t.Parallel()
	b, err := lead.Status(7).MarshalText()
	if b != nil {
		t.Errorf("Status(7).MarshalText() = %q, want nil", b)
	}
	wantFieldError(t, err, "status")
	s := lead.StatusPartner
	wantFieldError(t, s.UnmarshalText([]byte("vip")), "status")
	if s != lead.StatusPartner {
		t.Errorf("a failed UnmarshalText changed the status to %v", s)
	}
}

func TestStatus_JSON(t *testing.T) {
	t.Parallel()
	type row struct {
		Status lead.Status `json:"status"`
	}
	for _, s := range allStatuses {
		b, err := json.Marshal(row{s})
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf(`{"status":%q}`, s.Key()); string(b) != want {
			t.Errorf("json.Marshal(%v) = %s, want %s", s, b, want)
		}
		var got row
		if err := json.Unmarshal(b, &got); err != nil || got.Status != s {
			t.Errorf("json.Unmarshal(%s) = %v, %v; want %v", b, got.Status, err, s)
		}
	}
	var got row
	if err := json.Unmarshal([]byte(`{"status":"Disqualified (mktg)"}`), &got); err != nil || got.Status != lead.StatusDisqualifiedMktg {
		t.Errorf("json.Unmarshal(display name) = %v, %v; want Disqualified (mktg)", got.Status, err)
	}
	wantFieldError(t, json.Unmarshal([]byte(`{"status":"vip"}`), &got), "status")
	if _, err := json.Marshal(row{lead.Status(9)}); err == nil {
		t.Error("json.Marshal of an unknown status succeeded")
	}
}

// TestPersonTransition checks rule S4 on all 49 pairs: a person may set
// any status from any other except back to New.
func TestPersonTransition(t *testing.T) {
	t.Parallel()
	for _, from := range allStatuses {
		for _, to := range allStatuses {
			err := lead.PersonTransition(from, to)
			refused := to == lead.StatusNew && from != lead.StatusNew
			if !refused {
				if err != nil {
					t.Errorf("S4 PersonTransition(%v, %v) = %v, want nil", from, to, err)
				}
				continue
			}
			if err == nil {
				t.Errorf("S4 PersonTransition(%v, %v) = nil, want leaderr.ErrInvalidTransition", from, to)
				continue
			}
			wantFieldError(t, err, "status")
			if !errors.Is(err, leaderr.ErrInvalidTransition) {
				t.Errorf("S4 PersonTransition(%v, %v) = %v, want leaderr.ErrInvalidTransition", from, to, err)
			}
		}
	}
	err := lead.PersonTransition(lead.StatusLead, lead.Status(7))
	wantFieldError(t, err, "status")
	if errors.Is(err, leaderr.ErrInvalidTransition) {
		t.Errorf("PersonTransition(Lead, Status(7)) = %v: an unknown status is bad input, not a transition", err)
	}
}

// TestAutoTransition checks rule S4 on all 49 pairs: the engine only
// recycles New and Lead (T7, S3) and re-engages Recycled (A5).
func TestAutoTransition(t *testing.T) {
	t.Parallel()
	allowed := map[[2]lead.Status]string{
		{lead.StatusNew, lead.StatusRecycled}:  "T7",
		{lead.StatusLead, lead.StatusRecycled}: "T7",
		{lead.StatusRecycled, lead.StatusLead}: "A5",
	}
	for _, from := range allStatuses {
		for _, to := range allStatuses {
			err := lead.AutoTransition(from, to)
			if rule, ok := allowed[[2]lead.Status{from, to}]; ok {
				if err != nil {
					t.Errorf("S4 %s AutoTransition(%v, %v) = %v, want nil", rule, from, to, err)
				}
				continue
			}
			if err == nil {
				t.Errorf("S4 AutoTransition(%v, %v) = nil, want leaderr.ErrInvalidTransition", from, to)
				continue
			}
			wantFieldError(t, err, "status")
			if !errors.Is(err, leaderr.ErrInvalidTransition) {
				t.Errorf("S4 AutoTransition(%v, %v) = %v, want leaderr.ErrInvalidTransition", from, to, err)
			}
		}
	}
}

func TestStatus_Protected_Worked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s             lead.Status
		wantProtected bool // S5
		wantWorked    bool // S2
	}{
		{lead.StatusNew, false, true},
		{lead.StatusLead, false, true},
		{lead.StatusRecycled, false, false},
		{lead.StatusCustomer, true, false},
		{lead.StatusPartner, true, false},
		{lead.StatusDisqualifiedMktg, true, false},
		{lead.StatusDisqualifiedSales, true, false},
		{lead.Status(7), false, false},
	}
	for _, tt := range tests {
		if got := tt.s.Protected(); got != tt.wantProtected {
			t.Errorf("S5 %v.Protected() = %v, want %v", tt.s, got, tt.wantProtected)
		}
		if got := tt.s.Worked(); got != tt.wantWorked {
			t.Errorf("S2 %v.Worked() = %v, want %v", tt.s, got, tt.wantWorked)
		}
	}
}

// FuzzParseStatus checks that ParseStatus never panics, refuses with a
// *leaderr.FieldError for "status" only, and that whatever it accepts survives
// MarshalText and ParseStatus, and String and ParseStatus, unchanged.
func FuzzParseStatus(f *testing.F) {
	for _, s := range allStatuses {
		f.Add(s.Key())
		f.Add(s.String())
	}
	for _, s := range []string{"", " ", "vip", "Disqualified", "DISQUALIFIED (SALES)", "Status(7)", "disqualified mktg", "D\u0130SQUALIF\u0130ED (MKTG)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := lead.ParseStatus(in)
		if err != nil {
			wantFieldError(t, err, "status")
			return
		}
		if !s.Valid() {
			t.Fatalf("ParseStatus(%q) = %v, not a valid status", in, s)
		}
		b, err := s.MarshalText()
		if err != nil {
			t.Fatalf("ParseStatus(%q) = %v, whose MarshalText fails: %v", in, s, err)
		}
		for _, text := range []string{string(b), s.String()} {
			if back, err := lead.ParseStatus(text); err != nil || back != s {
				t.Fatalf("ParseStatus(%q) = %v; ParseStatus(%q) = %v, %v; want %v, nil", in, s, text, back, err, s)
			}
		}
	})
}
