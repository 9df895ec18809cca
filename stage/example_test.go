package stage_test

import (
	"fmt"
	"time"

	"github.com/leadline/leadline/stage"
)

// ExamplePolicy_Attempt walks one cadence of the default policy: an
// approach request on Monday morning, a first attempt two hours late
// (T1, T9), two on time (T3, T4), a missed Stage4 deadline (T5, T8), and
// the T7 wait running out with no contact.
func ExamplePolicy_Attempt() {
	jst := time.FixedZone("JST", 9*3600)
	requested := time.Date(2025, 4, 7, 9, 0, 0, 0, jst)
	const layout = "Mon 02 Jan 15:04"

	pol := stage.DefaultPolicy()
	var tr stage.Track
	if err := pol.Begin(&tr, requested); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v, Stage1 due %s\n", tr.Stage, tr.Due.Time().In(jst).Format(layout))

	for _, after := range []time.Duration{50 * time.Hour, 70 * time.Hour, 100 * time.Hour} {
		eff, err := pol.Attempt(&tr, requested.Add(after))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("attempt: %v %q, next due %s\n", tr.Stage, eff, tr.Due.Time().In(jst).Format(layout))
	}

	fmt.Printf("expire: %q\n", pol.Expire(&tr, tr.Due.Time().Add(time.Hour)))
	eff, _ := pol.Attempt(&tr, tr.Due.Time().Add(2*time.Hour))
	fmt.Printf("attempt: %v %q, late %v, wait until %s\n", tr.Stage, eff, tr.IsLate(stage.Stage4), tr.Due.Time().In(jst).Format(layout))
	fmt.Printf("expire: %q, end %q\n", pol.Expire(&tr, tr.Due.Time().Add(time.Minute)), tr.End)

	_, err := pol.Attempt(&tr, tr.Due.Time().Add(time.Hour))
	fmt.Println("new cadence:", err == nil, tr.Stage, tr.Cadence)

	// Output:
	// Untouched, Stage1 due Wed 09 Apr 09:00
	// attempt: Stage1 "late", next due Fri 11 Apr 11:00
	// attempt: Stage2 "", next due Sat 12 Apr 07:00
	// attempt: Stage3 "", next due Tue 15 Apr 13:00
	// expire: "remind_owner|alert_manager"
	// attempt: Stage4 "late", late true, wait until Sat 19 Apr 15:00
	// expire: "recycle", end "exhausted"
	// new cadence: true Stage1 2
}
