package main

// The fake data the simulation draws from, besides the names and companies
// of package sim. Every company here is invented; nothing depends on map
// order.

// competitorCompanies sell what we sell: their staff download our material
// to study it, and a rep disqualifies them on review (S1, S5).
var competitorCompanies = []string{"MarketPulse KK", "LeadRocket Japan KK"}

// customerCompanies are already under contract: a rep marks such a lead
// Customer on review (S1, S5).
var customerCompanies = []string{"Hoshino Electric KK", "Kawaguchi Foods KK", "Umeda Mechatronics KK"}

const seminarSlides = "seminar-slides-lead-management.pdf"

// companyKind says what a rep finds when reviewing a lead.
type companyKind uint8

const (
	prospect   companyKind = iota // an ordinary prospect
	competitor                    // works for a competitor
	customer                      // already a customer
	badData                       // the address bounces
)
