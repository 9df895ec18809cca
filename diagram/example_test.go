package diagram_test

import (
	"os"

	"github.com/leadline/leadline/diagram"
	"github.com/leadline/leadline/rules"
)

// The rule book's cadence as a Mermaid flowchart, ready for a Markdown
// page: solid arrows are the cadence, dashed ones missed deadlines.
func ExampleMermaid() {
	if err := diagram.Mermaid(os.Stdout, rules.DefaultPolicy()); err != nil {
		panic(err)
	}
	// Output:
	// ---
	// title: "Touch cadence (T1-T14), calendar: wall clock (T11)"
	// ---
	// flowchart LR
	//     untouched["Untouched"]
	//     stage1["Stage1<br/>call, email, voicemail"]
	//     stage2["Stage2<br/>call, email"]
	//     stage3["Stage3<br/>email"]
	//     stage4["Stage4<br/>email"]
	//     connected["Connected (T6)"]
	//     recycled["Recycled (T7, S3)"]
	//     manager["Manager"]
	//     untouched -->|"T1: attempt within 48h"| stage1
	//     stage1 -->|"T3: attempt within 48h"| stage2
	//     stage2 -->|"T4: attempt within 48h"| stage3
	//     stage3 -->|"T5: attempt within 4d"| stage4
	//     stage4 -->|"T7: no contact 4d after Stage4"| recycled
	//     untouched -->|"T6: contact"| connected
	//     stage1 -->|"T6: contact"| connected
	//     stage2 -->|"T6: contact"| connected
	//     stage3 -->|"T6: contact"| connected
	//     stage4 -->|"T6: contact"| connected
	//     untouched -.->|"T1, T8: 48h missed: remind owner, alert manager, then another rep, a fresh 48h (at most 2 times, T10)"| untouched
	//     untouched -.->|"T10: after 2 reassignments"| manager
	//     stage1 -.->|"T8: 48h missed: remind owner, alert manager. T13: again every 48h, 2 times, then another rep (T10)"| stage1
	//     stage1 -.->|"T13: after the last repeat, once 2 reassignments are spent (T10)"| manager
	//     stage2 -.->|"T8: 48h missed: remind owner, alert manager. T13: again every 48h, 2 times, then another rep (T10)"| stage2
	//     stage2 -.->|"T13: after the last repeat, once 2 reassignments are spent (T10)"| manager
	//     stage3 -.->|"T8: 4d missed: remind owner, alert manager. T13: again every 4d, 2 times, then another rep (T10)"| stage3
	//     stage3 -.->|"T13: after the last repeat, once 2 reassignments are spent (T10)"| manager
}
