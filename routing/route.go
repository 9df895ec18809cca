package routing

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/shopspring/decimal"
)

// Destination is where a routing decision sends a lead.
type Destination uint8

// The destinations. Stored by key; do not reorder.
const (
	Nowhere Destination = iota // not routed: a protected status (S5) or a status the policy does not route
	Inside                     // inside sales: the approach-request path (A1-A7, M1)
	Field                      // field sales follows it up (M4, M1 direct, M8)
	Nurture                    // marketing keeps nurturing it; nobody follows up now
	numDestinations
)

var destinationKeys = [numDestinations]string{"nowhere", "inside", "field", "nurture"}

// String returns the key: "nowhere", "inside", "field", "nurture".
func (d Destination) String() string {
	if d < numDestinations {
		return destinationKeys[d]
	}
	return fmt.Sprintf("destination(%d)", uint8(d))
}

// MarshalText returns the key.
func (d Destination) MarshalText() ([]byte, error) {
	if d >= numDestinations {
		return nil, leaderr.Errorf("destination", "unknown destination %d", uint8(d))
	}
	return []byte(destinationKeys[d]), nil
}

// Reasons is the set of reasons behind a routing decision, each tied to a
// rule, so a person can ask "why did this lead go to this rep?" and get
// an answer ([Reasons.String]). It is a bit set: deciding allocates
// nothing.
type Reasons uint32

// The reasons.
const (
	BecauseProtected       Reasons = 1 << iota // S5: the status is Customer, Partner or Disqualified
	BecauseStatus                              // the policy does not route leads of this status
	BecauseHighEngagement                      // M3: the campaign is high-engagement
	BecauseInvited                             // M4: a field rep invited the lead
	BecauseMet                                 // M4: a field rep met the lead at the event
	BecauseAccountOwner                        // M4: the account owner follows up
	BecauseFieldAssignment                     // M4: no rep is known; field sales assigns one
	BecauseMQL                                 // A1, M1: the score is at or above the threshold
	BecauseInsideType                          // the campaign type always goes to inside sales (web inquiries)
	BecauseBelowThreshold                      // M1: below the threshold, marketing nurtures it
	BecauseInsideFirst                         // M1: inside sales qualifies first
	BecauseDirect                              // M1: MQLs go straight to field sales
	BecauseHybrid                              // M6: a hybrid campaign
	BecauseFieldOnly                           // M8: the organisation has no inside sales
	BecauseSurvey                              // M8: the survey answers qualify
	BecauseSurveyFailed                        // M8: the survey answers do not qualify
	BecauseCampaignModel                       // M7: the campaign's own agreed model applies
	BecauseInvitedShare                        // M12: sales invited at least the policy's share of the registrants
	numReasons             = iota
)

var reasonInfo = [numReasons]struct{ rule, text string }{
	{"S5", "protected status"},
	{"S2", "status not routed by the policy"},
	{"M3", "high-engagement campaign"},
	{"M4", "invited by a field rep"},
	{"M4", "met a field rep at the event"},
	{"M4", "account owner follows up"},
	{"M4", "field assignment"},
	{"A1", "MQL: score at or above the threshold"},
	{"M1", "campaign type goes to inside sales"},
	{"M1", "below the threshold: nurture"},
	{"M1", "inside-first model"},
	{"M1", "direct model"},
	{"M6", "hybrid campaign"},
	{"M8", "field-only organisation"},
	{"M8", "survey answers qualify"},
	{"M8", "survey answers do not qualify"},
	{"M7", "campaign's agreed follow-up model"},
	{"M12", "sales invited the policy's share of registrants"},
}

// Has reports whether every reason of r2 is in r.
func (r Reasons) Has(r2 Reasons) bool { return r&r2 == r2 }

// Rules returns the rule ids behind r, in a fixed order without
// duplicates: ["M3", "M4"].
func (r Reasons) Rules() []string {
	var out []string
	for i := range numReasons {
		if r&(1<<i) != 0 && !slices.Contains(out, reasonInfo[i].rule) {
			out = append(out, reasonInfo[i].rule)
		}
	}
	return out
}

