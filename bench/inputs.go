package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/shopspring/decimal"
)

// Status is a lead's status as the workloads see it, in the rule book's order (docs/RULES.md, section 1). Each
// implementation maps it to its own representation when its inputs are
// prepared, outside the timed loop.
type Status uint8

// The seven statuses.
const (
	StatusNew Status = iota
	StatusLead
	StatusRecycled
	StatusCustomer
	StatusPartner
	StatusDisqualifiedMktg
	StatusDisqualifiedSales
	numStatuses
)

var statusKeys = [numStatuses]string{"new", "lead", "recycled", "customer", "partner", "disqualified_mktg", "disqualified_sales"}

// Key returns the status key, "lead", as leadline and the rule engines
// spell it.
func (s Status) Key() string { return statusKeys[s] }

func (s Status) String() string { return s.Key() }

// The campaign types of W2: exactly the keys of leadline's built-in
// routing.CampaignType constants (checked in equivalence_test.go).
const (
	TypeWebInquiry         = "web_inquiry"
	TypeDocDownload        = "doc_download"
	TypeExternalSeminar    = "external_seminar"
	TypeContentSyndication = "content_syndication"
	TypeOwnEvent           = "own_event"
	TypeUserGroup          = "user_group"
	TypeIndustrySeminar    = "industry_seminar"
)

var campaignTypes = [...]string{TypeWebInquiry, TypeDocDownload, TypeExternalSeminar, TypeContentSyndication,
	TypeOwnEvent, TypeUserGroup, TypeIndustrySeminar}

// Activity is the W3 activity.
type Activity uint8

// The W3 activities. A page view creates no approach request.
const (
	ActInquiry Activity = iota
	ActDownload
	ActPageView
	numActivities
)

var activityKeys = [numActivities]string{"inquiry", "download", "page_view"}

// Key returns "inquiry", "download" or "page_view".
func (a Activity) Key() string { return activityKeys[a] }

func (a Activity) String() string { return a.Key() }

// Input is one lead as W2 and W3 read it.
type Input struct {
	Status   Status
	Score    decimal.Decimal
	Type     string // campaign type key (W2)
	Invited  bool   // invited by sales (W2)
	Met      bool   // met sales at the event (W2)
	Activity Activity
}

func (in Input) String() string {
	return fmt.Sprintf("{status %v score %v (exp %d) type %s invited %v met %v activity %v}",
		in.Status, in.Score, in.Score.Exponent(), in.Type, in.Invited, in.Met, in.Activity)
}

// Dest is a W2 routing destination.
type Dest uint8

// The W2 destinations.
const (
	DestNone Dest = iota
	DestField
	DestInside
	DestNurture
)

var destKeys = [...]string{"none", "field", "inside", "nurture"}

func (d Dest) String() string { return destKeys[d] }

// Trig is a W3 result: the priority and rule id of the approach request,
// or the zero Trig for none.
type Trig struct {
	Priority int
	Rule     string
}

func (t Trig) String() string {
	if t == (Trig{}) {
		return "none"
	}
	return fmt.Sprintf("%d (%s)", t.Priority, t.Rule)
}

// numInputs is the number of fixed pseudo-random inputs; a power of two.
const numInputs = 1024

// inputSeed seeds the PCG; changing it changes every number in README.md.
var inputSeed = [2]uint64{0x1ead_11e5, 0x5eed_0005}

// inputs are the 1,024 fixed pseudo-random leads every workload runs on.
var inputs = makeInputs()

// makeInputs draws the inputs from a PCG with a fixed seed:
//   - scores: even indices are whole numbers, decimal.New(n, 0); odd
//     indices carry two places, decimal.New(cents, -2), as a
//     NUMERIC(10,2) column gives. One in eight lies in 99.98..100.02
//     (100 for the whole numbers); the rest spread over -10..199.99, so
//     about half reach the threshold 100;
//   - status: Lead with probability 1/2, else one of the other six;
//   - campaign type: one of the seven;
//   - invited by sales, met sales at the event: each with probability 1/8;
//   - activity: inquiry, download or page_view.
func makeInputs() []Input {
	r := rand.New(rand.NewPCG(inputSeed[0], inputSeed[1]))
	ins := make([]Input, numInputs)
	for i := range ins {
		in := &ins[i]
		near := r.IntN(8) == 0
		if i%2 == 0 {
			n := int64(100)
			if !near {
				n = r.Int64N(210) - 10
			}
			in.Score = decimal.New(n, 0)
		} else {
			c := 9998 + r.Int64N(5)
			if !near {
				c = r.Int64N(21000) - 1000
			}
			in.Score = decimal.New(c, -2)
		}
		if r.IntN(2) == 0 {
			in.Status = StatusLead
		} else {
			others := [...]Status{StatusNew, StatusRecycled, StatusCustomer, StatusPartner, StatusDisqualifiedMktg, StatusDisqualifiedSales}
			in.Status = others[r.IntN(len(others))]
		}
		in.Type = campaignTypes[r.IntN(len(campaignTypes))]
		in.Invited = r.IntN(8) == 0
		in.Met = r.IntN(8) == 0
		in.Activity = Activity(r.IntN(int(numActivities)))
	}
	return ins
}

// boundaryScores are the scores of the boundary grid: both sides of the
// threshold at both exponents, the threshold at both exponents, zero
// (also the zero decimal.Decimal{}) and negatives.
var boundaryScores = []decimal.Decimal{
	decimal.New(99, 0),
	decimal.New(9999, -2),
	decimal.New(100, 0),
	decimal.New(10000, -2),
	decimal.New(10001, -2),
	decimal.New(101, 0),
	decimal.New(-5, 0),
	decimal.New(-1, -2),
	decimal.Zero,
	{},
}

// boundaryInputs returns every combination of a boundary score, a status,
// a campaign type, the invited and met flags and an activity.
func boundaryInputs() []Input {
	var ins []Input
	for _, sc := range boundaryScores {
		for st := range numStatuses {
			for _, ty := range campaignTypes {
				for flags := range 4 {
					for act := range numActivities {
						ins = append(ins, Input{Status: st, Score: sc, Type: ty,
							Invited: flags&1 != 0, Met: flags&2 != 0, Activity: act})
					}
				}
			}
		}
	}
	return ins
}

// sameExponentThresholds returns, for each input, the threshold 100 at
// the exponent of its score (100 or 100.00): the compare that never
// rescales.
func sameExponentThresholds(ins []Input) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ins))
	for i, in := range ins {
		e := in.Score.Exponent()
		if e > 0 || e < -10 {
			panic(fmt.Sprintf("bench: no threshold at exponent %d", e))
		}
		c := int64(100)
		for range -e {
			c *= 10
		}
		out[i] = decimal.New(c, e)
	}
	return out
}
