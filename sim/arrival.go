package sim

import (
	"math/rand/v2"
	"time"
)

// Source is where a share of a run's leads come from: a web form, a list
// import, a partner.
type Source struct {
	Key    string // the lead's Profile.Source: "web"
	Label  string // how a report names it: "web form"
	Weight int    // its share of the leads, against the other sources'
	// Score is the range of the whole initial scores its leads draw from.
	Score [2]int
	// Arrive says when its leads arrive.
	Arrive Arrival
	// Follow are what its leads may do after they arrive
	// ([Arrivals.Script]).
	Follow []FollowUp
}

// Arrival says when a source's leads arrive over a run: on any day or in
// batches on given days, at times of day drawn from windows or trailing
// off after an instant.
type Arrival struct {
	// Batches are the days of the run (0 is the first) a batch comes on,
	// one drawn per lead among those inside the run; empty means any day.
	Batches []int
	// Weekend is the chance of keeping a Saturday or Sunday drawn for a
	// lead of no batch: 0 for office-hours sources, which redraw it.
	Weekend float64
	// Windows are the times of day a lead arrives in, minutes after
	// midnight, [From, To): the first window whose Share a draw falls
	// under, the last one otherwise. One window draws no share.
	Windows []Window
	// Tail, if positive, draws the time of day instead as the first
	// window's From plus an exponential delay of mean Tail: a campaign
	// mail's downloads, many at once and then fewer.
	Tail time.Duration
}

// Window is a span of the day leads arrive in, in minutes after midnight,
// taken with chance Share (see [Arrival.Windows]).
type Window struct {
	Share    float64
	From, To int
}

// Arrivals draws a run's leads: which source each comes from and when it
// arrives. Start is the run's first instant, at or after midnight of its
// first day; Days its length. Every method draws from R in a fixed order.
type Arrivals struct {
	R       *rand.Rand
	Start   time.Time
	Days    int
	Sources []Source
}

// Source draws a source by weight.
func (a *Arrivals) Source() Source {
	total := 0
	for _, s := range a.Sources {
		total += s.Weight
	}
	n := a.R.IntN(total)
	for _, s := range a.Sources {
		if n < s.Weight {
			return s
		}
		n -= s.Weight
	}
	return a.Sources[0]
}

// Day returns midnight of day i of the run, in Start's zone.
func (a *Arrivals) Day(i int) time.Time {
	return time.Date(a.Start.Year(), a.Start.Month(), a.Start.Day()+i, 0, 0, 0, 0, a.Start.Location())
}

// When draws when a lead of src arrives, to the minute; an instant before
// Start moves to 5 to 60 minutes after it.
func (a *Arrivals) When(src Source) time.Time {
	r, arr := a.R, src.Arrive
	minutes := func(lo, hi int) time.Duration { return time.Duration(lo+r.IntN(hi-lo)) * time.Minute }
	var day int
	if len(arr.Batches) == 0 {
		for {
			day = r.IntN(a.Days)
			if wd := a.Day(day).Weekday(); wd != time.Saturday && wd != time.Sunday || r.Float64() < arr.Weekend {
				break
			}
		}
	} else {
		var in []int
		for _, b := range arr.Batches {
			if b < a.Days {
				in = append(in, b)
			}
		}
		if len(in) > 0 {
			day = in[r.IntN(len(in))]
		}
	}
	w := arr.Windows[0]
	var t time.Time
	switch {
	case arr.Tail > 0:
		t = a.Day(day).Add(time.Duration(w.From)*time.Minute + time.Duration(r.ExpFloat64()*float64(arr.Tail)))
	default:
		if len(arr.Windows) > 1 {
			x := r.Float64()
			w = arr.Windows[len(arr.Windows)-1]
			for _, c := range arr.Windows {
				if x < c.Share {
					w = c
					break
				}
			}
		}
		t = a.Day(day).Add(minutes(w.From, w.To))
	}
	if t.Before(a.Start) {
		t = a.Start.Add(minutes(5, 60))
	}
	return t.Truncate(time.Minute)
}
