package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The fake data the simulation draws from. Every name, company and address
// here is invented; nothing depends on map order.

var familyNames = []string{
	"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
	"Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue",
	"Kimura", "Hayashi", "Shimizu", "Yamazaki", "Mori", "Abe", "Ikeda", "Hashimoto",
	"Ishikawa", "Ogawa", "Maeda", "Okada", "Hasegawa", "Fujita", "Goto", "Kondo",
}

var givenNames = []string{
	"Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Yuto", "Mio", "Kenji", "Akiko",
	"Takeshi", "Naoko", "Hiroshi", "Yuki", "Daisuke", "Emi", "Kazuki", "Sakura", "Shota", "Mai",
}

var genericNames = []string{
	"Alex Morgan", "Sam Lee", "Jordan Price", "Chris Evans", "Taylor Brooks", "Morgan Hale",
	"Jamie Chen", "Robin Patel", "Casey Ward", "Drew Kim", "Pat Novak", "Lee Ortega",
}

var companyStems = []string{
	"Aozora", "Sakura", "Kitahama", "Minato", "Hikari", "Tsubasa", "Nishikaze", "Yamabiko",
	"Kaede", "Shirakawa", "Midori", "Asahi", "Kurenai", "Hoshizora", "Umibe", "Takane",
	"Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Acme",
}

var companyTrades = []string{
	"Systems", "Foods", "Logistics", "Precision", "Pharma", "Trading", "Motors", "Software",
	"Insurance", "Chemicals", "Analytics", "Robotics", "Retail", "Construction", "Textiles", "Energy",
}

// competitorCompanies sell what we sell: their staff download our material
// to study it, and a rep disqualifies them on review (S1, S5).
var competitorCompanies = []string{"MarketPulse KK", "LeadRocket Japan KK"}

// customerCompanies are already under contract: a rep marks such a lead
// Customer on review (S1, S5).
var customerCompanies = []string{"Hoshino Electric KK", "Kawaguchi Foods KK", "Umeda Mechatronics KK"}

var maSystems = []string{"Marketo", "HubSpot", "Pardot", "Eloqua", "SATORI", "List Finder", "none"}

var inquiryTopics = []string{
	"pricing", "demo request", "Salesforce integration", "security checklist",
	"lead scoring setup", "migration from spreadsheets", "trial extension",
}

var documents = []string{
	"case-study-manufacturing.pdf", "ma-buyers-guide.pdf", "roi-calculator.xlsx",
	"whitepaper-lead-scoring.pdf", "checklist-sdr-onboarding.pdf", "report-b2b-benchmarks-2026.pdf",
}

const seminarSlides = "seminar-slides-lead-management.pdf"

// companyKind says what a rep finds when reviewing a lead.
type companyKind uint8

const (
	prospect   companyKind = iota // an ordinary prospect
	competitor                    // works for a competitor
	customer                      // already a customer
	badData                       // the address bounces
)

// person returns a fake name and e-mail address at domain.
func person(r *rand.Rand, domain string) (name, email string) {
	if r.Float64() < 0.15 {
		name = genericNames[r.IntN(len(genericNames))]
		first, last, _ := strings.Cut(name, " ")
		return name, strings.ToLower(first[:1] + "." + last + "@" + domain)
	}
	family, given := familyNames[r.IntN(len(familyNames))], givenNames[r.IntN(len(givenNames))]
	return family + " " + given, strings.ToLower(given[:1] + "." + family + "@" + domain)
}

// company returns a fake company name: one of a few dozen, so that some
// companies send several leads.
func company(r *rand.Rand) string {
	stem := companyStems[r.IntN(len(companyStems))]
	trade := companyTrades[r.IntN(len(companyTrades))%8+int(stem[0])%8]
	return fmt.Sprintf("%s %s KK", stem, trade)
}

// domain returns a fake mail domain for a company name.
func domain(company string) string {
	d := strings.ToLower(strings.TrimSuffix(company, " KK"))
	return strings.ReplaceAll(d, " ", "-") + ".example"
}