// String explains r: "M3 high-engagement campaign; M4 invited by a field
// rep".
func (r Reasons) String() string {
	var b strings.Builder
	for i := range numReasons {
		if r&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			b.WriteString(reasonInfo[i].rule)
			b.WriteByte(' ')
			b.WriteString(reasonInfo[i].text)
		}
	}
	return b.String()
}

// Decision is where a lead goes, to whom, and why.
type Decision struct {
	To Destination
	// Owner is the field rep who follows up when one is known: the rep
	// who invited the lead, else the one who met it, else its account
	// owner (M4). "" means assign one: by round robin over the field team
	// for Field, by the approach-request path for Inside.
	Owner string
	// Why holds at least one reason.
	Why Reasons
}

// Rule returns the id of the rule that decided the destination: S5 for a
// protected lead, M4 for a field rep's invitation or meeting (the personal
// tie wins: the car dealer's customer), M3 for a high-engagement campaign,
// M8 for a field-only organisation's survey, M1 for the follow-up model
// otherwise. The other rules in Why say how the
// decision was carried out (who the owner is, M7's agreed model).
func (d Decision) Rule() string {
	for _, p := range decisive {
		if d.Why&p.why != 0 {
			return p.rule
		}
	}
	if rules := d.Why.Rules(); len(rules) > 0 {
		return rules[0]
	}
	return ""
}

// decisive lists the reasons that decide a destination, strongest first.
var decisive = [...]struct {
	why  Reasons
	rule string
}{
	{BecauseProtected, "S5"},
	{BecauseStatus, "S2"},
	{BecauseInvited | BecauseMet, "M4"},
	{BecauseInvitedShare, "M12"},
	{BecauseHighEngagement, "M3"},
	{BecauseSurvey | BecauseSurveyFailed, "M8"},
	{BecauseDirect | BecauseInsideFirst | BecauseHybrid, "M1"},
}

// String reads "field to rep-3 (M4 invited by a field rep)".
func (d Decision) String() string {
	if d.Owner != "" {
		return fmt.Sprintf("%v to %s (%v)", d.To, d.Owner, d.Why)
	}
	return fmt.Sprintf("%v (%v)", d.To, d.Why)
}

// Response is what routing needs to know about one campaign response.
type Response struct {
	// InvitedBy is the field rep who invited the person, if one did (M4).
	InvitedBy string
	// MetBy is the field rep who met the person at the event, if one did
	// (M4).
	MetBy string
	// Answers are the person's survey answers, question to answer (M8).
	Answers map[string]string
}

// Predicate is one condition on survey answers (M8): the answer to
// Question must be one of AnyOf, compared without regard to case or
// surrounding space.
type Predicate struct {
	Question string   `json:"question"`
	AnyOf    []string `json:"any_of"`
}

// Rules is the routing policy of M1-M13. The zero value is the rule
// book's default: an inside-first organisation, M3's engagement table,
// the policy's one MQL threshold (A7), New, Lead and Recycled leads
// routed, web inquiries always to
// inside sales, and a survey that qualifies nobody.
type Rules struct {
	// Organisation is the organisation's follow-up model: InsideFirst,
	// Direct or FieldOnly (M1, M8). Campaigns follow it unless their
	// agreed model says otherwise (M7). Defaults to InsideFirst.
	Organisation Model `json:"organisation"`
	// Types gives the engagement level of campaign types: user-defined
	// ones, or overrides of the built-ins (M3). A type that is neither
	// here nor built in is Low.
	Types map[CampaignType]Engagement `json:"types,omitempty"`
	// threshold is the MQL threshold, inclusive: always the triggers'
	// one, set by Normalize, so that the two cannot disagree (A7).
	threshold lead.Threshold
	// Statuses are the statuses whose leads are routed. Defaults to New,
	// Lead and Recycled; protected statuses are never routed (S5) even if
	// listed.
	Statuses lead.StatusSet `json:"statuses,omitempty"`
	// InsideTypes are campaign types whose responses go to inside sales
	// whatever the score in the inside-first and hybrid models. Defaults
	// to web_inquiry.
	InsideTypes []CampaignType `json:"inside_types,omitempty"`
	// Survey are the conditions a response's answers must all meet for a
	// field-only organisation to follow up a lead from an ordinary
	// campaign (M8). Defaults to none, which qualifies nobody: follow
	// only the high-engagement campaigns.
	Survey []Predicate `json:"survey,omitempty"`
	// FieldSummary lets field reps in an inside-first organisation see a
	// summary of every lead's campaign responses (campaign, response,
	// date) and nothing else (M2). Defaults to off.
	FieldSummary bool `json:"field_summary,omitempty"`
	// Handoff is what BANT must be known before inside sales hands a
	// Pre-SQL to field sales (M10). Defaults to need and timeline.
	Handoff lead.BANTSet `json:"handoff,omitempty"`
	// InvitedPercent is the share of a campaign's registrants that sales
	// invited, in whole percent, at or above which the campaign is high
	// engagement whatever its type (M12). 1 to 100; defaults to 30.
	InvitedPercent int `json:"invited_percent,omitempty"`
}

