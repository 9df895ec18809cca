package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The data lead generators draw from. Every name, company and address is
// invented.
var (
	// FamilyNames are common Japanese family names.
	FamilyNames = []string{
		"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
		"Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue",
		"Kimura", "Hayashi", "Shimizu", "Yamazaki", "Mori", "Abe", "Ikeda", "Hashimoto",
		"Ishikawa", "Ogawa", "Maeda", "Okada", "Hasegawa", "Fujita", "Goto", "Kondo",
	}
	// GivenNames are common Japanese given names.
	GivenNames = []string{
		"Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Yuto", "Mio", "Kenji", "Akiko",
		"Takeshi", "Naoko", "Hiroshi", "Yuki", "Daisuke", "Emi", "Kazuki", "Sakura", "Shota", "Mai",
	}
	// ForeignNames are the full names of staff from abroad, given name
	// first.
	ForeignNames = []string{
		"Alex Morgan", "Sam Lee", "Jordan Price", "Chris Evans", "Taylor Brooks", "Morgan Hale",
		"Jamie Chen", "Robin Patel", "Casey Ward", "Drew Kim", "Pat Novak", "Lee Ortega",
	}
	// CompanyStems are the first words of company names.
	CompanyStems = []string{
		"Aozora", "Sakura", "Kitahama", "Minato", "Hikari", "Tsubasa", "Nishikaze", "Yamabiko",
		"Kaede", "Shirakawa", "Midori", "Asahi", "Kurenai", "Hoshizora", "Umibe", "Takane",
		"Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Acme",
	}
	// CompanyTrades are what companies do, the second word of their names.
	CompanyTrades = []string{
		"Systems", "Foods", "Logistics", "Precision", "Pharma", "Trading", "Motors", "Software",
		"Insurance", "Chemicals", "Analytics", "Robotics", "Retail", "Construction", "Textiles", "Energy",
	}
)

// Names draws people's names. Each method draws from r in a fixed order,
// so one seed draws the same people.
type Names struct {
	// Family and Given are the names drawn from; a name is written
	// family name first, as on a Japanese business card. Required.
	Family, Given []string
	// Foreign are full names of staff from abroad, drawn instead for a
	// share ForeignShare of the people; none if empty.
	Foreign      []string
	ForeignShare float64
}

// JapaneseNames draws from [FamilyNames], [GivenNames] and, for 15% of
// the people, [ForeignNames].
var JapaneseNames = Names{Family: FamilyNames, Given: GivenNames, Foreign: ForeignNames, ForeignShare: 0.15}

// Name draws a Japanese name, family name first: "Yamada Taro".
func (ns Names) Name(r *rand.Rand) string {
	family := ns.Family[r.IntN(len(ns.Family))]
	return family + " " + ns.Given[r.IntN(len(ns.Given))]
}

// Person draws a person working at domain: a foreign name (given name
// first) for a share ForeignShare, else a Japanese one, and an e-mail
// address of their initial and family name, "t.yamada@domain".
func (ns Names) Person(r *rand.Rand, domain string) (name, email string) {
	if r.Float64() < ns.ForeignShare && len(ns.Foreign) > 0 {
		name = ns.Foreign[r.IntN(len(ns.Foreign))]
		first, last, _ := strings.Cut(name, " ")
		return name, strings.ToLower(first[:1] + "." + last + "@" + domain)
	}
	family, given := ns.Family[r.IntN(len(ns.Family))], ns.Given[r.IntN(len(ns.Given))]
	return family + " " + given, strings.ToLower(given[:1] + "." + family + "@" + domain)
}

// Company draws a company name, "Midori Software KK", from
// [CompanyStems] and [CompanyTrades]. Each stem goes with half of the
// trades, chosen by its first letter, so that a run of a few hundred
// leads has several from one company.
func Company(r *rand.Rand) string {
	stem := CompanyStems[r.IntN(len(CompanyStems))]
	half := len(CompanyTrades) / 2
	trade := CompanyTrades[r.IntN(len(CompanyTrades))%half+int(stem[0])%half]
	return fmt.Sprintf("%s %s KK", stem, trade)
}

// Domain returns a mail domain for a company name:
// "midori-software.example" for "Midori Software KK".
func Domain(company string) string {
	d := strings.ToLower(strings.TrimSuffix(company, " KK"))
	return strings.ReplaceAll(d, " ", "-") + ".example"
}

// What marketing automation sees leads do, for lead generators: the
// marketing-automation systems leads come through, inquiry subjects and
// documents to download. All invented.
var (
	MASystems     = []string{"Marketo", "HubSpot", "Pardot", "Eloqua", "SATORI", "List Finder", "none"}
	InquiryTopics = []string{
		"pricing", "demo request", "Salesforce integration", "security checklist",
		"lead scoring setup", "migration from spreadsheets", "trial extension",
	}
	Documents = []string{
		"case-study-manufacturing.pdf", "ma-buyers-guide.pdf", "roi-calculator.xlsx",
		"whitepaper-lead-scoring.pdf", "checklist-sdr-onboarding.pdf", "report-b2b-benchmarks-2026.pdf",
	}
)
