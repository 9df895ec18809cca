package policyfile_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/policyfile"
	"github.com/leadline/leadline/rules"
)

// A Tokyo team's file: Stage4 gets two days instead of four (T5), and
// windows count working hours on the Japanese business calendar (T11).
// Every field left out is the rule book's.
func ExampleLoad() {
	const file = `{
  "version": 1,
  "language": "ja",
  "time_zone": "Asia/Tokyo",
  "cadence": {
    "stage4": {"within": "2d"},
    "calendar": {"name": "business:jp", "zone": "Asia/Tokyo", "start": "09:00", "end": "18:00"}
  }
}`
	p, err := policyfile.Load(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stage4 within:", p.Cadence.Stage4.Within)
	fmt.Println("stage3 within:", p.Cadence.Stage3.Within)
	fmt.Println("threshold:", p.Triggers.Threshold)

	// A file with mistakes reports every one, each with its path and line.
	_, err = policyfile.Load(strings.NewReader(`{
  "version": 1,
  "cadence": {"stage3": {"within": "-48h"}, "max_reasignments": 3}
}`))
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		if fe, ok := errors.AsType[*leaderr.FieldError](e); ok {
			fmt.Printf("line %d: %s\n", fe.Line, fe.Field)
		}
	}
	// Output:
	// stage4 within: 48h0m0s
	// stage3 within: 48h0m0s
	// threshold: 100
	// line 3: cadence.max_reasignments
	// line 3: cadence.stage3.within
}

// Marshal writes the rule book's policy with every default spelled out;
// sales-ops start from this file.
func ExampleMarshal() {
	p := rules.DefaultPolicy()
	p.Cadence.Stage2.Within = 0 // zero is the default, and is written as such
	b, err := policyfile.Marshal(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Print the cadence's windows only.
	for line := range strings.Lines(string(b)) {
		if strings.Contains(line, `"within"`) || strings.Contains(line, `"recycle_after"`) {
			fmt.Print(strings.TrimSpace(line), "\n")
		}
	}
	// Output:
	// "within": "48h",
	// "within": "48h",
	// "within": "48h",
	// "within": "4d",
	// "recycle_after": "4d",
}