// DefaultInvitedPercent is M12's default share, in percent.
const DefaultInvitedPercent = 30

// Normalize returns r with its defaults written out. threshold is the
// one MQL threshold of the policy, the triggers' (A7): routing has none
// of its own, so that no policy can route at one threshold and trigger
// at another. An unset threshold means the default, 100.
func (r Rules) Normalize(threshold lead.Threshold) Rules {
	if r.Organisation == OrgDefault {
		r.Organisation = InsideFirst
	}
	r.threshold = threshold
	if r.Statuses == 0 {
		r.Statuses = lead.StatusSetOf(lead.StatusNew, lead.StatusLead, lead.StatusRecycled)
	}
	if r.InsideTypes == nil {
		r.InsideTypes = []CampaignType{WebInquiry}
	} else {
		r.InsideTypes = slices.Clone(r.InsideTypes)
	}
	r.Survey = slices.Clone(r.Survey)
	for i := range r.Survey {
		r.Survey[i].AnyOf = slices.Clone(r.Survey[i].AnyOf) // the answers too: the engine's own
	}
	if r.Handoff == 0 {
		r.Handoff = lead.BANTNeed | lead.BANTTimeline
	}
	r.Types = maps.Clone(r.Types)
	if r.InvitedPercent == 0 {
		r.InvitedPercent = DefaultInvitedPercent
	}
	return r
}

// Validate reports the first bad field as a [*leaderr.FieldError].
func (r *Rules) Validate() error {
	switch r.Organisation {
	case OrgDefault, InsideFirst, Direct, FieldOnly:
	default:
		return leaderr.Errorf("routing.organisation", "want inside_first, direct or field_only, got %v", r.Organisation)
	}
	for _, t := range slices.Sorted(maps.Keys(r.Types)) {
		if !t.Valid() {
			return leaderr.Errorf("routing.types", "%q is not a campaign type key (a-z, 0-9, _)", t)
		}
		if e := r.Types[t]; e != Low && e != High {
			return leaderr.Errorf("routing.types."+string(t), "want low or high, got %v", e)
		}
	}
	for i, t := range r.InsideTypes {
		if !t.Valid() {
			return leaderr.Errorf(fmt.Sprintf("routing.inside_types[%d]", i), "%q is not a campaign type key", t)
		}
	}
	for i, p := range r.Survey {
		if strings.TrimSpace(p.Question) == "" {
			return leaderr.Errorf(fmt.Sprintf("routing.survey[%d].question", i), "required")
		}
		if err := lead.CheckText(fmt.Sprintf("routing.survey[%d].question", i), p.Question, lead.MaxTextBytes); err != nil {
			return err
		}
		for j, a := range p.AnyOf {
			if err := lead.CheckText(fmt.Sprintf("routing.survey[%d].any_of[%d]", i, j), a, lead.MaxTextBytes); err != nil {
				return err
			}
		}
		if len(p.AnyOf) == 0 {
			return leaderr.Errorf(fmt.Sprintf("routing.survey[%d].any_of", i), "required: the answers that qualify")
		}
	}
	if r.InvitedPercent < 0 || r.InvitedPercent > 100 {
		return leaderr.Errorf("routing.invited_percent", "want 1 to 100 (0 for the default, %d), got %d", DefaultInvitedPercent, r.InvitedPercent)
	}
	if !r.Statuses.Valid() {
		return leaderr.Errorf("routing.statuses", "unknown status bits %#x; name statuses by key (new, lead, recycled ...)", uint8(r.Statuses))
	}
	if !r.Handoff.Valid() {
		return leaderr.Errorf("routing.handoff", "unknown BANT bits %#x", uint8(r.Handoff))
	}
	return nil
}

