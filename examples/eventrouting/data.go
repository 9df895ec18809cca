package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/sim"
)

// The fake data the simulation draws from. Every name and company here is
// invented; nothing depends on map order.

// names draws people's names: the first 24 family names of package sim,
// and given names of their own.
var names = sim.Names{Family: sim.FamilyNames[:24], Given: []string{
	"Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Yuto", "Mio", "Kenji", "Akiko",
	"Takeshi", "Naoko", "Hiroshi", "Yuki", "Daisuke", "Emi", "Kazuki", "Sakura", "Taro", "Mai",
}}

// companies are the prospects' companies. Each is an account of one field
// rep (accountRep), who invites its people to the company's own events.
var companies = []string{
	"Aozora Systems KK", "Sakura Foods KK", "Kitahama Logistics KK", "Minato Precision KK",
	"Hikari Pharma KK", "Tsubasa Trading KK", "Nishikaze Motors KK", "Yamabiko Software KK",
	"Kaede Insurance KK", "Shirakawa Chemicals KK", "Midori Analytics KK", "Asahi Robotics KK",
	"Kurenai Retail KK", "Hoshizora Construction KK", "Umibe Textiles KK", "Takane Energy KK",
	"Northwind Japan KK", "Contoso Japan KK", "Globex Asia KK", "Initech Tokyo KK",
}

// feedbackComments are what field reps write about a follow-up, by
// commentKey.
var feedbackComments = map[string][]string{
	"not a target": {"student, not a buyer", "works for a partner; nothing to sell", "left the company"},
	"opportunity":  {"budget approved, needs security review", "wants a quote for 50 seats", "PoC agreed for May", "商談化: 来月デモ予定"},
	"no":           {"no project this year; keep in touch", "happy with their current tool", "sent the case study, no interest"},
	"in progress":  {"demo booked for next week", "follow-up call done, evaluating in H2", "waiting for the IT director", ""},
	"not started":  {"", "call on Monday"},
}

// commentKey sorts feedback for feedbackComments.
func commentKey(f lead.Feedback) string {
	switch {
	case !f.Target:
		return "not a target"
	case f.Opportunity == lead.OutcomeYes:
		return "opportunity"
	case f.State == lead.Done:
		return "no"
	case f.State == lead.InProgress:
		return "in progress"
	}
	return "not started"
}

// companyName returns one of the fake companies and its index.
func companyName(r *rand.Rand) (string, int) {
	i := r.IntN(len(companies))
	return companies[i], i
}

// leadID returns the n-th lead id, counting from 1.
func leadID(n int) string { return fmt.Sprintf("L-%04d", n) }
