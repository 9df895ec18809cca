package routing

import (
	"fmt"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// CampaignType is the kind of campaign a lead responded to. The built-in
// types below cover rule M3; a policy may declare more (user-defined
// types) with their engagement level. Types are lower-case keys.
type CampaignType string

// The built-in campaign types.
const (
	OwnEvent           CampaignType = "own_event"           // the company's own annual event (M3: high)
	UserGroup          CampaignType = "user_group"          // a user-group meeting (M3: high)
	IndustrySeminar    CampaignType = "industry_seminar"    // a seminar for one industry (M3: high)
	ExternalSeminar    CampaignType = "external_seminar"    // a third-party media seminar (M3: low)
	ContentSyndication CampaignType = "content_syndication" // online content syndication (M3: low)
	WebInquiry         CampaignType = "web_inquiry"         // the web site's inquiry form (low)
	DocDownload        CampaignType = "doc_download"        // a document download campaign (low)
)

// builtinEngagement is M3's table for the built-in types.
func builtinEngagement(t CampaignType) (Engagement, bool) {
	switch t {
	case OwnEvent, UserGroup, IndustrySeminar:
		return High, true
	case ExternalSeminar, ContentSyndication, WebInquiry, DocDownload:
		return Low, true
	}
	return 0, false
}

// Valid reports whether t is a well-formed key: 1-40 of a-z, 0-9 and _.
// Whether a policy knows it is [Rules.Known].
func (t CampaignType) Valid() bool {
	if len(t) == 0 || len(t) > 40 {
		return false
	}
	for _, r := range t {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// Engagement is how engaged a campaign's respondents are with sales (rule
// M3): high when sales invited many of them or met them at the event.
type Engagement uint8

// The engagement levels. The zero value, ByType, means "as the policy
// says for the campaign's type". Stored by key; do not reorder.
const (
	ByType Engagement = iota // derive from the campaign type (M3)
	Low                      // third-party seminars, content syndication
	High                     // own events, user groups, industry seminars
	numEngagements
)

var engagementKeys = [numEngagements]string{"by_type", "low", "high"}

// String returns the key: "by_type", "low", "high".
func (e Engagement) String() string {
	if e < numEngagements {
		return engagementKeys[e]
	}
	return fmt.Sprintf("engagement(%d)", uint8(e))
}

// MarshalText returns the key.
func (e Engagement) MarshalText() ([]byte, error) {
	if e >= numEngagements {
		return nil, leaderr.Errorf("engagement", "unknown engagement %d", uint8(e))
	}
	return []byte(engagementKeys[e]), nil
}

// UnmarshalText parses a key; "" is ByType.
func (e *Engagement) UnmarshalText(b []byte) error {
	k := strings.ToLower(strings.TrimSpace(string(b)))
	if k == "" {
		*e = ByType
		return nil
	}
	for i, key := range engagementKeys {
		if k == key {
			*e = Engagement(i)
			return nil
		}
	}
	return leaderr.Errorf("engagement", "unknown engagement %s; want one of %s", leaderr.Quote(string(b)), strings.Join(engagementKeys[:], ", "))
}

// Model is a follow-up model: who follows up the leads of a campaign, or
// of a whole organisation (M1, M7, M8).
type Model uint8

// The follow-up models. Stored by key; do not reorder.
const (
	// OrgDefault, on a campaign, means the organisation's model.
	OrgDefault Model = iota
	// InsideFirst: inside sales qualifies MQLs with BANT and hands a
	// Pre-SQL to field sales, who close (M1). Field sales sees a lead
	// only once it is handed to them or routed to them by M4 (M2).
	InsideFirst
	// Direct: MQLs go straight to field sales (M1).
	Direct
	// Hybrid: a campaign where inside sales drives attendance before the
	// event and field sales follows up after it (M6); leads route as in
	// InsideFirst, with M4 sending engaged ones to field.
	Hybrid
	// FieldOnly: an organisation with no inside sales (M8). Ordinary
	// seminars follow leads whose survey answers qualify; high-engagement
	// ones follow every lead.
	FieldOnly
	numModels
)

var modelKeys = [numModels]string{"", "inside_first", "direct", "hybrid", "field_only"}

// String returns the key: "inside_first", "direct", "hybrid",
// "field_only", or "" for OrgDefault.
func (m Model) String() string {
	if m < numModels {
		return modelKeys[m]
	}
	return fmt.Sprintf("model(%d)", uint8(m))
}

// MarshalText returns the key.
func (m Model) MarshalText() ([]byte, error) {
	if m >= numModels {
		return nil, leaderr.Errorf("model", "unknown model %d", uint8(m))
	}
	return []byte(modelKeys[m]), nil
}

// UnmarshalText parses a key, in any case; "" is OrgDefault.
func (m *Model) UnmarshalText(b []byte) error {
	k := strings.ToLower(strings.TrimSpace(string(b)))
	for i, key := range modelKeys {
		if k == key {
			*m = Model(i)
			return nil
		}
	}
	return leaderr.Errorf("model", "unknown model %s; want one of %s", leaderr.Quote(string(b)), strings.Join(modelKeys[1:], ", "))
}

// Campaign is a marketing campaign as routing needs it: its type, its
// engagement and the follow-up model agreed with sales management at
// kickoff (M7).
type Campaign struct {
	ID   string       `json:"id"`
	Name string       `json:"name"`
	Type CampaignType `json:"type"`
	// Engagement overrides the level the policy gives the type (M3);
	// ByType, the zero value, keeps it.
	Engagement Engagement `json:"engagement,omitempty"`
	// Model is the follow-up model agreed at kickoff (M7); OrgDefault
	// follows the organisation's. Change it after Start only with
	// [Campaign.ChangeModel], which records who and why.
	Model Model `json:"model,omitempty"`
	// Start is when the campaign (the event) starts; its model is agreed
	// before then (M7).
	Start time.Time `json:"start"`
	// Targets are inside sales' registration and attendance targets for
	// a hybrid campaign, set before the event (M6).
	Targets Targets `json:"targets,omitzero"`
	// Changes records every change of Model after Start (M7).
	Changes []ModelChange `json:"changes,omitempty"`
	// AgreedBy is who in sales management agreed the follow-up model at
	// kickoff, and AgreedAt when (M13). Both or neither; a campaign
	// without them takes no responses, and once it has started a save
	// keeps the recorded agreement whatever it says.
	AgreedBy string    `json:"agreed_by,omitempty"`
	AgreedAt time.Time `json:"agreed_at,omitzero"`
	// Registrants is how many people registered for the campaign and
	// Invited how many of them sales invited, as marketing counts them
	// (M12; [CountRegistrants] counts them from the leads). With
	// registrants, a share of invited at or above the policy's
	// [Rules.InvitedPercent] makes the campaign high engagement whatever
	// its type; 0 registrants leaves engagement to the type (M3).
	Registrants int `json:"registrants,omitempty"`
	Invited     int `json:"invited,omitempty"`
	// Version counts the writes of the campaign; stores compare-and-set
	// on it. 0 means never written.
	Version int64 `json:"version"`
}

// Targets are a hybrid campaign's targets for inside sales (M6).
type Targets struct {
	Registrations int `json:"registrations"`
	Attendance    int `json:"attendance"`
}

// ModelChange records a change of a campaign's follow-up model after its
// start (M7).
type ModelChange struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	From   Model     `json:"from"`
	To     Model     `json:"to"`
	Reason string    `json:"reason"`
}

// Validate reports the first bad field as a [*leaderr.FieldError].
func (c *Campaign) Validate() error {
	// Strings first, by the one rule every entry shares (E6): an id, a
	// name and the agreement's author a store can always keep.
	if c.ID == "" {
		return leaderr.Errorf("campaign.id", "required")
	}
	if err := lead.CheckID("campaign.id", c.ID); err != nil {
		return err
	}
	if err := lead.CheckName("campaign.name", c.Name); err != nil {
		return err
	}
	if err := lead.CheckID("campaign.agreed_by", c.AgreedBy); err != nil {
		return err
	}
	switch {
	case !c.Type.Valid():
		return leaderr.Errorf("campaign.type", "%q is not a campaign type key (a-z, 0-9, _)", c.Type)
	case c.Engagement >= numEngagements:
		return leaderr.Errorf("campaign.engagement", "unknown engagement %d", uint8(c.Engagement))
	case !campaignModel(c.Model):
		return leaderr.Errorf("campaign.model", "want inside_first, direct, hybrid or empty (the organisation's), got %v; field_only is an organisation's model (M8)", c.Model)
	case c.Targets.Registrations < 0:
		return leaderr.Errorf("campaign.targets.registrations", "must not be negative, got %d", c.Targets.Registrations)
	case c.Targets.Attendance < 0:
		return leaderr.Errorf("campaign.targets.attendance", "must not be negative, got %d", c.Targets.Attendance)
	case c.AgreedBy != "" && strings.TrimSpace(c.AgreedBy) != c.AgreedBy, c.AgreedBy == "" && !c.AgreedAt.IsZero():
		return leaderr.Errorf("campaign.agreed_by", "want the id of who in sales management agreed the model, without surrounding space, got %q (M13)", c.AgreedBy)
	case c.AgreedBy != "" && c.AgreedAt.IsZero():
		return leaderr.Errorf("campaign.agreed_at", "required with agreed_by: when the model was agreed (M13)")
	case c.Registrants < 0:
		return leaderr.Errorf("campaign.registrants", "must not be negative, got %d", c.Registrants)
	case c.Invited < 0 || c.Invited > c.Registrants:
		return leaderr.Errorf("campaign.invited", "want 0 to the %d registrants, got %d (M12)", c.Registrants, c.Invited)
	}
	return nil
}

// Agreed reports whether the campaign carries its kickoff agreement: who
// in sales management agreed its follow-up model, and when (M13).
func (c *Campaign) Agreed() bool { return c.AgreedBy != "" && !c.AgreedAt.IsZero() }

// campaignModel reports whether m is a model a campaign may agree (M7):
// field-only describes an organisation, not a campaign (M8).
func campaignModel(m Model) bool {
	return m == OrgDefault || m == InsideFirst || m == Direct || m == Hybrid
}

// ChangeModel sets the campaign's follow-up model at now (M7). Before the
// campaign starts the model may change freely, as kickoff discussions
// go; from its start on, the change is recorded with who made it and why,
// and both are required. A campaign with no Start (an always-on web form)
// has no "before": every change of its model is recorded.
func (c *Campaign) ChangeModel(to Model, now time.Time, by, reason string) error {
	if !campaignModel(to) {
		return leaderr.Errorf("model", "want inside_first, direct, hybrid or empty (the organisation's), got %v", to)
	}
	if to == c.Model {
		return nil
	}
	if err := lead.CheckID("by", by); err != nil {
		return err
	}
	if err := lead.CheckText("reason", reason, lead.MaxTextBytes); err != nil {
		return err
	}
	if c.Start.IsZero() || !now.Before(c.Start) {
		if by == "" {
			return leaderr.Errorf("by", "required: who changes the model of a campaign that has started (M7)")
		}
		if strings.TrimSpace(reason) == "" {
			return leaderr.Errorf("reason", "required: why the model of a started campaign changes (M7)")
		}
		c.Changes = append(c.Changes, ModelChange{At: now, By: by, From: c.Model, To: to, Reason: reason})
	}
	c.Model = to
	return nil
}