// Known reports whether the policy knows campaign type t: built in, or
// declared in Types.
func (r *Rules) Known(t CampaignType) bool {
	if _, ok := builtinEngagement(t); ok {
		return true
	}
	_, ok := r.Types[t]
	return ok
}

// Engagement returns c's engagement level: its own override, else High
// when sales invited at least the policy's share of its registrants
// (M12), else the policy's for its type, else M3's table, else Low (M3).
// Routing and the reports decide it here, so that they agree.
func (r *Rules) Engagement(c *Campaign) Engagement {
	e, _ := r.engagement(c)
	return e
}

// engagement is [Rules.Engagement], and whether the invited share (M12)
// decided it.
func (r *Rules) engagement(c *Campaign) (Engagement, bool) {
	if c.Engagement != ByType {
		return c.Engagement, false
	}
	if r.InvitedShare(c) {
		return High, true
	}
	if e, ok := r.Types[c.Type]; ok {
		return e, false
	}
	if e, ok := builtinEngagement(c.Type); ok {
		return e, false
	}
	return Low, false
}

// InvitedShare reports whether sales invited at least the policy's share
// of c's registrants (M12): false for a campaign with no registrants.
func (r *Rules) InvitedShare(c *Campaign) bool {
	pct := r.InvitedPercent
	if pct <= 0 {
		pct = DefaultInvitedPercent
	}
	return c.Registrants > 0 && int64(c.Invited)*100 >= int64(pct)*int64(c.Registrants)
}

// ModelOf returns the follow-up model that applies to c: its own agreed
// model (M7), else the organisation's. A field-only organisation has no
// inside sales, so its campaigns are field-only whatever they say (M8).
func (r *Rules) ModelOf(c *Campaign) Model {
	org := r.Organisation
	if org == OrgDefault {
		org = InsideFirst
	}
	if org == FieldOnly || c.Model == OrgDefault {
		return org
	}
	return c.Model
}

// Route decides who follows up a lead's response to a campaign (M1-M8). It is a pure function of the policy, the lead, the campaign
// and the response (nil means no rep and no answers), and does not
// allocate:
//
//  1. A lead whose status is protected (S5) or not routed by the policy
//     goes nowhere.
//  2. A high-engagement campaign (by its type, its override, or the
//     share of its registrants sales invited, M12), or a field rep who invited or met the
//     person, sends it to field sales (M3, M4): to the rep who invited
//     them, else the rep who met them, else the account owner, else field
//     assignment. The inviter comes first because they own the
//     relationship that brought the person; the car dealer's customer is
//     called back by the salesperson who invited them, not a call centre.
//  3. Otherwise the model decides (M1, M7, M8): field-only follows the
//     lead when its survey answers qualify, else nurtures it; direct sends
//     MQLs to field sales and nurtures the rest; inside-first and hybrid
//     send MQLs and the inside types (web inquiries) to inside sales and
//     nurture the rest.
func (r *Rules) Route(l *lead.Lead, c *Campaign, resp *Response) Decision {
	var none Response
	if resp == nil {
		resp = &none
	}
	statuses := r.Statuses
	if statuses == 0 {
		statuses = lead.StatusSetOf(lead.StatusNew, lead.StatusLead, lead.StatusRecycled)
	}
	switch {
	case l.Status.Protected():
		return Decision{To: Nowhere, Why: BecauseProtected}
	case !statuses.Has(l.Status):
		return Decision{To: Nowhere, Why: BecauseStatus}
	}
	model := r.ModelOf(c)
	var why Reasons
	if c.Model != OrgDefault && model == c.Model {
		why = BecauseCampaignModel
	}
	e, byShare := r.engagement(c)
	high := e == High
	if high || resp.InvitedBy != "" || resp.MetBy != "" {
		if high {
			why |= BecauseHighEngagement
		}
		if byShare {
			why |= BecauseInvitedShare
		}
		switch model {
		case FieldOnly:
			why |= BecauseFieldOnly
		case Hybrid:
			why |= BecauseHybrid
		}
		switch {
		case resp.InvitedBy != "":
			return Decision{To: Field, Owner: resp.InvitedBy, Why: why | BecauseInvited}
		case resp.MetBy != "":
			return Decision{To: Field, Owner: resp.MetBy, Why: why | BecauseMet}
		case l.AccountOwned && l.Owner != "":
			return Decision{To: Field, Owner: l.Owner, Why: why | BecauseAccountOwner}
		}
		return Decision{To: Field, Why: why | BecauseFieldAssignment}
	}
	switch model {
	case FieldOnly:
		why |= BecauseFieldOnly
		if len(r.Survey) == 0 || !r.qualifies(resp.Answers) {
			return Decision{To: Nurture, Why: why | BecauseSurveyFailed}
		}
		return r.field(l, why|BecauseSurvey)
	case Direct:
		why |= BecauseDirect
		if !r.mql(l.Score) {
			return Decision{To: Nurture, Why: why | BecauseBelowThreshold}
		}
		return r.field(l, why|BecauseMQL)
	}
	if model == Hybrid {
		why |= BecauseHybrid
	} else {
		why |= BecauseInsideFirst
	}
	switch {
	case r.mql(l.Score):
		return Decision{To: Inside, Why: why | BecauseMQL}
	case r.insideType(c.Type):
		return Decision{To: Inside, Why: why | BecauseInsideType}
	}
	return Decision{To: Nurture, Why: why | BecauseBelowThreshold}
}

// field sends a lead to field sales without a known rep: the account
// owner if there is one, else field assignment (M4).
func (r *Rules) field(l *lead.Lead, why Reasons) Decision {
	if l.AccountOwned && l.Owner != "" {
		return Decision{To: Field, Owner: l.Owner, Why: why | BecauseAccountOwner}
	}
	return Decision{To: Field, Why: why | BecauseFieldAssignment}
}

// Threshold returns the MQL threshold the rules route by: the one given
// to [Rules.Normalize], or the default 100 (A1, A7).
func (r *Rules) Threshold() lead.Threshold {
	if !r.threshold.IsSet() {
		return defaultThreshold
	}
	return r.threshold
}

func (r *Rules) mql(score decimal.Decimal) bool {
	if !r.threshold.IsSet() {
		return defaultThreshold.Reached(score)
	}
	return r.threshold.Reached(score)
}

// defaultThreshold is the rule book's 100 (A1) for the triggers and the routing
// rules, prepared once; a Threshold is never changed, so it is shared.
var defaultThreshold = lead.NewThreshold(decimal.NewFromInt(100))

func (r *Rules) insideType(t CampaignType) bool {
	if r.InsideTypes == nil {
		return t == WebInquiry
	}
	return slices.Contains(r.InsideTypes, t)
}

// qualifies reports whether answers meet every survey predicate (M8).
func (r *Rules) qualifies(answers map[string]string) bool {
	for _, p := range r.Survey {
		a, ok := answers[p.Question]
		if !ok {
			return false
		}
		a = strings.TrimSpace(a)
		if !slices.ContainsFunc(p.AnyOf, func(v string) bool { return strings.EqualFold(strings.TrimSpace(v), a) }) {
			return false
		}
	}
	return true
}
